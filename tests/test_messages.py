"""Messages a user can act on: the same problem over many decks or slides is one message
listing where; a suggested command runs as printed from the folder the user is in; slips
(a placeholder typo, a bullet starting with '[', a file that is not a deck, a shard past
the number of decks) are said in words, with the fix. All through the command line."""

from __future__ import annotations

import shlex
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from generator.cli import main

COUNTRIES = "AT, DE, DK, EE, ES, FI, FR, GB, HU, IE, IS, IT, LT, NL, PT"  # all but NO


def run(capsys, *argv: str | Path) -> tuple[int, str]:
    status = main([str(a) for a in argv])
    return status, " ".join(capsys.readouterr().err.split())


def variant(path: Path, text: str) -> Path:
    """A variant file of a copy of the shipped deck (with its data) in `base/` beside it: a
    deck file reads only inside its own tree."""
    base = path.parent / "base"
    if not base.exists():
        base.mkdir(parents=True)
        shutil.copy(ROOT / "slides.yaml", base / "slides.yaml")
        shutil.copytree(ROOT / "data", base / "data")
    path.write_text("extends: base/slides.yaml\n" + text, encoding="utf-8")
    return path


# -- the same problem in many decks: one message -----------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_all_countries_warns_once_per_marked_text_listing_the_countries(capsys, jobs):
    status, err = run(capsys, ROOT / "slides.yaml", "--all-countries", "--check", "-j", jobs)
    assert status == 0, err
    assert err.count("warning: ") == 1  # was 30: two per country (the other's now generated)
    assert "samordningskvalitet-prosent" not in err  # its notes are generated per country
    assert ("slide 'work-package-5': its 'bullets' text is marked country_specific, written "
            f"about NO, in a deck about another country (decks for {COUNTRIES})") in err


def test_strict_over_all_countries_is_one_error_per_marked_text(capsys):
    status, err = run(capsys, ROOT / "slides.yaml", "--all-countries", "--check", "--strict",
                      "-j", "1")
    assert status == 2
    assert "Cannot build" in err and "work-package-5" in err
    assert err.count(f"(decks for {COUNTRIES})") == 1


def test_a_quick_look_at_another_language_is_two_warnings_not_22(capsys):
    status, err = run(capsys, ROOT / "slides.yaml", "--check", "--country", "DE",
                      "--language", "de")
    assert status == 0, err
    assert err.count("warning: ") == 2  # the marked text, and the Norwegian text
    assert ("text in nb-NO (from slides.yaml) not in the deck's language 'de', on 20 slides: "
            "slide 1 'intro' (subtitle, footnote), slide 2 'work-package-5' (bullets (3)), ") \
        in err
    assert err.count("translate it in a variant file for de") == 1


# -- hints that run as printed ---------------------------------------------------------------


def test_the_catalogue_hint_runs_as_printed_from_the_users_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    variant(tmp_path / "examples" / "se_sv.yaml", "deck: {country: FI, language: sv}\n"
            "slides:\n  - {id: work-package-5, country_specific: false}\n"
            "  - {id: samordningskvalitet-prosent, country_specific: false}\n")
    status, err = run(capsys, "examples/se_sv.yaml", "--check")
    assert status == 0, err
    command = ("python -m generator examples/se_sv.yaml --language sv --write-catalogue "
               "examples/sv.yaml")
    assert f"(add them to a catalogue ({command}), fill it in, then set deck: " \
           "{catalogue: sv.yaml})" in err
    assert main(shlex.split(command)[3:]) == 0  # as printed, from here
    assert (tmp_path / "examples" / "sv.yaml").is_file()
    assert not (tmp_path / "sv.yaml").exists()
    capsys.readouterr()
    # the deck file names it as the hint says, and the same hint then names that file
    text = (tmp_path / "examples" / "se_sv.yaml").read_text(encoding="utf-8")
    (tmp_path / "examples" / "se_sv.yaml").write_text(
        text.replace("language: sv}", "language: sv, catalogue: sv.yaml}"), encoding="utf-8")
    status, err = run(capsys, "examples/se_sv.yaml", "--check")
    assert status == 0, err
    assert f"(add them to examples/sv.yaml ({command}))" in err


def test_the_update_hints_name_the_files_as_typed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    deck = variant(tmp_path / "examples" / "no.yaml", "")
    variant(tmp_path / "examples" / "other.yaml", "")
    status, err = run(capsys, "examples/no.yaml", "--update", "out/no.pptx", "--charts", "native")
    assert status == 2
    assert "out/no.pptx: no deck to update here (build it first: python -m generator " \
           "examples/no.yaml --output out/no.pptx)" in err
    assert main(["examples/no.yaml", "--output", "out/no.pptx", "--charts", "native"]) == 0
    capsys.readouterr()
    status, err = run(capsys, "examples/other.yaml", "--update", "out/no.pptx", "--charts",
                      "native")
    assert status == 2
    hint = "python -m generator examples/no.yaml --update out/no.pptx"
    assert f"this deck was made from no.yaml, not other.yaml (update it with {hint})" in err
    assert main([*shlex.split(hint)[3:], "--charts", "native"]) == 0
    assert deck.is_file()


# -- slips said in words ---------------------------------------------------------------------


def test_a_placeholder_typo_gets_the_nearest_figure(tmp_path, capsys):
    deck = variant(tmp_path / "deck.yaml", "slides:\n  - id: samordning\n"
                   "    title: \"Samordning blant {{ n.al }} ledere\"\n")
    status, err = run(capsys, deck, "--check")
    assert status == 2
    assert (f"{deck}:4:5: slides[2].title: unknown placeholder {{{{ n.al }}}} (did you mean "
            "{{ n.all }}? known: n.all, n.country, ") in err
    assert "dict object" not in err


def test_a_bullet_starting_with_a_bracket_gets_the_quoting_hint(tmp_path, capsys):
    deck = variant(tmp_path / "deck.yaml", "slides:\n  - id: samordning\n    bullets:\n"
                   "      - [wicked problems]{lang=en} er vanskelige\n")
    status, err = run(capsys, deck, "--check")
    assert status == 2
    assert (f"{deck}:5:26: YAML syntax error: a text that starts with '[' is read as a list, "
            "and the words after ']' break it (quote the whole text: \"[wicked problems]"
            "{lang=en} er vanskelige\")") in err


@pytest.mark.parametrize(("content", "said"), [
    (b"not a deck at all\n", "not a PowerPoint deck: a .pptx file is a zip package and this "
                             "file is not one"),
    (None, "not a PowerPoint deck: a zip package, but without the parts of a presentation"),
])
@pytest.mark.ooxml_unchecked("deck.pptx")  # not a deck, on purpose
def test_update_of_a_file_that_is_not_a_deck_says_so_in_words(tmp_path, capsys, content, said):
    target = tmp_path / "deck.pptx"
    if content is None:
        with zipfile.ZipFile(target, "w") as package:
            package.writestr("word/document.xml", "<w:document/>")
    else:
        target.write_bytes(content)
    before = target.read_bytes()
    status, err = run(capsys, ROOT / "slides.yaml", "--update", target, "--charts", "native")
    assert status == 2
    assert f"{target}: {said}" in err
    assert "Error" not in err and "Internal" not in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


@pytest.mark.parametrize("shard", ["1/2", "2/2"])
def test_more_shards_than_decks_says_how_many_decks(capsys, shard):
    status, err = run(capsys, ROOT / "slides.yaml", "--check", "--shard", shard)
    assert status == 2
    assert (f"--shard {shard}: this run makes 1 deck, fewer than the 2 parts, so some parts "
            "would build nothing (leave --shard out: one deck is not split)") in err
