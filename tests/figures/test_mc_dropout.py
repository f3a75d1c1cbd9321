"""The MC-dropout figure without a browser: the predictive band, the ensemble beside it, and points that
the student adds and removes."""

import numpy as np
import pytest

from dropout_playground import dropout_passes
from dropout_playground.figures import McDropout, McDropoutSettings
from dropout_playground.figures.mc_dropout import (
    MAX_POINTS,
    NOISE_VARIANCE,
    TARGET_STEPS,
    curve_regions,
    default_points,
    format_points,
    parse_points,
)
from dropout_playground.protocol import FIGURES


@pytest.fixture(scope="module")
def figure():
    return McDropout()


def test_the_band_is_the_noise_plus_the_variance_of_the_passes(figure):
    frame = figure.frame()
    s = figure.settings
    x = frame.arrays["curve_x"].astype(np.float64)[:, None]
    rng = np.random.default_rng([s.seed, 8, s.draw])
    passes = dropout_passes(figure.networks.stack.network(0), x, s.T, rng=rng)[:, :, 0].astype(np.float64)
    # Variances add: τ⁻¹ + the sample variance of the T passes, not the sum of standard deviations.
    mc_sd = np.sqrt(NOISE_VARIANCE + passes.var(axis=0, ddof=1))
    np.testing.assert_allclose(frame.arrays["mc_sd"], mc_sd, rtol=1e-6)
    np.testing.assert_allclose(frame.arrays["mc_mean"], passes.mean(axis=0), rtol=1e-5, atol=1e-6)
    members = figure.networks.stack.predict(x)[1:, :, 0]
    np.testing.assert_allclose(
        frame.arrays["ensemble_sd"], np.sqrt(NOISE_VARIANCE + members.var(axis=0, ddof=1)), rtol=1e-6
    )


def test_the_mc_band_widens_away_from_the_data():
    # For the page's points and several seeds: the band in the gap and outside the data is wider than on it.
    for seed in range(3):
        band = McDropout(McDropoutSettings(seed=seed)).frame().values["band"]["mc"]
        assert band["gap"] > band["data"] and band["outside"] > band["data"], (seed, band)


def test_the_regions_of_the_curve():
    x = np.linspace(-4, 4, 81)
    regions = curve_regions(x, np.array([-2.0, -1.8, 1.0, 1.2]))
    assert regions["data"][np.searchsorted(x, -1.9)]
    assert regions["gap"][np.searchsorted(x, 0.0)]
    assert regions["outside"][0] and regions["outside"][-1]
    assert (regions["data"].astype(int) + regions["gap"] + regions["outside"] == 1).all()


def test_adding_and_removing_points_trains_again_to_the_target():
    figure = McDropout()
    figure.add_point(3.0, -0.5)
    assert figure.settings.points[-1] == (3.0, -0.5) and figure.settings.steps == 0
    assert figure.frame().values["trained"] is False
    while not figure.frame().values["trained"]:
        figure.train(400)
    assert figure.settings.steps == TARGET_STEPS
    with pytest.raises(ValueError, match="finished training"):
        figure.train(10)
    figure.remove_point(0)
    assert len(figure.settings.points) == len(default_points()) and figure.settings.steps == 0
    figure.reset_points()
    assert figure.settings.points == default_points()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (lambda f: f.add_point(5.0, 0.0), "x must be between -4 and 4, got 5"),
        (lambda f: f.add_point(0.0, -3.5), "y must be between -3 and 3, got -3.5"),
        (lambda f: f.remove_point(99), "index must be a whole number from 0 to 15, got 99"),
        (lambda f: f.set(T=7), "T must be one of 10, 30, 100, got 7"),
        (lambda f: f.set(p=1.0), "p must be below 1 for MC dropout"),
    ],
)
def test_refused_commands_change_nothing(figure, command, message):
    before = figure.frame().values
    with pytest.raises(ValueError, match=message):
        command(figure)
    assert figure.frame().values == before


def test_the_points_are_capped_and_never_fewer_than_two():
    points = tuple((round(-3.9 + 0.19 * i, 3), 0.0) for i in range(MAX_POINTS))
    figure = McDropout(McDropoutSettings(points=points, steps=0))
    with pytest.raises(ValueError, match=f"at most {MAX_POINTS} points"):
        figure.add_point(3.95, 0.0)
    two = McDropout(McDropoutSettings(points=((-1.0, 0.0), (1.0, 0.0)), steps=0))
    with pytest.raises(ValueError, match="at least 2 points"):
        two.remove_point(0)


def test_a_link_holds_the_points_and_replays_the_figure():
    figure = McDropout(McDropoutSettings(points=((-2.0, 0.5), (-1.5, 0.2), (1.0, -0.3)), p=0.3, T=10, steps=300))
    query = {key: str(value) for key, value in figure.url_settings().items()}
    assert query["points"] == "-2:0.5,-1.5:0.2,1:-0.3"
    settings, problems = FIGURES["mc-dropout"].settings_from_query(query)
    assert problems == []
    again = McDropout(settings)
    assert again.frame().values == figure.frame().values
    assert parse_points(format_points(default_points())) == default_points()
    with pytest.raises(ValueError, match="points are written like"):
        parse_points("1,2")
