"""Dropout Playground: see dropout at work in a real, trained network.

The engine (``dropout_playground.engine``) computes every number; its public names are re-exported here::

    from dropout_playground import MLP, blobs, train
    net = MLP([2, 8, 8, 3], p=0.2, seed=0)
    train(net, blobs(), epochs=50)
"""

from . import engine
from .engine import *  # noqa: F403  (the engine's __all__ is the package's public API)
from .torch_bridge import to_torch

__version__ = "0.1.0"

__all__ = [*engine.__all__, "__version__", "to_torch"]
