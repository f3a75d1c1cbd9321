"""Metrics on probabilities: accuracy, cross-entropy, mean squared error, expected calibration error."""

import math

import numpy as np
import pytest

from dropout_playground import accuracy, cross_entropy, expected_calibration_error, mean_squared_error

PROBS = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.4, 0.5, 0.1], [0.2, 0.2, 0.6]])
LABELS = np.array([0, 2, 0, 1])


def test_accuracy_counts_the_most_probable_class():
    assert accuracy(PROBS, LABELS) == 0.5
    # A single sigmoid output p means class 1 when p > 1/2.
    assert accuracy(np.array([[0.9], [0.2], [0.6]]), np.array([1, 0, 0])) == pytest.approx(2 / 3)


def test_cross_entropy_is_the_mean_negative_log_probability_of_the_true_class():
    expected = -np.mean(np.log([0.7, 0.6, 0.4, 0.2]))
    assert cross_entropy(PROBS, LABELS) == pytest.approx(expected, rel=1e-15)
    assert cross_entropy(np.array([0.8, 0.3]), np.array([1, 0])) == pytest.approx(-np.mean(np.log([0.8, 0.7])))
    # A zero probability for the true class is clipped, not infinite.
    assert math.isfinite(cross_entropy(np.array([[1.0, 0.0]]), np.array([1])))


def test_mean_squared_error():
    assert mean_squared_error(np.array([[1.0], [2.0]]), np.array([0.0, 4.0])) == 2.5


def test_ece_of_a_perfectly_calibrated_predictor_is_zero_and_of_an_overconfident_one_is_the_gap():
    # Four predictions at confidence 0.75, three of them right: calibrated.
    probs = np.array([[0.75, 0.25]] * 4)
    assert expected_calibration_error(probs, np.array([0, 0, 0, 1])) == pytest.approx(0.0, abs=1e-15)
    # Confidence 0.9, accuracy 0.5: ECE 0.4.
    probs = np.array([[0.9, 0.1]] * 4)
    assert expected_calibration_error(probs, np.array([0, 1, 0, 1])) == pytest.approx(0.4)


def test_ece_weights_bins_by_their_counts():
    probs = np.array([[0.95, 0.05], [0.95, 0.05], [0.55, 0.45], [0.55, 0.45]])
    labels = np.array([0, 0, 0, 1])
    # Top bin: confidence 0.95, accuracy 1 (gap 0.05); the 0.55 bin: accuracy 0.5 (gap 0.05).
    assert expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.05)


def test_labels_out_of_range_are_refused():
    with pytest.raises(ValueError, match=r"class labels must lie in 0\.\.2"):
        accuracy(PROBS, np.array([0, 1, 2, 5]))
