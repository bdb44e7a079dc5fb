"""Linear regression for the association slide: OLS (WLS with weights) and robust
standard errors, with numpy only (normal p-values and quantiles from `significance`).

`fit` estimates b = (X'WX)⁻¹X'Wy and its covariance as a sandwich
(X'WX)⁻¹ M (X'WX)⁻¹ with, for residuals e:

- ``hc1``: M = Σ wᵢ²eᵢ² xᵢxᵢ', scaled by n / (n − k) (White's estimator with the
  small-sample factor of MacKinnon & White 1985);
- ``cluster``: M = Σ_g u_g u_g' with u_g = Σ_{i∈g} wᵢeᵢxᵢ, scaled by
  G / (G − 1) · (n − 1) / (n − k) (Liang & Zeger; respondents of one cluster may be
  correlated, clusters are independent).

Tests and intervals use the normal distribution (the estimators are asymptotic), as
statsmodels does for robust covariances by default; the tests check the numbers
against statsmodels' ``OLS``/``WLS`` ``fit(cov_type=…)``. R² is the weighted
share of the variance around the weighted mean that the model explains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from generator.survey.significance import normal_quantile, normal_two_sided

Errors = Literal["hc1", "cluster"]


@dataclass(frozen=True)
class Fit:
    """A fitted model: one entry per column of X, in its order."""

    coefficients: np.ndarray
    standard_errors: np.ndarray
    p_values: np.ndarray
    n: int  # respondents (unweighted)
    r_squared: float
    clusters: int | None = None  # G with clustered errors

    def interval(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """The normal-theory interval b ± z·se at `level` (e.g. 0.95)."""
        z = normal_quantile(0.5 + level / 2)
        return (self.coefficients - z * self.standard_errors,
                self.coefficients + z * self.standard_errors)


def fit(y: np.ndarray, x: np.ndarray, weights: np.ndarray | None = None,
        errors: Errors = "hc1", clusters: np.ndarray | None = None) -> Fit:
    """OLS of `y` on the columns of `x` (which holds its own constant), WLS with
    `weights`; standard errors HC1, or clustered by the labels in `clusters`."""
    y = np.asarray(y, dtype="float64")
    x = np.asarray(x, dtype="float64")
    n, k = x.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype="float64")
    if n <= k:
        raise ValueError(f"{n} respondents for {k} coefficients")
    root = np.sqrt(w)
    xw, yw = x * root[:, None], y * root
    bread = np.linalg.pinv(xw.T @ xw)
    b = bread @ (xw.T @ yw)
    residuals = y - x @ b
    scores = x * (w * residuals)[:, None]  # wᵢeᵢxᵢ
    groups = None
    if errors == "cluster":
        if clusters is None:
            raise ValueError("clustered errors need cluster labels")
        labels, index = np.unique(np.asarray(clusters), return_inverse=True)
        groups = len(labels)
        if groups < 2:
            raise ValueError("clustered errors need at least two clusters")
        summed = np.zeros((groups, k))
        np.add.at(summed, index, scores)
        meat = summed.T @ summed * (groups / (groups - 1)) * ((n - 1) / (n - k))
    else:
        meat = scores.T @ scores * (n / (n - k))
    covariance = bread @ meat @ bread
    se = np.sqrt(np.clip(np.diag(covariance), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, b / se, np.nan)
    p = np.array([normal_two_sided(value) for value in np.ravel(z)]).reshape(np.shape(z))
    centre = np.average(y, weights=w)
    total = float(np.sum(w * (y - centre) ** 2))
    r_squared = 1 - float(np.sum(w * residuals**2)) / total if total > 0 else math.nan
    return Fit(b, se, p, n, r_squared, groups)


def country_effects(countries: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Indicator columns for every country but the first (sorted): the fixed effects a
    pooled model adds beside its constant, and the countries they stand for."""
    names = sorted({str(c) for c in countries})
    labels = np.asarray([str(c) for c in countries])
    columns = np.column_stack([labels == name for name in names[1:]]).astype("float64") \
        if len(names) > 1 else np.zeros((len(labels), 0))
    return columns, names[1:]
