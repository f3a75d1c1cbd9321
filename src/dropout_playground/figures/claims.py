"""The numbers in the article's prose, computed by the engine and the figures, never typed.

The page marks each computed number with an empty element, ``<span data-claim="gap.two.0.5.geometric-tv">
</span>``; the server fills it with the text ``claims()`` gives for that name. A phrase whose wording
depends on a number ("from K = 5", "at no K up to 1,000", "below", "above") is a claim too, so that every
sentence stays true whatever the engine computes. Settings that a sentence names (the probe (−1, 1), p =
0.2) are claims as well, so that the text and the computation cannot name different ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from ..engine import train_scale
from .co_adaptation import CHOICES as COADAPTATION_CHOICES
from .co_adaptation import HIDDEN as COADAPTATION_HIDDEN
from .co_adaptation import PS as COADAPTATION_PS
from .co_adaptation import CoAdaptationSettings
from .co_adaptation import cached_study as coadaptation_study
from .compute_once import ComputeOnceCache
from .data_flow import N_MASKS, DataFlow, DataFlowSettings
from .ensemble_gap import MAX_K, GapMeasurement, cached_study, matching_k
from .ensemble_grid import most_likely_mass, typical_mask_count
from .forgotten_eval import SAMPLES as FORGOTTEN_SAMPLES
from .forgotten_eval import TEST_FRACTION as FORGOTTEN_TEST_FRACTION
from .forgotten_eval import TRAINED_P as FORGOTTEN_TRAINED_P
from .mc_dropout import MEMBERS as MC_MEMBERS
from .mc_dropout import NOISE_VARIANCE as MC_NOISE_VARIANCE
from .mc_dropout import McDropoutSettings
from .overfitting import MAX_STEPS as OVERFITTING_MAX_STEPS
from .overfitting import OverfittingSettings
from .worked_examples import WORKED_INPUT_P, l2_identity, worked_check, worked_check_code

# The settings the prose speaks of.
CONVENTION_P = 0.1  # where 1/p and 1/(1 − p) part: 10 against 1.11
CLASSIC_P = 0.2  # the classic-versus-inverted learning-rate factors
FLOW_P = 0.2
FLOW_NEGATIVE_PROBE = (-1.0, 1.0)  # a probe whose hidden part is negative: no scaling lands above eval
GAP_DATASET, GAP_SEED = "blobs", 0  # the exact-versus-sampled chart's defaults
GAP_PS = (0.5, 0.2)  # the classic hidden-layer value, and one where the conventions part
LIKELIHOOD_P, LIKELIHOOD_UNITS = 0.1, 12
COADAPTATION_DEFAULTS = (CoAdaptationSettings().dataset, CoAdaptationSettings().seed)


# -- how numbers are written --------------------------------------------------------------------------
def minus(text: str) -> str:
    """A true minus sign, as the rest of the page writes it."""
    return text.replace("-", "−")


def decimals(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    if float(text) == 0:
        text = f"{0:.{places}f}"  # never "−0.00"
    return minus(text)


def significant(value: float, figures: int = 2) -> str:
    """Two significant figures, in e-notation only for rounding-sized numbers: 0.0078, 0.061, 0.25."""
    if abs(value) < 1e-6:
        return scientific(value)
    places = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return decimals(round(value, places), places)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value: float) -> str:
    """A rounding-sized number: 5.6 × 10⁻¹⁶; exactly 0 stays 0."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{abs(value):.1e}".split("e")
    return minus("-" if value < 0 else "") + f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def percent(share: float, places: int = 1) -> str:
    return f"{100 * share:.{places}f} %"


def count(n: int) -> str:
    return f"{n:,}"


def plain(value: float) -> str:
    """A setting as typed: 0.2, 1, −1."""
    return minus(f"{value:g}")


# -- the claims, section by section ----------------------------------------------------------------------
def _conventions() -> dict[str, str]:
    p = CONVENTION_P
    ratio = Fraction(p / (1 - p)).limit_denominator(1000)
    return {
        "convention.p": plain(p),
        "convention.scale": decimals(train_scale(p, "inverted"), 2),
        "convention.keep-scale": plain(1 / p),
        "convention.variance-factor": f"{ratio.numerator}/{ratio.denominator}"
        if ratio.numerator == 1
        else significant(float(ratio), 3),
        "classic.p": plain(CLASSIC_P),
        "classic.sgd-factor": plain(round((1 - CLASSIC_P) ** 2, 6)),
        "classic.adam-factor": plain(round(1 - CLASSIC_P, 6)),
    }


def _data_flow() -> dict[str, str]:
    default = DataFlow(DataFlowSettings(p=FLOW_P, scaling="none")).frame().values
    negative = DataFlow(DataFlowSettings(p=FLOW_P, scaling="none", probe=FLOW_NEGATIVE_PROBE)).frame().values

    def side(values: dict[str, object]) -> str:
        gap = values["exact_gap"]
        assert isinstance(gap, float)
        return "below" if gap < 0 else "above"

    return {
        "flow.masks": count(N_MASKS),
        "flow.p": plain(FLOW_P),
        "flow.none.default.side": side(default),
        "flow.none.default.mean": decimals(default["exact_mean"], 2),
        "flow.none.default.eval": decimals(default["eval_output"], 2),
        "flow.none.negative.probe": f"({plain(FLOW_NEGATIVE_PROBE[0])}, {plain(FLOW_NEGATIVE_PROBE[1])})",
        "flow.none.negative.side": side(negative),
        "flow.none.negative.mean": decimals(negative["exact_mean"], 2),
        "flow.none.negative.eval": decimals(negative["eval_output"], 2),
    }


def _worked_check() -> dict[str, str]:
    check = worked_check()
    return {
        "worked.units": count(len(check.hidden)),
        "worked.p": plain(check.p),
        "worked.keep": plain(1 - check.p),
        "worked.masks": count(check.n_masks),
        "worked.eval": decimals(check.eval_output, 7),
        "worked.geometric": decimals(check.geometric, 7),
        "worked.arithmetic": decimals(check.arithmetic, 7),
        "worked.code": worked_check_code(),
        "worked.input-p": plain(WORKED_INPUT_P),
        "worked.input-masks": count(check.input_dropout_masks),
        "worked.input-gap": significant(check.input_dropout_gap),
        "worked.logistic-gap": scientific(check.logistic_gap),
    }


def _likelihood() -> dict[str, str]:
    p, units = LIKELIHOOD_P, LIKELIHOOD_UNITS
    typical = round(typical_mask_count(units, p))
    return {
        "masks.units": count(units),
        "masks.all": count(2**units),
        "masks.p": plain(p),
        "masks.full": significant((1 - p) ** units),
        "masks.typical": count(typical),
        "masks.typical-mass": percent(most_likely_mass(units, p, typical), 0),
    }


def _matching(measurement: GapMeasurement) -> str:
    k = matching_k(measurement.arithmetic_correct, measurement.eval_correct)
    return f"at no K up to {count(MAX_K)}" if k is None else f"from K = {k}"


def _points_fewer(difference: int) -> str:
    if difference == 0:
        return "as many test points"
    words = {1: "one", 2: "two", 3: "three"}
    amount = words.get(abs(difference), str(abs(difference)))
    return f"{amount} test point{'s' if abs(difference) > 1 else ''} {'fewer' if difference > 0 else 'more'}"


def _ensemble_gap() -> dict[str, str]:
    study = cached_study(GAP_DATASET, GAP_SEED)
    claims: dict[str, str] = {}
    for p in GAP_PS:
        one, two = study.measurements[("one-layer", p)], study.measurements[("two-layer", p)]
        claims |= {
            # One hidden layer: the geometric mean is the eval output, the arithmetic mean is not.
            f"gap.one.{p:g}.geometric-max": significant(one.exact_geometric_max_difference),
            f"gap.one.{p:g}.arithmetic-tv": significant(one.exact_arithmetic_tv),
            f"gap.one.{p:g}.matching": _matching(one),
            # Two hidden layers: neither mean is the eval output.
            f"gap.two.{p:g}.geometric-tv": significant(two.exact_geometric_tv),
            f"gap.two.{p:g}.geometric-max": significant(two.exact_geometric_max_difference),
            f"gap.two.{p:g}.arithmetic-tv": significant(two.exact_arithmetic_tv),
            f"gap.two.{p:g}.matching": _matching(two),
            # One sampled sub-network (K = 1), averaged over the mask streams.
            f"gap.two.{p:g}.single-accuracy": percent(two.arithmetic_correct[:, 0].mean() / two.test_points, 0),
        }
    two = study.measurements[("two-layer", GAP_PS[0])]
    accuracy = two.eval_correct / two.test_points
    claims |= {
        "gap.two.0.5.exact-vs-eval": _points_fewer(two.eval_correct - two.exact_arithmetic_correct),
        "gap.two.0.5.exact-accuracy": percent(two.exact_arithmetic_correct / two.test_points),
        "gap.two.0.5.eval-accuracy": percent(accuracy),
        "gap.subnetworks": count(two.subnetworks),
        "gap.test-points": count(two.test_points),
        "gap.dataset": GAP_DATASET,
        "gap.seed": str(GAP_SEED),
        # The binomial standard error of an accuracy a measured on n points: √(a(1 − a)/n).
        "gap.standard-error": decimals(100 * math.sqrt(accuracy * (1 - accuracy) / two.test_points), 1),
        "gap.standard-error-at": percent(accuracy),
    }
    return claims


def _l2() -> dict[str, str]:
    identity = l2_identity()
    return {
        "l2.p": plain(identity.p),
        "l2.examples": count(identity.n_examples),
        "l2.features": count(identity.n_features),
        "l2.masks": count(identity.n_masks),
        "l2.expected": decimals(identity.expected_loss, 6),
        "l2.eval": decimals(identity.eval_loss, 6),
        "l2.penalty": decimals(identity.penalty, 6),
        "l2.residual": scientific(identity.residual),
    }


def _what_dropout_does() -> dict[str, str]:
    """The four figures of what dropout does: their settings as the prose names them, and the
    co-adaptation figure's measurement at k = N/2 (computed once, shared with the figure)."""
    study = coadaptation_study(*COADAPTATION_DEFAULTS)
    half = int(np.searchsorted(study.k, study.units // 2))
    none, dropout = study.accuracy[:, half].mean(axis=1)
    fit = OverfittingSettings()
    return {
        "fit.p": plain(fit.p),
        "fit.points": count(fit.points),
        "fit.max-steps": count(OVERFITTING_MAX_STEPS),
        "bug.trained-p": plain(FORGOTTEN_TRAINED_P),
        "bug.test-points": count(round(FORGOTTEN_SAMPLES * FORGOTTEN_TEST_FRACTION)),
        "coad.sizes": " → ".join(str(n) for n in (2, *COADAPTATION_HIDDEN, study.classes)),
        "coad.units": count(study.units),
        "coad.choices": count(COADAPTATION_CHOICES),
        "coad.p": plain(COADAPTATION_PS[1]),
        "coad.half.k": count(int(study.k[half])),
        "coad.half.none": percent(none, 0),
        "coad.half.dropout": percent(dropout, 0),
        "mc.p": plain(McDropoutSettings().p),
        "mc.members": count(MC_MEMBERS),
        "mc.noise-variance": plain(MC_NOISE_VARIANCE),
    }


SECTIONS: tuple[Callable[[], dict[str, str]], ...] = (
    _conventions,
    _data_flow,
    _worked_check,
    _likelihood,
    _ensemble_gap,
    _l2,
    _what_dropout_does,
)

_cache: ComputeOnceCache[None, dict[str, str]] = ComputeOnceCache(1)


def compute_claims() -> dict[str, str]:
    claims: dict[str, str] = {}
    for section in SECTIONS:
        claims |= section()
    return claims


def claims() -> dict[str, str]:
    """Every claim of the article by name, computed once per process (the exact-versus-sampled study it
    needs is the one that figure shares)."""
    return dict(_cache.get(None, compute_claims))
