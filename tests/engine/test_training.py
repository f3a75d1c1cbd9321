"""Training: it learns, it is reproducible, and a diverging run stops clearly with finite weights."""

import numpy as np
import pytest

from dropout_playground import MLP, SGD, Adam, Trainer, TrainingDiverged, blobs, noisy_sine, spiral, train


def test_training_learns_blobs_with_dropout():
    data = blobs(seed=0)
    net = MLP([2, 8, 8, 3], p=0.2, seed=0)
    history = train(net, data, epochs=40, lr=0.01)
    assert len(history.records) == 40
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.test_accuracy[-1] >= 0.9
    assert net.training


def test_history_records_epochs_steps_and_eval_mode_metrics():
    data = blobs(n_samples=100, test_fraction=0.2, seed=0)
    net = MLP([2, 8, 3], p=0.5, seed=0).eval()
    trainer = Trainer(net, data, Adam(net.parameters(), lr=0.01), batch_size=16, seed=0)
    history = trainer.fit(3)
    # 80 training examples in batches of 16: five steps an epoch.
    assert [r.epoch for r in history.records] == [1, 2, 3]
    assert [r.step for r in history.records] == [5, 10, 15]
    last = history.records[-1]
    # Metrics are measured in eval mode, so measuring again gives the same numbers.
    assert trainer.evaluate() == last
    assert not net.training  # the caller's mode is restored


def test_training_is_reproducible_from_seeds():
    def run():
        net = MLP([2, 8, 3], p=0.5, seed=4)
        train(net, spiral(seed=1), epochs=5, lr=0.01, seed=2)
        return net.state_dict()

    first, again = run(), run()
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])


def test_each_epoch_visits_every_example_once_in_a_new_order():
    data = blobs(n_samples=40, test_fraction=0.0, seed=0)
    net = MLP([2, 4, 3], p=0.0, seed=0)
    trainer = Trainer(net, data, SGD(net.parameters(), lr=0.0001), batch_size=7, seed=0)
    seen = []
    original = net.gradients

    def spy(x, y, *args, **kwargs):
        seen.append(x.copy())
        return original(x, y, *args, **kwargs)

    net.gradients = spy
    trainer.fit(2)
    batches = [len(x) for x in seen]
    assert batches == [7, 7, 7, 7, 7, 5] * 2
    first = np.vstack(seen[:6])
    second = np.vstack(seen[6:])
    key = lambda rows: sorted(map(tuple, rows))  # noqa: E731
    assert key(first) == key(second) == key(data.x_train)
    assert not np.array_equal(first, second)


def test_regression_history_has_no_accuracy():
    data = noisy_sine(seed=0)
    net = MLP([1, 16, 1], p=0.1, output="linear", activation="tanh", seed=0)
    history = train(net, data, epochs=30, lr=0.01, batch_size=8)
    assert history.train_accuracy[-1] is None and history.test_accuracy[-1] is None
    assert history.train_loss[-1] < history.train_loss[0]


def test_a_diverging_run_names_the_step_and_learning_rate_and_keeps_finite_weights():
    data = noisy_sine(n_samples=60, seed=0)
    net = MLP([1, 32, 32, 1], p=0.0, output="linear", seed=0)
    trainer = Trainer(net, data, SGD(net.parameters(), lr=50.0, momentum=0.9), batch_size=10, seed=0)
    with pytest.raises(TrainingDiverged, match=r"diverged at step (\d+) with learning rate 50 ") as error:
        for _ in range(1000):
            trainer.step()
    step = error.value.step
    assert trainer.steps == step - 1
    assert error.value.lr == 50.0
    assert all(np.isfinite(w).all() for w in net.parameters())
    # The run can be inspected but not silently continued with the broken learning rate.
    assert "smaller learning rate" in str(error.value)


def test_data_that_does_not_fit_the_network_is_refused():
    with pytest.raises(ValueError, match="the data has 2 features, the network 3 inputs"):
        Trainer(MLP([3, 4, 3], seed=0), blobs(), Adam([np.zeros(1)]))
    net = MLP([2, 4, 3], seed=0)
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        Trainer(net, blobs(), Adam(net.parameters()), batch_size=0)
    with pytest.raises(ValueError, match="optimizer must be 'adam' or 'sgd'"):
        train(net, blobs(), optimizer="lbfgs")


def test_dropout_regularises_an_overfitting_sine_fit():
    # SEED reviewer scenario 3: a big net on 20 noisy points. Without dropout the training loss falls far
    # below the noise level (σ² = 0.0625) while the test loss stays above it; with dropout the gap narrows.
    data = noisy_sine(n_samples=40, noise=0.25, seed=3)

    def fit(p):
        net = MLP([1, 64, 64, 1], p=p, output="linear", activation="tanh", seed=0)
        record = train(net, data, epochs=600, lr=0.01, batch_size=20).records[-1]
        return record.train_loss, record.test_loss

    plain_train, plain_test = fit(0.0)
    dropout_train, dropout_test = fit(0.3)
    assert plain_train < 0.04 < plain_test
    assert dropout_test - dropout_train < plain_test - plain_train
