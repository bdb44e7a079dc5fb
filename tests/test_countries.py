"""generator/survey/countries.py: country names to ISO codes through CLDR (Babel)."""

from __future__ import annotations

import pytest

from generator.survey.countries import CountryNames, is_country_code, normalise


@pytest.mark.parametrize(("label", "code"), [
    ("Norway", "NO"), ("NORWAY", "NO"), ("  norway ", "NO"),
    ("United Kingdom", "GB"), ("UK", "GB"), ("Czech Republic", "CZ"), ("Czechia", "CZ"),
    ("Turkey", "TR"), ("Türkiye", "TR"), ("Turkiye", "TR"),
    ("Cote d'Ivoire", "CI"),            # CLDR writes Côte d’Ivoire
    ("Bosnia and Herzegovina", "BA"),   # CLDR writes Bosnia & Herzegovina
    ("Norge", "NO"), ("Tyskland", "DE"),  # Norwegian, asked for
    ("Österreich", "AT"), ("oesterreich", None),  # German, asked for; no transliteration
    ("NO", "NO"), ("de", "DE"),         # a label that is itself an ISO code
    ("EU", None), ("Great Britain", None), ("Scandinavia", None), ("", None),
])
def test_names_in_english_and_the_languages_asked_for(label, code):
    assert CountryNames(["nb", "de"]).code_of(label) == code


def test_a_language_not_asked_for_is_not_matched():
    assert CountryNames().code_of("Norge") is None
    assert CountryNames(["da"]).code_of("Norge") == "NO"
    assert CountryNames(["xx-not-a-language"]).code_of("Norway") == "NO"


def test_normalise_and_codes():
    assert normalise("Bosnia & Herzegovina") == "bosnia and herzegovina"
    assert normalise("Côte d’Ivoire") == "cote d ivoire"
    assert is_country_code("GB") and not is_country_code("EU") and not is_country_code("XX")
