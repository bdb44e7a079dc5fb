"""Versions for another country and language: extends, overrides, --all-countries."""

from __future__ import annotations

import pytest
from conftest import ROOT
from deck_summary import summarise

from generator.core.errors import InputError
from generator.deckfile.deck import load_deck
from generator.run.build import build
from generator.run.options import BuildOptions


def _variant(tmp_path, text: str):
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {ROOT / 'slides.yaml'}\n" + text, encoding="utf-8")
    return path


def test_variant_overrides_settings_and_single_slides(tmp_path):
    path = _variant(tmp_path, "deck:\n  country: DE\n  language: de\n"
                              "slides:\n  - id: samordning\n    title: Koordination\n")
    deck, _ = load_deck(path)
    assert (deck.deck.country, deck.deck.language) == ("DE", "de")
    assert deck.deck.compare_with == "all"  # kept from the base
    assert deck.deck.data == ROOT / "data" / "cocops_synthetic.csv"  # relative to the base
    slide = next(s for s in deck.slides if s.id == "samordning")
    assert slide.title == "Koordination"
    assert slide.bullets[0].text == "Nytt eller gammelt?"  # not overridden
    assert len(deck.slides) == 20


def test_a_new_title_in_a_variant_drops_the_base_titles_language(tmp_path):
    path = _variant(tmp_path, "slides:\n  - id: work-package-5\n    title: Arbeitspaket 5\n"
                              "  - id: intro\n    title: COCOPS\n    title_language: en_GB\n")
    deck, _ = load_deck(path)
    slides = {s.id: s for s in deck.slides}
    assert slides["work-package-5"].title_language is None  # base said en: for its own title
    assert slides["intro"].title_language == "en_GB"
    base, _ = load_deck(ROOT / "slides.yaml")
    assert {s.id: s.title_language for s in base.slides}["work-package-5"] == "en"


def test_variant_can_remove_and_add_slides(tmp_path):
    path = _variant(tmp_path, "remove: [work-package-5, case-studier]\nslides:\n"
                              "  - id: extra\n    after: intro\n    type: section\n"
                              "    title: Part one\n")
    deck, _ = load_deck(path)
    ids = [s.id for s in deck.slides]
    assert len(ids) == 19
    assert ids[:3] == ["intro", "extra", "samordning"]
    assert "case-studier" not in ids


def test_problems_in_a_variant_point_at_the_variant_file(tmp_path):
    path = _variant(tmp_path, "slides:\n  - id: samordning\n    titel: Koordination\n")
    with pytest.raises(InputError) as caught:
        load_deck(path)
    message = str(caught.value)
    assert "variant.yaml:4:" in message and "did you mean 'title'?" in message


def test_problems_from_the_base_point_at_the_base_file(tmp_path):
    path = _variant(tmp_path, "deck:\n  language: fr\n")
    with pytest.raises(InputError) as caught:
        build(path, BuildOptions(check_only=True, country="SE"))
    assert "slides.yaml:6:" in str(caught.value)  # deck.country, written in the base
    assert "country 'SE' is not in the data" in str(caught.value)


def test_unknown_slide_id_suggests_the_nearest(tmp_path):
    path = _variant(tmp_path, "slides:\n  - id: samordnig\n    title: x\n")
    with pytest.raises(InputError, match=r"no slide with id 'samordnig'.*did you mean "
                                         r"'samordning'\?"):
        load_deck(path)


def test_a_language_without_catalogue_falls_back_with_one_summary_warning(tmp_path):
    result = build(ROOT / "slides.yaml",
                   BuildOptions(check_only=True, language="fr"))
    summary = [w for w in result.warnings if w.startswith("no 'fr' wording for")]
    assert len(summary) == 1
    assert "24 generated label(s) (alt.chart, alt.higher, alt.lower, alt.ranking" in summary[0]
    assert "--language fr --write-catalogue FILE" in summary[0]
    # and what is not in French, once per language, listing the slides (test_languages.py)
    assert len(result.warnings) == 1 + 2


def test_free_text_mapping_picks_the_deck_language(tmp_path):
    path = _variant(tmp_path, "deck:\n  language: en\nslides:\n  - id: samordning\n"
                              "    title: {nb: Samordning, en: Coordination}\n")
    result = build(path, BuildOptions(check_only=True))
    assert result.slides == 20


def test_all_countries_builds_every_deck_with_one_browser(tmp_path, browser):
    from generator.i18n.locale import DeckLocale
    from generator.survey.codebook import load_codebook
    from generator.survey.dataset import load_survey
    from generator.survey.indicators import Request, comparison_table

    options = BuildOptions(all_countries=True, cache_dir=tmp_path / "cache")
    variant = _variant(tmp_path, f"deck:\n  output: {tmp_path}/deck_{{country}}.pptx\n"
                       "slides:\n"  # the texts about Norway are meant for every country here
                       "  - {id: work-package-5, country_specific: false}\n"
                       "  - {id: samordningskvalitet-prosent, country_specific: false}\n")
    result = build(variant, options)
    assert len(result.outputs) == 16
    assert result.render.browser_starts == 1
    assert result.charts == 16 * 9

    codebook, source = load_codebook(ROOT / "data" / "codebook.yaml")
    survey = load_survey(ROOT / "data" / "cocops_synthetic.csv", codebook, source)
    battery = codebook.batteries["coordination_quality"]
    request = Request("pct_range", {k: i.column for k, i in battery.items.items()},
                      codebook.scales["quality7"], (5, 7))
    locale = DeckLocale("nb")
    for output in result.outputs:
        code = output.stem.split("_")[-1]
        table = comparison_table(survey.frame, "country", code, "all", request)
        expected = [locale.percent(v) for v in table[table.group == "country"]["value"]]
        slide = summarise(output)["slides"][14]
        assert slide["title"] == "Samordningskvalitet: andel gode vurderinger"
        alt = next(s["alt_text"] for s in slide["shapes"] if "alt_text" in s)
        own_series = alt.split(";")[0]
        assert f". {locale.country_name(code)}: " in own_series
        for value in expected:
            assert value in own_series


def test_example_decks_speak_their_own_language(built_decks):
    """The UK deck in English with decimal points, the German one with commas; no
    Norwegian left in what the generator writes."""
    norwegian = ("Norge", "Kilde", "Prosent", "Gjennomsnitt", "svært", "Diagram:", " og ")
    for name, words, number in (("GB_en", ("United Kingdom", "All countries", "Source"), "4.9"),
                                ("DE_de", ("Deutschland", "Alle Länder", "Quelle"), "4,7")):
        summary = summarise(built_decks[name])
        text = " ".join(
            [p[1] for s in summary["slides"] for sh in s["shapes"]
             for p in sh.get("paragraphs", [])]
            + [sh.get("alt_text") or "" for s in summary["slides"] for sh in s["shapes"]])
        for word in words:
            assert word in text, (name, word)
        for word in norwegian:
            assert word not in text, (name, word)
        assert number in text
        deck_tag = {"GB_en": "en-GB", "DE_de": "de-DE"}[name]
        tags = [set(s["languages"]) for s in summary["slides"]]
        # the German deck keeps the English project name, declared title_language: en
        assert tags[0] == ({"de-DE", "en-US"} if name == "DE_de" else {deck_tag})
        # ... and quotes Bardach in English, marked [...]{lang=en}, on slide 4
        quoted = {3: {"de-DE", "en-US"}} if name == "DE_de" else {}
        assert {i: t for i, t in enumerate(tags) if i and t != {deck_tag}} == quoted


def test_each_file_keeps_the_language_and_country_its_text_is_written_in(tmp_path):
    from generator.deckfile.yamlsource import TextContext

    danish = _variant(tmp_path, "deck:\n  country: dk\n  language: da\n"
                                "slides:\n  - id: samordning\n    title: Koordinering\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: variant.yaml\nslides:\n  - id: oppsummert\n"
                     "    title: Opsummering\n", encoding="utf-8")
    _, source = load_deck(child)
    assert source.contexts == {ROOT / "slides.yaml": TextContext("nb", "NO"),
                               danish: TextContext("da", "DK"),
                               child: TextContext("da", "DK")}  # a file without its own
    slides = {s: i for i, s in enumerate(
        ["intro", "work-package-5", "samordning", "hva-er-samordning"])}
    assert source.context(("slides", slides["samordning"], "title")) == TextContext("da", "DK")
    assert source.context(("slides", slides["intro"], "subtitle")) == TextContext("nb", "NO")
    assert source.context(("slides", 18, "title")).language == "da"  # oppsummert, by child
