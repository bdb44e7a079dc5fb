"""Quotation marks and apostrophes as CLDR writes them, each tagged with the language
of the text that writes it."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

from generator.i18n.catalogue import shipped
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import QUOTATION_MARKS, Phrase, Span
from generator.i18n.typography import apostrophes

# CLDR's <delimiters> (quotationStart, quotationEnd) of each shipped language, written
# out: Babel does not carry them.
CLDR_QUOTES = {"nb": ("«", "»"), "en": ("“", "”"), "de": ("„", "“"), "da": ("“", "”")}
TAGS = {"nb": ("NO", "nb-NO"), "en": ("GB", "en-GB"), "de": ("DE", "de-DE"),
        "da": ("DK", "da-DK")}


@pytest.mark.parametrize("language", sorted(CLDR_QUOTES))
def test_each_shipped_catalogue_quotes_with_its_languages_cldr_marks(language):
    start, end = CLDR_QUOTES[language]
    messages = shipped(language)
    assert messages["quote"] == f"{start}{{text}}{end}"
    for key, text in messages.items():
        marks = [c for c in text if c in QUOTATION_MARKS or c in "\"'"]
        # every mark opens and closes with the language's own, in pairs
        assert marks == [start, end] * (len(marks) // 2), (language, key, text)


@pytest.mark.parametrize("language", sorted(CLDR_QUOTES))
def test_the_marks_quoting_an_english_label_are_tagged_with_the_quoting_language(language):
    country, tag = TAGS[language]
    start, end = CLDR_QUOTES[language]
    label = Phrase.of("can’t assess", "en-US")
    quoted = DeckLocale(language, country).phrase("quote", text=label)
    # (an English deck about GB quotes in en-GB: the label is tagged as its own text)
    assert quoted.spans == (Span(start, tag), Span("can’t assess", "en-US"), Span(end, tag))
    # and in a sentence: the closing mark joins the words after it, not the label
    sentence = Phrase.join([Phrase.of("Grunnlag: ", "nb-NO"),
                            DeckLocale("nb", "NO").phrase("quote", text=label),
                            Phrase.of(" holdt utenfor.", "nb-NO")])
    assert sentence.spans == (Span("Grunnlag: «", "nb-NO"), Span("can’t assess", "en-US"),
                              Span("» holdt utenfor.", "nb-NO"))


def test_a_finding_quoting_an_english_item_keeps_its_marks_danish():
    locale = DeckLocale("da", "DK")
    finding = locale.phrase("finding.association.positive",
                            item=Phrase.of("Internal vertical", "en-US"),
                            outcome=Phrase.of("udfaldet", "da-DK"), b="+0,11", p="p < 0,001")
    assert finding.spans[:3] == (Span("“", "da-DK"), Span("Internal vertical", "en-US"),
                                 Span("” går sammen med højere udfaldet: +0,11 pr. point "
                                      "(p < 0,001).", "da-DK"))


def test_a_typewriter_apostrophe_inside_a_word_becomes_cldrs():
    assert apostrophes("Can't assess") == "Can’t assess"
    assert apostrophes("the EU's programme, O'Brien, l'État") == \
        "the EU’s programme, O’Brien, l’État"
    # not a quotation, a number or a word's edge
    assert apostrophes("'quoted' 5'10 executives' views") == "'quoted' 5'10 executives' views"


def test_the_codebook_and_the_shipped_decks_write_no_typewriter_apostrophe():
    codebook = yaml.safe_load((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))

    def texts(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from texts(value)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value)
        elif isinstance(node, str):
            yield node

    for path in [ROOT / "data" / "codebook.yaml", ROOT / "slides.yaml",
                 *sorted((ROOT / "examples").glob("*.yaml"))]:
        found = [t for t in texts(yaml.safe_load(path.read_text(encoding="utf-8")))
                 if re.search(r"\w'", t)]
        assert found == [], path.name
    assert codebook["scales"]["agree7"]["non_answers"][8]["en"] == "Can’t assess"
