"""Tests, intervals and corrections against hand computation and scipy/statsmodels.

The hand-made cases are small enough to follow on paper; the shipped-data cases
run the generator's path (`indicators.add_statistics`) and recompute every
number with scipy or statsmodels from the raw answers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from generator.survey import indicators, significance
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey

# -- hand-made: two shares -------------------------------------------------------------
# country: 10 answers, 7 inside the range -> p1 = 0.7; the rest: 20 answers, 8 inside ->
# p2 = 0.4. Pooled p = 15/30 = 0.5; se = sqrt(0.5 * 0.5 * (1/10 + 1/20)) = sqrt(0.0375)
# = 0.1936492; z = 0.3 / 0.1936492 = 1.549193; two-sided p = 2 * (1 - Phi(1.549193)) = 0.12134
SHARE_A = np.array([1] * 7 + [0] * 3)
SHARE_B = np.array([1] * 8 + [0] * 12)


def test_two_proportion_z_by_hand_and_statsmodels():
    from statsmodels.stats.proportion import proportions_ztest

    a = significance.estimate(SHARE_A, proportion=True)
    b = significance.estimate(SHARE_B, proportion=True)
    assert (a.value, a.n, a.n_eff, b.value) == (0.7, 10, 10.0, 0.4)
    result = significance.two_proportion_z(a, b)
    assert result.statistic == pytest.approx(1.549193, abs=1e-6)
    assert result.p_value == pytest.approx(0.12134, abs=1e-5)
    assert result.df is None
    z, p = proportions_ztest([7, 8], [10, 20])
    assert result.statistic == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-12)


# -- hand-made: two means ----------------------------------------------------------------
# country [5, 6, 7, 4, 6]: mean 5.6, squared deviations 0.36 + 0.16 + 1.96 + 2.56 + 0.16 =
# 5.2, variance 5.2 / 4 = 1.3. The rest [3, 4, 5, 4, 2, 6]: mean 4, squared deviations
# 1 + 0 + 1 + 0 + 4 + 4 = 10, variance 10 / 5 = 2. se = sqrt(1.3/5 + 2/6) = sqrt(0.593333)
# = 0.7702813; t = 1.6 / 0.7702813 = 2.077163; Welch df = 0.593333² / (0.26²/4 + 0.333333²/5)
# = 0.352044 / 0.0391222 = 8.99858.
MEAN_A = np.array([5, 6, 7, 4, 6])
MEAN_B = np.array([3, 4, 5, 4, 2, 6])


def test_welch_t_by_hand_and_scipy():
    from scipy import stats as scipy_stats

    a, b = significance.estimate(MEAN_A), significance.estimate(MEAN_B)
    assert a.value == pytest.approx(5.6) and a.var == pytest.approx(1.3)
    assert b.value == pytest.approx(4.0) and b.var == pytest.approx(2.0)
    result = significance.welch_t(a, b)
    assert result.statistic == pytest.approx(2.077163, abs=1e-6)
    assert result.df == pytest.approx(8.99858, abs=1e-4)
    expected = scipy_stats.ttest_ind(MEAN_A, MEAN_B, equal_var=False)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-10)
    assert result.p_value == pytest.approx(0.0676, abs=1e-4)


# -- hand-made: weights ------------------------------------------------------------------
# weights [1, 2, 1, 1, 1]: Σw = 6, Σw² = 8, Kish n_eff = 36 / 8 = 4.5; weighted mean
# (5 + 12 + 7 + 4 + 6) / 6 = 34 / 6 = 5.666667.
WEIGHTS_A = np.array([1, 2, 1, 1, 1])
WEIGHTS_B = np.array([0.5, 1, 1, 2, 1, 0.5])


def _as_effective(weights: np.ndarray) -> np.ndarray:
    """Weights rescaled to sum to Kish's n_eff: statsmodels' frequency weights then give
    nobs = n_eff, so its tests are the effective-base tests computed independently."""
    return weights * significance.kish_n_eff(weights) / weights.sum()


def test_kish_effective_base_and_weighted_mean_by_hand():
    a = significance.estimate(MEAN_A, WEIGHTS_A)
    assert significance.kish_n_eff(WEIGHTS_A) == pytest.approx(4.5)
    assert (a.n, a.n_eff) == (5, pytest.approx(4.5))
    assert a.value == pytest.approx(34 / 6)
    assert significance.kish_n_eff(np.ones(7)) == pytest.approx(7.0)


def test_weighted_welch_matches_statsmodels_on_effective_weights():
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    a = significance.estimate(MEAN_A, WEIGHTS_A)
    b = significance.estimate(MEAN_B, WEIGHTS_B)
    result = significance.welch_t(a, b)
    compare = CompareMeans(DescrStatsW(MEAN_A, weights=_as_effective(WEIGHTS_A)),
                           DescrStatsW(MEAN_B, weights=_as_effective(WEIGHTS_B)))
    t, p, df = compare.ttest_ind(usevar="unequal")
    assert (result.statistic, result.p_value, result.df) == (
        pytest.approx(t, rel=1e-10), pytest.approx(p, rel=1e-10), pytest.approx(df, rel=1e-10))


def test_weighted_share_z_matches_statsmodels_on_effective_counts():
    from statsmodels.stats.proportion import proportions_ztest

    weights_a = np.array([2, 1, 1, 1, 1, 1, 1, 3, 1, 1])
    weights_b = np.linspace(0.5, 1.5, 20)
    a = significance.estimate(SHARE_A, weights_a, proportion=True)
    b = significance.estimate(SHARE_B, weights_b, proportion=True)
    # weighted share: (2 + 1·6) / 13 = 8/13 inside; n_eff = 13² / 21 = 8.047619
    assert a.value == pytest.approx(8 / 13) and a.n_eff == pytest.approx(169 / 21)
    result = significance.two_proportion_z(a, b)
    z, p = proportions_ztest([a.value * a.n_eff, b.value * b.n_eff], [a.n_eff, b.n_eff])
    assert result.statistic == pytest.approx(z, rel=1e-10)
    assert result.p_value == pytest.approx(p, rel=1e-10)


# -- intervals ---------------------------------------------------------------------------
def test_wilson_interval_by_hand_and_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    # p = 0.7, n = 10, z = 1.959964: centre (0.7 + 0.192073) / 1.384146 = 0.644493,
    # half-width 1.415994 · sqrt(0.021 + 0.0096036) = 0.247722 -> [0.396771, 0.892215]
    low, high = significance.wilson_interval(significance.estimate(SHARE_A, proportion=True),
                                             0.95)
    assert (low, high) == (pytest.approx(0.396771, abs=1e-5), pytest.approx(0.892215, abs=1e-5))
    expected = proportion_confint(7, 10, alpha=0.05, method="wilson")
    assert (low, high) == (pytest.approx(expected[0], rel=1e-10),
                           pytest.approx(expected[1], rel=1e-10))


def test_t_interval_by_hand_and_statsmodels():
    from statsmodels.stats.weightstats import DescrStatsW

    # 5.6 ± t(0.975, 4) · sqrt(1.3 / 5) = 5.6 ± 2.776445 · 0.509902 = 5.6 ± 1.415715
    # = [4.184285, 7.015715]
    low, high = significance.t_interval(significance.estimate(MEAN_A), 0.95)
    assert (low, high) == (pytest.approx(4.184285, abs=1e-5), pytest.approx(7.015715, abs=1e-5))
    weighted = significance.t_interval(significance.estimate(MEAN_A, WEIGHTS_A), 0.90)
    expected = DescrStatsW(MEAN_A, weights=_as_effective(WEIGHTS_A)).tconfint_mean(alpha=0.10)
    assert weighted == (pytest.approx(expected[0], rel=1e-10),
                        pytest.approx(expected[1], rel=1e-10))


# -- corrections -------------------------------------------------------------------------
P_VALUES = [0.01, 0.04, 0.03, 0.20, math.nan, 0.005]


@pytest.mark.parametrize(("method", "statsmodels_name", "by_hand"), [
    # Holm, sorted 0.005 0.01 0.03 0.04 0.20 (m = 5): ×5 ×4 ×3 ×2 ×1, running maximum
    ("holm", "holm", [0.04, 0.09, 0.09, 0.20, math.nan, 0.025]),
    # BH: p·m/rank = 0.025 0.025 0.05 0.05 0.20, running minimum from the largest
    ("bh", "fdr_bh", [0.025, 0.05, 0.05, 0.20, math.nan, 0.025]),
])
def test_corrections_by_hand_and_statsmodels(method, statsmodels_name, by_hand):
    from statsmodels.stats.multitest import multipletests

    adjusted = significance.adjust(P_VALUES, method)
    tested = [p for p in P_VALUES if not math.isnan(p)]
    expected = iter(multipletests(tested, method=statsmodels_name)[1])
    for got, hand, p in zip(adjusted, by_hand, P_VALUES, strict=True):
        if math.isnan(p):
            assert math.isnan(got)
            continue
        assert got == pytest.approx(hand, abs=1e-12)
        assert got == pytest.approx(next(expected), abs=1e-12)


def test_no_correction_keeps_the_p_values():
    assert significance.adjust([0.2, 0.01], None) == [0.2, 0.01]


# -- the shipped data, through the generator's own path ---------------------------------
@pytest.fixture(scope="module")
def shipped():
    codebook, source = load_codebook(ROOT / "data" / "codebook.yaml")
    survey = load_survey(ROOT / "data" / "cocops_synthetic.csv", codebook, source)
    return survey


def _quality_request(shipped, indicator: str) -> indicators.Request:
    codebook = shipped.codebook
    battery = codebook.batteries["coordination_quality"]
    return indicators.Request(indicator, {k: i.column for k, i in battery.items.items()},
                              codebook.scales[battery.scale],
                              (5, 7) if indicator == "pct_range" else None)


def _statistics_table(shipped, indicator: str, weights: pd.Series | None):
    frame = shipped.frame
    request = _quality_request(shipped, indicator)
    in_country = frame["country"].eq("NO")
    table = indicators.comparison_table(frame, "country", "NO", "all", request, 30, weights)
    stats = indicators.Statistics(alpha=0.05, ci=0.95, min_base=30)
    table = indicators.add_statistics(table, frame, {"country": in_country},
                                      {"country": ~in_country}, request, stats, weights)
    return request, table.set_index(["group", "item"])


def _valid(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].isin(range(1, 8))


def test_shipped_means_match_scipy_welch(shipped):
    from scipy import stats as scipy_stats
    from statsmodels.stats.weightstats import DescrStatsW

    frame = shipped.frame
    request, table = _statistics_table(shipped, "mean", None)
    for item, column in request.columns.items():
        # in float64, as the generator computes: scipy keeps float32 input in float32
        norway = frame[(frame["country"] == "NO") & _valid(frame, column)][column].astype(float)
        others = frame[(frame["country"] != "NO") & _valid(frame, column)][column].astype(float)
        expected = scipy_stats.ttest_ind(norway, others, equal_var=False)
        row = table.loc[("country", item)]
        assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
        assert row["significant"] == (expected.pvalue < 0.05)
        assert row["direction"] == (0 if expected.pvalue >= 0.05
                                    else int(np.sign(expected.statistic)))
        low, high = DescrStatsW(norway.to_numpy(float)).tconfint_mean(alpha=0.05)
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_shipped_shares_match_statsmodels_z(shipped):
    from statsmodels.stats.proportion import proportion_confint, proportions_ztest

    frame = shipped.frame
    request, table = _statistics_table(shipped, "pct_range", None)
    significant = []
    for item, column in request.columns.items():
        groups = [frame[(frame["country"] == "NO") & _valid(frame, column)][column],
                  frame[(frame["country"] != "NO") & _valid(frame, column)][column]]
        counts = [int(g.between(5, 7).sum()) for g in groups]
        z, p = proportions_ztest(counts, [len(g) for g in groups])
        row = table.loc[("country", item)]
        assert row["p_value"] == pytest.approx(p, rel=1e-9)
        low, high = proportion_confint(counts[0], len(groups[0]), alpha=0.05, method="wilson")
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(100 * low),
                                                   pytest.approx(100 * high))
        if p < 0.05:
            significant.append((item, int(np.sign(z))))
    marked = table[table["significant"]].reset_index()
    assert list(zip(marked["item"], marked["direction"], strict=True)) == significant
    # the shipped data: Norway higher on internal vertical and internal horizontal,
    # lower on external horizontal (62 % vs 55 %, 41 % vs 33 %, 39 % vs 47 %)
    assert significant == [("internal_vertical", 1), ("external_horizontal", -1),
                           ("internal_horizontal", 1)]


@pytest.fixture(scope="module")
def weighted(shipped):
    """A test copy of the shipped data with a weight column: 0.5, 1, 1.5 or 2 by id."""
    frame = shipped.frame.copy()
    ids = pd.read_csv(ROOT / "data" / "cocops_synthetic.csv", usecols=["id"])["id"]
    frame["weight"] = 0.5 + 0.5 * (ids.to_numpy() % 4)  # id is not a codebook column
    return frame


def test_shipped_weighted_means_match_statsmodels(shipped, weighted):
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    frame = weighted
    request = _quality_request(shipped, "mean")
    in_country = frame["country"].eq("NO")
    table = indicators.comparison_table(frame, "country", "NO", "others", request, 30,
                                        frame["weight"])
    table = indicators.add_statistics(
        table, frame, {"country": in_country, "comparison": ~in_country},
        {"country": ~in_country}, request, indicators.Statistics(alpha=0.05, ci=0.95),
        frame["weight"]).set_index(["group", "item"])
    for item, column in request.columns.items():
        parts = [frame[mask & _valid(frame, column)] for mask in (in_country, ~in_country)]
        described = [DescrStatsW(part[column].to_numpy(float),
                                 weights=_as_effective(part["weight"].to_numpy(float)))
                     for part in parts]
        _, p, _ = CompareMeans(*described).ttest_ind(usevar="unequal")
        row = table.loc[("country", item)]
        assert row["value"] == pytest.approx(described[0].mean)
        assert row["n"] == len(parts[0])  # the base stays the unweighted count
        assert row["p_value"] == pytest.approx(p, rel=1e-9)
        low, high = described[1].tconfint_mean(alpha=0.05)
        other = table.loc[("comparison", item)]
        assert (other["ci_low"], other["ci_high"]) == (pytest.approx(low), pytest.approx(high))
        assert math.isnan(other["p_value"])  # only the country is tested


def test_shipped_weighted_shares_match_statsmodels(shipped, weighted):
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import proportions_ztest

    frame = weighted
    request = _quality_request(shipped, "pct_range")
    in_country = frame["country"].eq("NO")
    table = indicators.comparison_table(frame, "country", "NO", "all", request, 30,
                                        frame["weight"])
    table = indicators.add_statistics(
        table, frame, {"country": in_country}, {"country": ~in_country}, request,
        indicators.Statistics(alpha=0.05, correction="holm"),
        frame["weight"]).set_index(["group", "item"])
    raw = []
    for _item, column in request.columns.items():
        shares = []
        for mask in (in_country, ~in_country):
            part = frame[mask & _valid(frame, column)]
            w = part["weight"].to_numpy(float)
            n_eff = w.sum() ** 2 / (w**2).sum()
            share = float(np.average(part[column].between(5, 7), weights=w))
            shares.append((share * n_eff, n_eff))
        raw.append(proportions_ztest([c for c, _ in shares], [n for _, n in shares])[1])
    holm = multipletests(raw, method="holm")[1]
    got = [table.loc[("country", item), "p_value"] for item in request.columns]
    assert got == [pytest.approx(p, rel=1e-9) for p in holm]


def test_suppressed_and_small_bases():
    # 3 answers in the country (below min_base 5): suppressed, untested; the rest has 6.
    frame = pd.DataFrame({"country": ["NO"] * 3 + ["SE"] * 6,
                          "q": [7, 6, 1, 2, 3, 7, 4, 5, 1]})
    scale = load_codebook(ROOT / "data" / "codebook.yaml")[0].scales["quality7"]
    request = indicators.Request("mean", {"q": "q"}, scale)
    in_country = frame["country"].eq("NO")
    table = indicators.comparison_table(frame, "country", "NO", "all", request, 5)
    table = indicators.add_statistics(table, frame, {"country": in_country, "comparison":
                                                     pd.Series(True, index=frame.index)},
                                      {"country": ~in_country}, request,
                                      indicators.Statistics(alpha=0.05, ci=0.95, warn_base=20,
                                                            min_base=5))
    country = table[table["group"] == "country"].iloc[0]
    assert bool(country["suppressed"]) and math.isnan(country["p_value"])
    assert math.isnan(country["ci_low"]) and not country["small_base"]
    everyone = table[table["group"] == "comparison"].iloc[0]
    # 9 answers, at least min_base 5 but below warn_base 20: shown, marked
    assert everyone["n"] == 9 and bool(everyone["small_base"])
    assert everyone["value"] == pytest.approx(36 / 9)


def test_shipped_statistics_themselves_match_scipy_and_statsmodels(shipped, weighted):
    """z and t (not only p) on every coordination-quality item, unweighted and weighted."""
    from scipy import stats as scipy_stats
    from statsmodels.stats.proportion import proportions_ztest
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    frame = weighted
    request = _quality_request(shipped, "mean")
    for column in request.columns.values():
        parts = [frame[mask & _valid(frame, column)]
                 for mask in (frame["country"] == "NO", frame["country"] != "NO")]
        values = [p[column].to_numpy(float) for p in parts]
        weights = [p["weight"].to_numpy(float) for p in parts]
        t = significance.welch_t(*(significance.estimate(v) for v in values))
        expected = scipy_stats.ttest_ind(*values, equal_var=False)
        assert t.statistic == pytest.approx(expected.statistic, rel=1e-10)
        t_w = significance.welch_t(*(significance.estimate(v, w)
                                     for v, w in zip(values, weights, strict=True)))
        stat, _, df = CompareMeans(*(DescrStatsW(v, weights=_as_effective(w))
                                     for v, w in zip(values, weights, strict=True))
                                   ).ttest_ind(usevar="unequal")
        assert (t_w.statistic, t_w.df) == (pytest.approx(stat, rel=1e-10),
                                           pytest.approx(df, rel=1e-10))
        inside = [(v >= 5).astype(float) for v in values]
        z = significance.two_proportion_z(*(significance.estimate(x, proportion=True)
                                            for x in inside))
        expected_z, _ = proportions_ztest([int(x.sum()) for x in inside],
                                          [len(x) for x in inside])
        assert z.statistic == pytest.approx(expected_z, rel=1e-10)
        shares = [significance.estimate(x, w, proportion=True)
                  for x, w in zip(inside, weights, strict=True)]
        z_w = significance.two_proportion_z(*shares)
        expected_zw, _ = proportions_ztest([s.value * s.n_eff for s in shares],
                                           [s.n_eff for s in shares])
        assert z_w.statistic == pytest.approx(expected_zw, rel=1e-10)
        assert shares[0].n_eff < shares[0].n  # unequal weights cost precision
