"""Monte-Carlo averaging against weight scaling as K grows: the digits analogue of Srivastava et al.'s
Fig. 11 (SCIENCE.md items 8 and 29), where averaging K sampled sub-networks matched the weight-scaled
network at about K = 50 on MNIST and was slightly better beyond, within one standard deviation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine import dropout_passes
from . import style
from .digits_training import (
    DIGITS_HIDDEN,
    PAPER_HIDDEN_P,
    PAPER_INPUT_P,
    digits_epochs,
    digits_split,
    test_error,
    trained_network,
    training_settings,
)
from .experiment import Experiment, Result, Row, Settings, Unit
from .statistics import spread

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PASSES_PER_BATCH = 50  # sub-networks computed at once: 50 × 450 rows, a few megabytes per layer


def k_grid(max_k: int) -> list[int]:
    """K = 1 … max_k, about ten values a decade, evenly spaced on a log axis."""
    decades = np.log10(max_k)
    return sorted({round(float(k)) for k in np.logspace(0, decades, int(10 * decades) + 1)})


class McAveraging(Experiment):
    name = "mc-averaging"
    title = "Monte-Carlo averaging versus weight scaling"

    def settings(self, *, quick: bool, seeds: int | None) -> Settings:
        return {
            "hidden": list(DIGITS_HIDDEN),
            "p": PAPER_HIDDEN_P,
            "p_input": PAPER_INPUT_P,
            "training": training_settings(epochs=digits_epochs(quick=quick)),
            "seeds": list(range(seeds or (1 if quick else 5))),
            "mask_streams": 3 if quick else 10,
            "k": k_grid(100 if quick else 1000),
        }

    def units(self, settings: Settings) -> list[Unit]:
        return [{"seed": seed} for seed in settings["seeds"]]

    def run_unit(self, settings: Settings, unit: Unit) -> Result:
        net, _ = trained_network(
            settings["training"],
            hidden=settings["hidden"],
            p=settings["p"],
            p_input=settings["p_input"],
            seed=unit["seed"],
        )
        streams = [
            sampled_errors(net, settings["k"], np.random.default_rng([unit["seed"], stream]))
            for stream in range(settings["mask_streams"])
        ]
        return {
            "weight_scaling_error": test_error(net),
            "mc_errors": [stream["arithmetic"] for stream in streams],
            "geometric_errors": [stream["geometric"] for stream in streams],
        }

    def summarise(self, settings: Settings, results: list[Result]) -> Result:
        ks = settings["k"]
        # Each stream beside its own network's weight scaling: the difference leaves out how networks differ.
        arithmetic = np.asarray([stream for result in results for stream in result["mc_errors"]])
        geometric = np.asarray([stream for result in results for stream in result["geometric_errors"]])
        own_scaling = np.repeat([result["weight_scaling_error"] for result in results], settings["mask_streams"])
        scaling = spread([result["weight_scaling_error"] for result in results])
        differences = [spread(list(arithmetic[:, index] - own_scaling)) for index in range(len(ks))]
        return {
            "k": ks,
            "mc_error": [spread(list(arithmetic[:, index])) for index in range(len(ks))],
            "geometric_mc_error": [spread(list(geometric[:, index])) for index in range(len(ks))],
            "weight_scaling_error": scaling,
            "difference": differences,
            "meeting_k": meeting_k(ks, differences),
            "largest_k": ks[-1],
            "difference_at_largest_k": differences[-1],
            "within_one_sd_at_largest_k": _within_one_sd(differences[-1]),
        }

    def rows(self, summary: Result) -> list[Row]:
        meeting = summary["meeting_k"]
        met = f"K = {meeting:,}" if meeting is not None else f"not by K = {summary['largest_k']:,}"
        difference = summary["difference_at_largest_k"]
        beside = "within" if summary["within_one_sd_at_largest_k"] else "beyond"
        return [
            Row(
                "MC average within 1 sd of weight scaling from",
                met,
                "MNIST: about K = 50 (Srivastava et al. 2014, Fig. 11)",
            ),
            Row(
                f"at K = {summary['largest_k']:,}: MC − weight scaling, same network",
                f"{difference['mean'] * 100:+.2f} points ({beside} 1 sd = {difference['sd'] * 100:.2f})".replace(
                    "-", "−"
                ),
                "slightly better beyond K ≈ 50, within one sd",
            ),
        ]

    def draw(self, settings: Settings, results: list[Result], summary: Result) -> dict[str, Figure]:
        from matplotlib.ticker import FuncFormatter

        figure, axes = style.new_figure()
        ks = np.asarray(summary["k"])
        streams = len(results) * settings["mask_streams"]
        scaling = summary["weight_scaling_error"]
        axes.axhspan(
            scaling["mean"] - scaling["sd"],
            scaling["mean"] + scaling["sd"],
            color=style.SCALING,
            alpha=0.1,
            linewidth=0,
        )
        axes.axhline(
            scaling["mean"],
            color=style.SCALING,
            dashes=(6, 3),
            label="weight scaling: the eval network"
            + (f" (± 1 sd over {len(results)} networks)" if len(results) > 1 else ""),
        )
        for key, colour, label in (
            ("mc_error", style.ARITHMETIC, "arithmetic mean of K sub-networks' probabilities"),
            ("geometric_mc_error", style.GEOMETRIC, "their normalised geometric mean"),
        ):
            mean = np.asarray([stats["mean"] for stats in summary[key]])
            sd = np.asarray([stats["sd"] for stats in summary[key]])
            axes.fill_between(ks, mean - sd, mean + sd, color=colour, alpha=0.15, linewidth=0)
            axes.plot(ks, mean, color=colour, marker="o", markersize=4, label=label)
        if summary["meeting_k"] is not None:
            axes.axvline(summary["meeting_k"], color=style.MUTED, linewidth=1)
            axes.annotate(
                f"from K = {summary['meeting_k']} on, within 1 sd of weight scaling",
                xy=(summary["meeting_k"], 0.5),
                xycoords=("data", "axes fraction"),
                xytext=(6, 0),
                textcoords="offset points",
                color=style.INK_SOFT,
            )
        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axes.set_xlabel(
            f"K, sub-networks averaged per test digit (log scale; bands ± 1 sd over {streams} mask streams)"
        )
        axes.set_ylabel("test error")
        style.percent_axis(axes)
        axes.set_title("Averaging K sampled sub-networks, against the eval network")
        axes.legend(loc="upper right")
        return {"mc-averaging": figure}


def meeting_k(ks: list[int], differences: list[dict[str, Any]]) -> int | None:
    """The smallest K from which on the Monte-Carlo error stays within one standard deviation of weight
    scaling's (the difference taken stream by stream against the stream's own network), as Srivastava et al.
    read their Fig. 11; ``None`` if it never does up to the largest K."""
    meeting = None
    for k, difference in zip(ks, differences):
        if not _within_one_sd(difference):
            meeting = None
        elif meeting is None:
            meeting = k
    return meeting


def _within_one_sd(difference: dict[str, Any]) -> bool:
    return bool(abs(difference["mean"]) <= difference["sd"])


def sampled_errors(net: Any, ks: list[int], rng: np.random.Generator) -> dict[str, list[float]]:
    """Test error of the mean of the first K sampled sub-networks' class probabilities, arithmetic and
    normalised geometric, for each K in ``ks``: one stream of masks, every test digit with sub-networks of its
    own (as MC dropout draws them)."""
    data = digits_split()
    wanted = iter(ks)
    k = next(wanted)
    sums = {"arithmetic": np.zeros((len(data.y_test), 10)), "geometric": np.zeros((len(data.y_test), 10))}
    errors: dict[str, list[float]] = {"arithmetic": [], "geometric": []}
    done = 0
    while done < ks[-1]:
        count = min(PASSES_PER_BATCH, ks[-1] - done)
        probabilities = dropout_passes(net, data.x_test, count, rng=rng).astype(np.float64)
        # The geometric mean's class is the one with the largest mean log probability (the normalisation
        # divides every class by the same sum). A probability that underflowed to 0 counts as the smallest double.
        running = {
            "arithmetic": sums["arithmetic"] + np.cumsum(probabilities, axis=0),
            "geometric": sums["geometric"] + np.cumsum(np.log(np.maximum(probabilities, np.finfo(float).tiny)), axis=0),
        }
        while k <= done + count:
            for kind, values in running.items():
                errors[kind].append(float(np.mean(np.argmax(values[k - done - 1], axis=-1) != data.y_test)))
            k = next(wanted, ks[-1] + 1)
        sums = {kind: values[-1] for kind, values in running.items()}
        done += count
    return errors
