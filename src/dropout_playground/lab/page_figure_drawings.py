"""The page's figures drawn for slides, from the numbers ``page_figures`` keeps of each figure's frame: the
same series, colours and labels as the page, in matplotlib."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from . import style
from .experiment import Result

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# The sampled ensemble's two averages in the page's colours for them: the slide and the page agree.
ARITHMETIC = style.ARITHMETIC
GEOMETRIC = style.GEOMETRIC
# The forgotten eval's three ways of asking one network: dropout off, dropout left on, dropout on on purpose.
MODE_COLOURS = {"train": style.DROPOUT, "eval": style.NO_DROPOUT, "mc": style.GREEN}
MODE_TITLES = {"train": "Train mode (the bug)", "eval": "Eval mode", "mc": "MC dropout"}
REGION_TEXT = {"data": "on the data", "gap": "in the gap", "outside": "outside"}
# Below this a distance is rounding error (the ensemble-gap figure's own test of exactness).
ROUNDING = 1e-12
TRAIN_DASHES = (5, 3)
BAND_ALPHA = 0.16


def percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def band_width(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _distance(value: float) -> str:
    """Three significant figures, as the page writes distances; a power of ten below 0.001."""
    if value == 0:
        return "0"
    if abs(value) >= 1e-3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa} × 10$^{{{int(exponent)}}}$"


def _array(result: Result, name: str) -> np.ndarray:
    return np.asarray(result["arrays"][name], dtype=float)


def _distance_range(result: Result) -> tuple[float, float, bool]:
    """The decades of the distance axis, as the page chooses them: all that hold a value worth showing, and
    one more below when an exact value lies under them (it is then drawn on the floor). Also whether the
    exact geometric mean lies under."""
    exact = result["values"]["exact"]
    shown = [_array(result, f"{mean}_{edge}") for mean in ("arithmetic", "geometric") for edge in ("low", "high")]
    positive = [float(v) for values in shown for v in values if v > ROUNDING]
    if exact["arithmetic_tv"] > ROUNDING:
        positive.append(exact["arithmetic_tv"])
    underneath = exact["geometric_is_eval"] or exact["geometric_tv"] <= ROUNDING
    if not underneath:
        positive.append(exact["geometric_tv"])
    if not positive:
        return 1e-4, 1.0, underneath
    top = min(0, math.ceil(math.log10(max(positive))))
    bottom = min(top - 1, math.floor(math.log10(min(positive))) - (1 if underneath else 0))
    return 10.0**bottom, 10.0**top, underneath


def _label_room(result: Result, low: float, high: float, y: float, left: bool, above: bool) -> int:
    """How many of the sampled curves' points (lines and bands) a label at height ``y`` would cover: at the
    left or right end of the plot, above or below its line. The label's size is a slide's: about half the
    plot's width, a twentieth of its height, a few points off its line."""
    decades = math.log10(high / low)
    span_x, span_y, gap = 0.55, 0.05 * decades, 0.013 * decades
    k = np.log10(_array(result, "k"))
    k_max = float(k[-1])
    inside_x = (k <= span_x * k_max) if left else (k >= (1 - span_x) * k_max)
    y0 = math.log10(max(y, low))
    bottom, top = (y0 + gap, y0 + gap + span_y) if above else (y0 - gap - span_y, y0 - gap)
    covered = 0
    for mean in ("arithmetic", "geometric"):
        lower = np.log10(np.maximum(_array(result, f"{mean}_low"), low))
        upper = np.log10(np.maximum(_array(result, f"{mean}_high"), low))
        covered += int(np.sum(inside_x & (upper >= bottom) & (lower <= top)))
    return covered


def draw_ensemble_gap(result: Result) -> Figure:
    """Distance from the eval network against K, both axes logarithmic: the sampled averages with their
    bands (lowest to highest mask stream), the exact averages over every sub-network dotted and labelled."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    values = result["values"]
    figure, axes = style.new_figure()
    k = _array(result, "k")
    low, high, _ = _distance_range(result)
    for mean, colour, dashes, name in (
        ("arithmetic", ARITHMETIC, (), "arithmetic mean"),
        ("geometric", GEOMETRIC, (6, 3), "normalised geometric mean"),
    ):
        # Drawn values are held at the floor, as the page does, so a line never runs off the bottom.
        line, lower, upper = (np.maximum(_array(result, f"{mean}_{edge}"), low) for edge in ("mean", "low", "high"))
        axes.fill_between(k, lower, upper, color=colour, alpha=BAND_ALPHA, linewidth=0)
        axes.plot(k, line, color=colour, dashes=dashes, label=f"{name.capitalize()} of K sampled sub-networks")
    subnetworks = values["subnetworks"]
    exact = values["exact"]
    taken: list[tuple[bool, float]] = []  # the labels placed so far: on the left or not, at which height
    for mean, colour, name in (("arithmetic", ARITHMETIC, "arithmetic"), ("geometric", GEOMETRIC, "geometric")):
        value = exact[f"{mean}_tv"]
        below = value < low
        at = low * 1.04 if below else value
        axes.axhline(at, color=colour, dashes=(1.5, 2.5), linewidth=1.8)
        # The label goes where it covers the fewest sampled points (the curves end near the arithmetic line
        # and start far above the geometric one), never on top of the other label; one on the floor sits above.
        places = [(left, above) for above in (True, False) for left in (False, True) if above or not below]
        clear = [
            place
            for place in places
            if not any(place[0] == side and abs(math.log10(at / y)) < 0.3 for side, y in taken)
        ]
        left, above = min(clear or places, key=lambda place: _label_room(result, low, high, at, *place))
        taken.append((left, at))
        where = ", below the axis" if below else ""
        axes.annotate(
            f"exact {name} mean (all {subnetworks:,}): {_distance(value)}{where}",
            xy=(0.0 if left else 1.0, at),
            xycoords=("axes fraction", "data"),
            xytext=(6 if left else -6, 4 if above else -4),
            textcoords="offset points",
            ha="left" if left else "right",
            va="bottom" if above else "top",
            fontsize=12,
            color=style.INK_SOFT,
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(1, values["max_k"])
    axes.set_ylim(low, high)
    axes.xaxis.set_major_locator(FixedLocator([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.set_xlabel("K, sub-networks averaged (log scale)")
    axes.set_ylabel("mean TV distance ½Σ|P − Q| (log scale)")
    axes.set_title("How far the eval network is from the average of K sub-networks")
    axes.legend(loc="lower left")
    settings, accuracy, matching = values["settings"], values["accuracy"], values["matching_k"]
    sizes = " → ".join(str(size) for size in values["sizes"])
    reached = (
        f"the arithmetic mean of K sub-networks is as accurate as the eval network from K = {matching} on"
        if matching is not None
        else f"up to K = {values['max_k']:,} the arithmetic mean of K sub-networks does not settle at the eval accuracy"
    )
    # The note is kept to lines narrower than the plot: the layout makes room for all of it.
    style.note(
        axes,
        f"{sizes} on {settings['dataset']}, sub-networks drawn at p = {settings['p']:g}. Lines: mean over "
        f"{values['mask_streams']} mask streams;\nbands: lowest to highest stream. Eval accuracy "
        f"{percent(accuracy['eval'])}, exact arithmetic {percent(accuracy['exact_arithmetic'])}, exact geometric "
        f"{percent(accuracy['exact_geometric'])};\n{reached}.",
    )
    return figure


def draw_overfitting(result: Result) -> Figure:
    """Left, both networks' train (dashed) and test (solid) loss as they train, a ring at each one's best test
    loss; right, both fitted curves (eval mode) over the training points, the held-out points and the truth."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    values = result["values"]
    figure, (losses, fits) = style.new_figure(1, 2, size=(12.0, 5.6))
    steps = _array(result, "curve_steps")
    networks = {network["key"]: network for network in values["networks"]}
    colours = {"none": style.NO_DROPOUT, "dropout": style.DROPOUT}
    names = {"none": "no dropout (p = 0)", "dropout": f"dropout (p = {networks['dropout']['p']:g})"}
    for key, colour in colours.items():
        losses.plot(
            steps, _array(result, f"train_{key}"), color=colour, dashes=TRAIN_DASHES, label=f"{names[key]}, train"
        )
        losses.plot(steps, _array(result, f"test_{key}"), color=colour, label=f"{names[key]}, test")
        best = networks[key]
        losses.plot(
            best["best_step"],
            best["best_test_loss"],
            "o",
            markersize=10,
            markerfacecolor="none",
            markeredgecolor=colour,
            markeredgewidth=2,
        )
    losses.set_yscale("log")
    # Whole decades, as the page's chart has them: room under the curves for the key.
    shown = np.concatenate([_array(result, f"{split}_{key}") for split in ("train", "test") for key in colours])
    shown = shown[shown > 0]
    losses.set_ylim(10.0 ** math.floor(math.log10(shown.min())), 10.0 ** math.ceil(math.log10(shown.max())))
    losses.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    losses.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    losses.yaxis.set_minor_formatter(NullFormatter())
    losses.set_xlim(0, values["step"])
    losses.set_xlabel("optimiser steps")
    losses.set_ylabel(f"{values['loss_name']} (log scale)")
    losses.set_title("Train and test loss (ring: best test loss)")
    losses.legend(loc="lower left", fontsize=11, ncols=2)

    x_test, y_test = _array(result, "x_test").ravel(), _array(result, "y_test").ravel()
    fits.scatter(x_test, y_test, s=12, color=style.MUTED, alpha=0.4, linewidths=0, label="held-out points")
    curve_x = _array(result, "curve_x")
    fits.plot(curve_x, _array(result, "truth"), color=style.INK, dashes=(6, 4), linewidth=1.6, label="true function")
    for key, colour in colours.items():
        fits.plot(curve_x, _array(result, f"fit_{key}"), color=colour, label=names[key])
    x_train, y_train = _array(result, "x_train").ravel(), _array(result, "y_train").ravel()
    fits.scatter(
        x_train,
        y_train,
        s=36,
        color=style.INK,
        edgecolors=style.PAPER,
        linewidths=0.8,
        zorder=4,
        label=f"{values['train_points']} training points",
    )
    fits.set_xlim(-math.pi, math.pi)
    fits.set_ylim(-2.2, 2.2)
    fits.set_xlabel("x")
    fits.set_ylabel("y = sin x + noise")
    fits.set_title(f"Fitted curves after {values['step']:,} steps")
    # On paper: the held-out points behind it would otherwise run through its text.
    fits.legend(
        loc="lower right", fontsize=11, frameon=True, facecolor=style.PAPER, edgecolor=style.RULE, framealpha=0.92
    )
    return figure


def _reliability_diagram(axes: Axes, mode: dict[str, Any], first: int, bins: int, colour: str) -> None:
    """One mode's reliability diagram: per bin a bar as tall as the share answered correctly, a circle on the
    diagonal at the bin's mean confidence (where a calibrated network's bar would end), the gap between them,
    and the bin's count above."""
    width = 1 / bins
    for b in range(first, bins):
        count = mode["counts"][b]
        if count == 0:
            continue
        left, accuracy, confidence = b / bins, mode["accuracy"][b], mode["confidence"][b]
        axes.bar(left, accuracy, width=width * 0.92, align="edge", color=colour, alpha=0.55, linewidth=0, zorder=2)
        # The distance from the bar's end to the circle is this bin's miscalibration.
        axes.plot([confidence, confidence], [accuracy, confidence], color=style.INK, linewidth=1.2, zorder=3)
        axes.plot(confidence, confidence, "o", markersize=6, color=style.INK, markeredgecolor=style.PAPER, zorder=5)
        axes.text(left + width / 2, 1.02, f"{count}", ha="center", va="bottom", fontsize=10, color=style.MUTED)
    low = first / bins
    axes.plot([low, 1], [low, 1], color=style.INK_SOFT, dashes=(4, 3), linewidth=1.4, zorder=4)
    axes.set_xlim(low, 1)
    axes.set_ylim(0, 1)
    axes.set_xticks([b / bins for b in range(first, bins + 1)])
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1])
    axes.set_xlabel("confidence (≥ 0.5)")
    axes.set_ylabel("accuracy")
    style.boxed(
        axes,
        0.03,
        0.97,
        f"ECE {mode['ece']:.3f}\naccuracy {mode['overall_accuracy']:.3f}\n"
        f"mean confidence {mode['mean_confidence']:.3f}",
    )


def _first_bin(values: dict[str, Any]) -> int:
    """The first bin shown, the same for all three modes: confidence (the larger of two probabilities) is never
    below 0.5, so the lower bins stay empty and are left out unless one of them holds a point after all."""
    bins = values["bins"]
    first = bins // 2
    for mode in values["modes"].values():
        filled = [b for b, count in enumerate(mode["counts"]) if count > 0]
        if filled:
            first = min(first, filled[0])
    return int(first)


def draw_reliability_diagrams(result: Result) -> Figure:
    """The forgotten ``model.eval()``: one network's test-set reliability asked three ways, side by side."""
    values = result["values"]
    figure, panels = style.new_figure(1, 3, size=(13.0, 5.6))
    first = _first_bin(values)
    for axes, mode in zip(panels, ("train", "eval", "mc")):
        _reliability_diagram(axes, values["modes"][mode], first, values["bins"], MODE_COLOURS[mode])
        title = MODE_TITLES[mode] + (f" (T = {values['settings']['T']} passes)" if mode == "mc" else "")
        axes.set_title(title, pad=22)
    figure.suptitle(
        f"The forgotten model.eval(): reliability on {values['test_points']} test points "
        f"(bars: accuracy per confidence bin; circles: the bin's mean confidence; numbers: points per bin)",
        fontsize=12,
        color=style.INK_SOFT,
    )
    return figure


def draw_unit_removal(result: Result) -> Figure:
    """Co-adaptation: test accuracy as k hidden units are removed at test time, for the network trained
    without dropout and the one trained with it; a dotted line at half the units."""
    values = result["values"]
    figure, axes = style.new_figure()
    k = _array(result, "k")
    ps = values["ps"]
    for key, colour, dashes, p in (
        ("none", style.NO_DROPOUT, (7, 4), ps[0]),
        ("dropout", style.DROPOUT, (), ps[1]),
    ):
        name = "trained without dropout (p = 0)" if key == "none" else f"trained with dropout (p = {p:g})"
        axes.fill_between(
            k, _array(result, f"{key}_low"), _array(result, f"{key}_high"), color=colour, alpha=BAND_ALPHA, linewidth=0
        )
        axes.plot(k, _array(result, f"{key}_mean"), color=colour, dashes=dashes, label=name)
    half = values["half"]
    axes.axvline(half["k"], color=style.MUTED, dashes=(2, 3), linewidth=1.4)
    for accuracy, colour in zip(half["accuracy"], (style.NO_DROPOUT, style.DROPOUT)):
        axes.plot(half["k"], accuracy, "o", markersize=8, color=colour, markeredgecolor=style.PAPER, zorder=5)
        # Beside the dot, on a patch of paper so that the lines and bands behind it do not cross the digits.
        axes.annotate(
            percent(accuracy),
            xy=(half["k"], accuracy),
            xytext=(-10, -14),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=13,
            fontweight="bold",
            color=colour,
            zorder=6,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": style.PAPER, "edgecolor": "none", "alpha": 0.9},
        )
    units = values["units"]
    axes.set_xlim(0, units)
    axes.set_ylim(0, 1)
    axes.set_xticks(np.arange(0, units + 1, 8))
    style.percent_axis(axes, decimals=0)
    axes.set_xlabel(f"k, hidden units removed at test time (of {units})")
    axes.set_ylabel("test accuracy")
    layers = " → ".join(str(size) for size in values["sizes"])
    axes.set_title(f"Test accuracy with k of the {units} hidden units removed")
    axes.legend(loc="lower left")
    style.note(
        axes,
        f"{layers} on {values['settings']['dataset']}, both trained {values['train_steps']:,} steps.\nLines: mean "
        f"over {values['choices']} random sets of removed units (the same for both); bands: 10th to 90th percentile.",
    )
    return figure


def _uncertainty_band(axes: Axes, result: Result, mean: str, sd: str, thin: str, colour: str, thin_name: str) -> None:
    """One method's mean ± 2 predictive sd as a band, its mean, the curves it averages drawn thin, the true
    function dashed and the training points."""
    x = _array(result, "curve_x")
    centre, spread = _array(result, mean), _array(result, sd)
    axes.fill_between(
        x,
        centre - 2 * spread,
        centre + 2 * spread,
        color=colour,
        alpha=0.2,
        linewidth=0,
        label="mean ± 2 predictive sd",
    )
    for index, curve in enumerate(np.atleast_2d(_array(result, thin))):
        axes.plot(x, curve, color=colour, linewidth=0.9, alpha=0.55, label=thin_name if index == 0 else None)
    axes.plot(x, centre, color=colour, linewidth=2.6, label="mean prediction")
    axes.plot(x, _array(result, "truth"), color=style.INK, dashes=(6, 4), linewidth=1.6, label="true function")
    points = np.asarray(result["values"]["points"], dtype=float)
    axes.scatter(
        points[:, 0],
        points[:, 1],
        s=38,
        color=style.INK,
        edgecolors=style.PAPER,
        linewidths=0.9,
        zorder=5,
        label="training point",
    )
    x_range, y_range = result["values"]["x_range"], result["values"]["y_range"]
    axes.set_xlim(*x_range)
    axes.set_ylim(*y_range)
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.legend(loc="lower left", fontsize=10.5, ncols=2)


def draw_uncertainty_bands(result: Result) -> Figure:
    """MC dropout's uncertainty beside a deep ensemble's, each as the page draws it, with the mean band
    widths on the data, in the gap between its clusters and outside them."""
    values = result["values"]
    settings = values["settings"]
    figure, (mc, ensemble) = style.new_figure(1, 2, size=(13.0, 5.6))
    # The page's colours: MC dropout in Okabe & Ito's blue, the ensemble in deep terracotta.
    _uncertainty_band(mc, result, "mc_mean", "mc_sd", "passes", style.BLUE, f"{values['thin_passes']} single passes")
    _uncertainty_band(
        ensemble,
        result,
        "ensemble_mean",
        "ensemble_sd",
        "member_curves",
        style.DROPOUT,
        f"the {values['members']} members",
    )
    mc.set_title(f"MC dropout (p = {settings['p']:g}, T = {settings['T']} passes)")
    ensemble.set_title(f"Deep ensemble ({values['members']} networks, no dropout)")
    for axes, method in ((mc, "mc"), (ensemble, "ensemble")):
        # The figure's band widths are 2 sd averaged over each region: how far the band reaches either side.
        widths = values["band"][method]
        text = " · ".join(f"±{band_width(widths[region])} {name}" for region, name in REGION_TEXT.items())
        style.boxed(axes, 0.5, 0.97, f"band: {text}", ha="center")
    return figure


DRAWINGS = {
    "ensemble-gap": draw_ensemble_gap,
    "overfitting": draw_overfitting,
    "forgotten-eval": draw_reliability_diagrams,
    "co-adaptation": draw_unit_removal,
    "mc-dropout": draw_uncertainty_bands,
}
