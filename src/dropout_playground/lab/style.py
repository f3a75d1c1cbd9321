"""The lab's figures in the page's look: its paper, ink and terracotta, Okabe & Ito's colour-blind-safe
colours for the things compared, sizes readable on a slide, and matplotlib's own fonts (no download)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# The page's palette (static/style.css).
PAPER = "#faf8f3"
PAPER_DEEP = "#f2efe6"
RULE = "#ddd8cb"
INK = "#1f1f1e"
INK_SOFT = "#3a3935"
MUTED = "#66625a"
ACCENT = "#d97757"  # terracotta: the page's mark for dropout
ACCENT_INK = "#a94a2a"
# Okabe & Ito: told apart with every common colour-vision deficiency, and from the terracotta.
BLUE = "#0072b2"
PINK = "#cc79a7"
GREEN = "#009e73"
ORANGE = "#e69f00"
VERMILION = "#d55e00"

# What the page calls each thing, it colours the same here: no dropout in blue, dropout in terracotta.
NO_DROPOUT = BLUE
DROPOUT = ACCENT_INK
SCALING = INK_SOFT
# The two averages of sub-networks, as the page's ensemble figures draw them.
ARITHMETIC = BLUE
GEOMETRIC = ACCENT_INK

# Slide size: a 16:9 panel at 100 dpi is 1,000 pixels wide; text at 13 pt stays legible when scaled down.
SLIDE_SIZE = (10.0, 5.6)
DPI = 150

RC: dict[str, Any] = {
    "figure.facecolor": PAPER,
    "axes.facecolor": PAPER,
    "savefig.facecolor": PAPER,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "axes.titlesize": 15,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 13,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.color": RULE,
    "grid.linewidth": 0.8,
    "xtick.color": INK_SOFT,
    "ytick.color": INK_SOFT,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "font.size": 13,
    "font.family": "DejaVu Sans",
    "lines.linewidth": 2.2,
    "svg.fonttype": "none",  # text stays text in the SVG, editable on a slide
    "svg.hashsalt": "dropout-playground",  # the same ids in every run, so a rerun writes the same file
}


def look() -> Any:
    """A context in which figures are made and saved in the page's look (matplotlib reads its settings as it
    draws and saves, so both happen inside)."""
    import matplotlib as mpl

    return mpl.rc_context(RC)  # type: ignore[arg-type]  # RC's keys are matplotlib's own names


def new_figure(rows: int = 1, columns: int = 1, *, size: tuple[float, float] = SLIDE_SIZE) -> tuple[Figure, Any]:
    """A figure and its axes (a ``Figure`` made directly: no window, no global pyplot state)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    return figure, figure.subplots(rows, columns, squeeze=True)


def percent_axis(axes: Axes, which: str = "y", decimals: int = 1) -> None:
    """Label an axis holding fractions as percentages."""
    from matplotlib.ticker import PercentFormatter

    axis = axes.yaxis if which == "y" else axes.xaxis
    axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=decimals))


def note(axes: Axes, text: str) -> None:
    """A short sentence under the plot, in the page's muted ink."""
    axes.annotate(
        text,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -48),
        textcoords="offset points",
        fontsize=11,
        color=MUTED,
        va="top",
    )


def boxed(axes: Axes, x: float, y: float, text: str, *, ha: str = "left") -> None:
    """A few lines of numbers in a box on paper at the top of a plot (``x``, ``y`` in axes fractions)."""
    axes.text(
        x,
        y,
        text,
        transform=axes.transAxes,
        ha=ha,
        va="top",
        fontsize=11,
        color=INK,
        zorder=6,
        bbox={"boxstyle": "round,pad=0.35", "facecolor": PAPER, "edgecolor": RULE},
    )


def counted(n: int, noun: str) -> str:
    """``1 seed``, ``3 seeds``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
