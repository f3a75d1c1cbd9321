"""The ensemble grid: several sub-networks of the playground's trained network, side by side, beside the
map of their average and the map of the eval network.

Every member has the same weights (the playground's network as it opens: trained for 800 Adam steps at
p = 0.5) and its own keep-mask, drawn at the grid's own p: p changes which units are dropped, never the
weights. All members run in one batched forward pass, each example carrying its member's mask. The
average is the ARITHMETIC mean of the members' class probabilities; the eval network uses every unit.

Masks come from one stream, ``np.random.default_rng([seed, 3])``, read in blocks of ``MAX_MEMBERS × N``
uniforms (N = h₁ + h₂ droppable units); draw d uses block d, and member i keeps unit j when
``u[i, j] ≥ p``. So:
- a smaller or larger ``members`` keeps the first members as they were (it reads more or fewer rows);
- a new ``p`` keeps the uniforms: raising p only drops more units, lowering it only brings units back;
- a link replays ``draw`` by skipping d blocks of the stream at once, however large d is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..engine import mask_probability
from .checks import check_p, spelled
from .commands import command
from .frame import Frame
from .playground import MAX_DRAWS, PRETRAIN_STEPS, PlaygroundSettings, plane_grid
from .trained import TRAINED_P, trained_playground_network

MEMBER_CHOICES = (6, 12, 24)
MAX_MEMBERS = max(MEMBER_CHOICES)
MAP_GRID = 32  # every map is MAP_GRID × MAP_GRID points of the playground's window onto the plane
_MASK_STREAM = 3  # the masks' generator is default_rng([seed, _MASK_STREAM]), apart from every other stream


@dataclass(frozen=True)
class EnsembleGridSettings:
    """Everything a link needs: ``draw`` counts the Resample presses since the network was built."""

    p: float = 0.5
    members: int = 12
    dataset: str = "blobs"
    hidden: tuple[int, int] = (6, 6)
    seed: int = 0
    draw: int = 0

    def checked(self) -> EnsembleGridSettings:
        """These settings, checked; ``ValueError`` names what is wrong."""
        if isinstance(self.members, bool) or self.members not in MEMBER_CHOICES:
            raise ValueError(f"members must be 6, 12 or 24, got {spelled(self.members)}")
        # The network's settings are the playground's, checked the same way and with the same sentences.
        network = PlaygroundSettings(
            dataset=self.dataset, hidden=self.hidden, p=self.p, seed=self.seed, draw=self.draw
        ).checked()
        return replace(self, p=network.p)


def member_uniforms(seed: int, units: int, draw: int) -> np.ndarray:
    """Block ``draw`` of the mask stream: ``MAX_MEMBERS × units`` uniforms in [0, 1)."""
    # default_rng([seed, 3]) is this same generator; PCG64 takes one 64-bit step per float64, so
    # advancing by the size of d blocks lands exactly where d blocks' worth of draws would have.
    bits = np.random.PCG64([seed, _MASK_STREAM])
    bits.advance(draw * MAX_MEMBERS * units)
    return np.random.Generator(bits).random((MAX_MEMBERS, units))


def subnetwork_count_text(members: int, units: int) -> str:
    """``12 of 4,096 possible sub-networks``: 2^N written out in full."""
    return f"{members} of {2**units:,} possible sub-networks"


def percent_text(share: float) -> str:
    """A share as a percentage with two significant figures below 10 %: 0.0029 → "0.29 %"."""
    percent = 100.0 * share
    if percent >= 10.0 or percent == 0.0:
        return f"{percent:.0f} %"
    return f"{float(f'{percent:.2g}'):g} %"


def typical_mask_count(units: int, p: float) -> float:
    """2^(N·H(p)), H the binary entropy in bits: about how many masks carry almost all the probability."""
    if p in (0.0, 1.0):
        return 1.0
    entropy = -(p * np.log2(p) + (1.0 - p) * np.log2(1.0 - p))
    return float(2.0 ** (units * entropy))


def most_likely_mass(units: int, p: float, count: int) -> float:
    """The probability carried by the ``count`` most likely of the 2^units masks. All C(N, k) masks that keep
    k units share the probability (1 − p)^k p^(N − k), so the masks are taken group by group."""
    kept = np.arange(units + 1)
    each = (1.0 - p) ** kept * p ** (units - kept)
    sizes = np.array([math.comb(units, int(k)) for k in kept], dtype=np.float64)
    order = np.argsort(-each, kind="stable")
    taken = np.minimum(sizes[order], np.maximum(0.0, count - np.concatenate([[0.0], np.cumsum(sizes[order])[:-1]])))
    return float(taken @ each[order])


def likelihood_text(units: int, p: float) -> str:
    """Whether the 2^N sub-networks are equally likely at this p, and where the probability lies if not."""
    if p == 0.0:
        return "At p = 0 nothing is dropped: the full network is the only sub-network that occurs."
    if p == 1.0:
        return "At p = 1 every unit is dropped: the empty sub-network is the only one that occurs."
    if p == 0.5:
        return f"At p = 0.5 every sub-network is equally likely: 1 in {2**units:,}."
    typical = round(typical_mask_count(units, p))
    # Below p = 0.5 the full network is the most likely sub-network; above it, the empty one.
    likeliest = "the full network" if p < 0.5 else "the empty sub-network (every unit dropped)"
    return (
        f"At p = {p:g} they are not equally likely: {likeliest} alone has probability "
        f"{percent_text(max(p, 1.0 - p) ** units)}, and the {typical:,} most likely masks, about 2^(N·H(p)), "
        f"carry {percent_text(most_likely_mass(units, p, typical))} of it."
    )


class EnsembleGrid:
    """Driven by ``set(...)`` and ``resample()``; ``frame()`` says what to draw."""

    name = "ensemble-grid"
    settings_type = EnsembleGridSettings

    def __init__(self, settings: EnsembleGridSettings | None = None) -> None:
        self._build((settings or EnsembleGridSettings()).checked())

    # -- building ---------------------------------------------------------------------------------
    def _build(self, settings: EnsembleGridSettings) -> None:
        """The network and members for ``settings``; if training the network fails (``ValueError``), the
        figure is as it was."""
        s = settings
        trained = trained_playground_network(s.dataset, s.hidden, s.seed)
        self.settings = s
        self.data = trained.data
        assert self.data.n_classes is not None
        self.classes = self.data.n_classes
        self.net = trained.at(s.p, s.seed)
        self.bounds, grid = plane_grid(self.data, MAP_GRID)
        # The plane's points and the test points go through the network together.
        self._points = np.vstack([grid, self.data.x_test])
        self._uniforms = member_uniforms(s.seed, sum(s.hidden), s.draw)
        self._run()

    def _run(self) -> None:
        """Every member on every point in one forward pass, and the eval network on the same points."""
        s = self.settings
        self.net.p = s.p  # kept units are scaled by 1/(1 − p) of the p the masks were drawn with
        keep = self.masks
        count, n = s.members, len(self._points)
        # Example i·n + j is point j seen by member i: the masks are repeated per point, the points tiled.
        layer_masks = np.split(np.repeat(keep, n, axis=0), [s.hidden[0]], axis=1)
        batch = np.tile(self._points, (count, 1))
        members = self.net.forward(batch, layer_masks, training=True, record=False).output
        self._member_outputs = members.reshape(count, n, self.classes)
        self._eval_outputs = self.net.forward(self._points, training=False, record=False).output

    # -- commands ---------------------------------------------------------------------------------
    @command
    def set(
        self,
        *,
        p: float | None = None,
        members: int | None = None,
        dataset: str | None = None,
        hidden: tuple[int, int] | None = None,
        seed: int | None = None,
    ) -> None:
        """Change any settings at once; if one is refused (``ValueError``) nothing changes. A new dataset,
        network size or seed rebuilds the network and restarts the masks from the first draw."""
        if p is not None:
            p = check_p(p)
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("p", p),
                ("members", members),
                ("dataset", dataset),
                ("hidden", hidden),
                ("seed", seed),
            )
            if value is not None
        }
        if "hidden" in changes:
            changes["hidden"] = tuple(changes["hidden"])
        new = replace(self.settings, **changes).checked()
        old = self.settings
        if (new.dataset, new.hidden, new.seed) != (old.dataset, old.hidden, old.seed):
            self._build(replace(new, draw=0))
        else:
            self.settings = new
            self._run()

    @command
    def resample(self) -> None:
        """New masks for every member: the next block of the stream."""
        s = self.settings
        if s.draw >= MAX_DRAWS:
            raise ValueError(f"a link can replay at most {MAX_DRAWS:,} resamples; change the seed for new members")
        self.settings = replace(s, draw=s.draw + 1)
        self._uniforms = member_uniforms(s.seed, sum(s.hidden), self.settings.draw)
        self._run()

    # -- what the figure computes -----------------------------------------------------------------
    @property
    def masks(self) -> np.ndarray:
        """The members' keep-masks, one row each: hidden layer 1's units, then layer 2's."""
        return self._uniforms[: self.settings.members] >= self.settings.p

    @property
    def member_maps(self) -> np.ndarray:
        """Class probabilities of each member over the plane: (members, MAP_GRID², classes)."""
        return self._member_outputs[:, : MAP_GRID**2]

    @property
    def average_map(self) -> np.ndarray:
        """The arithmetic mean of the members' class probabilities over the plane."""
        average: np.ndarray = self.member_maps.mean(axis=0)
        return average

    @property
    def eval_map(self) -> np.ndarray:
        """The eval network's class probabilities over the plane: every unit, no dropout."""
        return self._eval_outputs[: MAP_GRID**2]

    # -- what to draw -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        s = self.settings
        labels = self.data.y_test
        member_test = self._member_outputs[:, MAP_GRID**2 :]
        average_map, eval_map = self.average_map, self.eval_map
        keep = self.masks
        units = sum(s.hidden)
        distinct = np.unique(keep, axis=0)
        covered = float(mask_probability(distinct, s.p).sum())
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "classes": self.classes,
            "grid": MAP_GRID,
            "bounds": [float(v) for v in self.bounds],
            "units": units,
            "possible": 2**units,
            "counter_text": subnetwork_count_text(s.members, units),
            "distinct": len(distinct),
            # Masks are not equally likely (unless p = 0.5): the probability the distinct ones carry.
            "covered_probability": covered,
            "covered_text": f"carrying {percent_text(covered)} of the probability",
            "full_network_probability": (1.0 - s.p) ** units,
            "typical_masks": typical_mask_count(units, s.p),
            "likelihood_text": likelihood_text(units, s.p),
            "kept": np.stack([keep[:, : s.hidden[0]].sum(axis=1), keep[:, s.hidden[0] :].sum(axis=1)], 1).tolist(),
            "member_accuracy": _rounded(np.mean(member_test.argmax(axis=2) == labels, axis=1)),
            "average_accuracy": _accuracy(member_test.mean(axis=0), labels),
            "eval_accuracy": _accuracy(self._eval_outputs[MAP_GRID**2 :], labels),
            # The share of the plane on which the average and the eval network predict the same class.
            "agreement": round(float(np.mean(average_map.argmax(axis=1) == eval_map.argmax(axis=1))), 6),
            "trained_p": TRAINED_P,
            "trained_steps": PRETRAIN_STEPS,
        }
        shape = (MAP_GRID, MAP_GRID, self.classes)
        arrays: dict[str, np.ndarray] = {
            "member_maps": _bytes(self.member_maps).reshape(s.members, *shape),
            "average_map": _bytes(average_map).reshape(shape),
            "eval_map": _bytes(eval_map).reshape(shape),
            "masks": keep.astype(np.uint8),
            "points": self.data.x_train.astype(np.float32),
            "labels": self.data.y_train.astype(np.uint8),
        }
        return Frame(values, arrays)

    def url_settings(self) -> dict[str, object]:
        """The settings as the page writes them into its address."""
        s = self.settings
        return {
            "p": s.p,
            "members": s.members,
            "dataset": s.dataset,
            "hidden": list(s.hidden),
            "seed": s.seed,
            "draw": s.draw,
        }


def _bytes(probabilities: np.ndarray) -> np.ndarray:
    return np.round(probabilities * 255).astype(np.uint8)


def _accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return round(float(np.mean(probabilities.argmax(axis=1) == labels)), 6)


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]
