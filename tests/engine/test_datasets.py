"""The toy datasets: seeded, shaped as documented, split as asked, noisy as asked."""

import numpy as np
import pytest

from dropout_playground import DATASETS, blobs, circles, make_dataset, noisy_sine, spiral, two_moons, xor

CLASSIFIERS = {"moons": 2, "circles": 2, "xor": 2, "spiral": 3, "blobs": 3}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    a, b, c = make_dataset(name, seed=5), make_dataset(name, seed=5), make_dataset(name, seed=6)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_classification_sets_have_balanced_integer_labels_and_the_asked_split(name):
    data = make_dataset(name, n_samples=200, test_fraction=0.25, seed=0)
    assert data.is_classification and data.n_classes == CLASSIFIERS[name]
    assert data.x_train.shape == (150, 2) and data.x_test.shape == (50, 2)
    labels = np.concatenate([data.y_train, data.y_test])
    assert labels.dtype.kind == "i"
    counts = np.bincount(labels)
    assert len(counts) == data.n_classes and counts.max() - counts.min() <= 1


def test_spiral_has_two_or_three_classes():
    assert spiral(n_classes=2, seed=0).n_classes == 2
    with pytest.raises(ValueError, match="spiral supports 2 or 3 classes, got 4"):
        spiral(n_classes=4)


def test_noise_moves_points_off_the_clean_shapes():
    clean, noisy = circles(noise=0.0, seed=0), circles(noise=0.2, seed=0)
    radius = lambda d: np.hypot(*d.x_train.T)  # noqa: E731
    assert set(np.round(radius(clean), 12)) == {0.5, 1.0}
    assert np.std(radius(noisy)[noisy.y_train == 0]) > 0.1
    # Without noise, every XOR label follows the sign of x·y.
    data = xor(noise=0.0, seed=0)
    np.testing.assert_array_equal(data.y_train, (data.x_train.prod(axis=1) > 0).astype(int))
    assert np.abs(data.x_train).max() <= 1


def test_two_moons_classes_are_separable_without_noise_and_centred():
    data = two_moons(n_samples=400, noise=0.0, test_fraction=0.0, seed=0)
    assert abs(data.x_train.mean()) < 0.15
    upper, lower = data.x_train[data.y_train == 0], data.x_train[data.y_train == 1]
    assert upper[:, 1].min() >= -0.25 - 1e-12 and lower[:, 1].max() <= 0.25 + 1e-12


def test_blobs_spread_follows_noise():
    data = blobs(n_samples=3000, noise=0.2, test_fraction=0.0, seed=0)
    within = [data.x_train[data.y_train == k].std(axis=0) for k in range(3)]
    # The sample std of ~1000 normal draws is within 6·σ/√(2n) ≈ 6 × 0.0045 of σ = 0.2.
    np.testing.assert_allclose(within, 0.2, atol=0.027)


def test_noisy_sine_is_a_regression_set_around_sin_x():
    data = noisy_sine(n_samples=2000, noise=0.1, test_fraction=0.5, seed=0)
    assert not data.is_classification and data.n_classes is None
    assert data.x_train.shape == (1000, 1) and data.y_train.shape == (1000, 1)
    residual = data.y_train - np.sin(data.x_train)
    # 1000 normal residuals of σ = 0.1: their std lies within 6σ/√(2n) ≈ 0.019 of 0.1.
    assert abs(residual.std() - 0.1) < 0.019
    assert np.abs(data.x_train).max() <= np.pi


def test_zero_test_fraction_gives_an_empty_test_set():
    data = blobs(test_fraction=0.0, seed=0)
    assert len(data.x_test) == 0 and len(data.x_train) == 300


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"n_samples": 1}, "n_samples must be a whole number of at least"),
        ({"n_samples": 10.5}, "n_samples must be a whole number"),
        ({"noise": -0.1}, "noise must be a non-negative number"),
        ({"noise": float("nan")}, "noise must be a non-negative number"),
        ({"test_fraction": 1.0}, r"test_fraction must be in \[0, 1\)"),
    ],
)
def test_bad_arguments_are_refused_clearly(options, message):
    with pytest.raises(ValueError, match=message):
        two_moons(**options)


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown dataset 'mnist'; choose one of moons, circles"):
        make_dataset("mnist")
