"""generator/survey/indicators.py on small hand-made frames, every expected number
worked out by hand.

The scale throughout: points 1–7, 8 = "can't assess" (a non-answer), 9 = missing.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from generator.survey import indicators
from generator.survey.codebook import Scale

NAN = float("nan")

SCALE = Scale(points=[1, 2, 3, 4, 5, 6, 7], labels={1: {"en": "low"}, 7: {"en": "high"}},
              non_answers={8: {"en": "Can't assess"}}, missing=[9])


def request(indicator: str, columns: dict[str, str] | None = None, *,
            range: tuple[int, int] | None = None,
            include_non_answers: bool = False) -> indicators.Request:
    return indicators.Request(indicator=indicator, columns=columns or {"q": "q"}, scale=SCALE,
                              range=range, include_non_answers=include_non_answers)


def values(*codes: float) -> np.ndarray:
    return np.array(codes, dtype="float64")


def ones(n: int) -> np.ndarray:
    return np.ones(n)


def frame(rows: list[tuple[str, float]]) -> pd.DataFrame:
    """(country, answer to q) per respondent."""
    return pd.DataFrame(rows, columns=["country", "q"])


def row(table: pd.DataFrame, group: str, item: str = "q", point: object = None) -> pd.Series:
    selected = table[(table["group"] == group) & (table["item"] == item)]
    if point is not None:
        selected = selected[selected["point"] == point]
    assert len(selected) == 1, f"expected one row for {group}/{item}/{point}, got {len(selected)}"
    return selected.iloc[0]


# -- the indicator functions called directly ------------------------------------------------


def test_mean_leaves_non_answers_missing_codes_and_nan_out_of_the_base():
    # valid: 7, 5, 3 (8 = can't assess, 9 = missing, NaN = empty) -> mean 15 / 3 = 5.0, n 3
    result, n = indicators.mean(values(7, 5, 8, 9, NAN, 3), ones(6), request("mean"))
    assert result == [(None, 5.0)]
    assert n == 3


def test_pct_range_default_is_the_top_three_points():
    # valid: 7, 6, 5, 4, 3 (8, 9, NaN left out) -> 7, 6, 5 are 5–7: 3 of 5 -> 60.0
    result, n = indicators.pct_range(values(7, 6, 5, 4, 3, 8, 9, NAN), ones(8),
                                     request("pct_range"))
    assert result == [(None, pytest.approx(60.0))]
    assert n == 5


def test_pct_range_with_an_explicit_range():
    # valid: 7, 6, 5, 4, 3 -> 4 and 3 are within 3–4: 2 of 5 -> 40.0
    result, n = indicators.pct_range(values(7, 6, 5, 4, 3, 8, 9, NAN), ones(8),
                                     request("pct_range", range=(3, 4)))
    assert result == [(None, pytest.approx(40.0))]
    assert n == 5


def test_distribution_over_the_scale_points():
    # valid: 1, 1, 2, 7 (8, 9, NaN left out) -> 1: 2/4 = 50, 2: 1/4 = 25, 7: 1/4 = 25, others 0
    result, n = indicators.distribution(values(1, 1, 2, 7, 8, 9, NAN), ones(7),
                                        request("distribution"))
    assert result == [(1, 50.0), (2, 25.0), (3, 0.0), (4, 0.0), (5, 0.0), (6, 0.0), (7, 25.0)]
    assert n == 4


def test_distribution_with_non_answers_counts_them_in_the_base():
    # counted: 1, 1, 2, 7, 8 (9 and NaN still left out) -> base 5:
    # 1: 2/5 = 40, 2: 1/5 = 20, 7: 1/5 = 20, 8: 1/5 = 20
    result, n = indicators.distribution(values(1, 1, 2, 7, 8, 9, NAN), ones(7),
                                        request("distribution", include_non_answers=True))
    assert result == [(1, 40.0), (2, 20.0), (3, 0.0), (4, 0.0), (5, 0.0), (6, 0.0), (7, 20.0),
                      (8, 20.0)]
    assert n == 5


def test_weighted_mean_and_unweighted_n():
    # valid: 2 (weight 3) and 6 (weight 1); the 8 (weight 5) is no answer
    # -> (2*3 + 6*1) / (3 + 1) = 12 / 4 = 3.0; n counts answers, not weights: 2
    result, n = indicators.mean(values(2, 6, 8), values(3, 1, 5), request("mean"))
    assert result == [(None, pytest.approx(3.0))]
    assert n == 2


def test_weighted_share_and_unweighted_n():
    # valid: 7 (w 2), 1 (w 1), 5 (w 1); 9 (w 4) is missing.
    # 5–7: 7 and 5 -> (2 + 1) / (2 + 1 + 1) = 3/4 -> 75.0; n 3
    result, n = indicators.pct_range(values(7, 1, 5, 9), values(2, 1, 1, 4),
                                     request("pct_range"))
    assert result == [(None, pytest.approx(75.0))]
    assert n == 3


def test_weighted_distribution():
    # valid: 1 (w 1), 7 (w 3) -> 1: 1/4 = 25, 7: 3/4 = 75; n 2
    result, n = indicators.distribution(values(1, 7), values(1, 3), request("distribution"))
    assert dict(result) == {1: 25.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0, 6: 0.0, 7: 75.0}
    assert n == 2


@pytest.mark.parametrize("name", ["mean", "pct_range", "distribution"])
def test_no_valid_answer_gives_nan_and_n_0(name):
    result, n = indicators.INDICATORS[name](values(8, 9, NAN), ones(3), request(name))
    assert n == 0
    assert result and all(math.isnan(v) for _, v in result)


# -- comparison_table: the country against the comparison group ------------------------------

# NO: 7, 6, 5, plus 8, 9, NaN that are no answers -> valid 7, 6, 5: mean 6.0, 5–7: 3/3 = 100
# SE: 4, 2                                        -> mean 3.0, 5–7: 0/2 = 0
# DE: 6                                           -> mean 6.0, 5–7: 1/1 = 100
THREE_COUNTRIES = frame([("NO", 7), ("SE", 4), ("NO", 6), ("DE", 6), ("NO", 5), ("SE", 2),
                         ("NO", 8), ("NO", 9), ("NO", NAN)])


def test_comparison_table_columns_and_rows():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "all", request("mean"),
                                        min_base=1)
    assert list(table.columns) == indicators.COLUMNS
    assert table["group"].tolist() == ["country", "comparison"]
    assert table["item"].tolist() == ["q", "q"]
    assert table["point"].tolist() == [None, None]


def test_comparison_all_pools_every_respondent_including_the_country():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "all", request("mean"),
                                        min_base=1)
    # country: 7, 6, 5 -> 6.0, n 3 (8, 9, NaN left out)
    assert row(table, "country")["value"] == pytest.approx(6.0)
    assert row(table, "country")["n"] == 3
    # all: 7, 6, 5, 4, 2, 6 -> 30 / 6 = 5.0, n 6
    assert row(table, "comparison")["value"] == pytest.approx(5.0)
    assert row(table, "comparison")["n"] == 6
    assert not table["suppressed"].any()


def test_comparison_others_leaves_the_country_out():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "others",
                                        request("mean"), min_base=1)
    # others: SE 4, 2 and DE 6 -> 12 / 3 = 4.0, n 3
    assert row(table, "comparison")["value"] == pytest.approx(4.0)
    assert row(table, "comparison")["n"] == 3
    assert row(table, "country")["value"] == pytest.approx(6.0)


def test_comparison_country_mean_averages_countries_at_or_above_min_base():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "country_mean",
                                        request("mean"), min_base=2)
    # NO 6.0 (n 3) and SE 3.0 (n 2) reach min_base 2; DE (n 1) does not and is left out
    # -> (6.0 + 3.0) / 2 = 4.5 (with DE it would be 5.0); n = 3 + 2 = 5
    assert row(table, "comparison")["value"] == pytest.approx(4.5)
    assert row(table, "comparison")["n"] == 5
    assert not row(table, "comparison")["suppressed"]


def test_comparison_country_mean_of_shares():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "country_mean",
                                        request("pct_range"), min_base=1)
    # DE 100, NO 100, SE 0 -> (100 + 100 + 0) / 3 = 66.67, n = 1 + 3 + 2 = 6
    assert row(table, "comparison")["value"] == pytest.approx(200 / 3)
    assert row(table, "comparison")["n"] == 6
    assert row(table, "country")["value"] == pytest.approx(100.0)


def test_comparison_country_mean_with_no_country_at_min_base_is_suppressed():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "country_mean",
                                        request("mean"), min_base=4)
    # NO has 3, SE 2, DE 1 valid answers: none reaches 4
    comparison = row(table, "comparison")
    assert comparison["n"] == 0
    assert comparison["suppressed"]
    assert math.isnan(comparison["value"])


def test_comparison_country_mean_of_distributions_point_by_point():
    data = frame([("NO", 1), ("NO", 7), ("SE", 7), ("SE", 7), ("SE", 7), ("SE", 1)])
    table = indicators.comparison_table(data, "country", "NO", "country_mean",
                                        request("distribution"), min_base=2)
    # NO: 1 50 %, 7 50 %; SE: 1 25 %, 7 75 % -> mean of the two: 1 37.5, 7 62.5, others 0
    assert row(table, "comparison", point=1)["value"] == pytest.approx(37.5)
    assert row(table, "comparison", point=7)["value"] == pytest.approx(62.5)
    assert row(table, "comparison", point=4)["value"] == pytest.approx(0.0)
    assert set(table.loc[table["group"] == "comparison", "n"]) == {2 + 4}


def test_comparison_table_pct_range_explicit_and_default():
    data = frame([("NO", 7), ("NO", 4), ("NO", 3), ("NO", 8), ("SE", 5), ("SE", 1)])
    default = indicators.comparison_table(data, "country", "NO", "all", request("pct_range"),
                                          min_base=1)
    # NO valid 7, 4, 3: 5–7 is 1 of 3 -> 33.33; all valid 7, 4, 3, 5, 1: 2 of 5 -> 40.0
    assert row(default, "country")["value"] == pytest.approx(100 / 3)
    assert row(default, "country")["n"] == 3
    assert row(default, "comparison")["value"] == pytest.approx(40.0)
    assert row(default, "comparison")["n"] == 5
    low = indicators.comparison_table(data, "country", "NO", "all",
                                      request("pct_range", range=(1, 3)), min_base=1)
    # 1–3: NO 3 -> 1 of 3 = 33.33; all 3, 1 -> 2 of 5 = 40.0
    assert row(low, "country")["value"] == pytest.approx(100 / 3)
    assert row(low, "comparison")["value"] == pytest.approx(40.0)
    high = indicators.comparison_table(data, "country", "NO", "all",
                                       request("pct_range", range=(7, 7)), min_base=1)
    # 7 only: NO 1 of 3; all 1 of 5 = 20.0
    assert row(high, "country")["value"] == pytest.approx(100 / 3)
    assert row(high, "comparison")["value"] == pytest.approx(20.0)


def test_comparison_table_distribution_with_and_without_non_answers():
    data = frame([("NO", 1), ("NO", 7), ("NO", 8), ("NO", 9), ("SE", 7), ("SE", NAN)])
    plain = indicators.comparison_table(data, "country", "NO", "all", request("distribution"),
                                        min_base=1)
    # one row per point and group: 7 points x 2 groups
    assert len(plain) == 14
    assert plain.loc[plain["group"] == "country", "point"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    # NO valid 1, 7 -> 50 / 50, n 2; all valid 1, 7, 7 -> 1: 33.33, 7: 66.67, n 3
    assert row(plain, "country", point=1)["value"] == pytest.approx(50.0)
    assert row(plain, "country", point=7)["value"] == pytest.approx(50.0)
    assert row(plain, "comparison", point=7)["value"] == pytest.approx(200 / 3)
    assert set(plain.loc[plain["group"] == "country", "n"]) == {2}
    assert set(plain.loc[plain["group"] == "comparison", "n"]) == {3}

    shown = indicators.comparison_table(data, "country", "NO", "all",
                                        request("distribution", include_non_answers=True),
                                        min_base=1)
    assert shown.loc[shown["group"] == "country", "point"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    # NO counted 1, 7, 8 (9 still missing) -> one third each, n 3
    assert row(shown, "country", point=1)["value"] == pytest.approx(100 / 3)
    assert row(shown, "country", point=8)["value"] == pytest.approx(100 / 3)
    assert set(shown.loc[shown["group"] == "country", "n"]) == {3}
    # all: 1, 7, 8, 7 -> 8: 1 of 4 = 25.0, 7: 2 of 4 = 50.0, n 4
    assert row(shown, "comparison", point=8)["value"] == pytest.approx(25.0)
    assert row(shown, "comparison", point=7)["value"] == pytest.approx(50.0)
    assert set(shown.loc[shown["group"] == "comparison", "n"]) == {4}


def test_comparison_table_items_in_request_order():
    data = pd.DataFrame({"country": ["NO", "NO", "SE"], "a": [1, 3, 5], "b": [7, 7, 8]})
    table = indicators.comparison_table(data, "country", "NO", "all",
                                        request("mean", {"second": "b", "first": "a"}),
                                        min_base=1)
    assert table["item"].tolist() == ["second", "second", "first", "first"]
    # b: NO 7, 7 -> 7.0 (n 2); all adds SE's 8, no answer -> 7.0 (n 2)
    assert row(table, "country", "second")["value"] == pytest.approx(7.0)
    assert row(table, "comparison", "second")["n"] == 2
    # a: NO 1, 3 -> 2.0; all 1, 3, 5 -> 3.0
    assert row(table, "country", "first")["value"] == pytest.approx(2.0)
    assert row(table, "comparison", "first")["value"] == pytest.approx(3.0)


def test_comparison_table_weights_align_by_index_and_n_stays_unweighted():
    data = pd.DataFrame({"country": ["SE", "NO", "NO", "NO"], "q": [1, 2, 6, 8]},
                        index=[40, 10, 30, 20])
    # weights given in another order than the rows: matched by index label
    weights = pd.Series({10: 3.0, 20: 5.0, 30: 1.0, 40: 4.0})
    table = indicators.comparison_table(data, "country", "NO", "all", request("mean"),
                                        min_base=1, weights=weights)
    # NO valid: 2 (w 3), 6 (w 1) -> (6 + 6) / 4 = 3.0, n 2
    assert row(table, "country")["value"] == pytest.approx(3.0)
    assert row(table, "country")["n"] == 2
    # all valid: 1 (w 4), 2 (w 3), 6 (w 1) -> (4 + 6 + 6) / 8 = 2.0, n 3
    assert row(table, "comparison")["value"] == pytest.approx(2.0)
    assert row(table, "comparison")["n"] == 3


def test_comparison_table_weighted_share():
    data = frame([("NO", 7), ("NO", 1), ("NO", 5), ("NO", 9)])
    weights = pd.Series([2.0, 1.0, 1.0, 4.0])
    table = indicators.comparison_table(data, "country", "NO", "all", request("pct_range"),
                                        min_base=1, weights=weights)
    # valid 7 (w 2), 1 (w 1), 5 (w 1) -> 5–7 weigh 3 of 4 -> 75.0; n 3 unweighted
    assert row(table, "country")["value"] == pytest.approx(75.0)
    assert row(table, "country")["n"] == 3


# -- suppression and empty groups -------------------------------------------------------------


def test_below_min_base_is_suppressed_and_exactly_min_base_is_shown():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "SE", "all", request("mean"),
                                        min_base=3)
    # SE has 2 valid answers < 3: NaN, suppressed, n still reported
    country = row(table, "country")
    assert math.isnan(country["value"])
    assert country["suppressed"]
    assert country["n"] == 2
    shown = indicators.comparison_table(THREE_COUNTRIES, "country", "NO", "all",
                                        request("mean"), min_base=3)
    # NO has exactly 3 valid answers = min_base: shown
    assert not row(shown, "country")["suppressed"]
    assert row(shown, "country")["value"] == pytest.approx(6.0)


def test_suppression_of_a_distribution_blanks_every_point():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "SE", "all",
                                        request("distribution"), min_base=3)
    country = table[table["group"] == "country"]
    assert len(country) == 7
    assert country["value"].isna().all()
    assert country["suppressed"].all()
    assert set(country["n"]) == {2}


def test_country_without_valid_answers_has_n_0_and_is_suppressed():
    data = frame([("IS", 8), ("IS", 9), ("IS", NAN), ("SE", 5)])
    table = indicators.comparison_table(data, "country", "IS", "others", request("pct_range"),
                                        min_base=1)
    country = row(table, "country")
    assert country["n"] == 0
    assert country["suppressed"]
    assert math.isnan(country["value"])
    # others: SE 5 -> 100.0, n 1
    assert row(table, "comparison")["value"] == pytest.approx(100.0)


def test_country_absent_from_the_data_has_n_0():
    table = indicators.comparison_table(THREE_COUNTRIES, "country", "FI", "all", request("mean"),
                                        min_base=1)
    assert row(table, "country")["n"] == 0
    assert row(table, "country")["suppressed"]
    assert math.isnan(row(table, "country")["value"])
    assert row(table, "comparison")["n"] == 6


# -- country_table: one row per country (rankings) -------------------------------------------


def test_country_table_one_row_per_country_sorted_by_code():
    data = frame([("SE", 5), ("NO", 7), ("IS", 8), ("DE", 1), ("NO", 3), ("SE", 6), ("DE", 2)])
    table = indicators.country_table(data, "country", request("pct_range"), "q", min_base=2)
    assert list(table.columns) == indicators.COLUMNS
    assert table["group"].tolist() == ["DE", "IS", "NO", "SE"]
    assert table["item"].tolist() == ["q"] * 4
    # DE 1, 2 -> 0.0 (n 2); IS only 8 -> n 0, suppressed; NO 7, 3 -> 50.0; SE 5, 6 -> 100.0
    assert table["n"].tolist() == [2, 0, 2, 2]
    assert table["suppressed"].tolist() == [False, True, False, False]
    assert table["value"].iloc[0] == pytest.approx(0.0)
    assert math.isnan(table["value"].iloc[1])
    assert table["value"].iloc[2] == pytest.approx(50.0)
    assert table["value"].iloc[3] == pytest.approx(100.0)


def test_country_table_suppresses_small_countries():
    table = indicators.country_table(THREE_COUNTRIES, "country", request("mean"), "q",
                                     min_base=3)
    # DE n 1, NO n 3, SE n 2 -> only NO (6.0) shown
    assert table["group"].tolist() == ["DE", "NO", "SE"]
    assert table["suppressed"].tolist() == [True, False, True]
    assert table["value"].iloc[1] == pytest.approx(6.0)
    assert table["n"].tolist() == [1, 3, 2]


def test_select_columns_keeps_the_wanted_order():
    items = {"a": "q1", "b": "q2", "c": "q3"}
    assert indicators.select_columns(items, ["c", "a"]) == {"c": "q3", "a": "q1"}
    assert indicators.select_columns(items, None) == items


# -- the walking skeleton: coordination quality, NO against all countries ------------------

ITEMS = ["internal_vertical", "external_vertical_up", "external_vertical_down",
         "external_horizontal", "internal_horizontal"]

# country, then the five items in the order of ITEMS; 8 = can't assess, 9 = missing
SKELETON = pd.DataFrame([
    ("NO", 7, 5, 1, 7, 4),
    ("NO", 6, 5, 2, 7, 4),
    ("NO", 5, 1, 5, 7, 4),
    ("NO", 4, 2, 8, 6, 4),
    ("NO", 3, 8, NAN, 5, 5),
    ("NO", 2, 8, 9, 4, 3),
    ("NO", 5, NAN, 6, 6, 2),
    ("NO", 6, 7, 3, 5, 1),
    ("SE", 5, 6, 8, 1, 5),
    ("SE", 5, 6, 8, 2, 6),
    ("SE", 2, 6, 8, 3, 7),
    ("SE", 1, 1, 7, 4, 5),
    ("SE", 7, 1, 7, NAN, 6),
    ("SE", 9, 1, 1, NAN, 7),
    ("DE", 1, 7, 2, 5, 3),
    ("DE", 2, 7, 2, 5, 3),
    ("DE", 3, 3, 2, 5, 3),
    ("DE", 6, 3, 5, 5, 3),
    ("DE", 4, 8, 9, 5, 6),
    ("DE", 5, NAN, 9, 1, 8),
], columns=["country", *ITEMS])

# Share answering 5–7 among valid answers (1–7), counted by hand per country:
#                          NO          SE          DE          all countries
# internal_vertical        5 of 8      3 of 5      2 of 6      10 of 19
# external_vertical_up     3 of 5      3 of 6      2 of 4       8 of 15
# external_vertical_down   2 of 5      2 of 3      1 of 4       5 of 12
# external_horizontal      7 of 8      0 of 4      5 of 6      12 of 18
# internal_horizontal      1 of 8      6 of 6      1 of 5       8 of 19
SKELETON_NO = {"internal_vertical": (62.5, 8), "external_vertical_up": (60.0, 5),
               "external_vertical_down": (40.0, 5), "external_horizontal": (87.5, 8),
               "internal_horizontal": (12.5, 8)}
SKELETON_ALL = {"internal_vertical": (100 * 10 / 19, 19),  # 52.63
                "external_vertical_up": (100 * 8 / 15, 15),  # 53.33
                "external_vertical_down": (100 * 5 / 12, 12),  # 41.67
                "external_horizontal": (100 * 12 / 18, 18),  # 66.67
                "internal_horizontal": (100 * 8 / 19, 19)}  # 42.11


def test_walking_skeleton_coordination_quality_no_against_all():
    columns = {item: item for item in ITEMS}
    table = indicators.comparison_table(SKELETON, "country", "NO", "all",
                                        request("pct_range", columns, range=(5, 7)), min_base=1)
    assert table["item"].tolist() == [item for item in ITEMS for _ in range(2)]
    for item in ITEMS:
        country, comparison = row(table, "country", item), row(table, "comparison", item)
        assert (country["value"], country["n"]) == (pytest.approx(SKELETON_NO[item][0]),
                                                    SKELETON_NO[item][1]), item
        assert (comparison["value"], comparison["n"]) == (pytest.approx(SKELETON_ALL[item][0]),
                                                          SKELETON_ALL[item][1]), item
    assert not table["suppressed"].any()


def test_walking_skeleton_default_range_is_the_same_as_5_to_7():
    columns = {item: item for item in ITEMS}
    table = indicators.comparison_table(SKELETON, "country", "NO", "all",
                                        request("pct_range", columns), min_base=1)
    got = {item: round(row(table, "country", item)["value"], 2) for item in ITEMS}
    assert got == {"internal_vertical": 62.5, "external_vertical_up": 60.0,
                   "external_vertical_down": 40.0, "external_horizontal": 87.5,
                   "internal_horizontal": 12.5}


# -- bugs -------------------------------------------------------------------------------------


def test_others_and_country_add_up_to_all_when_a_country_cell_is_empty():
    data = pd.DataFrame({"country": pd.array(["NO", "NO", pd.NA, "SE"], dtype="string"),
                         "q": [5.0, 6.0, 7.0, 1.0]})
    everyone = indicators.comparison_table(data, "country", "NO", "all", request("mean"),
                                           min_base=1)
    others = indicators.comparison_table(data, "country", "NO", "others", request("mean"),
                                         min_base=1)
    # 'all' pools 4 answers; NO has 2, so 'others' (all but NO) must hold the other 2
    assert row(everyone, "comparison")["n"] == 4
    assert row(everyone, "country")["n"] == 2
    assert row(others, "comparison")["n"] == 4 - 2


def test_pct_range_default_is_the_top_three_points_of_a_non_consecutive_scale():
    scale = Scale(points=[0, 25, 50, 75, 100], labels={0: {"en": "none"}, 100: {"en": "all"}})
    req = indicators.Request("pct_range", {"q": "q"}, scale)
    # top three points 50, 75, 100: 100, 75, 50 are in, 25 is out -> 3 of 4 = 75.0
    result, n = indicators.pct_range(values(100, 75, 50, 25), ones(4), req)
    assert n == 4
    assert result == [(None, pytest.approx(75.0))]


def test_an_archives_negative_missing_code_is_out_of_every_base():
    # -99 = "No answer" as an archive codes it, declared missing; 8 = can't assess
    archive = Scale(points=[1, 2, 3, 4, 5, 6, 7], labels={1: {"en": "low"}, 7: {"en": "high"}},
                    non_answers={8: {"en": "Can't assess"}}, missing=[-99])
    data = frame([("NO", 7), ("NO", -99), ("NO", 5), ("NO", 8), ("NO", 2), ("NO", -99)])

    def table(indicator: str, **options) -> pd.DataFrame:
        return indicators.comparison_table(
            data, "country", "NO", "all", indicators.Request(indicator, {"q": "q"}, archive,
                                                             **options), min_base=1)

    # valid answers 7, 5, 2: mean 14 / 3, 2 of 3 in 5–7, n 3
    assert row(table("mean"), "country")[["value", "n"]].tolist() == [pytest.approx(14 / 3), 3]
    assert row(table("pct_range"), "country")[["value", "n"]].tolist() == [
        pytest.approx(200 / 3), 3]
    # with can't assess in the base: 4 answers (7, 5, 8, 2), -99 still out
    shown = table("distribution", include_non_answers=True)
    assert row(shown, "country", point=8)[["value", "n"]].tolist() == [25.0, 4]
    assert -99 not in set(shown["point"])
