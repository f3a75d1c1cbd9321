"""Dropout Playground: see dropout at work in a real, trained network.

The engine (``dropout_playground.engine``) computes every number; its public names are re-exported here::

    from dropout_playground import MLP, blobs, train
    net = MLP([2, 8, 8, 3], p=0.2, seed=0)
    train(net, blobs(), epochs=50)
"""

from .engine import (
    DATASETS,
    MAX_EXACT_UNITS,
    MLP,
    SCALINGS,
    SGD,
    Adam,
    Dataset,
    EnsembleAverage,
    EpochRecord,
    ForwardPass,
    Gradients,
    History,
    Optimizer,
    Trainer,
    TrainingDiverged,
    accuracy,
    blobs,
    check_drop_probability,
    circles,
    cross_entropy,
    dropout,
    eval_scale,
    exact_average,
    expected_calibration_error,
    make_dataset,
    mean_squared_error,
    monte_carlo_average,
    noisy_sine,
    sample_mask,
    spiral,
    train,
    train_scale,
    two_moons,
    xor,
)
from .torch_bridge import to_torch

__version__ = "0.1.0"

__all__ = [
    "DATASETS",
    "MAX_EXACT_UNITS",
    "MLP",
    "SCALINGS",
    "SGD",
    "Adam",
    "Dataset",
    "EnsembleAverage",
    "EpochRecord",
    "ForwardPass",
    "Gradients",
    "History",
    "Optimizer",
    "Trainer",
    "TrainingDiverged",
    "__version__",
    "accuracy",
    "blobs",
    "check_drop_probability",
    "circles",
    "cross_entropy",
    "dropout",
    "eval_scale",
    "exact_average",
    "expected_calibration_error",
    "make_dataset",
    "mean_squared_error",
    "monte_carlo_average",
    "noisy_sine",
    "sample_mask",
    "spiral",
    "to_torch",
    "train",
    "train_scale",
    "two_moons",
    "xor",
]
