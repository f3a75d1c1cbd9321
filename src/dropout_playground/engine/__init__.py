"""The numpy engine: every number the playground shows is computed here. No I/O, no web."""

from .constraints import max_norm
from .datasets import DATASETS, Dataset, blobs, circles, make_dataset, noisy_sine, spiral, two_moons, xor
from .dropout import (
    SCALINGS,
    check_drop_probability,
    dropout,
    eval_scale,
    every_mask,
    mask_probability,
    sample_mask,
    train_scale,
)
from .ensemble import MAX_EXACT_UNITS, EnsembleAverage, dropout_passes, exact_average, monte_carlo_average
from .metrics import Reliability, accuracy, cross_entropy, expected_calibration_error, mean_squared_error, reliability
from .mlp import MLP, ForwardPass, Gradients
from .optim import SGD, Adam, Optimizer
from .real_data import digits
from .stack import NetworkStack, StackTrainer
from .training import EpochRecord, History, Trainer, TrainingDiverged, train

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
    "NetworkStack",
    "Optimizer",
    "Reliability",
    "StackTrainer",
    "Trainer",
    "TrainingDiverged",
    "accuracy",
    "blobs",
    "check_drop_probability",
    "circles",
    "cross_entropy",
    "digits",
    "dropout",
    "dropout_passes",
    "eval_scale",
    "every_mask",
    "exact_average",
    "expected_calibration_error",
    "make_dataset",
    "mask_probability",
    "max_norm",
    "mean_squared_error",
    "monte_carlo_average",
    "noisy_sine",
    "reliability",
    "sample_mask",
    "spiral",
    "train",
    "train_scale",
    "two_moons",
    "xor",
]
