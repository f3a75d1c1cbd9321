"""Dropout on real data: the digits MLP trained without dropout and with the literature's recipe, over
seeds, and whether dropout helped beyond the seed-to-seed spread (SCIENCE.md items 11, 12, 29)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import style
from .digits_training import (
    DIGITS_HIDDEN,
    PAPER_HIDDEN_P,
    PAPER_INPUT_P,
    digits_epochs,
    digits_split,
    largest_incoming_norm,
    train_error,
    trained_network,
    training_settings,
)
from .experiment import Experiment, Result, Row, Settings, Unit
from .statistics import difference, spread

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RECIPES = {
    "none": {"label": "no dropout", "p": 0.0, "p_input": 0.0},
    "dropout": {
        "label": f"dropout {PAPER_HIDDEN_P:g} hidden, {PAPER_INPUT_P:g} input",
        "p": PAPER_HIDDEN_P,
        "p_input": PAPER_INPUT_P,
    },
}
SHORT = {"none": "no dropout", "dropout": "dropout"}
COLOURS = {"none": style.NO_DROPOUT, "dropout": style.DROPOUT}
SPLITS = {"test_error": (), "train_error": (2, 2)}  # test solid, train dashed


class DigitsDropout(Experiment):
    name = "digits"
    title = "Dropout on real data: handwritten digits"

    def settings(self, *, quick: bool, seeds: int | None) -> Settings:
        return {
            "hidden": list(DIGITS_HIDDEN),
            "recipes": RECIPES,
            "training": training_settings(epochs=digits_epochs(quick=quick)),
            "seeds": list(range(seeds or (2 if quick else 10))),
        }

    def units(self, settings: Settings) -> list[Unit]:
        return [{"recipe": recipe, "seed": seed} for seed in settings["seeds"] for recipe in settings["recipes"]]

    def run_unit(self, settings: Settings, unit: Unit) -> Result:
        recipe = settings["recipes"][unit["recipe"]]
        net, curves = trained_network(
            settings["training"],
            hidden=settings["hidden"],
            p=recipe["p"],
            p_input=recipe["p_input"],
            seed=unit["seed"],
            curves=True,
        )
        return {
            "test_error": curves["test_error"][-1],
            "train_error": train_error(net),
            # Whether the max-norm constraint (radius 3 to 4 in the paper) would have bound these networks.
            "largest_incoming_norm": largest_incoming_norm(net),
            "curves": curves,
        }

    def summarise(self, settings: Settings, results: list[Result]) -> Result:
        errors: dict[str, list[float]] = {recipe: [] for recipe in settings["recipes"]}
        for unit, result in zip(self.units(settings), results):
            errors[unit["recipe"]].append(result["test_error"])
        spreads = {recipe: spread(values) for recipe, values in errors.items()}
        change = difference(spreads["none"], spreads["dropout"])
        return {
            "test_error": spreads,
            "test_errors": errors,
            "test_examples": _test_examples(),
            "dropout_gain": change,
            "verdict": _verdict(change),
            "largest_incoming_norm": {
                recipe: max(
                    result["largest_incoming_norm"]
                    for unit, result in zip(self.units(settings), results)
                    if unit["recipe"] == recipe
                )
                for recipe in settings["recipes"]
            },
        }

    def rows(self, summary: Result) -> list[Row]:
        error = summary["test_error"]
        return [
            Row(
                "test error, no dropout",
                _mean_sd(error["none"]),
                "MNIST: 1.60%, 2 × 800 logistic units (Srivastava et al. 2014, Table 2)",
            ),
            Row(
                "test error, dropout 0.5 + 0.2 input",
                _mean_sd(error["dropout"]),
                "MNIST, 3 × 1,024 units: 1.35% logistic, 1.25% ReLU, 1.06% ReLU + max-norm",
            ),
            Row("what dropout did here", summary["verdict"], "MNIST: 160 → about 110 errors (Hinton et al. 2012)"),
            Row(
                "longest incoming weight vector of a hidden unit (no max-norm here)",
                " / ".join(f"{norm:.2f} {SHORT[recipe]}" for recipe, norm in summary["largest_incoming_norm"].items()),
                "max-norm radius c = 3 to 4 (Srivastava et al. 2014)",
            ),
        ]

    def draw(self, settings: Settings, results: list[Result], summary: Result) -> dict[str, Figure]:
        figure, (by_seed, curves) = style.new_figure(1, 2)
        units = self.units(settings)
        for index, recipe in enumerate(settings["recipes"]):
            values = np.asarray(summary["test_errors"][recipe])
            stats = summary["test_error"][recipe]
            jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else np.zeros(1)
            by_seed.scatter(index + jitter, values, s=36, color=COLOURS[recipe], alpha=0.55, zorder=3)
            by_seed.errorbar(
                index + 0.3,
                stats["mean"],
                yerr=stats["sd"],
                fmt="o",
                color=COLOURS[recipe],
                capsize=6,
                markersize=8,
                zorder=4,
            )
            runs = [result["curves"] for unit, result in zip(units, results) if unit["recipe"] == recipe]
            epochs = runs[0]["epoch"]
            for split, dashes in SPLITS.items():
                mean = np.mean([run[split] for run in runs], axis=0)
                curves.plot(epochs, mean, color=COLOURS[recipe], dashes=dashes, label=f"_{recipe} {split}")
        by_seed.set_xticks(range(len(settings["recipes"])), [meta["label"] for meta in settings["recipes"].values()])
        by_seed.set_xlim(-0.5, len(settings["recipes"]) - 0.3)
        by_seed.set_ylabel("test error (eval mode)")
        by_seed.set_xlabel(f"each dot one seed; bars: mean ± 1 sd over {style.counted(len(settings['seeds']), 'seed')}")
        by_seed.set_title("Test error on 450 held-out digits")
        style.percent_axis(by_seed)
        # The first epochs' errors (up to 20 %) would flatten the end, where the two recipes part or do not.
        curves.set_ylim(0, 0.08)
        curves.set_xlabel("epoch")
        curves.set_ylabel("error, mean over seeds (eval mode)")
        curves.set_title("Error while training")
        style.percent_axis(curves)
        # Below both panels: inside, it would cover the curves wherever they run.
        figure.legend(handles=_legend_handles(settings), loc="outside lower center", ncols=4)
        figure.suptitle(f"{summary['verdict'][0].upper()}{summary['verdict'][1:]}", color=style.INK_SOFT, fontsize=12)
        return {"digits": figure}


def _test_examples() -> int:
    return len(digits_split().y_test)


def _verdict(change: dict[str, Any]) -> str:
    """What dropout did to the mean test error, against the seed-to-seed spread."""
    effect = -change["mean"] * 100  # dropout's error minus no dropout's, in percentage points
    error = change["standard_error"] * 100
    if not change["beyond_spread"]:
        signed = f"{effect:+.2f}".replace("-", "−")
        return f"dropout changed the test error by {signed} points, within the seed spread (standard error {error:.2f})"
    direction = "lowered" if effect < 0 else "raised"
    return f"dropout {direction} the test error by {abs(effect):.2f} points ({abs(effect) / error:.1f} standard errors)"


def _mean_sd(stats: dict[str, Any]) -> str:
    return f"{stats['mean'] * 100:.2f}% ± {stats['sd'] * 100:.2f} ({style.counted(stats['n'], 'seed')})"


def _legend_handles(settings: Settings) -> list[Any]:
    """Colour says the recipe, the dashes which examples: one entry for each, not one per line."""
    from matplotlib.lines import Line2D

    recipes = [Line2D([], [], color=COLOURS[name], label=meta["label"]) for name, meta in settings["recipes"].items()]
    splits = [
        Line2D([], [], color=style.MUTED, dashes=dashes, label=f"{split.split('_')[0]} digits")
        for split, dashes in SPLITS.items()
    ]
    return recipes + splits
