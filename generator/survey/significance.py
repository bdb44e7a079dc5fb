"""Pure statistics on answers: estimates with effective bases, tests, intervals, corrections.

Every function takes plain arrays of one group's answers (`x`: 0/1 for a share,
scale points for a mean) and their weights, and returns numbers; nothing reads
files or knows about decks. The normal distribution comes from the standard library
(`math.erfc`, `statistics.NormalDist`); Student's t from `scipy.special`, loaded only
when a mean is tested or given an interval.

With weights, the estimate is weighted and the sampling variance uses Kish's
effective sample size, ``n_eff = (Σw)² / Σw²``, in place of n (equal weights
give ``n_eff = n``). This is the design effect of unequal weighting only; the
survey's clustering, if any, is not modelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """One group's weighted estimate: `value` (a share 0–1 or a mean), its base `n`
    (unweighted), `n_eff` (Kish), and the weighted variance of the answers `var`
    (with n_eff − 1 in the denominator; p(1 − p) for a share)."""

    value: float
    n: int
    n_eff: float
    var: float


@dataclass(frozen=True)
class TestResult:
    """A two-group test: `statistic` (z or t), `df` (None for z), two-sided `p_value`,
    and `difference` (first group minus second)."""

    statistic: float
    df: float | None
    p_value: float
    difference: float


def kish_n_eff(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)² / Σw²; the count when all weights are equal."""
    weights = np.asarray(weights, dtype="float64")
    squares = float(np.sum(weights**2))
    return float(np.sum(weights)) ** 2 / squares if squares > 0 else 0.0


def estimate(x: np.ndarray, weights: np.ndarray | None = None,
             proportion: bool = False) -> Estimate:
    """The weighted mean of `x` with its base, effective base and variance.

    For a share (`proportion`), `x` is 0/1 and `var` is p(1 − p), as the
    z-test and the Wilson interval use it; for a mean, `var` is the weighted
    variance with n_eff − 1 degrees of freedom (the sample variance when unweighted).
    """
    x = np.asarray(x, dtype="float64")
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype="float64")
    n = len(x)
    if n == 0 or w.sum() <= 0:
        return Estimate(math.nan, n, 0.0, math.nan)
    value = float(np.average(x, weights=w))
    n_eff = kish_n_eff(w)
    if proportion:
        var = value * (1 - value)
    elif n_eff > 1:
        var = float(np.sum(w * (x - value) ** 2) / w.sum()) * n_eff / (n_eff - 1)
    else:
        var = math.nan
    return Estimate(value, n, n_eff, var)


def normal_two_sided(z: float) -> float:
    """P(|Z| ≥ |z|) for a standard normal Z: 2Φ(−|z|) = erfc(|z|/√2)."""
    return math.erfc(abs(z) / math.sqrt(2))


def normal_quantile(p: float) -> float:
    """Φ⁻¹(p), the standard normal quantile."""
    return NormalDist().inv_cdf(p)


def two_proportion_z(a: Estimate, b: Estimate) -> TestResult:
    """Two-proportion z-test with the pooled share, on effective bases.

    z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)), p̄ = (p₁n₁ + p₂n₂)/(n₁ + n₂);
    unweighted this is statsmodels' ``proportions_ztest`` (and the χ² test of a 2×2 table).
    """
    n1, n2 = a.n_eff, b.n_eff
    difference = a.value - b.value
    if n1 <= 0 or n2 <= 0 or math.isnan(difference):
        return TestResult(math.nan, None, math.nan, difference)
    pooled = (a.value * n1 + b.value * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TestResult(math.nan, None, math.nan, difference)
    z = difference / se
    return TestResult(z, None, normal_two_sided(z), difference)


def welch_t(a: Estimate, b: Estimate) -> TestResult:
    """Welch's t-test (unequal variances) with Welch–Satterthwaite degrees of freedom,
    on effective bases; unweighted this is ``scipy.stats.ttest_ind(equal_var=False)``."""
    from scipy.special import stdtr  # Student's t distribution function

    difference = a.value - b.value
    if a.n_eff <= 1 or b.n_eff <= 1 or math.isnan(difference):
        return TestResult(math.nan, None, math.nan, difference)
    v1, v2 = a.var / a.n_eff, b.var / b.n_eff
    se = math.sqrt(v1 + v2)
    if se == 0:
        return TestResult(math.nan, None, math.nan, difference)
    t = difference / se
    df = (v1 + v2) ** 2 / (v1**2 / (a.n_eff - 1) + v2**2 / (b.n_eff - 1))
    return TestResult(t, df, float(2 * stdtr(df, -abs(t))), difference)


def wilson_interval(share: Estimate, level: float) -> tuple[float, float]:
    """Wilson score interval of a share (0–1) on its effective base.

    Chosen over the textbook p ± z·se because it stays inside 0–1 and keeps its
    coverage for small bases and shares near 0 or 1 (Agresti & Coull 1998);
    statsmodels' ``proportion_confint(method="wilson")`` gives the same.
    """

    n, p = share.n_eff, share.value
    if n <= 0 or math.isnan(p):
        return math.nan, math.nan
    z = normal_quantile(0.5 + level / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def t_interval(mean: Estimate, level: float) -> tuple[float, float]:
    """The t interval of a mean: m ± t(n_eff − 1) · s / √n_eff."""
    from scipy.special import stdtrit  # Student's t quantile function

    if mean.n_eff <= 1 or math.isnan(mean.var):
        return math.nan, math.nan
    half = float(stdtrit(mean.n_eff - 1, 0.5 + level / 2)) * math.sqrt(mean.var / mean.n_eff)
    return mean.value - half, mean.value + half


CORRECTIONS = ("holm", "bh")


def adjust(p_values: list[float], method: str | None) -> list[float]:
    """P-values adjusted for testing several items at once; NaN stays NaN.

    ``holm``: Holm's step-down (controls the chance of any false finding);
    ``bh``: Benjamini–Hochberg (controls the expected share of false findings);
    None: unadjusted. As ``statsmodels.stats.multitest.multipletests`` computes them.
    """
    if method is None:
        return list(p_values)
    if method not in CORRECTIONS:
        raise ValueError(f"unknown correction {method!r}")
    tested = [(p, i) for i, p in enumerate(p_values) if not math.isnan(p)]
    m = len(tested)
    adjusted = [math.nan] * len(p_values)
    if method == "holm":
        running = 0.0
        for rank, (p, i) in enumerate(sorted(tested)):
            running = max(running, min(1.0, (m - rank) * p))
            adjusted[i] = running
    else:
        running = 1.0
        for rank, (p, i) in reversed(list(enumerate(sorted(tested), start=1))):
            running = min(running, m * p / rank)
            adjusted[i] = min(1.0, running)
    return adjusted
