"""survey/regression.py and survey/association.py: OLS/WLS with HC1 and clustered
standard errors and country fixed effects, checked against statsmodels on hand-made
data with the numbers written out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from generator.survey.association import (
    CategoryPredictor,
    ItemPredictor,
    Model,
    associate,
)
from generator.survey.regression import country_effects, fit

# 15 respondents in three countries: two 1–7 predictors, an outcome of two 1–7 items
# (its index is their mean), a weight, and a level (1 or 2)
ROWS = [
    # country, x1, x2, y1, y2, weight, level
    ("AA", 1, 4, 2, 3, 1.0, 1), ("AA", 2, 5, 3, 3, 2.0, 2), ("AA", 3, 3, 3, 4, 0.5, 1),
    ("AA", 5, 6, 5, 6, 1.5, 2), ("AA", 6, 2, 4, 5, 1.0, 1),
    ("BB", 2, 7, 4, 4, 1.0, 2), ("BB", 4, 1, 3, 2, 3.0, 1), ("BB", 5, 5, 6, 5, 1.0, 2),
    ("BB", 7, 3, 6, 7, 0.5, 1), ("BB", 1, 2, 1, 2, 1.0, 2),
    ("CC", 3, 6, 5, 4, 2.0, 1), ("CC", 6, 5, 7, 6, 1.0, 2), ("CC", 2, 2, 2, 3, 1.0, 1),
    ("CC", 4, 4, 4, 5, 0.5, 2), ("CC", 7, 7, 7, 7, 1.5, 1),
]
FRAME = pd.DataFrame(ROWS, columns=["country", "x1", "x2", "y1", "y2", "w", "level"])
POINTS = tuple(range(1, 8))


def statsmodels_fit(frame: pd.DataFrame, pooled: bool, weights: bool, cov: str, **kwargs):
    x = frame[["x1", "x2"]].astype(float)
    if pooled:
        x = pd.concat([x, pd.get_dummies(frame["country"], drop_first=True, dtype=float)],
                      axis=1)
    x = sm.add_constant(x)
    y = (frame["y1"] + frame["y2"]) / 2
    model = sm.WLS(y, x, weights=frame["w"]) if weights else sm.OLS(y, x)
    return model.fit(cov_type=cov, **kwargs)


def design(frame: pd.DataFrame, pooled: bool) -> tuple[np.ndarray, np.ndarray]:
    effects = country_effects(frame["country"].to_numpy())[0] if pooled else np.zeros(
        (len(frame), 0))
    x = np.column_stack([np.ones(len(frame)), frame[["x1", "x2"]].to_numpy(float), effects])
    return (frame["y1"] + frame["y2"]).to_numpy(float) / 2, x


@pytest.mark.parametrize("weights", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("pooled", [True, False], ids=["pooled", "one-country"])
def test_hc1_matches_statsmodels(pooled, weights):
    frame = FRAME if pooled else FRAME[FRAME["country"].isin(["AA", "BB"])]
    y, x = design(frame, pooled)
    ours = fit(y, x, frame["w"].to_numpy() if weights else None, "hc1")
    theirs = statsmodels_fit(frame, pooled, weights, "HC1")
    np.testing.assert_allclose(ours.coefficients, theirs.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.standard_errors, theirs.bse.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.p_values, theirs.pvalues.to_numpy(), rtol=1e-9)
    low, high = ours.interval(0.95)
    np.testing.assert_allclose(np.column_stack([low, high]), theirs.conf_int().to_numpy(),
                               rtol=1e-10)
    assert ours.r_squared == pytest.approx(theirs.rsquared, rel=1e-10)
    assert ours.n == len(frame)


@pytest.mark.parametrize("weights", [False, True], ids=["unweighted", "weighted"])
def test_clustered_by_country_matches_statsmodels(weights):
    y, x = design(FRAME, pooled=True)
    groups = FRAME["country"].to_numpy()
    ours = fit(y, x, FRAME["w"].to_numpy() if weights else None, "cluster", groups)
    theirs = statsmodels_fit(FRAME, True, weights, "cluster",
                             cov_kwds={"groups": pd.factorize(FRAME["country"])[0]})
    np.testing.assert_allclose(ours.coefficients, theirs.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.standard_errors, theirs.bse.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.p_values, theirs.pvalues.to_numpy(), rtol=1e-9)
    assert ours.clusters == 3


def test_the_numbers_of_the_pooled_model_written_out():
    """The pooled, unweighted HC1 fit of the data above, as statsmodels prints it:
    constant, x1, x2, then the effects of BB and CC against AA."""
    y, x = design(FRAME, pooled=True)
    ours = fit(y, x)
    assert ours.coefficients.round(4).tolist() == [0.0966, 0.6592, 0.3655, 0.0825, 0.2484]
    assert ours.standard_errors.round(4).tolist() == [0.3348, 0.0587, 0.0596, 0.2471, 0.1838]
    assert ours.p_values.round(4).tolist() == [0.7729, 0.0, 0.0, 0.7384, 0.1765]
    assert round(ours.r_squared, 4) == 0.959


def test_an_exact_line_has_zero_error():
    x = np.column_stack([np.ones(5), [1.0, 2, 3, 4, 5]])
    result = fit(1 + 2 * x[:, 1], x)
    assert result.coefficients.round(12).tolist() == [1.0, 2.0]
    assert result.standard_errors.round(12).tolist() == [0.0, 0.0]
    assert result.r_squared == 1.0


def test_clusters_need_two():
    y, x = design(FRAME[FRAME["country"] == "AA"], pooled=False)
    with pytest.raises(ValueError, match="two clusters"):
        fit(y, x, errors="cluster", clusters=np.array(["AA"] * 5))


# -- association: who counts, what is left out -------------------------------------------

def model(**settings) -> Model:
    return Model(outcome={"y1": "y1", "y2": "y2"}, outcome_points=POINTS,
                 items=(ItemPredictor("x1", "x1", POINTS), ItemPredictor("x2", "x2", POINTS)),
                 **{"min_base": 3, **settings})


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_pooled_association_is_the_fixed_effects_model(weighted):
    result = associate(FRAME, "country", "AA", model(), FRAME["w"] if weighted else None)
    theirs = statsmodels_fit(FRAME, True, weighted, "HC1")
    assert result.table["item"].tolist() == ["x1", "x2"]
    np.testing.assert_allclose(result.table["value"], theirs.params[["x1", "x2"]], rtol=1e-10)
    np.testing.assert_allclose(result.table["se"], theirs.bse[["x1", "x2"]], rtol=1e-10)
    np.testing.assert_allclose(result.table["p_value"], theirs.pvalues[["x1", "x2"]],
                               rtol=1e-9)
    assert (result.n, result.countries, result.group) == (15, 3, "pooled")
    assert result.table["n"].tolist() == [15, 15]


def test_association_within_one_country():
    result = associate(FRAME, "country", "BB", model(scope="country"))
    theirs = statsmodels_fit(FRAME[FRAME["country"] == "BB"], False, False, "HC1")
    np.testing.assert_allclose(result.table["value"], theirs.params[["x1", "x2"]], rtol=1e-10)
    np.testing.assert_allclose(result.table["se"], theirs.bse[["x1", "x2"]], rtol=1e-10)
    assert (result.n, result.countries, result.group) == (5, 1, "BB")


def test_only_respondents_with_every_answer_valid_count():
    frame = FRAME.copy()
    frame.loc[0, "y2"] = 8  # "can't assess": not on the scale
    frame.loc[1, "x1"] = np.nan
    result = associate(frame, "country", "AA", model())
    theirs = statsmodels_fit(FRAME.drop(index=[0, 1]), True, False, "HC1")
    assert result.n == 13
    np.testing.assert_allclose(result.table["value"], theirs.params[["x1", "x2"]], rtol=1e-10)


def test_a_predictor_with_too_few_answers_is_left_out_and_said():
    frame = FRAME.copy()
    frame.loc[2:, "x2"] = np.nan  # only two respondents answered x2
    result = associate(frame, "country", "AA", model())
    assert result.left_out == [("x2", 2)]
    assert result.table["item"].tolist() == ["x1"]
    assert result.n == 15


def test_too_few_respondents_fit_no_model():
    result = associate(FRAME, "country", "AA", model(min_base=16))
    assert result.table.empty and result.n == 15


def test_background_categories_against_the_first_code():
    categories = (CategoryPredictor("level", "level", (1, 2)),)
    result = associate(FRAME, "country", "AA", model(categories=categories))
    x = pd.concat([FRAME[["x1", "x2"]].astype(float),
                   (FRAME["level"] == 2).astype(float).rename("level=2"),
                   pd.get_dummies(FRAME["country"], drop_first=True, dtype=float)], axis=1)
    theirs = sm.OLS((FRAME["y1"] + FRAME["y2"]) / 2, sm.add_constant(x)).fit(cov_type="HC1")
    assert result.table["item"].tolist() == ["x1", "x2", "level=2"]
    np.testing.assert_allclose(result.table["value"], theirs.params[["x1", "x2", "level=2"]],
                               rtol=1e-10)
