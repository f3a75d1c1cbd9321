"""The lab's parts: keys for finished work, the Monte-Carlo error curve's bookkeeping, the verdict's
statistics, and the digits experiment against its own published run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from dropout_playground.engine import dropout_passes
from dropout_playground.lab.digits_dropout import DigitsDropout
from dropout_playground.lab.digits_training import digits_split, trained_network, training_settings
from dropout_playground.lab.mc_averaging import k_grid, meeting_k, sampled_errors
from dropout_playground.lab.statistics import difference, spread
from dropout_playground.lab.store import ResultStore, unit_key

ROOT = Path(__file__).resolve().parents[2]
FULL_RUN = ROOT / "docs" / "lab" / "full-run.json"


def test_a_result_is_kept_under_its_settings_and_found_only_with_the_same_settings(tmp_path):
    settings = {"epochs": 150, "seeds": [0, 1]}
    key = unit_key("digits", settings, {"seed": 0})
    assert key == unit_key("digits", dict(reversed(settings.items())), {"seed": 0})  # order does not matter
    assert key != unit_key("digits", {**settings, "epochs": 151}, {"seed": 0})
    assert key != unit_key("digits", settings, {"seed": 1})
    assert key != unit_key("p-sweep", settings, {"seed": 0})
    store = ResultStore(tmp_path)
    assert store.get("digits", key) is None
    store.put("digits", key, {"result": {"test_error": 0.02}})
    assert store.get("digits", key) == {"result": {"test_error": 0.02}}
    # A file cut short (a disk full, a kill during a write by another program) is redone, not read wrongly.
    (tmp_path / "digits" / f"{key}.json").write_text('{"result": {"test_')
    assert store.get("digits", key) is None


def test_a_non_finite_number_is_never_written(tmp_path):
    with pytest.raises(ValueError):
        ResultStore(tmp_path).put("digits", "key", {"result": {"test_error": math.nan}})
    assert not list(tmp_path.rglob("*.json"))


def test_the_k_grid_runs_from_one_to_its_end_evenly_on_a_log_axis():
    ks = k_grid(1000)
    assert ks[0] == 1 and ks[-1] == 1000 and ks == sorted(set(ks))
    assert 25 <= len(ks) <= 31


def test_the_error_at_each_k_is_that_of_the_mean_of_the_first_k_sub_networks():
    net, _ = trained_network(training_settings(epochs=2), hidden=[32, 32], p=0.5, p_input=0.2, seed=3)
    ks = [1, 2, 7, 50, 51, 120]
    errors = sampled_errors(net, ks, np.random.default_rng(9))
    # The same stream drawn in the same chunks of 50, kept whole, then averaged directly.
    rng = np.random.default_rng(9)
    x, y = digits_split().x_test, digits_split().y_test
    passes = np.concatenate([dropout_passes(net, x, count, rng=rng) for count in (50, 50, 20)]).astype(np.float64)
    arithmetic = [float(np.mean(np.argmax(passes[:k].mean(axis=0), axis=-1) != y)) for k in ks]
    geometric = [float(np.mean(np.argmax(np.log(passes[:k]).mean(axis=0), axis=-1) != y)) for k in ks]
    assert errors == {"arithmetic": arithmetic, "geometric": geometric}


def test_the_verdict_says_a_difference_only_beyond_two_standard_errors():
    assert spread([0.02, 0.04])["sd"] == pytest.approx(math.sqrt(2) * 0.01)
    before = spread([0.030, 0.031, 0.029, 0.030])
    assert difference(before, spread([0.020, 0.021, 0.019, 0.020]))["beyond_spread"] is True
    assert difference(before, spread([0.029, 0.032, 0.028, 0.031]))["beyond_spread"] is False


@pytest.mark.parametrize("recipe", ["none", "dropout"])
def test_a_new_seed_lands_within_the_published_runs_seed_spread(recipe):
    full = json.loads(FULL_RUN.read_text())["experiments"]["digits"]
    settings, stats = full["settings"], full["summary"]["test_error"][recipe]
    seed = max(settings["seeds"]) + 1  # not one of the run's own: an independent draw
    error = DigitsDropout().run_unit(settings, {"recipe": recipe, "seed": seed})["test_error"]
    # A new draw X from the seeds' distribution, against the mean and sample sd s of the run's n seeds:
    # (X − mean) / (s √(1 + 1/n)) follows Student's t with n − 1 degrees of freedom (normal errors assumed).
    # With n = 10, |t| > 4.78 has probability 0.001; the test error moves in steps of 1/450, so one step is
    # allowed besides. A failure says the engine no longer trains what the README's table reports.
    n = stats["n"]
    assert n == 10, "the bound below is t's 99.9 % quantile for 9 degrees of freedom"
    bound = 4.78 * stats["sd"] * math.sqrt(1 + 1 / n) + 1 / full["summary"]["test_examples"]
    assert abs(error - stats["mean"]) <= bound, (error, stats)


def test_the_meeting_k_is_where_the_difference_falls_within_one_sd_and_stays():
    def differences(means):
        return [{"mean": mean, "sd": 0.01} for mean in means]

    ks = [1, 2, 5, 10, 20]
    assert meeting_k(ks, differences([0.05, 0.005, 0.02, 0.0, -0.01])) == 10  # in at 2, out at 5, in from 10
    assert meeting_k(ks, differences([0.05, 0.04, 0.03, 0.02, 0.011])) is None
    assert meeting_k(ks, differences([0.0] * 5)) == 1


def test_the_readmes_table_shows_the_published_runs_numbers():
    from dropout_playground.lab import EXPERIMENTS

    full = json.loads(FULL_RUN.read_text())
    assert full["complete"] is True and full["quick"] is False
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for experiment in EXPERIMENTS:
        for row in experiment.rows(full["experiments"][experiment.name]["summary"]):
            assert f"| {row.value} |" in readme, (experiment.name, row.measure)
