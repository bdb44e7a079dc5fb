"""Pure functions from respondent rows to tidy tables of numbers with their base.

Every table has the columns ``group, item, point, value, n, suppressed``:
`group` is ``"country"``, ``"comparison"`` or an ISO code (rankings); `point`
is the scale point of a distribution row (else None); `value` is a mean or a
percentage (0–100); `n` is the base: the unweighted count of valid answers.

Bases: only answers on the scale's points count. Non-answer codes ("can't
assess"), the scale's missing codes and empty cells are left out of the base.
Weights, when given, weight the mean and the shares; `n` stays unweighted. A
value whose base is below `min_base` is suppressed: `value` is NaN and
`suppressed` is True.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.survey.codebook import Scale

COLUMNS = ["group", "item", "point", "value", "n", "suppressed"]


@dataclass(frozen=True)
class Request:
    """What to compute for one battery (or a subset of its items)."""

    indicator: str
    columns: dict[str, str]  # item key -> data column, in display order
    scale: Scale
    range: tuple[int, int] | None = None
    include_non_answers: bool = False


Values = list[tuple[object, float]]  # (point, value) pairs; point None for one-number indicators


def default_range(scale: Scale) -> tuple[int, int]:
    """The top three points of a scale (5–7 on a 1–7 scale): "agree", "good"."""
    points = sorted(scale.points)
    return points[-3] if len(points) >= 3 else points[0], points[-1]


def _valid(values: np.ndarray, scale: Scale) -> np.ndarray:
    return np.isin(values, scale.points)


def _weighted_share(mask: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    return float(100 * weights[mask].sum() / total) if total > 0 else float("nan")


def mean(values: np.ndarray, weights: np.ndarray, request: Request) -> tuple[Values, int]:
    """Mean of the valid answers (weighted if weights are not all 1)."""
    valid = _valid(values, request.scale)
    n = int(valid.sum())
    if n == 0 or weights[valid].sum() <= 0:
        return [(None, float("nan"))], n
    return [(None, float(np.average(values[valid], weights=weights[valid])))], n


def pct_range(values: np.ndarray, weights: np.ndarray, request: Request) -> tuple[Values, int]:
    """Percent of valid answers within ``request.range`` (default: the top three points)."""
    low, high = request.range or default_range(request.scale)
    valid = _valid(values, request.scale)
    n = int(valid.sum())
    if n == 0:
        return [(None, float("nan"))], 0
    inside = (values[valid] >= low) & (values[valid] <= high)
    return [(None, _weighted_share(inside, weights[valid]))], n


def distribution(values: np.ndarray, weights: np.ndarray, request: Request) -> tuple[Values, int]:
    """Percent answering each scale point; non-answer codes too if asked for.

    With ``include_non_answers`` the base is scale answers plus non-answer codes.
    """
    points = list(request.scale.points)
    if request.include_non_answers:
        points += list(request.scale.non_answers)
    counted = np.isin(values, points)
    n = int(counted.sum())
    if n == 0:
        return [(p, float("nan")) for p in points], 0
    return [(p, _weighted_share(values[counted] == p, weights[counted])) for p in points], n


INDICATORS: dict[str, Callable[[np.ndarray, np.ndarray, Request], tuple[Values, int]]] = {
    "mean": mean,
    "pct_range": pct_range,
    "distribution": distribution,
}


def _rows(group: str, item: str, values: Values, n: int, min_base: int) -> list[dict]:
    suppressed = n < min_base
    return [{"group": group, "item": item, "point": point,
             "value": float("nan") if suppressed else value, "n": n, "suppressed": suppressed}
            for point, value in values]


def _weight_array(weights: pd.Series | None, index: pd.Index) -> np.ndarray:
    """The weights of the rows `index` names as floats (a missing weight counts 0), or
    ones when the deck has no weight."""
    if weights is None:
        return np.ones(len(index))
    return np.nan_to_num(weights.loc[index].to_numpy("float64"))


def _compute(answers: pd.Series, weights: pd.Series | None,
             request: Request) -> tuple[Values, int]:
    # one column at a time: selecting rows of the whole frame would copy every column
    return INDICATORS[request.indicator](answers.to_numpy(dtype="float64"),
                                         _weight_array(weights, answers.index), request)


def comparison_table(frame: pd.DataFrame, country_column: str, country: str, compare_with: str,
                     request: Request, min_base: int = 30,
                     weights: pd.Series | None = None) -> pd.DataFrame:
    """The deck's country against a comparison group, per item.

    `compare_with`: ``all`` pools every respondent (the country included),
    ``others`` pools all but the country, ``country_mean`` is the unweighted
    mean of the country values of countries with at least `min_base` answers
    (its `n` is the sum of their bases).
    """
    # numpy arrays rather than Series: a table is a few dozen selections, and pandas
    # spends more on each than the arithmetic takes
    in_country = frame[country_column].eq(country).fillna(False).astype(bool).to_numpy()
    others = ~in_country
    every = _weight_array(weights, frame.index)
    rows: list[dict] = []
    for item, column in request.columns.items():
        answers = frame[column].to_numpy(dtype="float64")
        values, n = INDICATORS[request.indicator](answers[in_country], every[in_country],
                                                  request)
        rows += _rows("country", item, values, n, min_base)
        if compare_with == "country_mean":
            values, n = _mean_of_countries(frame, country_column, column, weights, request,
                                           min_base)
        elif compare_with == "all":
            values, n = INDICATORS[request.indicator](answers, every, request)
        else:
            values, n = INDICATORS[request.indicator](answers[others], every[others], request)
        rows += _rows("comparison", item, values, n, min_base)
    return pd.DataFrame(rows, columns=COLUMNS)


def _mean_of_countries(frame: pd.DataFrame, country_column: str, column: str,
                       weights: pd.Series | None, request: Request,
                       min_base: int) -> tuple[Values, int]:
    per_country = [_compute(group, weights, request)
                   for _, group in frame[column].groupby(frame[country_column], sort=True)]
    kept = [(values, n) for values, n in per_country if n >= min_base]
    if not kept:
        return [(point, float("nan")) for point, _ in per_country[0][0]], 0
    points = [point for point, _ in kept[0][0]]
    averaged = [(p, float(np.mean([values[i][1] for values, _ in kept])))
                for i, p in enumerate(points)]
    return averaged, sum(n for _, n in kept)


def country_table(frame: pd.DataFrame, country_column: str, request: Request,
                  item: str, min_base: int = 30,
                  weights: pd.Series | None = None) -> pd.DataFrame:
    """One value per country for one item (rankings), in country-code order."""
    column = request.columns[item]
    rows: list[dict] = []
    for code, group in frame[column].groupby(frame[country_column], sort=True):
        values, n = _compute(group, weights, request)
        rows += _rows(str(code), item, values, n, min_base)
    return pd.DataFrame(rows, columns=COLUMNS)


def select_columns(items: dict[str, str], wanted: Sequence[str] | None) -> dict[str, str]:
    """The item -> column mapping restricted to `wanted`, in its order."""
    if wanted is None:
        return dict(items)
    return {key: items[key] for key in wanted}


# -- tests, intervals and small bases (see `significance` for the statistics) --------------

STATISTIC_COLUMNS = ["ci_low", "ci_high", "p_value", "significant", "direction", "small_base",
                     "rest_value"]
"""Added by `add_statistics`: the interval (in the value's units), the p-value that
decides (adjusted if a correction is asked for), whether it is below the level,
+1/−1 for higher/lower than the rest, whether the base is below `warn_base`, and the
value of the respondents a tested value was tested against (the other countries)."""


@dataclass(frozen=True)
class Statistics:
    """What a slide asks for beyond the point values."""

    alpha: float | None = None  # significance level; None: no tests
    correction: str | None = None  # holm | bh | None
    ci: float | None = None  # confidence level; None: no intervals
    warn_base: int | None = None
    min_base: int = 30


def answers(values: np.ndarray, weights: np.ndarray,
            request: Request) -> tuple[np.ndarray, np.ndarray]:
    """The valid answers as a test sees them, with their weights: 0/1 (inside the range
    or not) for pct_range, the scale points for mean."""
    valid = _valid(values, request.scale)
    x = values[valid]
    if request.indicator == "pct_range":
        low, high = request.range or default_range(request.scale)
        x = ((x >= low) & (x <= high)).astype("float64")
    return x, weights[valid]


def _group_answers(frame: pd.DataFrame, mask: pd.Series, column: str,
                   weights: pd.Series | None, request: Request):
    from generator.survey import significance

    part = frame[column][mask]  # one column: rows of the whole frame would copy them all
    x, w = answers(part.to_numpy(dtype="float64"), _weight_array(weights, part.index), request)
    return significance.estimate(x, w, proportion=request.indicator == "pct_range")


def add_statistics(table: pd.DataFrame, frame: pd.DataFrame, masks: dict[str, pd.Series],
                   rests: dict[str, pd.Series], request: Request, stats: Statistics,
                   weights: pd.Series | None = None) -> pd.DataFrame:
    """`table` with the `STATISTIC_COLUMNS` filled in.

    `masks` maps a table group to the respondents it is computed from (a group
    without a mask, such as ``country_mean``, gets no interval); `rests` maps the
    groups to test to the respondents they are tested against (the other
    countries). Suppressed values get neither test nor interval. The correction
    runs over the tested values of the table (a chart's items).
    """
    from generator.survey import significance

    table = table.copy()
    for name in STATISTIC_COLUMNS:
        table[name] = np.nan if name in ("ci_low", "ci_high", "p_value", "rest_value") else (
            0 if name == "direction" else False)
    table["direction"] = table["direction"].astype("int64")
    if request.indicator == "distribution":
        return table
    scale = 100.0 if request.indicator == "pct_range" else 1.0
    tested: list[tuple[int, float, float]] = []  # (row index, p, difference)
    rows = zip(table.index, table["group"], table["item"], table["n"], table["suppressed"],
               strict=True)
    for index, group, item, n, suppressed in rows:
        if suppressed:
            continue
        if stats.warn_base is not None and n < stats.warn_base:
            table.at[index, "small_base"] = True
        column = request.columns[item]
        mask = masks.get(group)
        if mask is None or (stats.ci is None and stats.alpha is None):
            continue
        own = _group_answers(frame, mask, column, weights, request)
        if stats.ci is not None:
            interval = (significance.wilson_interval if request.indicator == "pct_range"
                        else significance.t_interval)(own, stats.ci)
            table.at[index, "ci_low"], table.at[index, "ci_high"] = (v * scale for v in interval)
        rest_mask = rests.get(group)
        if stats.alpha is not None and rest_mask is not None:
            rest = _group_answers(frame, rest_mask, column, weights, request)
            test = (significance.two_proportion_z if request.indicator == "pct_range"
                    else significance.welch_t)(own, rest)
            if rest.n >= stats.min_base:
                tested.append((index, test.p_value, test.difference))
                table.at[index, "rest_value"] = rest.value * scale
    if tested:
        adjusted = significance.adjust([p for _, p, _ in tested], stats.correction)
        for (index, _, difference), p in zip(tested, adjusted, strict=True):
            table.at[index, "p_value"] = p
            if p < stats.alpha:
                table.at[index, "significant"] = True
                table.at[index, "direction"] = 1 if difference > 0 else -1
    return table


def subgroup_table(frame: pd.DataFrame, in_country: pd.Series, column: str,
                   codes: Sequence[object], request: Request, min_base: int = 30,
                   weights: pd.Series | None = None) -> pd.DataFrame:
    """The deck's country split by a background variable: one group ``by=<code>`` per
    code, in the order given, for every item."""
    rows: list[dict] = []
    for item, item_column in request.columns.items():
        for code in codes:
            in_group = in_country & frame[column].eq(code).fillna(False).astype(bool)
            values, n = _compute(frame[item_column][in_group], weights, request)
            rows += _rows(f"by={code}", item, values, n, min_base)
    return pd.DataFrame(rows, columns=COLUMNS)


def filter_mask(frame: pd.DataFrame, columns: dict[str, Sequence[object]]) -> pd.Series:
    """Rows whose value in each of `columns` is one of its codes (all conditions at once)."""
    mask = pd.Series(True, index=frame.index)
    for column, codes in columns.items():
        mask &= frame[column].isin(list(codes)).fillna(False).astype(bool)
    return mask
