"""The data-flow figure, driven without any front end, as the page drives it.

Statistical tests are seeded, and their bounds come from Hoeffding's inequality: the mean of n
independent values that lie in a range of width R is further than t = R·√(ln(2/δ) / (2n)) from its
expectation with probability at most δ. We take δ = 10⁻⁹, and R from the sixteen masks themselves.
"""

import itertools
import math

import numpy as np
import pytest

from dropout_playground.figures import DataFlow, DataFlowSettings
from dropout_playground.figures.data_flow import MAX_COUNT, MAX_DRAWS, N_MASKS, eval_scale_text, train_scale_text
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["data-flow"].settings_from_query

SCALINGS = ("inverted", "classic", "none")
DELTA = 1e-9


def hoeffding(width, n):
    """Half-width of a confidence interval that fails with probability at most DELTA (see above)."""
    return width * math.sqrt(math.log(2 / DELTA) / (2 * n))


def by_hand(values, x, mask, scale):
    """The network of a frame, written out with numpy: z, h, h̃ and the output for one mask."""
    w1, w2 = (np.array(w) for w in values["weights"])
    b1, b2 = (np.array(b) for b in values["biases"])
    z = np.asarray(x) @ w1 + b1
    h = np.maximum(z, 0.0)
    passed = h * np.asarray(mask) * scale
    return z, h, passed, float(passed @ w2[:, 0] + b2[0])


def every_mask():
    return [np.array(bits, dtype=bool) for bits in itertools.product([False, True], repeat=4)]


def probability(mask, p):
    return float(np.prod(np.where(mask, 1 - p, p)))


def scales(p, scaling):
    """(train-time factor on kept units, eval factor on every unit), as SCIENCE.md defines them."""
    train = (0.0 if p == 1 else 1 / (1 - p)) if scaling == "inverted" else 1.0
    return train, (1 - p if scaling == "classic" else 1.0)


def mask_stream(seed, p, n):
    """The masks the figure promises: rows of default_rng([seed, 2]).random((n, 4)) >= p."""
    return np.random.default_rng([seed, 2]).random((n, 4)) >= p


# -- what one frame shows ------------------------------------------------------------------------------


def test_on_load_the_first_mask_of_the_default_settings():
    frame = DataFlow().frame()
    values = frame.values
    assert values["settings"] == {"p": 0.2, "scaling": "inverted", "probe": [1.0, 0.5], "seed": 0, "draws": 1}
    assert values["sizes"] == [2, 4, 1] and values["n_masks"] == N_MASKS == 16
    assert values["mask"] == mask_stream(0, 0.2, 1)[0].tolist()
    # Every hidden unit is positive at the default probe, so every value on screen is worth reading.
    assert min(values["hidden"]) > 0
    assert values["draws"] == 1 and values["running_mean"] == values["output"]
    assert values["standard_error"] is None and values["unit_variance"] is None


@pytest.mark.parametrize("scaling", SCALINGS)
@pytest.mark.parametrize("p", [0.1, 0.2, 0.5])
def test_every_value_on_screen_is_the_network_computed_by_hand(scaling, p):
    figure = DataFlow(DataFlowSettings(p=p, scaling=scaling, probe=(0.7, -1.2), seed=3))
    figure.resample(5)
    values = figure.frame().values
    x, mask = values["input"], values["mask"]
    train, evaluate = scales(p, scaling)
    z, h, passed, output = by_hand(values, x, mask, train)
    np.testing.assert_allclose(values["pre_activations"], z, atol=1e-12)
    np.testing.assert_allclose(values["hidden"], h, atol=1e-12)
    np.testing.assert_allclose(values["passed"], passed, atol=1e-12)
    assert values["output"] == pytest.approx(output, abs=1e-12)
    # Edges carry input × weight and h̃ × w₂; the output is their sum plus the bias.
    w1, w2 = (np.array(w) for w in values["weights"])
    np.testing.assert_allclose(values["edge_in"], np.array(x)[:, None] * w1, atol=1e-12)
    np.testing.assert_allclose(values["edge_out"], passed * w2[:, 0], atol=1e-12)
    assert sum(values["edge_out"]) + values["biases"][1][0] == pytest.approx(values["output"], abs=1e-12)
    # Eval passes h · eval_scale: h for inverted and none, (1 − p)·h for classic.
    _, _, eval_hidden, eval_output = by_hand(values, x, [True] * 4, evaluate)
    np.testing.assert_allclose(values["eval_hidden"], eval_hidden, atol=1e-12)
    assert values["eval_output"] == pytest.approx(eval_output, abs=1e-12)
    assert (values["train_scale"], values["eval_scale"]) == pytest.approx((train, evaluate))


@pytest.mark.parametrize("scaling", SCALINGS)
@pytest.mark.parametrize("p", [0.0, 0.1, 0.2, 0.5, 0.9, 1.0])
def test_the_exact_expectation_is_the_mean_over_all_sixteen_masks(scaling, p):
    values = DataFlow(DataFlowSettings(p=p, scaling=scaling)).frame().values
    train, _ = scales(p, scaling)
    outputs = [by_hand(values, values["input"], m, train)[3] for m in every_mask()]
    weights = [probability(m, p) for m in every_mask()]
    assert values["exact_mean"] == pytest.approx(np.dot(weights, outputs), abs=1e-12)
    assert values["exact_gap"] == pytest.approx(values["exact_mean"] - values["eval_output"], abs=1e-15)
    h, w2 = np.array(values["hidden"]), np.array(values["weights"][1])[:, 0]
    if scaling == "none":
        # The train-time mean passes (1 − p)·h through each unit; eval passes h.
        assert values["exact_gap"] == pytest.approx(-p * float(h @ w2), abs=1e-12)
    elif scaling == "inverted" and p == 1:
        # Every unit dropped and a scale of 0 (as in PyTorch): the expectation is the output bias alone.
        assert values["exact_gap"] == pytest.approx(-float(h @ w2), abs=1e-12)
    else:
        # The output is linear in h̃: right scaling makes the expectation the eval output, exactly.
        assert values["exact_gap"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("scaling", SCALINGS)
def test_exact_unit_moments_follow_the_formulas(scaling):
    p = 0.2
    values = DataFlow(DataFlowSettings(p=p, scaling=scaling)).frame().values
    h = np.array(values["hidden"])
    if scaling == "inverted":
        mean, variance = h, h**2 * p / (1 - p)
    else:
        mean, variance = (1 - p) * h, h**2 * p * (1 - p)
    np.testing.assert_allclose(values["unit_mean_exact"], mean, atol=1e-12)
    np.testing.assert_allclose(values["unit_variance_exact"], variance, atol=1e-12)
    # And from the definition: the probability-weighted mean and variance over the two outcomes.
    train, _ = scales(p, scaling)
    kept = h * train
    np.testing.assert_allclose(mean, (1 - p) * kept, atol=1e-12)
    np.testing.assert_allclose(variance, (1 - p) * kept**2 - ((1 - p) * kept) ** 2, atol=1e-12)


def test_scale_texts_are_never_inf_or_nan():
    assert train_scale_text(0.1, "inverted") == "1/(1 − p) = 1.11"
    assert train_scale_text(1.0, "inverted") == "0 (every unit dropped)"
    assert train_scale_text(0.2, "none") == train_scale_text(0.2, "classic") == "1 (no scaling in training)"
    assert eval_scale_text(0.2, "classic") == "1 − p = 0.80"
    assert eval_scale_text(0.2, "inverted") == eval_scale_text(0.2, "none") == "1 (eval is the identity)"


@pytest.mark.parametrize("scaling", SCALINGS)
def test_at_p_one_every_unit_is_dropped_and_every_number_is_finite(scaling):
    figure = DataFlow(DataFlowSettings(p=1.0, scaling=scaling))
    figure.resample(20)
    frame = figure.frame()
    values = frame.values
    assert values["mask"] == [False] * 4 and values["passed"] == [0.0] * 4
    bias = values["biases"][1][0]
    assert values["output"] == pytest.approx(bias) and values["running_mean"] == pytest.approx(bias)
    assert values["exact_mean"] == pytest.approx(bias)

    def finite(value):
        if isinstance(value, dict):
            return all(finite(v) for v in value.values())
        if isinstance(value, list):
            return all(finite(v) for v in value)
        return not isinstance(value, float) or math.isfinite(value)

    assert finite(values)
    assert all(np.isfinite(array).all() for array in frame.arrays.values())


def test_at_p_zero_every_mask_is_the_full_network():
    figure = DataFlow(DataFlowSettings(p=0.0))
    figure.resample(50)
    values = figure.frame().values
    assert values["mask"] == [True] * 4
    assert values["running_mean"] == pytest.approx(values["eval_output"], abs=1e-12)
    assert values["unit_variance"] == pytest.approx([0.0] * 4, abs=1e-24)


def test_a_negative_pre_activation_gives_a_zero_that_the_mask_cannot_change():
    figure = DataFlow(DataFlowSettings(probe=(-1.0, -1.0)))
    values = figure.frame().values
    z, h = np.array(values["pre_activations"]), np.array(values["hidden"])
    assert (z < 0).any()
    np.testing.assert_array_equal(h, np.maximum(z, 0))
    assert all(v == 0 for v, zi in zip(values["passed"], z) if zi < 0)


# -- the running mean -------------------------------------------------------------------------------


@pytest.mark.parametrize("scaling", SCALINGS)
def test_the_running_mean_converges_to_the_exact_expectation(scaling):
    p, n = 0.2, 100_000
    figure = DataFlow(DataFlowSettings(p=p, scaling=scaling, seed=11, draws=n))
    values = figure.frame().values
    train, _ = scales(p, scaling)
    outputs = [by_hand(values, values["input"], m, train)[3] for m in every_mask()]
    width = max(outputs) - min(outputs)
    assert values["draws"] == n
    assert abs(values["running_mean"] - values["exact_mean"]) <= hoeffding(width, n)
    # Each unit's h̃ is 0 or train_scale·h: its running mean lies within the same kind of bound.
    h = np.array(values["hidden"])
    for mean, exact, hj in zip(values["unit_mean"], values["unit_mean_exact"], h):
        assert abs(mean - exact) <= hoeffding(train * hj, n)
    # The standard error is the sample standard deviation over √n. The exact variance of the output is
    # Σ w₂ⱼ² Var[h̃ⱼ] (the units are dropped independently). With Y = (output − E)², in [0, max Y]:
    # S² − Var = (Ȳ − Var) + Ȳ/(n − 1) − n/(n − 1)·(mean − E)², each term bounded as above.
    w2 = np.array(values["weights"][1])[:, 0]
    exact_variance = float(np.sum(w2**2 * np.array(values["unit_variance_exact"])))
    sample_variance = values["standard_error"] ** 2 * n
    largest = max((o - values["exact_mean"]) ** 2 for o in outputs)
    bound = hoeffding(largest, n) + largest / (n - 1) + n / (n - 1) * hoeffding(width, n) ** 2
    assert abs(sample_variance - exact_variance) <= bound


def test_without_scaling_the_train_time_mean_misses_the_eval_output():
    p, n = 0.2, 100_000
    figure = DataFlow(DataFlowSettings(p=p, scaling="none", seed=5, draws=n))
    values = figure.frame().values
    h = np.array(values["hidden"])
    w2 = np.array(values["weights"][1])[:, 0]
    # Each linear path h → h̃ → w₂·h̃: the train-time mean is (1 − p)·h, eval passes h.
    np.testing.assert_allclose(values["eval_hidden"], h)
    for mean, hj in zip(values["unit_mean"], h):
        assert abs(mean - (1 - p) * hj) <= hoeffding(hj, n)
        assert abs(mean - hj) > p * hj - hoeffding(hj, n) > 0
    # So the output's running mean settles p·Σ w₂ⱼhⱼ below the eval output, not on it.
    outputs = [by_hand(values, values["input"], m, 1.0)[3] for m in every_mask()]
    bound = hoeffding(max(outputs) - min(outputs), n)
    expected_gap = -p * float(h @ w2)
    assert abs(values["gap"] - expected_gap) <= bound
    assert abs(values["gap"]) > 10 * bound
    # With inverted scaling the same masks give no gap beyond the bound.
    inverted = DataFlow(DataFlowSettings(p=p, scaling="inverted", seed=5, draws=n)).frame().values
    outputs = [by_hand(values, values["input"], m, 1 / (1 - p))[3] for m in every_mask()]
    assert abs(inverted["gap"]) <= hoeffding(max(outputs) - min(outputs), n)


def test_the_unit_variance_converges_to_h_squared_p_over_one_minus_p():
    p, n = 0.1, 100_000
    values = DataFlow(DataFlowSettings(p=p, seed=2, draws=n)).frame().values
    q = 1 - p
    for variance, exact, hj in zip(values["unit_variance"], values["unit_variance_exact"], values["hidden"]):
        assert exact == pytest.approx(hj**2 * p / q)
        # h̃ = (h/q)·B with B ~ Bernoulli(q), so the sample variance is (h/q)²·q̂(1 − q̂)·n/(n − 1), and
        # |q̂(1 − q̂) − q(1 − q)| ≤ t·(|1 − 2q| + t) when |q̂ − q| ≤ t.
        t = hoeffding(1.0, n)
        bound = (hj / q) ** 2 * (t * (abs(1 - 2 * q) + t) + 0.25 / (n - 1))
        assert abs(variance - exact) <= bound


def test_the_masks_are_the_seeds_stream_drawn_in_blocks_or_one_at_a_time():
    one_by_one = DataFlow(DataFlowSettings(seed=9))
    for _ in range(299):
        one_by_one.resample()
    in_blocks = DataFlow(DataFlowSettings(seed=9))
    in_blocks.resample(99)
    in_blocks.resample(200)
    replayed = DataFlow(DataFlowSettings(seed=9, draws=300))
    frames = [f.frame() for f in (one_by_one, in_blocks, replayed)]
    stream = mask_stream(9, 0.2, 300)
    for frame in frames:
        assert frame.values["draws"] == 300
        assert frame.values["mask"] == stream[-1].tolist()
    first = frames[0]
    for frame in frames[1:]:
        assert frame.values["running_mean"] == pytest.approx(first.values["running_mean"], abs=1e-12)
        np.testing.assert_allclose(frame.values["unit_variance"], first.values["unit_variance"], atol=1e-12)
        np.testing.assert_array_equal(frame.arrays["trace_draws"], first.arrays["trace_draws"])
        np.testing.assert_allclose(frame.arrays["trace_mean"], first.arrays["trace_mean"], rtol=1e-6)
    # The running mean is the plain mean of the outputs of those 300 masks, computed by hand.
    values = first.values
    outputs = [by_hand(values, values["input"], m, 1 / 0.8)[3] for m in stream]
    assert values["running_mean"] == pytest.approx(np.mean(outputs), abs=1e-12)
    assert values["standard_error"] == pytest.approx(np.std(outputs, ddof=1) / np.sqrt(300), abs=1e-12)


def test_the_trace_follows_the_running_mean_at_log_spaced_counts():
    figure = DataFlow(DataFlowSettings(seed=4))
    figure.resample(1000)
    figure.resample(777)
    frame = figure.frame()
    draws, means = frame.arrays["trace_draws"], frame.arrays["trace_mean"]
    assert draws.dtype == np.int32 and means.dtype == np.float32
    assert len(draws) <= 256 and np.all(np.diff(draws) > 0)
    assert draws[0] == 1 and draws[-1] == 1778 and list(draws[:20]) == list(range(1, 21))
    stream = mask_stream(4, 0.2, 1778)
    values = frame.values
    outputs = np.array([by_hand(values, values["input"], m, 1 / 0.8)[3] for m in stream])
    np.testing.assert_allclose(means, np.cumsum(outputs)[draws - 1] / draws, rtol=1e-6)
    # With the most masks a link can hold, the trace still fits in 256 points.
    full = DataFlow(DataFlowSettings(draws=MAX_DRAWS)).frame().arrays["trace_draws"]
    assert len(full) <= 256 and full[-1] == MAX_DRAWS


# -- commands ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change", [{"p": 0.3}, {"scaling": "classic"}, {"probe": (0.5, 0.5)}, {"seed": 1}], ids=lambda c: next(iter(c))
)
def test_changing_a_setting_starts_the_running_mean_over(change):
    figure = DataFlow()
    figure.resample(500)
    figure.set(**change)
    values = figure.frame().values
    assert values["draws"] == 1 and len(figure.frame().arrays["trace_draws"]) == 1
    assert values["running_mean"] == values["output"]
    seed = change.get("seed", 0)
    assert values["mask"] == mask_stream(seed, change.get("p", 0.2), 1)[0].tolist()


def test_setting_what_is_already_set_changes_nothing():
    figure = DataFlow()
    figure.resample(40)
    figure.set(p=0.2, scaling="inverted", probe=(1.0, 0.5), seed=0)
    assert figure.frame().values["draws"] == 41


def test_raising_p_only_ever_drops_more_of_the_same_units():
    figure = DataFlow(DataFlowSettings(seed=12))
    figure.resample(30)
    kept_before = None
    for p in np.linspace(0.0, 1.0, 21):
        figure.set(p=float(p))
        figure.resample(30)
        kept = np.array(figure.frame().values["mask"])
        if kept_before is not None:
            assert not np.any(kept & ~kept_before), p
        kept_before = kept
    assert not kept_before.any()


def test_reset_starts_over_at_the_first_mask():
    figure = DataFlow(DataFlowSettings(seed=8, scaling="none"))
    first = figure.frame()
    figure.resample(250)
    figure.reset()
    again = figure.frame()
    assert again.values == first.values
    np.testing.assert_array_equal(again.arrays["trace_mean"], first.arrays["trace_mean"])


def test_resample_draws_count_masks_up_to_the_ceiling():
    figure = DataFlow()
    figure.resample(MAX_COUNT)
    assert figure.frame().values["draws"] == 1 + MAX_COUNT
    full = DataFlow(DataFlowSettings(draws=MAX_DRAWS - 5))
    full.resample(100)
    assert full.frame().values["draws"] == MAX_DRAWS
    with pytest.raises(ValueError, match="the running mean holds at most 100,000 masks; start over to draw more"):
        full.resample()


def test_a_link_reproduces_the_mask_and_the_running_mean():
    figure = DataFlow()
    figure.set(p=0.1, scaling="classic", probe=(0.25, 2.0), seed=77)
    figure.resample(3)
    figure.resample(100)
    shown = figure.frame()
    settings = shown.values["settings"]
    assert settings == {"p": 0.1, "scaling": "classic", "probe": [0.25, 2.0], "seed": 77, "draws": 104}
    query = {key: ",".join(map(str, v)) if isinstance(v, list) else str(v) for key, v in settings.items()}
    rebuilt, problems = settings_from_query(query)
    assert problems == []
    again = DataFlow(rebuilt).frame()
    assert again.values == shown.values
    for name, array in shown.arrays.items():
        np.testing.assert_array_equal(again.arrays[name], array)


def test_the_probe_is_kept_to_four_decimals_as_the_address_writes_it():
    figure = DataFlow()
    figure.set(probe=(0.123456, -1.0 / 3))
    assert figure.frame().values["settings"]["probe"] == [0.1235, -0.3333]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (lambda f: f.set(p=1.7), "p must be between 0 and 1, got 1.7"),
        (lambda f: f.set(scaling="sometimes"), "scaling must be one of 'inverted', 'classic', 'none'"),
        (lambda f: f.set(probe=(6.0, 0.0)), "^x₁ of the probe must be between -5 and 5, got 6$"),
        (lambda f: f.set(probe=(0.0, -9.5)), "^x₂ of the probe must be between -5 and 5, got -9.5$"),
        (lambda f: f.set(probe=(float("nan"), 0.0)), "^x₁ of the probe must be between -5 and 5, got nan$"),
        (lambda f: f.set(seed=-1), "seed must be a whole number from 0 to 4294967295"),
        (lambda f: f.set(seed=2**32), "seed must be a whole number from 0 to 4294967295"),
        (lambda f: f.resample(0), "count must be a whole number from 1 to 1000, got 0"),
        (lambda f: f.resample(1001), "count must be a whole number from 1 to 1000, got 1001"),
        (lambda f: f.resample(True), "count must be a whole number from 1 to 1000, got true"),
    ],
)
def test_bad_commands_are_refused_and_change_nothing(command, message):
    figure = DataFlow()
    figure.resample(10)
    before = figure.frame()
    with pytest.raises(ValueError, match=message):
        command(figure)
    after = figure.frame()
    assert after.values == before.values
    np.testing.assert_array_equal(after.arrays["trace_mean"], before.arrays["trace_mean"])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (DataFlowSettings(draws=0), "draws must be a whole number from 1 to 100000, got 0"),
        (DataFlowSettings(draws=MAX_DRAWS + 1), "draws must be a whole number from 1 to 100000"),
        (DataFlowSettings(p=-0.1), "p must be between 0 and 1, got -0.1"),
    ],
)
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        DataFlow(settings)


# -- what the page says about no scaling and about p = 1 (SCIENCE 19, pitfalls) --------------------------


@pytest.mark.parametrize("p", [0.1, 0.2, 0.7])
@pytest.mark.parametrize("probe", [(1.0, 0.5), (-1.0, 1.0), (0.3, -2.0), (2.0, 2.0)])
def test_without_scaling_the_hidden_part_shrinks_towards_the_output_bias(p, probe):
    values = DataFlow(DataFlowSettings(p=p, scaling="none", probe=probe)).frame().values
    bias = values["biases"][1][0]
    assert values["output_bias"] == bias
    assert values["hidden_part"] == pytest.approx(values["eval_output"] - bias, abs=1e-15)
    # E[y] − b = (1 − p)·(y_eval − b), for every probe: above or below depends on the hidden part's sign.
    assert values["exact_mean"] - bias == pytest.approx((1 - p) * values["hidden_part"], abs=1e-12)
    if abs(values["hidden_part"]) > 1e-9:
        assert (values["exact_gap"] < 0) == (values["hidden_part"] > 0)


def test_without_scaling_the_mean_can_land_above_the_eval_output():
    # The case the page names: p = 0.2, probe (−1, 1): eval −0.82, the expectation −0.636, above it.
    values = DataFlow(DataFlowSettings(p=0.2, scaling="none", probe=(-1.0, 1.0))).frame().values
    assert values["eval_output"] == pytest.approx(-0.82)
    assert values["exact_mean"] == pytest.approx(-0.636)
    assert values["exact_mean"] > values["eval_output"]


def test_at_p_one_inverted_scaling_keeps_no_mean_every_sub_network_is_the_bias():
    values = DataFlow(DataFlowSettings(p=1.0, scaling="inverted")).frame().values
    assert values["train_scale"] == 0.0 and values["unit_mean_exact"] == [0.0] * 4  # E[h̃] = 0, not h
    assert any(h > 0 for h in values["hidden"])
    assert values["exact_mean"] == pytest.approx(values["output_bias"])
    assert values["exact_gap"] == pytest.approx(-values["hidden_part"]) and values["hidden_part"] > 0
