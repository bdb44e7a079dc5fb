"""The association of a battery's index with items of other batteries (and background
categories): which respondents count, the design matrix, the fit, as a tidy table.

The outcome is the mean of the outcome battery's items per respondent. Predictors are
items (their scale points as numbers: a coefficient is the change in the outcome per
point) and background variables as categories (one indicator per code but the first:
a coefficient is the difference from that code). A respondent counts when every
outcome item and every predictor kept has a valid answer (a point of its scale).
A predictor item with fewer than `min_base` valid answers among respondents with a
valid outcome, or a category with fewer than `min_base` respondents, is left out
(a category's respondents with it) and reported. Pooled models get country fixed
effects; `scope="country"` fits the deck's country alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from generator.survey.indicators import COLUMNS, STATISTIC_COLUMNS
from generator.survey.regression import Errors, Fit, country_effects, fit

Scope = Literal["pooled", "country"]


@dataclass(frozen=True)
class ItemPredictor:
    key: str  # the item's key in its battery
    column: str
    points: tuple[int, ...]  # its scale's valid points


@dataclass(frozen=True)
class CategoryPredictor:
    key: str  # the background variable's key
    column: str
    codes: tuple[object, ...]  # in the codebook's order; the first is the reference


@dataclass(frozen=True)
class Model:
    """What to fit."""

    outcome: dict[str, str]  # item key -> column
    outcome_points: tuple[int, ...]
    items: tuple[ItemPredictor, ...]
    categories: tuple[CategoryPredictor, ...] = ()
    scope: Scope = "pooled"
    errors: Errors = "hc1"
    level: float = 0.95  # of the intervals
    alpha: float = 0.05  # of the tests
    min_base: int = 30


@dataclass(frozen=True)
class Association:
    """The fitted association: a table of coefficients (the tidy table's columns, a
    row per predictor, `value` the coefficient, `n` the model's respondents) and what
    the caption and the findings say about it. `table` is empty when too few
    respondents were left for a model (`n` says how many)."""

    table: pd.DataFrame
    n: int
    r_squared: float
    countries: int
    left_out: list[tuple[str, int]] = field(default_factory=list)  # (predictor, its base)
    group: str = "pooled"  # the table's group: pooled, or the country's code

    def copy(self) -> Association:
        """A copy whose table can be changed (`survey.memo` keeps the original)."""
        return replace(self, table=self.table.copy(), left_out=list(self.left_out))


def _valid(frame: pd.DataFrame, column: str, points: Sequence[int]) -> np.ndarray:
    return np.isin(frame[column].to_numpy(dtype="float64"), points)


def associate(frame: pd.DataFrame, country_column: str, country: str, model: Model,
              weights: pd.Series | None = None) -> Association:
    """Fit `model` on `frame` (already filtered to the slide's respondents)."""
    if model.scope == "country":
        frame = frame[frame[country_column].eq(country).fillna(False).astype(bool)]
    group = country if model.scope == "country" else "pooled"
    keep = np.ones(len(frame), dtype=bool)
    for column in model.outcome.values():
        keep &= _valid(frame, column, model.outcome_points)
    left_out: list[tuple[str, int]] = []
    items: list[ItemPredictor] = []
    for item in model.items:
        valid = _valid(frame, item.column, item.points)
        base = int((keep & valid).sum())
        if base < model.min_base:
            left_out.append((item.key, base))
        else:
            items.append(item)
    for item in items:
        keep &= _valid(frame, item.column, item.points)
    dummies: list[tuple[str, np.ndarray]] = []
    for category in model.categories:
        values = frame[category.column].to_numpy()
        keep &= pd.Series(values).isin(list(category.codes)).to_numpy()
        for code in category.codes:
            members = keep & (values == code)
            if members.sum() < model.min_base:
                left_out.append((f"{category.key}={code}", int(members.sum())))
                keep &= ~members
        present = [c for c in category.codes if (keep & (values == c)).any()]
        dummies += [(f"{category.key}={code}", values == code) for code in present[1:]]
    rows = frame[keep]
    y = np.mean(np.column_stack([rows[c].to_numpy(dtype="float64")
                                 for c in model.outcome.values()]), axis=1)
    names = [item.key for item in items] + [name for name, _ in dummies]
    columns = [rows[item.column].to_numpy(dtype="float64") for item in items]
    columns += [member[keep].astype("float64") for _, member in dummies]
    countries = rows[country_column].astype(str).to_numpy()
    effects = country_effects(countries)[0] if model.scope == "pooled" else np.zeros((len(y), 0))
    x = np.column_stack([np.ones(len(y)), *columns, effects]) if len(y) else np.zeros((0, 1))
    count = len(set(countries))
    if len(y) < model.min_base or len(y) <= x.shape[1] or not names:
        return Association(pd.DataFrame(columns=COLUMNS + STATISTIC_COLUMNS + ["se"]),
                           len(y), float("nan"), count, left_out, group)
    w = None if weights is None else np.nan_to_num(
        weights.loc[rows.index].to_numpy("float64"))
    result = fit(y, x, w, model.errors, countries if model.errors == "cluster" else None)
    return Association(_table(result, names, model, group), result.n, result.r_squared,
                       count, left_out, group)


def _table(result: Fit, names: list[str], model: Model, group: str) -> pd.DataFrame:
    """The predictors' rows (the constant and the country effects are left out)."""
    low, high = result.interval(model.level)
    picked = slice(1, 1 + len(names))
    b, p = result.coefficients[picked], result.p_values[picked]
    return pd.DataFrame({
        "group": group, "item": names, "point": None, "value": b, "n": result.n,
        "suppressed": False, "ci_low": low[picked], "ci_high": high[picked], "p_value": p,
        "significant": p < model.alpha,
        "direction": np.where(p < model.alpha, np.sign(b), 0).astype("int64"),
        "small_base": False, "rest_value": np.nan, "se": result.standard_errors[picked]})
