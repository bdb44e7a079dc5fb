"""Deck texts read for the language they are really in (`--check`, `--strict`): a Danish
deck copied and set to Swedish is caught, naming its slides; the shipped decks, texts
correctly tagged and texts too short to tell are not reported."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from generator.cli import main

DANISH = ROOT / "examples" / "dk_da.yaml"


def run(capsys, *argv: str | Path) -> tuple[int, str]:
    status = main([str(a) for a in argv])
    return status, " ".join(capsys.readouterr().err.split())


def danish_copied_as_swedish(folder: Path) -> Path:
    """examples/dk_da.yaml copied, set to Finland / Swedish, with its Danish catalogue
    copied as the Swedish one: every text is tagged sv-FI and none is Swedish."""
    text = DANISH.read_text(encoding="utf-8")
    for old, new in (("extends: ../slides.yaml", f"extends: {ROOT / 'slides.yaml'}"),
                     ("country: DK", "country: FI"), ("language: da\n", "language: sv\n"),
                     ("catalogue: da.catalogue.yaml", "catalogue: sv.catalogue.yaml")):
        assert old in text, old
        text = text.replace(old, new)
    (folder / "fi_sv.yaml").write_text(text, encoding="utf-8")
    catalogue = (ROOT / "examples" / "da.catalogue.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: da\n" in catalogue
    (folder / "sv.catalogue.yaml").write_text(
        catalogue.replace("\nlanguage: da\n", "\nlanguage: sv\n"), encoding="utf-8")
    return folder / "fi_sv.yaml"


def test_a_danish_deck_set_to_swedish_fails_strict_naming_the_slides(tmp_path, capsys):
    deck = danish_copied_as_swedish(tmp_path)
    status, err = run(capsys, deck, "--check", "--strict")
    assert status == 2, err
    assert "Cannot build" in err and "1 problem" not in err
    assert f"{deck}:17:5: slides[0].title: text tagged Swedish (sv) reads as Danish (da) on " \
           "13 slides (the keys: how sure, 0 to 1): slide 1 'intro' (title, subtitle, " \
           "footnote: 0." in err
    for slide in ("slide 3 'samordning' (title, bullets (8): ",
                  "slide 19 'oppsummert' (title, bullets (8): "):
        assert slide in err, slide
        sure = float(err.split(slide)[1][:4])
        assert 0.75 <= sure <= 1.0
    # chart slides with only a short title are not judged
    assert "slide 9 " not in err and "slide 11 " not in err
    assert "where it is meant to be in Danish, say so: {da: …}, or [words]{lang=da}" in err


def test_without_strict_it_is_a_warning(tmp_path, capsys):
    status, err = run(capsys, danish_copied_as_swedish(tmp_path), "--check")
    assert status == 0, err
    # the labels new since the Danish catalogue was written are English (two warnings), and
    # the Danish text read as Danish (the quality chart's notes are generated, in English)
    assert err.count("warning: ") == 3
    assert "text tagged Swedish (sv) reads as Danish (da) on 13 slides" in err


def test_correctly_tagged_and_short_texts_are_not_judged(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        f"extends: {ROOT / 'slides.yaml'}\ndeck: {{country: FI, language: sv}}\nslides:\n"
        # Danish, and said to be: tagged da-FI, reads as Danish
        "  - id: samordning\n    title: At få offentlige organisationer til at arbejde "
        "sammen på tværs\n    title_language: da\n    bullets: [Samordning]\n"
        # Swedish
        "  - id: oppsummert\n    title: Sammanfattning\n    bullets:\n"
        "      - Traditionell byråkratisk och hierarkisk styrning är fortfarande viktig\n"
        "      - Samordning mellan olika myndigheter är svårast att få till\n"
        # a name and an acronym only: not judged
        "  - id: mer-informasjon\n    title: COCOPS\n    bullets: [www.cocops.eu, NPM]\n"
        "  - {id: work-package-5, country_specific: false}\n"
        "  - {id: samordningskvalitet-prosent, country_specific: false}\n",
        encoding="utf-8")
    status, err = run(capsys, deck, "--check")
    assert status == 0, err
    assert "reads as" not in err
    # the same Danish title tagged Swedish is reported
    deck.write_text(deck.read_text(encoding="utf-8").replace("title_language: da", ""),
                    encoding="utf-8")
    status, err = run(capsys, deck, "--check")
    assert "text tagged Swedish (sv) reads as Danish (da) on 1 slide (the keys: how sure, " \
           "0 to 1): slide 3 'samordning' (title: 0." in err
    assert "oppsummert" not in err.split("reads as")[1]
