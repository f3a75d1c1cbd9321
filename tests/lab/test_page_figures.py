"""The page's figures drawn for slides: the numbers are the page's own, plain JSON, the same every run, and
every figure comes out with labelled axes as PNG and SVG."""

import json
import math

import numpy as np
import pytest

from dropout_playground.figures import (
    CoAdaptation,
    EnsembleGap,
    ForgottenEval,
    McDropout,
    Overfitting,
    OverfittingSettings,
)
from dropout_playground.figures.overfitting import MAX_STEPS
from dropout_playground.lab.page_figures import FIGURES, PageFigures

EXPERIMENT = PageFigures()
SETTINGS = EXPERIMENT.settings(quick=True, seeds=None)


@pytest.fixture(scope="module")
def results():
    return [EXPERIMENT.run_unit(SETTINGS, unit) for unit in EXPERIMENT.units(SETTINGS)]


def by_figure(results):
    return {result["figure"]: result for result in results}


def numbers(value):
    """Every number in a plain JSON value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def test_one_unit_per_figure_in_the_page_order():
    assert [unit["figure"] for unit in EXPERIMENT.units(SETTINGS)] == list(FIGURES)
    assert len(FIGURES) == 5


def test_settings_are_plain_json_and_the_seeds_option_changes_nothing():
    assert json.loads(json.dumps(SETTINGS)) == SETTINGS
    assert EXPERIMENT.settings(quick=True, seeds=7) == SETTINGS
    assert SETTINGS["overfitting"]["steps"] == MAX_STEPS


def test_every_result_is_plain_json_with_finite_numbers(results):
    for result in results:
        text = json.dumps(result, allow_nan=False)  # NaN or infinity would be refused here
        assert json.loads(text) == result
        assert all(math.isfinite(number) for number in numbers(result))


def test_a_unit_gives_the_same_result_twice(results):
    for unit, first in zip(EXPERIMENT.units(SETTINGS), results):
        assert EXPERIMENT.run_unit(SETTINGS, unit) == first


def test_the_results_are_the_figures_own_numbers(results):
    """A slide shows what the page shows: the same arrays, to float32 precision, and the same values."""
    found = by_figure(results)
    overfitting = Overfitting(OverfittingSettings(steps=MAX_STEPS))
    frames = {
        "ensemble-gap": EnsembleGap().frame(),
        "overfitting": overfitting.frame(),
        "forgotten-eval": ForgottenEval().frame(),
        "co-adaptation": CoAdaptation().frame(),
        "mc-dropout": McDropout().frame(),
    }
    for figure, frame in frames.items():
        for name, values in found[figure]["arrays"].items():
            expected = frame.arrays[name]
            assert np.array_equal(np.asarray(values, dtype=expected.dtype), expected), (figure, name)
    coad = found["co-adaptation"]["arrays"]["dropout_mean"]
    assert np.array_equal(np.asarray(coad, dtype=np.float32), frames["co-adaptation"].arrays["dropout_mean"])
    assert found["ensemble-gap"]["values"]["matching_k"] == frames["ensemble-gap"].values["matching_k"]
    assert found["forgotten-eval"]["values"]["modes"] == frames["forgotten-eval"].values["modes"]
    assert found["overfitting"]["values"]["networks"] == frames["overfitting"].values["networks"]
    assert found["overfitting"]["values"]["at_cap"]


def test_the_summary_holds_each_figures_headline(results):
    summary = EXPERIMENT.summarise(SETTINGS, results)
    assert set(summary) == set(FIGURES)
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary
    coad = by_figure(results)["co-adaptation"]["values"]["half"]
    assert [summary["co-adaptation"]["half_accuracy"][key] for key in ("none", "dropout")] == coad["accuracy"]
    over = summary["overfitting"]
    assert over["none"]["best_test_loss"] > 0 and over["dropout"]["best_test_loss"] > 0
    rows = EXPERIMENT.rows(summary)
    assert rows and all(row.measure and row.value for row in rows)


def test_five_figures_with_labelled_axes_saved_as_png_and_svg(results, tmp_path):
    from dropout_playground.lab.style import look

    summary = EXPERIMENT.summarise(SETTINGS, results)
    with look():
        figures = EXPERIMENT.draw(SETTINGS, results, summary)
        assert list(figures) == list(FIGURES)
        for name, figure in figures.items():
            drawn = [axes for axes in figure.axes if axes.has_data()]
            assert drawn, name
            for axes in drawn:
                assert axes.get_xlabel().strip() and axes.get_ylabel().strip(), name
                # The page's look puts titles on the left.
                assert any(axes.get_title(loc).strip() for loc in ("left", "center")), name
            for extension in ("png", "svg"):
                path = tmp_path / f"{name}.{extension}"
                figure.savefig(path)
                assert path.stat().st_size > 1000, path
    assert (tmp_path / "ensemble-gap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "mc-dropout.svg").read_text()
