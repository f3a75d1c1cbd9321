"""Figures: what the page shows, as Python objects driven by commands, answering with frames.

No web, no asyncio, no JSON here: a figure can be driven from a test or a notebook as it is.
"""

from .co_adaptation import CoAdaptation, CoAdaptationSettings
from .data_flow import DataFlow, DataFlowSettings
from .ensemble_gap import EnsembleGap, EnsembleGapSettings
from .ensemble_grid import EnsembleGrid, EnsembleGridSettings
from .forgotten_eval import ForgottenEval, ForgottenEvalSettings
from .frame import Frame
from .mc_dropout import McDropout, McDropoutSettings
from .overfitting import Overfitting, OverfittingSettings
from .playground import Playground, PlaygroundSettings
from .training_log import TrainingRun, format_log, parse_log

# Every figure a page can show, in the order the article shows them.
FIGURE_CLASSES: tuple[type, ...] = (
    Playground,
    Overfitting,
    DataFlow,
    ForgottenEval,
    EnsembleGrid,
    EnsembleGap,
    CoAdaptation,
    McDropout,
)

__all__ = [
    "FIGURE_CLASSES",
    "CoAdaptation",
    "CoAdaptationSettings",
    "DataFlow",
    "DataFlowSettings",
    "EnsembleGap",
    "EnsembleGapSettings",
    "EnsembleGrid",
    "EnsembleGridSettings",
    "ForgottenEval",
    "ForgottenEvalSettings",
    "Frame",
    "McDropout",
    "McDropoutSettings",
    "Overfitting",
    "OverfittingSettings",
    "Playground",
    "PlaygroundSettings",
    "TrainingRun",
    "format_log",
    "parse_log",
]
