"""Choose the before-and-after figure's defaults: the settings under which, for most seeds, the network
without dropout overfits plainly and the dropout network does not.

For each candidate (task, p, points, noise) it trains the figure's two networks from many seeds, exactly as
the page does (the figure class itself), and counts the seeds in which, after the steps a student sees in
about 20 seconds at the page's normal speed:

- the p = 0 network's test loss has risen above its own best (its curve turns up),
- it ends above the dropout network's test loss, and
- its train loss ends below the dropout network's (it fits the training points more closely).

    python scripts/overfitting_defaults.py            # every candidate, 20 seeds each (a few minutes)
    python scripts/overfitting_defaults.py --quick    # the figure's defaults only, 10 seeds
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import replace

from dropout_playground.figures.overfitting import MAX_STEPS, Overfitting, OverfittingSettings

# What the page's "Normal" speed reaches in 20 seconds, and no more than the figure allows.
STEPS = min(MAX_STEPS, 20 * 300)
CANDIDATES = {
    "sine": {"p": (0.2, 0.5), "points": (20, 30), "noise": (0.3,)},
    "moons": {"p": (0.2, 0.5), "points": (30, 40), "noise": (0.3,)},
}


def outcome(settings: OverfittingSettings) -> tuple[bool, bool, bool]:
    figure = Overfitting(settings)
    while figure.settings.steps < STEPS:
        figure._advance(STEPS - figure.settings.steps)
    none, dropout = figure.frame().values["networks"]
    turned_up = none["rise"] > 0.1 * none["best_test_loss"]
    return turned_up, none["test_loss"] > dropout["test_loss"], none["train_loss"] < dropout["train_loss"]


def survey(settings: OverfittingSettings, seeds: int) -> str:
    results = [outcome(replace(settings, seed=seed)) for seed in range(seeds)]
    turned, higher, lower = (sum(column) for column in zip(*results))
    every = sum(all(r) for r in results)
    return (
        f"{settings.task:5} p={settings.p:<4g} points={settings.points:<3} noise={settings.noise:<4g}  "
        f"turns up {turned:2}/{seeds}  test above dropout's {higher:2}/{seeds}  "
        f"train below dropout's {lower:2}/{seeds}  all three {every:2}/{seeds}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the figure's defaults, 10 seeds")
    args = parser.parse_args()
    print(f"after {STEPS:,} steps of both networks:")
    start = time.perf_counter()
    if args.quick:
        defaults = OverfittingSettings()
        for task in CANDIDATES:
            print(survey(replace(defaults, task=task), 10))
    else:
        for task, options in CANDIDATES.items():
            for p, points, noise in itertools.product(options["p"], options["points"], options["noise"]):
                settings = OverfittingSettings(task=task, p=p, points=points, noise=noise)
                print(survey(settings, 20), flush=True)
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
