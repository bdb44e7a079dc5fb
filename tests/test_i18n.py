"""generator/i18n/locale.py: numbers, percentages, country names and messages per deck language."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

import generator
from generator.core.errors import InputError
from generator.i18n.locale import DeckLocale

NBSP = "\u00a0"
LOCALES = Path(generator.__file__).parent / "i18n" / "locales"

# language: percent(62.0), number(4.56), integer(7749), country_name("DE"),
#           country_name("NO"), tag, plotly_separators, message("comparison.all")
EXPECTED = {
    "nb": (f"62{NBSP}%", "4,6", f"7{NBSP}749", "Tyskland", "Norge", "nb-NO", f",{NBSP}",
           "Alle"),
    "en": ("62%", "4.6", "7,749", "Germany", "Norway", "en-US", ".,", "All countries"),
    "de": (f"62{NBSP}%", "4,6", "7.749", "Deutschland", "Norwegen", "de-DE", ",.",
           "Alle Länder"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_formats_names_and_tag(language):
    percent, number, integer, germany, norway, tag, separators, _ = EXPECTED[language]
    locale = DeckLocale(language)
    assert locale.percent(62.0) == percent
    assert locale.number(4.56) == number
    assert locale.integer(7749) == integer
    assert locale.country_name("DE") == germany
    assert locale.country_name("NO") == norway
    assert locale.tag == tag
    assert locale.plotly_separators == separators


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_comparison_message(language):
    locale = DeckLocale(language)
    assert locale.message("comparison.all") == EXPECTED[language][7]
    assert locale.fell_back == set()


def test_message_fills_placeholders():
    assert DeckLocale("nb").message("chart.suppressed", min_base=30) == "n < 30: ikke vist"
    assert DeckLocale("en").message("source", source="COCOPS") == "Source: COCOPS"
    assert DeckLocale("de").message("ci.note", level="95 %") == "Linien: 95 %-Konfidenzintervall"


def test_percent_and_number_digits():
    nb = DeckLocale("nb")
    assert nb.percent(62.04, digits=1) == f"62,0{NBSP}%"
    assert nb.number(4.0, digits=0) == "4"
    assert nb.number(1234.5, digits=2) == f"1{NBSP}234,50"
    assert DeckLocale("en").percent(7.25, digits=2) == "7.25%"


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_missing_percent_is_a_dash(language):
    assert DeckLocale(language).percent(float("nan")) == "–"


def test_country_codes_lower_case_and_uk():
    nb = DeckLocale("nb")
    assert nb.country_name("no") == "Norge"
    # UK is not ISO 3166-1, but common: read as GB
    assert nb.country_name("UK") == nb.country_name("GB") == "Storbritannia"
    # an unknown code is shown as it is
    assert nb.country_name("QQ") == "QQ"


def test_region_variants_keep_their_region_and_use_the_base_catalogue():
    assert DeckLocale("en_GB").tag == "en-GB"
    at = DeckLocale("de-AT")
    assert at.tag == "de-AT"
    assert at.message("comparison.others") == "Andere Länder"
    assert at.fell_back == set()


def test_language_without_catalogue_falls_back_to_english_but_keeps_country_names():
    fr = DeckLocale("fr")
    assert fr.message("comparison.all") == "All countries"
    assert fr.message("table.item") == "Item"
    assert fr.fell_back == {"comparison.all", "table.item"}
    # the names and numbers still come from CLDR in French
    assert fr.country_name("NO") == "Norvège"
    assert fr.country_name("DE") == "Allemagne"
    assert fr.number(4.56) == "4,6"
    assert fr.tag == "fr-FR"


@pytest.mark.parametrize("language", ["xx_invalid", "klingon", ""])
def test_unknown_language_is_an_input_error(language):
    with pytest.raises(InputError) as caught:
        DeckLocale(language)
    text = str(caught.value)
    assert f"unknown language '{language}'" in text
    assert "CLDR" in text


def load_catalogue(language: str) -> dict[str, str]:
    return yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_english_key_exists_in_every_catalogue_with_the_same_placeholders():
    english = load_catalogue("en")
    assert len(english) >= 19  # the catalogue as shipped; guards against an empty read
    for language in ("nb", "de"):
        other = load_catalogue(language)
        assert set(other) == set(english), language
        for key, text in english.items():
            assert placeholders(other[key]) == placeholders(text), (language, key)


def test_placeholder_parser_sees_placeholders():
    # the check above is only as good as this helper
    assert placeholders("N: {country} {n_country}, {group} {n_group}") == {
        "country", "n_country", "group", "n_group"}
    assert placeholders("Alle") == set()


def test_a_figure_keeps_to_its_label_and_unit():
    from generator.i18n.typography import keep_together

    nbsp = "\u00a0"
    assert keep_together("Svarprosent: 27 % (Danmark: 30 %)") == (
        f"Svarprosent:{nbsp}27{nbsp}% (Danmark:{nbsp}30{nbsp}%)")
    assert keep_together("Tid: kl. 10 og 20 personer") == "Tid: kl. 10 og 20 personer"
    assert keep_together("Endring: −3 ‰") == f"Endring:{nbsp}−3{nbsp}‰"
