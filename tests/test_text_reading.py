"""Deck texts read for the language they are really in (`--check`, `--strict`): a Danish
deck copied and set to Swedish is caught, naming its slides, and its catalogue copied
as Swedish, naming the file and keys; the shipped decks, texts correctly tagged and
texts too short to tell are not reported."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from generator.cli import main
from generator.i18n.catalogue import UserCatalogue, codebook_texts, shipped
from generator.plan.readas import catalogue_misread
from generator.survey.codebook import load_codebook

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
    # the labels new since the Danish catalogue was written are English (two warnings), the
    # Danish text read as Danish (the quality chart's notes are generated, in English), and
    # the Danish catalogue read as Danish
    assert err.count("warning: ") == 4
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


def test_the_catalogue_copied_as_swedish_is_read_too_naming_its_file_and_keys(
        tmp_path, capsys):
    deck = danish_copied_as_swedish(tmp_path)
    catalogue = tmp_path / "sv.catalogue.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    first = lines.index('  comparison.all: "Alle lande"') + 1
    status, err = run(capsys, deck, "--check", "--strict")
    assert status == 2, err
    found = err.split(f"{catalogue}:{first}:3: messages.comparison.all: catalogue text in "
                      "Swedish (sv), as its 'language:' says, reads as Danish (da) in 113 "
                      "entries (the keys by section: how sure, 0 to 1): messages: "
                      "comparison (5), caption (5), chart (2), table, source, alt (9), ")
    assert len(found) == 2, err
    # every entry of both sections (33 messages, 80 wordings), each section sure
    messages, codebook = found[1].split(" (translate them into Swedish")[0].split("; ")
    assert codebook.startswith("codebook: dataset (2), background.policy_field (4), ")
    assert "batteries.performance (14)" in codebook
    for section in (messages, codebook):
        assert 0.75 <= float(section.rsplit(": ", 1)[1]) <= 1.0
    assert "a catalogue in Danish says language: da, for a deck in Danish)" in err


SWEDISH = {
    "sig.note": "▲▼ signifikant högre/lägre än de andra länderna, p < {level}",
    "alt.no_difference": "Ingen fråga skiljer sig signifikant från de andra länderna.",
    "caption.base": "Bas: giltiga svar",
    "comparison.all": "Alla länder",
}


def test_a_catalogue_in_its_own_language_passes_and_only_the_mislabelled_one_is_named():
    """Hand-made Swedish entries: tagged Swedish, nothing; tagged Danish, the entry long
    enough alone and the short ones read together are named, placeholders left out."""
    swedish = UserCatalogue(Path("sv.yaml"), "sv", dict(SWEDISH),
                            {"dataset.source": "Syntetiska demodata efter mönster av "
                                               "COCOPS-undersökningen (inte riktiga svar)"})
    assert catalogue_misread(swedish) == []
    labelled_danish = UserCatalogue(Path("da.yaml"), "da", swedish.messages, swedish.codebook)
    [problem] = catalogue_misread(labelled_danish)
    assert problem.file == Path("da.yaml")
    text = problem.message
    assert text.startswith("catalogue text in Danish (da), as its 'language:' says, reads as "
                           "Swedish (sv) in 5 entries")
    messages, codebook = text.split("0 to 1): ")[1].split("; ")
    assert messages.startswith("messages: sig, alt, caption, comparison: ")
    assert codebook.startswith("codebook: dataset: ")
    assert all(float(part.rsplit(": ", 1)[1]) >= 0.75 for part in (messages, codebook))
    # one short entry alone is too short to tell
    alone = UserCatalogue(Path("da.yaml"), "da", {"comparison.all": "Alla länder"})
    assert catalogue_misread(alone) == []


def test_the_shipped_messages_and_wordings_read_as_their_own_language():
    """As a deck's catalogue, each shipped language's messages with the codebook's wording
    in it: nothing reported (Norwegian, German, Danish and English)."""
    codebook, _ = load_codebook(ROOT / "data" / "codebook.yaml")
    texts = codebook_texts(codebook)
    for language in ("nb", "de", "da", "en"):
        wording = {key: text[language] for key, text in texts.items() if language in text}
        catalogue = UserCatalogue(Path(f"{language}.yaml"), language, shipped(language), wording)
        assert len(catalogue.messages) + len(wording) > 30, language
        assert catalogue_misread(catalogue) == [], language
