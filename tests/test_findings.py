"""plan/findings.py: sentences made from results, per language, claiming no more than
the tests support."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from generator.charts.data import ChartData
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase
from generator.plan.findings import association_findings, comparison_findings, p_text

NBSP = "\u00a0"


def chart(rows: list[tuple], language: str, kind: str = "percent",
          significance: float | None = 0.05) -> ChartData:
    """A chart's table: (item, country value, its n, rest value, p, small base)."""
    table = []
    for item, value, n, rest, p, small in rows:
        significant = p is not None and p < 0.05
        table.append({"group": "country", "item": item, "point": None, "value": value,
                      "n": n, "suppressed": False, "p_value": math.nan if p is None else p,
                      "significant": significant,
                      "direction": (1 if value > rest else -1) if significant else 0,
                      "small_base": small, "rest_value": rest})
        table.append({"group": "comparison", "item": item, "point": None, "value": rest,
                      "n": 5000, "suppressed": False, "p_value": math.nan,
                      "significant": False, "direction": 0, "small_base": False,
                      "rest_value": math.nan})
    names = {"nb": "Norge", "en": "Norway", "de": "Norwegen", "da": "Norge"}
    return ChartData(kind="bar", table=pd.DataFrame(table),
                     item_labels={"iv": "Intern vertikal", "eh": "Ekstern horisontal"},
                     value_kind=kind, scale_points=tuple(range(1, 8)), country_code="NO",
                     country_label=names[language], comparison_label="Alle", source="",
                     min_base=30, width_px=600, height_px=400, significance=significance,
                     language=DeckLocale(language).tag)


def sentences(data: ChartData, language: str) -> list[str]:
    locale = DeckLocale(language)
    return [p.text for p in comparison_findings(data, locale, locale.phrase, "5–7")]


BOTH = [("iv", 62.0, 416, 55.0, 0.009, False), ("eh", 39.0, 398, 47.0, 0.0004, False)]


def test_both_directions_in_norwegian_with_the_figures_and_p():
    assert sentences(chart(BOTH, "nb"), "nb") == [
        f"Ledere i Norge svarer 5–7 på «Intern vertikal» oftere enn ledere i de andre "
        f"landene (62{NBSP}% mot 55{NBSP}%; p\u00a0=\u00a00,009).",
        f"Ledere i Norge svarer 5–7 på «Ekstern horisontal» sjeldnere enn ledere i de andre "
        f"landene (39{NBSP}% mot 47{NBSP}%; p\u00a0<\u00a00,001)."]


@pytest.mark.parametrize(("language", "higher", "lower"), [
    ("en", "Executives in Norway answer 5–7 on “Intern vertikal” more often than executives "
           "in the other countries (62% against 55%; p\u00a0=\u00a00.009).", "less often"),
    ("de", "Führungskräfte in Norwegen antworten bei „Intern vertikal“ häufiger mit 5–7 als "
           f"Führungskräfte in den anderen Ländern (62{NBSP}% gegenüber 55{NBSP}%; "
           "p\u00a0=\u00a00,009).", "seltener"),
    ("da", "Ledere i Norge svarer 5–7 på “Intern vertikal” oftere end ledere i de andre "
           f"lande (62{NBSP}% mod 55{NBSP}%; p\u00a0=\u00a00,009).", "sjældnere"),
])
def test_both_directions_in_every_shipped_language(language, higher, lower):
    found = sentences(chart(BOTH, language), language)
    assert found[0] == higher
    assert lower in found[1] and "p\u00a0<\u00a00" in found[1]
    assert DeckLocale(language).fell_back == set()


@pytest.mark.parametrize("language", ["nb", "en", "de", "da"])
def test_means_both_directions(language):
    rows = [("iv", 4.6, 416, 4.2, 0.01, False), ("eh", 3.9, 398, 4.4, 0.02, False)]
    found = sentences(chart(rows, language, kind="mean"), language)
    locale = DeckLocale(language)
    assert [locale.number(4.6) in found[0], locale.number(4.2) in found[0]] == [True, True]
    words = {"nb": ("høyere", "lavere"), "en": ("higher", "lower"),
             "de": ("höher", "niedriger"), "da": ("højere", "lavere")}[language]
    assert words[0] in found[0] and words[1] in found[1]


@pytest.mark.parametrize("language", ["nb", "en", "de", "da"])
def test_a_difference_the_test_does_not_support_gets_no_sentence(language):
    rows = [("iv", 62.0, 416, 55.0, 0.009, False), ("eh", 44.0, 398, 47.0, 0.41, False)]
    found = sentences(chart(rows, language), language)
    assert len(found) == 1 and "44" not in found[0]


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "Ledere i Norge skiller seg ikke signifikant fra ledere i de andre landene på noen "
           "av spørsmålene (p ≥ 0,05)."),
    ("en", "On none of the items do executives in Norway differ significantly from "
           "executives in the other countries (p ≥ 0.05)."),
])
def test_nothing_significant_says_so_and_claims_no_difference(language, expected):
    rows = [("iv", 62.0, 416, 55.0, 0.09, False), ("eh", 44.0, 398, 47.0, 0.41, False)]
    assert sentences(chart(rows, language), language) == [expected]


def test_untested_charts_get_no_sentence():
    rows = [("iv", 62.0, 416, 55.0, None, False)]
    assert sentences(chart(rows, "nb"), "nb") == []
    assert sentences(chart(rows, "nb", significance=None), "nb") == []


@pytest.mark.parametrize(("language", "n", "caution"), [
    ("nb", 41, "Bare 41 svar: tolkes med forsiktighet."),
    ("en", 41, "Only 41 answers: interpret with care."),
    ("en", 1, "Only 1 answer: interpret with care."),
    ("de", 41, "Nur 41 Antworten: mit Vorsicht zu interpretieren."),
    ("de", 1, "Nur 1 Antwort: mit Vorsicht zu interpretieren."),
    ("da", 41, "Kun 41 svar: fortolkes med forsigtighed."),
])
def test_a_small_base_adds_a_caution_counted_in_the_language(language, n, caution):
    rows = [("iv", 80.0, n, 55.0, 0.01, True)]
    (found,) = sentences(chart(rows, language), language)
    assert found.endswith("). " + caution)


def test_p_values_in_the_decks_number_format():
    assert p_text(DeckLocale("nb"), 0.0123) == "p\u00a0=\u00a00,012"
    assert p_text(DeckLocale("en"), 0.0004) == "p\u00a0<\u00a00.001"


# -- associations ---------------------------------------------------------------------------

def coefficients(rows: list[tuple]) -> pd.DataFrame:
    """(item, coefficient, standard error, p)."""
    return pd.DataFrame([{"item": i, "value": b, "se": se, "p_value": p}
                         for i, b, se, p in rows])


def said(table: pd.DataFrame, language: str) -> list[str]:
    locale = DeckLocale(language)
    labels = {k: Phrase.of(k.replace("=", " "), locale.tag)
              for k in ("importance", "groups", "hierarchy", "bodies", "level=2")}
    outcome = Phrase.of({"nb": "samordningskvalitet", "en": "coordination quality",
                         "de": "Koordinationsqualität",
                         "da": "koordineringskvalitet"}[language], locale.tag)
    references = {"level": Phrase.of("level 1", locale.tag)}
    return [p.text for p in association_findings(table, labels, outcome, references, 0.05,
                                                 locale, locale.phrase)]


MIXED = coefficients([("hierarchy", -0.038, 0.012, 0.0017), ("bodies", -0.015, 0.011, 0.17),
                      ("groups", 0.109, 0.013, 1e-12), ("importance", 0.196, 0.014, 1e-20)])


def test_association_strongest_first_both_directions_and_not_shown_in_norwegian():
    assert said(MIXED, "nb") == [
        "«importance» går sammen med høyere samordningskvalitet: +0,20 per poeng "
        "(p\u00a0<\u00a00,001).",
        "«groups» går sammen med høyere samordningskvalitet: +0,11 per poeng "
        "(p\u00a0<\u00a00,001).",
        "«hierarchy» går sammen med lavere samordningskvalitet: -0,04 per poeng "
        "(p\u00a0=\u00a00,002).",
        "Ingen påvist sammenheng med samordningskvalitet for «bodies» (p ≥ 0,05)."]


@pytest.mark.parametrize(("language", "negative", "none"), [
    ("en", "“hierarchy” goes with lower coordination quality: -0.04 per point "
           "(p\u00a0=\u00a00.002).",
     "No association with coordination quality is shown for “bodies” (p ≥ 0.05)."),
    ("de", "„hierarchy“ geht mit niedrigerer Koordinationsqualität einher: -0,04 je Punkt "
           "(p\u00a0=\u00a00,002).",
     "Kein Zusammenhang mit Koordinationsqualität nachgewiesen für „bodies“ (p ≥ 0,05)."),
    ("da", "“hierarchy” går sammen med lavere koordineringskvalitet: -0,04 pr. point "
           "(p\u00a0=\u00a00,002).",
     "Ingen påvist sammenhæng med koordineringskvalitet for “bodies” (p ≥ 0,05)."),
])
def test_association_sentences_in_every_shipped_language(language, negative, none):
    found = said(MIXED, language)
    assert found[2] == negative and found[3] == none
    assert DeckLocale(language).fell_back == set()


def test_nothing_significant_claims_no_association_and_counts_in_the_plural():
    table = coefficients([("bodies", -0.015, 0.011, 0.17), ("groups", 0.02, 0.013, 0.12)])
    assert said(table, "en") == [
        "No association with coordination quality is shown for 2 predictors: “groups” and "
        "“bodies” (each p ≥ 0.05)."]  # the stronger first


def test_more_significant_coefficients_than_sentences_are_named_together():
    table = coefficients([(k, 0.1 * (i + 1), 0.01, 1e-6) for i, k in enumerate(
        ["importance", "groups", "hierarchy", "bodies", "level=2"])])
    found = said(table, "en")
    assert len(found) == 4
    assert found[3] == "Also significant: “groups” and “importance”."


def test_a_category_is_compared_with_its_reference():
    table = coefficients([("level=2", -0.3, 0.1, 0.003)])
    assert said(table, "en") == [
        "“level 2”: lower coordination quality than “level 1”, -0.30 (p\u00a0=\u00a00.003)."]


def test_no_model_no_sentence():
    assert said(coefficients([]).reindex(columns=["item", "value", "se", "p_value"]),
                "en") == []
