"""Every identity is unique where it is used: slide ids (in a file, and a variant's new
slides against its base), catalogue keys, the files one run writes. A duplicate is a
problem naming both places, and `--update` writes no slide's content into another
slide: it follows a slide whose id was renamed or swapped, and keeps the person's
slide where it cannot be sure."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT
from pptx import Presentation
from pptx.util import Inches
from small_project import replace_in, write_project

from generator.cli import main
from generator.output.pptx.identity import identity_of, slide_key


def run(capsys, *args) -> tuple[int, str]:
    status = main([str(a) for a in args])
    return status, " ".join(capsys.readouterr().err.split())


# -- slide ids in deck files -----------------------------------------------------------------

SHIPPED = (ROOT / "slides.yaml").read_text(encoding="utf-8")


def shipped_copy(folder, *, case_studies_id="case-studier"):
    """slides.yaml in `folder`, reading the shipped data and codebook where they are."""
    text = SHIPPED.replace("data/cocops_synthetic.csv", str(ROOT / "data/cocops_synthetic.csv"))
    text = text.replace("data/codebook.yaml", str(ROOT / "data/codebook.yaml"))
    text = text.replace("    id: case-studier\n", f"    id: {case_studies_id}\n")
    path = folder / "slides.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def titles(path):
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else None
            for s in Presentation(str(path)).slides]


def test_two_slides_with_one_id_are_refused_and_update_keeps_every_slide(tmp_path, capsys):
    """The reported case: the "case-studier" slide given `id: oppsummert`. Before, the
    build passed, and an update wrote the "Oppsummert" slide's text into the
    "Case-studier" slide."""
    deck_file = shipped_copy(tmp_path)
    allow = ("--allow-path", ROOT / "data", "--charts", "native")
    status, err = run(capsys, deck_file, *allow)
    assert status == 0, err
    built = tmp_path / "output" / "cocops_NO_nb.pptx"
    before = built.read_bytes()
    assert titles(built)[17:19] == ["Case-studier", "Oppsummert"]

    shipped_copy(tmp_path, case_studies_id="oppsummert")
    lines = deck_file.read_text(encoding="utf-8").splitlines()
    first, second = [n + 1 for n, line in enumerate(lines) if line == "    id: oppsummert"]
    for command in ([], ["--update", built]):
        status, err = run(capsys, deck_file, *allow, *command)
        assert status == 2, err
        assert (f"{deck_file}:{second}:5: slides[18].id: the slide id 'oppsummert' is given "
                f"twice: here and at {deck_file}:{first} (slides[17])") in err
        assert built.read_bytes() == before
    assert sorted(p.name for p in built.parent.iterdir()) == ["cocops_NO_nb.pptx"]

    shipped_copy(tmp_path)  # the id put right: every slide keeps its own text
    status, err = run(capsys, deck_file, *allow, "--update", built)
    assert status == 0, err
    assert titles(built)[17:19] == ["Case-studier", "Oppsummert"]
    assert "nothing generated had changed" in err


VARIANT = """\
extends: deck.yaml
deck:
  language: nb
slides:
{slides}"""


@pytest.mark.parametrize("slides, words", [
    ("  - id: first\n    title: En\n  - id: first\n    title: To\n",
     ["variant.yaml:7:5: slides[1].id: the slide id 'first' is given twice: here and at "
      "{folder}/variant.yaml:5 (slides[0])"]),
    ("  - id: quality\n    after: first\n    type: section\n    title: Ny\n",
     ["variant.yaml:5:5: slides[0].id: the new slide's id 'quality' is already a slide of "
      "the base, at {folder}/deck.yaml:14", "to change that slide instead, leave out "
      "'after:'"]),
], ids=["twice in the variant", "a new slide with a base slide's id"])
def test_a_variant_names_each_slide_once(tmp_path, capsys, slides, words):
    folder = write_project(tmp_path, ("NO", "DK"))
    (folder / "variant.yaml").write_text(VARIANT.format(slides=slides), encoding="utf-8")
    status, err = run(capsys, folder / "variant.yaml", "--check")
    assert status == 2, err
    for word in words:
        assert word.format(folder=folder) in err


def test_a_catalogue_key_given_twice_names_both_lines(tmp_path, capsys):
    folder = write_project(tmp_path, ("NO", "DK"))
    (folder / "da.yaml").write_text(
        'language: da\nmessages:\n  comparison.all: "Alle"\n  comparison.all: "Alle lande"\n',
        encoding="utf-8")
    replace_in(folder / "deck.yaml", "  language: nb", "  language: da\n  catalogue: da.yaml")
    status, err = run(capsys, folder / "deck.yaml", "--check")
    assert status == 2
    assert ("da.yaml:4:3: key 'comparison.all' appears twice in the same mapping (first on "
            "line 3)") in err


def test_the_same_entry_as_a_number_and_as_text_names_both_lines(tmp_path, capsys):
    folder = write_project(tmp_path, ("NO", "DK"))
    (folder / "da.yaml").write_text(
        'language: da\ncodebook:\n  1: "en"\n  "1": "to"\n', encoding="utf-8")
    replace_in(folder / "deck.yaml", "  language: nb", "  language: da\n  catalogue: da.yaml")
    status, err = run(capsys, folder / "deck.yaml", "--check")
    assert status == 2
    assert "da.yaml:4:3: codebook.1: the key '1' is given twice: here and on line 3" in err


def test_two_decks_of_one_run_never_write_one_file(tmp_path, capsys):
    """`out_DK` is a link to `out_NO`: the patterns differ, the files would not."""
    folder = write_project(tmp_path, ("NO", "DK"))
    replace_in(folder / "deck.yaml", "output: out/deck_{country}.pptx",
               "output: out_{country}/deck.pptx")
    (folder / "out_NO").mkdir()
    (folder / "out_DK").symlink_to(folder / "out_NO")
    status, err = run(capsys, folder / "deck.yaml", "--all-countries", "--charts", "native",
                      "--jobs", "1")
    assert status == 2, err
    assert ("deck.yaml:7: deck.output: the decks for DK and NO would both be written to one "
            f"file: {folder}/out_DK/deck.pptx and {folder}/out_NO/deck.pptx are both "
            f"{folder}/out_NO/deck.pptx") in err
    assert list((folder / "out_NO").iterdir()) == []


# -- --update: slides matched only when certain ---------------------------------------------

DECK = """\
deck:
  title: Identitet
  country: NO
  language: nb
  data: data.csv
  codebook: codebook.yaml
  output: deck.pptx
  charts: native
slides:
  - type: bullets
    id: {points}
    title: Samordning
    bullets: ["N = {{{{ n.country }}}}", "Andre kulepunkt"]
  - type: bullets
    id: {extra}
    title: {extra_title}
    bullets: ["Første punkt"]
  - type: chart
    id: quality
    title: Samordningskvalitet
    battery: coordination_quality
    indicator: mean
"""


def write(folder, points="points", extra="extra", extra_title="Mer tekst"):
    (folder / "deck.yaml").write_text(
        DECK.format(points=points, extra=extra, extra_title=extra_title), encoding="utf-8")


@pytest.fixture
def edited(tmp_path, capsys):
    """A built deck with the person's edits: a comment on "Samordning", a bullet of
    their own on "Mer tekst". Returns the folder; the data change afterwards (other N)."""
    folder = write_project(tmp_path, ("NO", "DK", "FI"))
    write(folder)
    assert main([str(folder / "deck.yaml")]) == 0, capsys.readouterr().err
    deck = folder / "deck.pptx"
    prs = Presentation(str(deck))
    points, extra = prs.slides[0], prs.slides[1]
    points.shapes.add_textbox(Inches(9), Inches(6), Inches(3), Inches(0.5)).text_frame.text = \
        "Min kommentar"
    extra.placeholders[1].text_frame.paragraphs[0].runs[0].text = "Mitt eget punkt"
    prs.save(str(deck))
    csv = (folder / "data.csv").read_text(encoding="utf-8").splitlines()
    norwegians = [n for n, line in enumerate(csv) if ",NO," in line]
    del csv[norwegians[-1]]
    (folder / "data.csv").write_text("\n".join(csv) + "\n", encoding="utf-8")
    return folder


def slides_seen(deck):
    """Per slide: its key, title, body paragraphs and the texts of the person's boxes."""
    seen = []
    for slide in Presentation(str(deck)).slides:
        body = [s for s in slide.placeholders if s.placeholder_format.idx == 1]
        seen.append((slide_key(slide), slide.shapes.title.text_frame.text,
                     [p.text for p in body[0].text_frame.paragraphs] if body else [],
                     [s.text_frame.text for s in slide.shapes
                      if s.has_text_frame and not s.is_placeholder and identity_of(s) is None]))
    return seen


def test_an_update_follows_slides_whose_ids_were_swapped(edited, capsys):
    n_before = slides_seen(edited / "deck.pptx")[0][2][0]
    write(edited, points="extra", extra="points")
    status, err = run(capsys, edited / "deck.yaml", "--update", edited / "deck.pptx")
    assert status == 0, err
    seen = slides_seen(edited / "deck.pptx")
    assert [s[:2] for s in seen] == [("extra", "Samordning"), ("points", "Mer tekst"),
                                     ("quality", "Samordningskvalitet")]
    assert seen[0][3] == ["Min kommentar"] and seen[0][2][0] != n_before  # new N, my box
    assert seen[1][2] == ["Mitt eget punkt"]
    assert "extra: the same slide as 'points' before (its id changed in the deck file)" in err
    assert "points: the same slide as 'extra' before" in err


def test_an_update_follows_a_slide_whose_id_was_renamed(edited, capsys):
    write(edited, points="samordning")
    status, err = run(capsys, edited / "deck.yaml", "--update", edited / "deck.pptx")
    assert status == 0, err
    seen = slides_seen(edited / "deck.pptx")
    assert [s[:2] for s in seen] == [("samordning", "Samordning"), ("extra", "Mer tekst"),
                                     ("quality", "Samordningskvalitet")]
    assert seen[0][3] == ["Min kommentar"]
    assert "slide removed" not in err and "new slide" not in err


def test_an_id_given_to_other_content_keeps_the_persons_slide(edited, capsys):
    """'points' now names the slide that was 'extra', and 'extra' a slide with a new
    title: the old "Samordning" slide is the person's, untouched, and says so."""
    (edited / "deck.yaml").write_text(
        DECK.format(points="points", extra="extra", extra_title="Helt ny")
        .replace("title: Samordning\n", "title: Mer tekst\n", 1)
        .replace("title: Helt ny\n    bullets: [\"Første punkt\"]",
                 "title: Helt ny\n    bullets: [\"Nytt punkt\"]")
        .replace('["N = {{ n.country }}", "Andre kulepunkt"]', '["Første punkt"]'),
        encoding="utf-8")
    before = slides_seen(edited / "deck.pptx")
    status, err = run(capsys, edited / "deck.yaml", "--update", edited / "deck.pptx")
    assert status == 0, err
    seen = slides_seen(edited / "deck.pptx")
    assert "points: the deck file now gives this id to another slide ('Mer tekst'); your " \
           "slide 'Samordning' is kept as yours and no longer updated" in err
    mine = next(s for s in seen if s[1] == "Samordning")
    assert mine[0] is None and "Min kommentar" in mine[3]
    assert mine[1:3] == before[0][1:3]  # the old N: not updated, nothing written into it
    assert [s[:2] for s in seen if s[0]] == [("points", "Mer tekst"), ("extra", "Helt ny"),
                                             ("quality", "Samordningskvalitet")]
    assert next(s for s in seen if s[0] == "points")[2] == ["Mitt eget punkt"]


def test_a_copied_slide_is_left_alone_with_its_original(edited, capsys):
    """Two slides carrying one slide's names (PowerPoint's Duplicate Slide keeps them):
    which one is the generated slide is not certain, so neither is updated."""
    deck = edited / "deck.pptx"
    prs = Presentation(str(deck))
    copy_of = prs.slides.add_slide(prs.slides[0].slide_layout)
    for shape in list(copy_of.shapes):
        shape._element.getparent().remove(shape._element)
    for shape in prs.slides[0].shapes:
        copy_of.shapes._spTree.append(copy.deepcopy(shape._element))
    prs.save(str(deck))
    before = slides_seen(deck)
    status, err = run(capsys, edited / "deck.yaml", "--update", deck)
    assert status == 0, err
    assert ("points: slides 1 and 4 both carry this slide's names (a copied slide?): "
            "neither is updated") in err
    seen = slides_seen(deck)
    assert seen[0] == before[0] and seen[3] == before[3]
    assert len(seen) == 4  # nothing added in their place
