"""Dropout Playground: see dropout at work in a real, trained network.

The engine (``dropout_playground.engine``) computes every number; its public names are re-exported here::

    from dropout_playground import MLP, blobs, train
    net = MLP([2, 8, 8, 3], p=0.2, seed=0)
    train(net, blobs(), epochs=50)

Every figure of the page is also a notebook widget (``pip install 'dropout-playground[jupyter]'``)::

    from dropout_playground import Playground
    w = Playground(p=0.3, dataset="spiral", seed=0)
    w
"""

from typing import Any

from . import engine
from .engine import *  # noqa: F403  (the engine's __all__ is the package's public API)
from .torch_bridge import to_torch

__version__ = "0.1.0"

# The widgets, by the names of their figures; anywidget is imported only when one is asked for.
WIDGET_NAMES = (
    "Playground",
    "Overfitting",
    "DataFlow",
    "ForgottenEval",
    "EnsembleGrid",
    "EnsembleGap",
    "CoAdaptation",
    "McDropout",
)


def __getattr__(name: str) -> Any:
    if name not in WIDGET_NAMES:
        raise AttributeError(f"module 'dropout_playground' has no attribute {name!r}")
    try:
        from .widget import WIDGETS
    except ModuleNotFoundError as missing:
        raise ModuleNotFoundError(
            f"the {name} widget needs anywidget ({missing.name} is not installed): "
            "pip install 'dropout-playground[jupyter]'"
        ) from missing
    return WIDGETS[name]


# The widgets stay out of ``import *``, which would need anywidget.
__all__ = [*engine.__all__, "__version__", "to_torch"]
