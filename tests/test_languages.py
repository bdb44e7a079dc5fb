"""A deck in any language: the deck's own catalogue, the skeleton command, the language
of every text run, --check/--strict on text not in the deck's language, and texts
written about one country kept out of another country's deck.

Everything runs through the command line (`generator.cli.main`), and the runs'
``lang`` attributes are read back from the .pptx XML.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from generator.cli import main
from generator.i18n.phrase import Phrase, Span

DANISH = ROOT / "examples" / "dk_da.yaml"
# slides.yaml marks these texts as written about Norway; a variant that keeps them for
# every country says so, as a Norwegian deck owner building all countries would
SAME_FOR_EVERY_COUNTRY = ("  - {id: work-package-5, country_specific: false}\n"
                          "  - {id: samordningskvalitet-prosent, country_specific: false}\n")


def run(capsys, *argv: str | Path) -> tuple[int, str]:
    """Exit status and the messages (stderr, joined into one line) of one command."""
    status = main([str(a) for a in argv])
    return status, " ".join(capsys.readouterr().err.split())


def variant(tmp_path: Path, text: str, name: str = "variant.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"extends: {ROOT / 'slides.yaml'}\n" + text, encoding="utf-8")
    return path


def run_languages(pptx: Path) -> Counter:
    """(part, lang) of every run property, end-of-paragraph and default run property in
    the slides, notes and charts of a .pptx."""
    found: Counter = Counter()
    with zipfile.ZipFile(pptx) as package:
        for name in package.namelist():
            part = name.split("/")[1] if name.count("/") > 1 else ""
            if part in ("slides", "notesSlides", "charts") and name.endswith(".xml"):
                xml = package.read(name).decode("utf-8")
                for lang in re.findall(r"<a:(?:rPr|endParaRPr|defRPr)\b[^>]*\blang=\"([^\"]+)\"",
                                       xml):
                    found[(part, lang)] += 1
    return found


def runs_of(pptx: Path, slide: int) -> list[tuple[str, str]]:
    """(lang, text) of each text run on one slide, in order."""
    with zipfile.ZipFile(pptx) as package:
        xml = package.read(f"ppt/slides/slide{slide}.xml").decode("utf-8")
    return re.findall(r"<a:r><a:rPr\b[^>]*\blang=\"([^\"]+)\"[^>]*?(?:/>|>.*?</a:rPr>)"
                      r"<a:t>([^<]*)</a:t>", xml)


# -- the Danish example ---------------------------------------------------------------------


def test_the_danish_deck_passes_strict_and_every_run_is_danish(tmp_path, capsys):
    out = tmp_path / "dk.pptx"
    status, err = run(capsys, DANISH, "--strict", "--charts", "native", "--output", out,
                      "--cache-dir", tmp_path / "cache")
    assert status == 0, err
    assert "warning" not in err
    languages = run_languages(out)
    assert {lang for _, lang in languages} == {"da-DK"}
    assert languages[("charts", "da-DK")] > 0 and languages[("notesSlides", "da-DK")] > 0
    with zipfile.ZipFile(out) as package:
        charts = " ".join(package.read(n).decode("utf-8") for n in package.namelist()
                          if n.startswith("ppt/charts/chart"))
    texts = " ".join(t for n in range(1, 21) for _, t in runs_of(out, n)) + charts
    for word in ("Alle lande", "Kilde: Syntetiske demodata", "Danmark", "helt uenig",
                 "Hvordan vil du karakterisere koordineringen", "Intern vertikal"):
        assert word in texts, word
    # English or Norwegian words (Norge and Kilde are Danish too)
    for word in ("All countries", "Source", "Very", "Prosent", "Gjennomsnitt", "svært",
                 "Samordning", "Alle land ", "ikke ekte", "Spørsmål"):
        assert word not in texts, word


def test_the_danish_catalogue_is_complete_and_rewriting_it_keeps_every_translation(
        tmp_path, capsys):
    copy = tmp_path / "da.yaml"
    copy.write_bytes((ROOT / "examples" / "da.catalogue.yaml").read_bytes())
    status, err = run(capsys, DANISH, "--write-catalogue", copy)
    assert status == 0, err
    assert f"wrote {copy}: 33 generated label(s) and 80 codebook wording(s), 0 to translate" \
        in err
    assert copy.read_bytes() == (ROOT / "examples" / "da.catalogue.yaml").read_bytes()


# -- the skeleton ---------------------------------------------------------------------------


def test_write_catalogue_lists_every_missing_entry_with_english_and_norwegian(tmp_path, capsys):
    target = tmp_path / "sv.yaml"
    status, err = run(capsys, ROOT / "slides.yaml", "--language", "sv",
                      "--write-catalogue", target)
    assert status == 0, err
    assert "63 generated label(s) and 80 codebook wording(s), 143 to translate" in err
    text = target.read_text(encoding="utf-8")
    assert ("  # en: All countries\n  # nb: Alle\n  comparison.all: \"\"\n") in text
    assert ("  # en: Very poor\n  # nb: Svært dårlig\n"
            "  \"scales.quality7.labels.1\": \"\"\n") in text
    assert "  # en: Source: {source}\n  # nb: Kilde: {source}\n  source: \"\"\n" in text
    data = yaml.safe_load(text)
    assert data["language"] == "sv"
    assert len(data["messages"]) == 63 and len(data["codebook"]) == 80
    assert set(data["messages"].values()) == {""}
    # the findings' patterns, each plural form Swedish needs (one, other)
    assert {"finding.percent.higher", "finding.small_base.one", "finding.small_base.other",
            "finding.association.none.other"} <= set(data["messages"])


def test_write_catalogue_leaves_out_what_the_package_and_codebook_have(tmp_path, capsys):
    target = tmp_path / "de.yaml"
    status, err = run(capsys, ROOT / "slides.yaml", "--language", "de",
                      "--write-catalogue", target)
    assert status == 0, err
    assert "0 generated label(s) and 0 codebook wording(s), 0 to translate" in err
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == {
        "language": "de", "messages": {}, "codebook": {}}


def test_a_filled_skeleton_makes_the_deck_swedish(tmp_path, capsys):
    """Write the skeleton, fill in a few entries, point the deck at it, build."""
    target = tmp_path / "sv.yaml"
    deck = variant(tmp_path, "deck: {country: NO, language: sv, catalogue: sv.yaml}\n")
    assert run(capsys, deck, "--write-catalogue", target)[0] == 0
    text = target.read_text(encoding="utf-8")
    text = text.replace('comparison.all: ""', 'comparison.all: "Alla länder"')
    text = text.replace('  source: ""', '  source: "Källa: {source}"')
    text = text.replace('"batteries.coordination_quality.question": ""',
                        '"batteries.coordination_quality.question": '
                        '"Hur skulle du beskriva samordningen inom ditt område?"')
    target.write_text(text, encoding="utf-8")
    out = tmp_path / "sv.pptx"
    status, err = run(capsys, deck, "--charts", "native", "--output", out)
    assert status == 0, err
    runs = runs_of(out, 15)
    assert ("sv-SE", "Hur skulle du beskriva samordningen inom ditt område? ") in runs
    # the Swedish source line quotes the codebook's English source: two languages
    # (after the note on the marks, which the sv deck's significance test adds)
    source = [(lang, text.lstrip(" ·")) for lang, text in runs
              if text.lstrip(" ·").startswith(("Källa", "Synthetic"))]
    assert source[0] == ("sv-SE", "Källa: ")
    assert source[1][0] == "en-US" and source[1][1].startswith("Synthetic demo data")
    # the warning says what is still English, slide by slide
    assert ("generated labels and codebook wording in en-US, not in the deck's language 'sv'"
            ) in err
    assert ("slide 15 'samordningskvalitet-prosent' (labels caption.pct_range, quote, "
            "caption.base_without, sig.note, sig.correction.holm, alt.chart, alt.higher, "
            "alt.lower, finding.who, finding.others, finding.percent.higher, "
            "finding.percent.lower; wording scales.quality7 (3), "
            "batteries.coordination_quality.items (5), dataset.source)") in err


# -- the deck's catalogue: overrides and mistakes --------------------------------------------


def test_user_entries_override_shipped_ones(tmp_path, capsys):
    (tmp_path / "nb.yaml").write_text(
        "language: nb\nmessages:\n  comparison.all: Alle land i undersøkelsen\n"
        "codebook:\n  scales.quality7.labels.7: Utmerket\n", encoding="utf-8")
    deck = variant(tmp_path, "deck: {catalogue: nb.yaml}\n")
    out = tmp_path / "nb.pptx"
    status, err = run(capsys, deck, "--charts", "native", "--output", out)
    assert status == 0, err
    texts = [t for _, t in runs_of(out, 15)]
    assert any("7 = utmerket" in t for t in texts), texts
    with zipfile.ZipFile(out) as package:
        charts = " ".join(package.read(n).decode("utf-8") for n in package.namelist()
                          if n.startswith("ppt/charts/chart"))
    assert "Alle land i undersøkelsen" in charts


@pytest.mark.parametrize("catalogue, words", [
    ("language: da\nmessages:\n  comparision.all: Alle lande\n",
     ["da.yaml:3:3:", "messages.comparision.all: unknown message 'comparision.all'",
      "did you mean 'comparison.all'?"]),
    ("language: da\nmessages:\n  source: \"Kilde: {kilde}\"\n",
     ["da.yaml:3:3:", "'source' must use the placeholders of the English text: {source}"]),
    ("language: da\ncodebook:\n  batteries.coordination_quality.question_: Hvordan?\n",
     ["the codebook has no 'batteries.coordination_quality.question_'",
      "did you mean 'batteries.coordination_quality.question'?"]),
    ("messages: {}\n", ["the catalogue does not say its language", "add e.g. language: da"]),
    ("language: sv\n", ["the catalogue da.yaml is in 'sv' but the deck is in 'da'",
                        "--write-catalogue"]),
])
def test_catalogue_mistakes_are_reported_with_file_line_and_fix(tmp_path, capsys, catalogue,
                                                                 words):
    (tmp_path / "da.yaml").write_text(catalogue, encoding="utf-8")
    deck = variant(tmp_path, "deck: {country: DK, language: da, catalogue: da.yaml}\n"
                   "slides:\n" + SAME_FOR_EVERY_COUNTRY)
    status, err = run(capsys, deck, "--check")
    assert status == 2, err
    for word in words:
        assert word in err, (word, err)


def test_a_missing_catalogue_file_says_how_to_make_one(tmp_path, capsys):
    deck = variant(tmp_path, "deck: {catalogue: none.yaml}\n")
    status, err = run(capsys, deck, "--check")
    assert status == 2
    assert "variant.yaml:2:" in err and "catalogue not found" in err
    assert "write one with --write-catalogue" in err


# -- every run in the language it is in -----------------------------------------------------


@pytest.fixture(scope="module")
def mixed_deck(tmp_path_factory) -> Path:
    """slides.yaml as a Danish deck about Denmark with no Danish text at all: the base's
    Norwegian text, English fallbacks for the generated labels (native charts)."""
    folder = tmp_path_factory.mktemp("mixed")
    deck = variant(folder, "slides:\n" + SAME_FOR_EVERY_COUNTRY)
    out = folder / "mixed.pptx"
    assert main([str(deck), "--country", "DK", "--language", "da", "--charts", "native",
                 "--output", str(out)]) == 0
    return out


def test_inherited_norwegian_is_tagged_norwegian_and_fallbacks_english(mixed_deck):
    runs = runs_of(mixed_deck, 3)  # 'samordning': bullets only
    assert runs[0] == ("nb-NO", "Samordning")
    # English terms the deck marks ``[…]{lang=en}`` are English; all else Norwegian
    assert [text for lang, text in runs if lang == "en-US"] == ["whole of government",
                                                                 "Wicked problems"]
    assert {lang for lang, text in runs if text.strip() and not text.isdigit()} == {
        "nb-NO", "en-US"}
    chart = runs_of(mixed_deck, 15)
    assert ("nb-NO", "Samordningskvalitet: andel gode vurderinger") in chart
    # question and scale: the English fallbacks, with the space between them, are one run
    at = chart.index(("en-US", "How would you characterise coordination in your policy "
                               "field? Percent answering 5–7 (1 = very poor, 7 = very good). "
                               "Base: valid answers; "))
    # the quotation marks are the shipped Danish message's (CLDR), tagged Danish
    assert chart[at + 1:at + 5] == [("da-DK", "“"), ("en-US", "can’t assess"), ("da-DK", "”"),
                                    ("en-US", " left out.")]
    assert any(lang == "en-US" and "Source: Synthetic" in text
               for lang, text in chart)
    # the slide number is the deck's own
    with zipfile.ZipFile(mixed_deck) as package:
        xml = package.read("ppt/slides/slide15.xml").decode("utf-8")
    assert re.search(r'<a:fld [^>]*type="slidenum"><a:rPr [^>]*lang="da-DK"', xml)
    languages = {lang for _, lang in run_languages(mixed_deck)}
    assert languages == {"nb-NO", "en-US", "da-DK"}
    # notes: the base's Norwegian, and the generated findings in Danish (item labels English)
    assert {lang for (part, lang) in run_languages(mixed_deck) if part == "notesSlides"} == {
        "nb-NO", "da-DK", "en-US"}


def test_native_chart_text_is_tagged_with_its_labels_language(mixed_deck):
    with zipfile.ZipFile(mixed_deck) as package:
        names = sorted(n for n in package.namelist() if re.match(r"ppt/charts/chart\d+\.xml", n))
        xml = {n: package.read(n).decode("utf-8") for n in names}
    quality = next(x for x in xml.values() if "Internal vertical" in x)
    # the chart's text (its categories: English codebook items) is English; the legend,
    # with a Danish country name and an English comparison, has one language: the deck's
    assert re.search(r'</c:chart><c:txPr>.*?<a:defRPr [^>]*lang="en-US"', quality, re.S)
    assert re.search(r'<c:legend>.*?<a:defRPr [^>]*lang="da-DK"', quality, re.S)
    assert not re.search(r'<a:endParaRPr lang="(?!en-US|da-DK)', quality)
    ranking = next(x for x in xml.values() if "Danmark" in x and "Østrig" in x)
    assert 'lang="da-DK"' in ranking  # CLDR country names in the deck's language


def test_a_language_mapping_is_tagged_with_its_key_and_a_variants_text_with_its_language(
        tmp_path, capsys):
    deck = variant(tmp_path, "deck: {country: NO, language: da, catalogue: "
                   f"{ROOT / 'examples' / 'da.catalogue.yaml'}}}\n"
                   "slides:\n  - id: samordning\n    title: {nb: Samordning, da: Koordinering}\n"
                   "  - id: oppsummert\n    title: Opsummering\n")
    out = tmp_path / "deck.pptx"
    status, err = run(capsys, deck, "--charts", "native", "--output", out)
    assert status == 0, err
    assert runs_of(out, 3)[0] == ("da-DK", "Koordinering")
    assert runs_of(out, 19)[0] == ("da-DK", "Opsummering")
    assert runs_of(out, 19)[1] == ("nb-NO", "Tradisjonell byråkratisk, hierarkisk styring er "
                                            "fremdeles viktig")


def test_words_marked_with_their_language_get_runs_of_their_own(tmp_path, capsys):
    deck = variant(tmp_path, "slides:\n  - id: oppsummert\n    title: \"Oppsummert: "
                   "[joined-up government]{lang=en} og [Verwaltung]{lang=de}\"\n")
    out = tmp_path / "deck.pptx"
    status, err = run(capsys, deck, "--charts", "native", "--output", out)
    assert status == 0, err
    assert runs_of(out, 19)[:4] == [("nb-NO", "Oppsummert: "),
                                    ("en-US", "joined-up government"),
                                    ("nb-NO", " og "), ("de-DE", "Verwaltung")]
    status, err = run(capsys, deck, "--check", "--strict")
    assert status == 0, err  # a marked language is meant, not a slip


def test_a_span_marked_with_an_unknown_language_is_reported_at_its_line(tmp_path, capsys):
    deck = variant(tmp_path, "slides:\n  - id: samordning\n    title: \"Samordning "
                   "[x]{lang=qq}\"\n")
    status, err = run(capsys, deck, "--check")
    assert status == 2
    assert "variant.yaml:4:5: slides[2].title: unknown language 'qq'" in err


# -- --check and --strict -------------------------------------------------------------------


def test_check_warns_once_per_language_listing_the_slides_and_strict_fails(tmp_path, capsys):
    deck = variant(tmp_path, "slides:\n" + SAME_FOR_EVERY_COUNTRY)
    status, err = run(capsys, deck, "--check", "--country", "DK", "--language", "da")
    assert status == 0, err
    # the Norwegian text, the English labels and wording, and their summary: one warning
    # each, listing the slides (the quality chart's notes are generated for DK)
    assert err.count("warning: ") == 3
    assert "names that country" not in err
    assert ("slides.yaml:19:5: slides[0]: text in nb-NO (from slides.yaml) not in the deck's "
            "language 'da', on 20 slides: slide 1 'intro' (subtitle, footnote), slide 2 "
            "'work-package-5' (bullets (3)), slide 3 'samordning' (title, bullets (8)), ") in err
    assert ("slide 20 'mer-informasjon' (title, bullets (2)) (translate it in a variant file "
            "for da, under each slide's id)") in err
    assert ("slides.yaml:117:5: slides[7]: generated labels and codebook wording in en-US, not "
            "in the deck's language 'da', on 10 slides: slide 8 'survey' (labels source; "
            "wording dataset.source), ") in err
    assert ("slide 15 'samordningskvalitet-prosent' (labels caption.pct_range, "
            "caption.base_without, comparison.all, source, sig.note, sig.correction.holm, "
            "alt.chart, alt.higher; wording scales.quality7 (3), "
            "batteries.coordination_quality.question, batteries.coordination_quality.items "
            "(5), dataset.source)") in err
    # the fix once, runnable from here: the catalogue beside the deck file
    assert (f"(add them to a catalogue (python -m generator {deck} --language da "
            f"--write-catalogue {tmp_path / 'da.yaml'}), fill it in, then set deck: "
            "{catalogue: da.yaml})") in err

    status, err = run(capsys, deck, "--check", "--strict", "--country", "DK",
                      "--language", "da")
    assert status == 2
    assert "Cannot build" in err and "2 problem(s)" in err  # the text, the labels
    for slide_id in ("intro", "work-package-5", "samordning", "survey", "reformtrender",
                     "mer-informasjon"):
        assert f"'{slide_id}' (" in err.split("not in the deck's language 'da', on 20")[1], \
            slide_id


def test_strict_on_the_norwegian_deck_about_denmark_names_the_slides(capsys):
    status, err = run(capsys, ROOT / "slides.yaml", "--strict", "--country", "DK",
                      "--language", "da", "--charts", "native")  # no browser started early
    assert status == 2
    assert "'samordningskvalitet-prosent': its 'notes'" not in err  # generated for DK
    assert "slide 'work-package-5': its 'bullets' text is marked country_specific" in err
    assert "not in the deck's language 'da', on 20 slides: " in err
    assert "slide 4 'hva-er-samordning' (title, bullets (9))" in err
    assert "slide 9 'reformtrender' (title)" in err


def test_a_quick_look_at_another_country_warns_about_marked_text(capsys):
    status, err = run(capsys, ROOT / "slides.yaml", "--check", "--country", "DE",
                      "--language", "de")
    assert status == 0, err
    assert err.count("is marked country_specific, written about NO, in a deck about another "
                     "country (deck for DE)") == 1
    assert err.count("warning: ") == 2  # and the Norwegian text, once for all slides
    assert "'samordningskvalitet-prosent': its" not in err  # its notes are generated for DE


def test_the_shipped_decks_pass_strict(capsys):
    for deck in ("slides.yaml", "examples/uk_en.yaml", "examples/de_de.yaml",
                 "examples/dk_da.yaml"):
        status, err = run(capsys, ROOT / deck, "--check", "--strict")
        assert status == 0, (deck, err)
        assert "warning" not in err, (deck, err)


def test_a_declared_title_language_is_not_a_slip(capsys):
    # slides.yaml's two English titles say title_language: en
    status, err = run(capsys, ROOT / "slides.yaml", "--check")
    assert status == 0 and "warning" not in err, err


# -- text about one country in another country's deck ---------------------------------------


def test_country_specific_text_kept_for_another_country_fails_check(tmp_path, capsys):
    deck = variant(tmp_path, "deck: {country: DK}\n")
    status, err = run(capsys, deck, "--check")
    assert status == 2
    assert ("slides.yaml:34:9: slides[1].bullets[0]: slide 'work-package-5': its 'bullets' "
            "text is marked country_specific, written about NO, in a deck about another "
            "country (deck for DK) (give the slide's bullets for the deck's country in a "
            "variant file (slides: - id: work-package-5), or remove the slide there)") in err
    assert "'samordningskvalitet-prosent': its" not in err  # its notes are generated


def test_overriding_the_country_specific_text_in_the_variant_passes(tmp_path, capsys):
    deck = variant(tmp_path, "deck: {country: DK}\nslides:\n"
                   "  - id: samordningskvalitet-prosent\n    notes: Danske ledere …\n"
                   "  - id: work-package-5\n    bullets: [Sentralforvaltningen, helse]\n")
    status, err = run(capsys, deck, "--check")
    assert status == 0, err


def test_base_text_naming_its_country_is_flagged_in_another_countrys_deck(tmp_path, capsys):
    base = tmp_path / "base.yaml"
    base.write_text(
        (ROOT / "slides.yaml").read_text(encoding="utf-8")
        .replace("data/", f"{ROOT}/data/")
        .replace("      - Flernivåstyring", "      - Flernivåstyring i Norge")
        .replace("- Tillit\n", "- Tillit i norsk forvaltning\n"), encoding="utf-8")
    deck = tmp_path / "de.yaml"
    deck.write_text("extends: base.yaml\ndeck: {country: DE}\nslides:\n"
                    + SAME_FOR_EVERY_COUNTRY, encoding="utf-8")
    status, err = run(capsys, deck, "--check")
    assert status == 0, err
    assert ("slide 3 'samordning': text written for another country's deck names that "
            "country: bullets[0][1] names NO ('Norge')") in err
    assert "slide 19 'oppsummert'" in err and "names NO ('norsk')" in err
    assert run(capsys, deck, "--check", "--strict")[0] == 2
    # in the base's own deck, about Norway, naming Norway is what it should do
    status, err = run(capsys, base, "--check", "--strict")
    assert status == 0, err


# -- Phrase ----------------------------------------------------------------------------------


def test_phrase_joins_runs_of_one_language_and_gives_spaces_no_language_of_their_own():
    phrase = Phrase.join([Phrase.of("Kilde:", "da-DK"), Span(" ", "nb-NO"),
                          Phrase.of("Synthetic data", "en-US"), Span(".", "da-DK")])
    assert phrase.spans == (Span("Kilde: ", "da-DK"), Span("Synthetic data.", "en-US"))
    assert phrase.languages == {"da-DK", "en-US"}
    assert [p.text for p in Phrase.of("a\nb", "nb-NO").lines()] == ["a", "b"]
    assert Phrase.of("Hvorfor …", "nb-NO").strip_end(" …").text == "Hvorfor"
