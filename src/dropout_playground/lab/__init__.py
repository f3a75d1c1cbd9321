"""Headless experiments with the package's own engine, written as figures for slides and a JSON of every
number: ``dropout-playground lab`` (needs the ``lab`` extra: matplotlib, rich and joblib)."""

from __future__ import annotations

from .digits_dropout import DigitsDropout
from .experiment import Experiment, Row
from .mc_averaging import McAveraging
from .p_sweep import PSweep
from .page_figures import PageFigures

# In the order they run and are reported.
EXPERIMENTS: tuple[Experiment, ...] = (DigitsDropout(), McAveraging(), PSweep(), PageFigures())

__all__ = ["EXPERIMENTS", "Experiment", "Row"]
