"""The ensemble grid, driven without any front end, as the page drives it."""

import itertools
import math

import numpy as np
import pytest

from dropout_playground.figures import EnsembleGrid, EnsembleGridSettings, Playground, PlaygroundSettings
from dropout_playground.figures.ensemble_grid import (
    MAP_GRID,
    MAX_MEMBERS,
    likelihood_text,
    member_uniforms,
    most_likely_mass,
    percent_text,
    subnetwork_count_text,
)
from dropout_playground.figures.playground import MAX_DRAWS, plane_grid
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["ensemble-grid"].settings_from_query


@pytest.fixture(scope="module")
def opened():
    return EnsembleGrid()


def one_by_one(figure):
    """Each member's class probabilities on the plane, one ordinary forward pass per member (a mask
    shared by the whole batch): what the figure's single batched pass must reproduce."""
    _, grid = plane_grid(figure.data, MAP_GRID)
    h1 = figure.settings.hidden[0]
    return np.stack(
        [figure.net.forward(grid, [mask[:h1], mask[h1:]], training=True, record=False).output for mask in figure.masks]
    )


def test_on_load_the_grid_shows_the_playgrounds_trained_network(opened):
    frame = opened.frame()
    assert frame.values["settings"] == {
        "p": 0.5,
        "members": 12,
        "dataset": "blobs",
        "hidden": [6, 6],
        "seed": 0,
        "draw": 0,
    }
    # The very weights the playground shows when it opens: trained at p = 0.5.
    playground = Playground()
    for ours, theirs in zip(opened.net.parameters(), playground.net.parameters()):
        np.testing.assert_array_equal(ours, theirs)
    assert frame.values["trained_p"] == 0.5
    assert frame.values["eval_accuracy"] == pytest.approx(playground.frame().values["test_accuracy"], abs=1e-6)
    assert frame.values["counter_text"] == "12 of 4,096 possible sub-networks"
    shape = (MAP_GRID, MAP_GRID, 3)
    assert frame.arrays["member_maps"].shape == (12, *shape) and frame.arrays["member_maps"].dtype == np.uint8
    assert frame.arrays["average_map"].shape == shape and frame.arrays["eval_map"].shape == shape
    assert frame.arrays["masks"].shape == (12, 12)
    # Asking again without a command gives the same picture.
    np.testing.assert_array_equal(opened.frame().arrays["member_maps"], frame.arrays["member_maps"])


def test_members_have_their_own_masks_and_their_own_maps(opened):
    masks = opened.masks
    assert len({row.tobytes() for row in masks}) > 1
    maps = opened.member_maps
    different = [i for i in range(1, len(maps)) if not np.array_equal(masks[i], masks[0])]
    assert any(not np.allclose(maps[i], maps[0]) for i in different)


def test_one_batched_pass_equals_each_member_run_on_its_own():
    figure = EnsembleGrid(EnsembleGridSettings(p=0.3, members=24, hidden=(5, 7), dataset="moons"))
    np.testing.assert_allclose(figure.member_maps, one_by_one(figure), rtol=0, atol=1e-12)


def test_the_average_map_is_the_arithmetic_mean_of_the_members_maps(opened):
    members = one_by_one(opened)
    np.testing.assert_allclose(opened.average_map, members.mean(axis=0), rtol=0, atol=1e-12)
    frame = opened.frame()
    expected = np.round(members.mean(axis=0) * 255).reshape(MAP_GRID, MAP_GRID, -1)
    # Bytes on the wire: the same probabilities ×255; a value on a rounding edge may go either way.
    assert np.abs(frame.arrays["average_map"].astype(int) - expected).max() <= 1


def test_the_eval_map_uses_every_unit(opened):
    _, grid = plane_grid(opened.data, MAP_GRID)
    np.testing.assert_allclose(opened.eval_map, opened.net.eval()(grid), rtol=0, atol=1e-12)


def test_changing_members_keeps_the_first_members():
    figure = EnsembleGrid()
    masks, maps = figure.masks.copy(), figure.member_maps.copy()
    figure.set(members=24)
    assert figure.masks.shape == (24, 12)
    np.testing.assert_array_equal(figure.masks[:12], masks)
    np.testing.assert_allclose(figure.member_maps[:12], maps, rtol=0, atol=1e-12)
    figure.set(members=6)
    np.testing.assert_array_equal(figure.masks, masks[:6])
    assert figure.frame().values["counter_text"] == "6 of 4,096 possible sub-networks"


def test_raising_p_only_drops_units():
    figure = EnsembleGrid(EnsembleGridSettings(members=24))
    low = figure.masks.copy()
    figure.set(p=0.8)
    high = figure.masks
    assert np.all(high <= low)  # kept at 0.8 ⇒ kept at 0.5
    assert high.sum() < low.sum()
    figure.set(p=0.5)
    np.testing.assert_array_equal(figure.masks, low)


def test_p_changes_the_masks_and_the_scale_never_the_weights():
    figure = EnsembleGrid()
    weights = [w.copy() for w in figure.net.parameters()]
    figure.set(p=0.2)
    assert figure.net.p == 0.2  # kept units are scaled by 1/(1 − 0.2) in the members' passes
    for before, after in zip(weights, figure.net.parameters()):
        np.testing.assert_array_equal(before, after)


def test_at_p_zero_every_member_is_the_eval_network():
    figure = EnsembleGrid(EnsembleGridSettings(p=0.0))
    for member in figure.member_maps:
        np.testing.assert_allclose(member, figure.eval_map, rtol=0, atol=1e-12)
    values = figure.frame().values
    assert values["distinct"] == 1
    assert values["kept"] == [[6, 6]] * 12
    assert values["member_accuracy"] == [values["eval_accuracy"]] * 12
    assert values["average_accuracy"] == values["eval_accuracy"]
    assert values["agreement"] == 1.0


def test_at_p_one_every_unit_is_dropped_and_nothing_is_inf_or_nan():
    figure = EnsembleGrid(EnsembleGridSettings(p=1.0))
    frame = figure.frame()
    assert frame.values["distinct"] == 1 and frame.values["kept"] == [[0, 0]] * 12
    assert np.all(np.isfinite(figure.member_maps))
    assert all(math.isfinite(v) for v in frame.values["member_accuracy"])


def test_distinct_counts_the_different_masks():
    # Two droppable units have 4 sub-networks: 24 members must repeat some.
    figure = EnsembleGrid(EnsembleGridSettings(members=24, hidden=(1, 1)))
    for _ in range(5):
        figure.resample()
        values = figure.frame().values
        assert values["distinct"] == len({row.tobytes() for row in figure.masks}) <= 4
        assert values["counter_text"] == "24 of 4 possible sub-networks"


def test_kept_counts_and_accuracies_are_the_members_own():
    figure = EnsembleGrid(EnsembleGridSettings(p=0.4, hidden=(4, 8)))
    values = figure.frame().values
    masks = figure.masks
    assert values["kept"] == [[int(m[:4].sum()), int(m[4:].sum())] for m in masks]
    x, y = figure.data.x_test, figure.data.y_test
    outputs = [figure.net.forward(x, [m[:4], m[4:]], training=True, record=False).output for m in masks]
    expected = [float(np.mean(out.argmax(axis=1) == y)) for out in outputs]
    np.testing.assert_allclose(values["member_accuracy"], expected, atol=1e-6)
    average = np.mean(outputs, axis=0)
    assert values["average_accuracy"] == pytest.approx(np.mean(average.argmax(axis=1) == y), abs=1e-6)
    agreement = np.mean(figure.average_map.argmax(axis=1) == figure.eval_map.argmax(axis=1))
    assert values["agreement"] == pytest.approx(agreement, abs=1e-6)


@pytest.mark.parametrize(
    ("members", "units", "text"),
    [(12, 12, "12 of 4,096 possible sub-networks"), (24, 32, "24 of 4,294,967,296 possible sub-networks")],
)
def test_the_counter_writes_two_to_the_n_in_full(members, units, text):
    assert subnetwork_count_text(members, units) == text
    assert f"{2**units:,}" in text


def test_the_mask_stream_is_read_block_by_block():
    # Block d of default_rng([seed, 3]) read from its start, MAX_MEMBERS × N uniforms at a time.
    units = 12
    stream = np.random.default_rng([7, 3]).random(5 * MAX_MEMBERS * units).reshape(5, MAX_MEMBERS, units)
    for draw in range(5):
        np.testing.assert_array_equal(member_uniforms(7, units, draw), stream[draw])
    figure = EnsembleGrid(EnsembleGridSettings(seed=7, p=0.3))
    for draw in range(5):
        np.testing.assert_array_equal(figure.masks, stream[draw, :12] >= 0.3)
        figure.resample()


def test_a_link_replays_the_same_members():
    figure = EnsembleGrid(EnsembleGridSettings(seed=3))
    figure.set(p=0.35, members=24, dataset="moons")
    for _ in range(7):
        figure.resample()
    shown = figure.frame()
    link = {
        key: ",".join(map(str, v)) if isinstance(v, list) else str(v) for key, v in shown.values["settings"].items()
    }
    assert link["draw"] == "7"
    settings, problems = settings_from_query(link)
    assert problems == []
    again = EnsembleGrid(settings).frame()
    for name in ("masks", "member_maps", "average_map", "eval_map"):
        np.testing.assert_array_equal(again.arrays[name], shown.arrays[name])
    assert again.values == shown.values


def test_a_new_network_restarts_the_masks():
    figure = EnsembleGrid()
    first = figure.masks.copy()
    figure.resample()
    figure.resample()
    figure.set(dataset="spiral")
    values = figure.frame().values
    assert values["settings"]["draw"] == 0 and values["classes"] == 3
    np.testing.assert_array_equal(figure.masks, first)
    figure.set(dataset="xor", hidden=(3, 5))
    frame = figure.frame()
    assert frame.values["classes"] == 2 and frame.arrays["member_maps"].shape == (12, MAP_GRID, MAP_GRID, 2)
    assert frame.values["counter_text"] == "12 of 256 possible sub-networks"
    trained = Playground(PlaygroundSettings(dataset="xor", hidden=(3, 5)))
    for ours, theirs in zip(figure.net.parameters(), trained.net.parameters()):
        np.testing.assert_array_equal(ours, theirs)


def test_the_share_of_kept_units_is_one_minus_p():
    p = 0.3
    figure = EnsembleGrid(EnsembleGridSettings(p=p, members=24, hidden=(16, 16)))
    kept = []
    for _ in range(100):
        kept.append(figure.masks)
        figure.resample()
    units = np.concatenate(kept)
    n = units.size  # 100 draws × 24 members × 32 units, each kept with probability 1 − p independently
    # The share kept is Binomial(n, 1 − p) / n: standard error √(p(1 − p)/n) ≈ 0.0016; allow 6 of them.
    assert abs(units.mean() - (1 - p)) <= 6 * math.sqrt(p * (1 - p) / n)


def test_resampling_stops_where_a_link_could_not_replay_it():
    figure = EnsembleGrid(EnsembleGridSettings(draw=MAX_DRAWS - 1))
    figure.resample()
    assert figure.settings.draw == MAX_DRAWS
    with pytest.raises(ValueError, match="a link can replay at most 100,000 resamples; change the seed"):
        figure.resample()
    assert figure.settings.draw == MAX_DRAWS


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members": 7}, "members must be 6, 12 or 24, got 7"),
        ({"members": True}, "members must be 6, 12 or 24, got true"),
        ({"p": 1.7}, "p must be between 0 and 1, got 1.7"),
        ({"dataset": "mnist"}, "dataset must be one of blobs, spiral"),
        ({"hidden": (0, 4)}, "two sizes from 1 to 16"),
        ({"seed": -1}, "seed must be a whole number"),
        ({"p": 0.2, "members": 5}, "members must be 6, 12 or 24, got 5"),
    ],
)
def test_refused_settings_change_nothing(changes, message):
    figure = EnsembleGrid()
    before = figure.frame()
    with pytest.raises(ValueError, match=message):
        figure.set(**changes)
    after = figure.frame()
    assert after.values == before.values
    np.testing.assert_array_equal(after.arrays["member_maps"], before.arrays["member_maps"])


# -- sub-networks are not equally likely (SCIENCE 24) ------------------------------------------------------


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5, 0.8])
def test_the_counter_gives_the_probability_the_distinct_masks_carry(p):
    figure = EnsembleGrid(EnsembleGridSettings(p=p, members=24))
    values = figure.frame().values
    distinct = {tuple(mask) for mask in figure.masks.tolist()}
    assert values["distinct"] == len(distinct)
    # Independently: each distinct mask's probability, (1 − p)^kept · p^dropped, summed.
    covered = sum((1 - p) ** sum(mask) * p ** (len(mask) - sum(mask)) for mask in distinct)
    assert values["covered_probability"] == pytest.approx(covered, rel=1e-12)
    assert values["covered_text"] == f"carrying {percent_text(covered)} of the probability"
    assert values["full_network_probability"] == pytest.approx((1 - p) ** 12)


def test_at_one_half_every_sub_network_is_equally_likely():
    values = EnsembleGrid(EnsembleGridSettings(p=0.5)).frame().values
    assert values["covered_probability"] == pytest.approx(values["distinct"] / 4096)
    assert values["likelihood_text"] == "At p = 0.5 every sub-network is equally likely: 1 in 4,096."


def test_at_p_one_tenth_a_few_masks_carry_most_of_the_probability():
    values = EnsembleGrid(EnsembleGridSettings(p=0.1)).frame().values
    # H(0.1) = 0.469 bits, so 2^(12·H) ≈ 49.5 (SCIENCE 24: "≈ 50").
    assert values["typical_masks"] == pytest.approx(2 ** (12 * (-(0.1 * math.log2(0.1) + 0.9 * math.log2(0.9)))))
    assert round(values["typical_masks"]) == 49
    # By brute force over all 4,096 masks: the 49 most likely carry 78 % of the probability.
    probabilities = sorted(
        (0.9 ** sum(bits) * 0.1 ** (12 - sum(bits)) for bits in itertools.product([0, 1], repeat=12)), reverse=True
    )
    assert most_likely_mass(12, 0.1, 49) == pytest.approx(sum(probabilities[:49]), rel=1e-12)
    assert most_likely_mass(12, 0.1, 4096) == pytest.approx(1.0)
    assert values["likelihood_text"] == (
        "At p = 0.1 they are not equally likely: the full network alone has probability 28 %, and the 49 most "
        "likely masks, about 2^(N·H(p)), carry 78 % of it."
    )


def test_above_one_half_the_empty_sub_network_is_the_most_likely():
    assert likelihood_text(12, 0.8).startswith(
        "At p = 0.8 they are not equally likely: the empty sub-network (every unit dropped) alone has probability"
    )


@pytest.mark.parametrize(("share", "text"), [(0.0029296875, "0.29 %"), (0.48, "48 %"), (1.0, "100 %"), (0.0, "0 %")])
def test_shares_are_written_with_two_significant_figures_below_ten_percent(share, text):
    assert percent_text(share) == text
