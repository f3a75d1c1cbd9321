"""Test error against the drop probability p for two widths: a fixed width n, and the width n / (1 − p) that
keeps n units on average: the literature's rule of thumb for choosing a width with dropout (Srivastava et al.
2014, Sec. 7.3 and Appendix A.1: a layer of n units that suits a standard net wants at least n / (1 − p) units
with dropout)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import style
from .digits_training import test_error, trained_network, training_settings
from .experiment import Experiment, Result, Row, Settings, Unit
from .statistics import spread

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RULES = {"fixed": "n units", "widened": "n / (1 − p) units"}
COLOURS = {"fixed": style.BLUE, "widened": style.DROPOUT}


def width(rule: str, base: int, p: float) -> int:
    """The hidden width a rule gives at p: ``base``, or ``base / (1 − p)`` rounded."""
    return base if rule == "fixed" else round(base / (1.0 - p))


class PSweep(Experiment):
    name = "p-sweep"
    title = "Test error against p, at a fixed width and widened by 1 / (1 − p)"

    def settings(self, *, quick: bool, seeds: int | None) -> Settings:
        return {
            "base_width": 64,
            "layers": 2,
            "p_input": 0.0,
            "ps": [0.0, 0.4, 0.8] if quick else [round(0.1 * i, 1) for i in range(9)],
            "rules": RULES,
            "training": training_settings(epochs=10 if quick else 100),
            "seeds": list(range(seeds or (1 if quick else 5))),
        }

    def units(self, settings: Settings) -> list[Unit]:
        return [
            {"rule": rule, "p": p, "seed": seed}
            for rule in settings["rules"]
            for p in settings["ps"]
            for seed in settings["seeds"]
        ]

    def run_unit(self, settings: Settings, unit: Unit) -> Result:
        units = width(unit["rule"], settings["base_width"], unit["p"])
        net, _ = trained_network(
            settings["training"],
            hidden=[units] * settings["layers"],
            p=unit["p"],
            p_input=settings["p_input"],
            seed=unit["seed"],
        )
        return {"width": units, "test_error": test_error(net)}

    def summarise(self, settings: Settings, results: list[Result]) -> Result:
        curves: dict[str, list[dict[str, object]]] = {}
        for rule in settings["rules"]:
            for p in settings["ps"]:
                chosen = [
                    result
                    for unit, result in zip(self.units(settings), results)
                    if unit["rule"] == rule and unit["p"] == p
                ]
                stats = spread([result["test_error"] for result in chosen])
                curves.setdefault(rule, []).append({"p": p, "width": chosen[0]["width"], **stats})
        best = {rule: min(points, key=lambda point: point["mean"]) for rule, points in curves.items()}  # type: ignore[arg-type, return-value]
        return {"curves": curves, "best": best}

    def rows(self, summary: Result) -> list[Row]:
        rows = []
        for rule, label in RULES.items():
            best = summary["best"][rule]
            high = summary["curves"][rule][-1]
            rows.append(
                Row(
                    f"{label}: best p; error at p = {high['p']:g}",
                    f"p = {best['p']:g} ({best['mean'] * 100:.2f}%); {high['mean'] * 100:.2f}% "
                    f"with {high['width']} units",
                    "width n / (1 − p); p ≈ 0.5 for hidden units (Srivastava et al. 2014)" if rule == "widened" else "",
                )
            )
        return rows

    def draw(self, settings: Settings, results: list[Result], summary: Result) -> dict[str, Figure]:
        figure, axes = style.new_figure()
        for rule, label in settings["rules"].items():
            points = summary["curves"][rule]
            ps = np.asarray([point["p"] for point in points])
            mean = np.asarray([point["mean"] for point in points])
            sd = np.asarray([point["sd"] for point in points])
            axes.fill_between(ps, mean - sd, mean + sd, color=COLOURS[rule], alpha=0.15, linewidth=0)
            axes.plot(
                ps, mean, color=COLOURS[rule], marker="o", label=f"{label} per layer, n = {settings['base_width']}"
            )
            # The widened net's width at each p, under its points; the fixed one says its width once, at the end.
            for point in points if rule == "widened" else points[-1:]:
                axes.annotate(
                    f"{point['width']}",
                    xy=(point["p"], point["mean"]),
                    xytext=(0, -18),
                    textcoords="offset points",
                    ha="center",
                    fontsize=10,
                    color=COLOURS[rule],
                )
        axes.set_xlabel("p, the drop probability of every hidden unit (numbers: units per hidden layer)")
        axes.set_ylabel(f"test error (mean ± 1 sd, {style.counted(len(settings['seeds']), 'seed')})")
        axes.set_title(f"Test error against p: {settings['layers']} hidden layers, fixed and widened")
        style.percent_axis(axes)
        axes.legend(loc="upper left")
        return {"p-sweep": figure}
