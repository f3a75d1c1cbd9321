"""The page's figures, headless: five of the article's interactive figures drawn for slides, from the same
figure classes the page drives and at their default settings, so that a slide and the page show the same
numbers. Each unit is one figure: built, trained where it trains, and its frame kept as plain JSON."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np

from ..figures import (
    CoAdaptation,
    CoAdaptationSettings,
    EnsembleGap,
    EnsembleGapSettings,
    ForgottenEval,
    ForgottenEvalSettings,
    McDropout,
    McDropoutSettings,
    Overfitting,
    OverfittingSettings,
)
from ..figures.frame import Frame
from ..figures.overfitting import MAX_CHUNK as OVERFITTING_MAX_CHUNK
from ..figures.overfitting import MAX_STEPS as OVERFITTING_MAX_STEPS
from .experiment import Experiment, Result, Row, Settings, Unit
from .page_figure_drawings import DRAWINGS, REGION_TEXT, band_width, percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURES = ("ensemble-gap", "overfitting", "forgotten-eval", "co-adaptation", "mc-dropout")

# The arrays each figure's drawing needs, as the frame holds them (the rest, such as maps, stay out).
ARRAYS = {
    "ensemble-gap": (
        "k",
        "arithmetic_mean",
        "arithmetic_low",
        "arithmetic_high",
        "geometric_mean",
        "geometric_low",
        "geometric_high",
    ),
    "overfitting": (
        "curve_steps",
        "train_none",
        "train_dropout",
        "test_none",
        "test_dropout",
        "x_train",
        "y_train",
        "x_test",
        "y_test",
        "curve_x",
        "truth",
        "fit_none",
        "fit_dropout",
    ),
    "forgotten-eval": (),
    "co-adaptation": ("k", "none_mean", "none_low", "none_high", "dropout_mean", "dropout_low", "dropout_high"),
    "mc-dropout": (
        "curve_x",
        "truth",
        "passes",
        "mc_mean",
        "mc_sd",
        "member_curves",
        "ensemble_mean",
        "ensemble_sd",
    ),
}


class PageFigures(Experiment):
    name = "page-figures"
    title = "The page's figures, headless"

    def settings(self, *, quick: bool, seeds: int | None) -> Settings:
        # Every figure at the page's defaults, with the page's own seeds (``seeds`` does not apply). Quick runs
        # are the full ones: the overfitting figure trains to its cap in about a second, the others are
        # computed in well under one, so there is nothing lighter worth having.
        return {
            "ensemble-gap": asdict(EnsembleGapSettings()),
            # The figure as it stands once both networks have trained the most steps it allows.
            "overfitting": {**asdict(OverfittingSettings()), "steps": OVERFITTING_MAX_STEPS},
            "forgotten-eval": asdict(ForgottenEvalSettings()),
            "co-adaptation": asdict(CoAdaptationSettings()),
            "mc-dropout": _plain(asdict(McDropoutSettings())),
        }

    def units(self, settings: Settings) -> list[Unit]:
        return [{"figure": figure} for figure in FIGURES]

    def run_unit(self, settings: Settings, unit: Unit) -> Result:
        figure = unit["figure"]
        frame = FRAMES[figure](settings[figure])
        return {
            "figure": figure,
            "values": _plain(frame.values),
            "arrays": {name: _plain(frame.arrays[name]) for name in ARRAYS[figure]},
            "headline": _plain(HEADLINES[figure](frame)),
        }

    def summarise(self, settings: Settings, results: list[Result]) -> Result:
        return {unit["figure"]: result["headline"] for unit, result in zip(self.units(settings), results)}

    def rows(self, summary: Result) -> list[Row]:
        gap, over = summary["ensemble-gap"], summary["overfitting"]
        modes, coad, mc = summary["forgotten-eval"]["modes"], summary["co-adaptation"], summary["mc-dropout"]
        matching = gap["matching_k"]
        none, dropout = over["none"], over["dropout"]
        return [
            Row(
                "sampled average matches eval accuracy from",
                f"K = {matching}" if matching is not None else f"not by K = {gap['max_k']:,}",
                "K ≈ 50 on MNIST (Srivastava et al. 2014, §7.5)",
            ),
            Row(
                "accuracy: eval / exact arithmetic / exact geometric",
                " / ".join(percent(gap["accuracy"][key]) for key in ("eval", "exact_arithmetic", "exact_geometric")),
            ),
            Row(
                "overfitting: best test loss, no dropout / dropout",
                f"{none['best_test_loss']:.3f} (step {none['best_step']:,}) / "
                f"{dropout['best_test_loss']:.3f} (step {dropout['best_step']:,})",
            ),
            Row(
                f"overfitting: test − train loss after {over['steps']:,} steps",
                f"{none['gap']:.3f} / {dropout['gap']:.3f}",
            ),
            Row(
                "forgotten eval: ECE, train / eval / MC mode",
                " / ".join(f"{modes[mode]['ece']:.3f}" for mode in ("train", "eval", "mc")),
            ),
            Row(
                f"co-adaptation: accuracy with {coad['half_k']} of {coad['units']} units removed",
                f"{percent(coad['half_accuracy']['none'])} no dropout / "
                f"{percent(coad['half_accuracy']['dropout'])} dropout",
            ),
            Row(
                "MC dropout: band ±2 sd, data / gap / outside",
                " / ".join(band_width(mc["band"]["mc"][region]) for region in REGION_TEXT),
            ),
            Row(
                "deep ensemble: band ±2 sd, data / gap / outside",
                " / ".join(band_width(mc["band"]["ensemble"][region]) for region in REGION_TEXT),
            ),
        ]

    def draw(self, settings: Settings, results: list[Result], summary: Result) -> dict[str, Figure]:
        drawn = {}
        for unit, result in zip(self.units(settings), results):
            figure = unit["figure"]
            drawn[figure] = DRAWINGS[figure](result)
        return drawn


# -- plain JSON -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """``value`` as plain JSON: lists for arrays and tuples, Python numbers for NumPy's. A number that is not
    finite is an error, not something to paper over."""
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"a figure's frame holds a number that is not finite: {number}")
        return number
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"not plain JSON: {type(value).__name__}")


# -- the figures' frames --------------------------------------------------------------------------


def ensemble_gap_frame(settings: dict[str, Any]) -> Frame:
    return EnsembleGap(EnsembleGapSettings(**settings)).frame()


def overfitting_frame(settings: dict[str, Any]) -> Frame:
    """Both networks trained as the page's Train button trains them, chunk by chunk, to ``steps``. The loss
    curves are recorded at fixed steps, so the chunks' sizes (each cut to one display frame) change nothing."""
    target = settings["steps"]
    figure = Overfitting(OverfittingSettings(**{**settings, "steps": 0}))
    while figure.settings.steps < target:
        figure.train(min(OVERFITTING_MAX_CHUNK, target - figure.settings.steps))
    return figure.frame()


def forgotten_eval_frame(settings: dict[str, Any]) -> Frame:
    return ForgottenEval(ForgottenEvalSettings(**settings)).frame()


def co_adaptation_frame(settings: dict[str, Any]) -> Frame:
    return CoAdaptation(CoAdaptationSettings(**settings)).frame()


def mc_dropout_frame(settings: dict[str, Any]) -> Frame:
    # JSON has no tuples: the points come back as lists, and the settings want (x, y) pairs.
    points = tuple((float(x), float(y)) for x, y in settings["points"])
    return McDropout(McDropoutSettings(**{**settings, "points": points})).frame()


FRAMES = {
    "ensemble-gap": ensemble_gap_frame,
    "overfitting": overfitting_frame,
    "forgotten-eval": forgotten_eval_frame,
    "co-adaptation": co_adaptation_frame,
    "mc-dropout": mc_dropout_frame,
}


# -- headline numbers -----------------------------------------------------------------------------


def ensemble_gap_headline(frame: Frame) -> dict[str, Any]:
    values = frame.values
    return {
        "network": values["settings"]["network"],
        "p": values["settings"]["p"],
        "subnetworks": values["subnetworks"],
        "max_k": values["max_k"],
        "matching_k": values["matching_k"],
        "accuracy": {key: values["accuracy"][key] for key in ("eval", "exact_arithmetic", "exact_geometric")},
        "exact_tv": {"arithmetic": values["exact"]["arithmetic_tv"], "geometric": values["exact"]["geometric_tv"]},
        # Where the sampled curves end: how close K = max_k sub-networks get to the eval network.
        "sampled_tv_at_max_k": {
            "arithmetic": float(frame.arrays["arithmetic_mean"][-1]),
            "geometric": float(frame.arrays["geometric_mean"][-1]),
        },
    }


def overfitting_headline(frame: Frame) -> dict[str, Any]:
    values = frame.values
    headline: dict[str, Any] = {"steps": values["step"], "loss_name": values["loss_name"]}
    for network in values["networks"]:
        headline[network["key"]] = {
            key: network[key] for key in ("p", "train_loss", "test_loss", "gap", "best_test_loss", "best_step")
        }
    return headline


def forgotten_eval_headline(frame: Frame) -> dict[str, Any]:
    modes = frame.values["modes"]
    return {
        "T": frame.values["settings"]["T"],
        "modes": {
            mode: {key: modes[mode][key] for key in ("ece", "overall_accuracy", "mean_confidence")}
            for mode in ("train", "eval", "mc")
        },
    }


def co_adaptation_headline(frame: Frame) -> dict[str, Any]:
    values = frame.values
    none, dropout = values["half"]["accuracy"]
    full_none, full_dropout = values["full_accuracy"]
    return {
        "units": values["units"],
        "half_k": values["half"]["k"],
        "half_accuracy": {"none": none, "dropout": dropout},
        "full_accuracy": {"none": full_none, "dropout": full_dropout},
    }


def mc_dropout_headline(frame: Frame) -> dict[str, Any]:
    settings = frame.values["settings"]
    return {"p": settings["p"], "T": settings["T"], "band": frame.values["band"]}


HEADLINES = {
    "ensemble-gap": ensemble_gap_headline,
    "overfitting": overfitting_headline,
    "forgotten-eval": forgotten_eval_headline,
    "co-adaptation": co_adaptation_headline,
    "mc-dropout": mc_dropout_headline,
}
