"""The synthetic COCOPS-style data: reproducible, calibrated, and consistent with the codebook."""

from __future__ import annotations

import runpy
from pathlib import Path

import pandas as pd
import pytest

from generator.survey.codebook import Codebook, load_codebook

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "cocops_synthetic.csv"
CODEBOOK = ROOT / "data" / "codebook.yaml"
SCRIPT = ROOT / "tools" / "make_synthetic_data.py"

COUNTRIES = {"AT", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "HU", "IE", "IS", "IT", "LT", "NL",
             "NO", "PT"}
LANGUAGES = {"en", "nb", "de"}
# Share (%) answering 5-7 among valid answers (1-7): (Norway, all 16 countries pooled).
QUALITY_TARGETS = {
    "internal_vertical": (62, 55),
    "external_vertical_up": (45, 43),
    "external_vertical_down": (32, 36),
    "external_horizontal": (39, 47),
    "internal_horizontal": (41, 33),
}
NORDIC = ["DK", "FI", "IS", "NO"]
SOUTH_EAST = ["ES", "HU", "IT", "PT"]


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(CODEBOOK)[0]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(DATA, encoding="utf-8", keep_default_na=False, na_values=[""])


def column(codebook: Codebook, battery: str, item: str) -> str:
    return codebook.batteries[battery].items[item].column


def valid(series: pd.Series) -> pd.Series:
    """Answers on the 1-7 scale; 8 (can't assess) and empty cells become NaN."""
    return series.where(series.between(1, 7))


def share_high(series: pd.Series) -> float:
    """Percentage answering 5-7 among answers 1-7."""
    answers = series[series.between(1, 7)]
    return 100 * float((answers >= 5).mean())


def quality_mean(data: pd.DataFrame, codebook: Codebook) -> pd.Series:
    columns = [item.column for item in codebook.batteries["coordination_quality"].items.values()]
    return data[columns].apply(valid).mean(axis=1)


def test_script_reproduces_committed_csv(tmp_path: Path, monkeypatch, capsys) -> None:
    out = tmp_path / "again.csv"
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(SCRIPT))["main"](["--out", str(out)])  # its own seeded generator
    assert capsys.readouterr().out.startswith(f"wrote {out} (")
    assert out.read_bytes() == DATA.read_bytes()


def test_codebook_loads_in_three_languages(codebook: Codebook) -> None:
    assert codebook.dataset.synthetic is True
    assert codebook.dataset.fieldwork == "2012\u20132013"  # with an en dash
    assert codebook.dataset.weight_column is None
    assert "synthetic" in codebook.dataset.source["en"].lower()
    assert "syntetisk" in codebook.dataset.source["nb"].lower()
    assert "synthetisch" in codebook.dataset.source["de"].lower()
    texts = [codebook.dataset.name, codebook.dataset.source]
    for var in codebook.background.values():
        texts += [var.label, *var.values.values()]
    for scale in codebook.scales.values():
        texts += [*scale.labels.values(), *scale.non_answers.values()]
        assert scale.points == [1, 2, 3, 4, 5, 6, 7]
        assert set(scale.non_answers) == {8}
    for battery in codebook.batteries.values():
        texts += [battery.question, *(item.label for item in battery.items.values())]
    for text in texts:
        assert set(text) == LANGUAGES, text
        assert all(value.strip() for value in text.values()), text


def test_codebook_keys_the_deck_refers_to(codebook: Codebook) -> None:
    assert list(codebook.batteries) == [
        "reform_trends", "coordination_importance", "role_identity", "performance",
        "coordination_practice", "coordination_quality"]
    quality = codebook.batteries["coordination_quality"].items
    assert list(quality) == list(QUALITY_TARGETS)
    assert [item.label["nb"] for item in quality.values()] == [
        "Intern vertikal", "Ekstern vertikal (oppad)", "Ekstern vertikal (nedad)",
        "Ekstern horisontal", "Intern horisontal"]
    assert list(codebook.batteries["coordination_practice"].items) == [
        "refer_up_hierarchy", "refer_political", "special_bodies", "cross_cutting_groups",
        "lead_organisation", "consult_experts"]
    assert "work_together" in codebook.batteries["role_identity"].items
    assert len(codebook.batteries["coordination_importance"].items) == 1
    assert {b.column for b in codebook.background.values()} == {"field", "level", "org_type"}


def test_columns_follow_the_codebook(data: pd.DataFrame, codebook: Codebook) -> None:
    items = [item.column for battery in codebook.batteries.values()
             for item in battery.items.values()]
    assert list(data.columns) == ["id", "country", "field", "level", "org_type", *items]
    assert data["id"].tolist() == list(range(1, len(data) + 1))
    for name in ("field", "level", "org_type"):
        assert set(data[name]) == {1, 2, 3}
    answers = pd.Series(data[items].to_numpy().ravel()).dropna()
    assert set(answers.unique()) == set(range(1, 9))


def test_respondents_and_countries(data: pd.DataFrame) -> None:
    assert len(data) == 7749
    assert set(data["country"]) == COUNTRIES
    sizes = data["country"].value_counts()
    assert 380 <= sizes["NO"] <= 480
    assert sizes.min() >= 200 and sizes.idxmin() in {"IS", "EE", "LT"}
    assert sizes.idxmax() in {"FR", "DE", "IT", "ES", "GB"}


def test_response_rates(data: pd.DataFrame, codebook: Codebook) -> None:
    invited = codebook.dataset.invited
    assert set(invited) == COUNTRIES
    sizes = data["country"].value_counts()
    assert round(100 * sizes["NO"] / invited["NO"]) == 34
    assert round(100 * len(data) / sum(invited.values())) == 27
    assert all(0 < sizes[c] < invited[c] for c in COUNTRIES)


@pytest.mark.parametrize("item", list(QUALITY_TARGETS))
def test_coordination_quality_is_calibrated(data: pd.DataFrame, codebook: Codebook,
                                            item: str) -> None:
    target_no, target_all = QUALITY_TARGETS[item]
    answers = data[column(codebook, "coordination_quality", item)]
    assert share_high(answers[data["country"] == "NO"]) == pytest.approx(target_no, abs=1)
    assert share_high(answers) == pytest.approx(target_all, abs=1)


def test_non_answers_and_missing_are_realistic(data: pd.DataFrame, codebook: Codebook) -> None:
    for battery in codebook.batteries.values():
        for item in battery.items.values():
            answers = data[item.column]
            assert 0.005 <= answers.isna().mean() <= 0.04, item.column
            assert (answers == 8).mean() <= 0.08, item.column
    quality = codebook.batteries["coordination_quality"].items
    cant = {key: (data[item.column] == 8).mean() for key, item in quality.items()}
    assert all(0.015 <= share <= 0.08 for share in cant.values())
    assert cant["external_vertical_down"] > cant["internal_vertical"]


def test_items_of_a_battery_correlate(data: pd.DataFrame, codebook: Codebook) -> None:
    for key in ("reform_trends", "role_identity", "performance", "coordination_quality"):
        columns = [item.column for item in codebook.batteries[key].items.values()]
        corr = data[columns].apply(valid).corr()
        mean_r = (corr.sum().sum() - len(columns)) / (len(columns) * (len(columns) - 1))
        assert mean_r > 0.1, key


def test_importance_goes_with_better_coordination(data: pd.DataFrame,
                                                  codebook: Codebook) -> None:
    importance = valid(data[column(codebook, "coordination_importance", "importance")])
    assert importance.corr(quality_mean(data, codebook)) > 0.1


def test_horizontal_instruments_go_with_better_coordination(data: pd.DataFrame,
                                                            codebook: Codebook) -> None:
    quality = quality_mean(data, codebook)
    groups = valid(data[column(codebook, "coordination_practice", "cross_cutting_groups")])
    hierarchy = valid(data[column(codebook, "coordination_practice", "refer_up_hierarchy")])
    assert groups.corr(quality) > 0.1
    assert abs(hierarchy.corr(quality)) < 0.05


def test_countries_differ(data: pd.DataFrame, codebook: Codebook) -> None:
    transparency = valid(data[column(codebook, "reform_trends", "transparency")])
    performance = data[[item.column for item in codebook.batteries["performance"].items.values()]]
    frame = pd.DataFrame({"country": data["country"], "transparency": transparency,
                          "performance": performance.apply(valid).mean(axis=1)})
    means = frame.groupby("country")[["transparency", "performance"]].mean()
    nordic, south_east = means.loc[NORDIC].mean(), means.loc[SOUTH_EAST].mean()
    assert nordic["transparency"] - south_east["transparency"] > 0.3
    assert nordic["performance"] - south_east["performance"] > 0.4
