"""A deck file stays in its own tree: what it reads and writes lies inside its folder or
the current folder (symlinks followed), unless the command line allows another folder
(``--allow-path``); paths typed on the command line are the user's. A .pptx this
generator did not make is not replaced without ``--force``. Each refusal names the key,
the path and the option, and nothing is written."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from pptx import Presentation
from small_project import replace_in, write_project

from generator.cli import main


def run(capsys, *args) -> tuple[int, str]:
    status = main([str(a) for a in [*args, "--charts", "native"]])
    return status, " ".join(capsys.readouterr().err.split())


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The small project in `tmp_path/deck`, run from `tmp_path/work`; `tmp_path/elsewhere`
    is outside both."""
    for name in ("deck", "work", "elsewhere"):
        (tmp_path / name).mkdir()
    folder = write_project(tmp_path / "deck", ("NO", "DK"))
    monkeypatch.chdir(tmp_path / "work")
    return folder


def move_out(project, name, key_line_old, key_line_new):
    """Move `name` to the folder outside and point the deck file at it."""
    target = project.parent / "elsewhere" / name
    shutil.move(project / name, target)
    replace_in(project / "deck.yaml", key_line_old, key_line_new.format(target=target))
    return target


def write_png(path):
    from PIL import Image

    Image.new("RGB", (8, 8), "white").save(path)


READS = {
    "data": ("data.csv", "data: data.csv", "data: {target}"),
    "codebook": ("codebook.yaml", "codebook: codebook.yaml", "codebook: {target}"),
}


@pytest.mark.parametrize("key", READS)
def test_a_file_read_from_outside_is_refused_until_its_folder_is_allowed(project, capsys,
                                                                        key):
    name, old, new = READS[key]
    target = move_out(project, name, old, new)
    status, err = run(capsys, project / "deck.yaml")
    assert status == 2, err
    assert (f"deck.yaml:{5 if key == 'data' else 6}:3: deck.{key}: {target} is outside the "
            "deck file's folder and the current folder: a deck file reads only there (move "
            f"it inside, or allow its folder on the command line: --allow-path "
            f"{target.parent})") in err
    assert not (project / "out").exists()
    status, err = run(capsys, project / "deck.yaml", "--allow-path", target.parent)
    assert status == 0, err


def test_an_image_reached_with_dot_dot_or_through_a_symlink_is_refused(project, capsys):
    secret = project.parent / "elsewhere" / "secret.png"
    write_png(secret)
    (project / "pictures").mkdir()
    (project / "pictures" / "logo.png").symlink_to(secret)
    with (project / "deck.yaml").open("a", encoding="utf-8") as deck:
        deck.write("  - type: image\n    title: Bilde\n    path: ../elsewhere/secret.png\n"
                   "  - type: image\n    title: Logo\n    path: pictures/logo.png\n")
    status, err = run(capsys, project / "deck.yaml")
    assert status == 2, err
    assert (f"deck.yaml:21:5: slides[2].path: {project}/../elsewhere/secret.png is outside "
            "the deck file's folder and the current folder") in err
    assert (f"deck.yaml:24:5: slides[3].path: {project}/pictures/logo.png (through a "
            f"symlink: {secret}) is outside") in err
    assert f"--allow-path {secret.parent}" in err
    assert not (project / "out").exists()


def test_a_base_outside_is_refused_unread(project, capsys):
    base = project.parent / "elsewhere" / "base.yaml"
    base.write_text("deck: [not: a deck\n", encoding="utf-8")  # read, it would not parse
    (project / "variant.yaml").write_text("extends: ../elsewhere/base.yaml\n", encoding="utf-8")
    status, err = run(capsys, project / "variant.yaml")
    assert status == 2, err
    assert (f"variant.yaml:1:1: extends: {project}/../elsewhere/base.yaml is outside the deck "
            "file's folder and the current folder: a deck file reads only there") in err
    assert "YAML" not in err


def test_the_deck_file_cannot_allow_a_path_itself(project, capsys):
    replace_in(project / "deck.yaml", "  language: nb", "  language: nb\n  allow_path: /")
    status, err = run(capsys, project / "deck.yaml")
    assert status == 2 and "unknown key 'allow_path'" in err


def test_an_output_outside_is_refused_and_the_file_there_left_alone(project, capsys):
    """The reported case: `output:` pointing at someone's board report."""
    report = project.parent / "elsewhere" / "board-report.pptx"
    Presentation().save(str(report))
    before = report.read_bytes()
    replace_in(project / "deck.yaml", "output: out/deck_{country}.pptx", f"output: {report}")
    status, err = run(capsys, project / "deck.yaml")
    assert status == 2, err
    assert (f"deck.yaml:7:3: deck.output: {report} is outside the deck file's folder and the "
            "current folder: a deck file writes only there (move it inside, or allow its "
            f"folder on the command line: --allow-path {report.parent}; or name the file on "
            "the command line: -o PATH)") in err
    assert report.read_bytes() == before
    # allowed, it is still a deck this generator did not make
    status, err = run(capsys, project / "deck.yaml", "--allow-path", report.parent)
    assert status == 2, err
    assert (f"{report}: there is a file this generator did not make here (it has no "
            f"SurveyDeckManifest document properties): not replaced ({project}/deck.yaml:7: "
            "deck.output) (write the deck "
            "elsewhere (-o PATH, or the deck's 'output:'), or add --force to replace it)") in err
    assert report.read_bytes() == before


def test_a_path_typed_on_the_command_line_is_the_users_choice(project, capsys):
    target = project.parent / "elsewhere" / "mine.pptx"
    cache = project.parent / "elsewhere" / "cache"
    status, err = run(capsys, project / "deck.yaml", "-o", target, "--cache-dir", cache)
    assert status == 0, err
    assert Presentation(str(target)).slides  # and rebuilt over itself: it is ours
    status, err = run(capsys, project / "deck.yaml", "-o", target)
    assert status == 0, err
    status, err = run(capsys, project / "deck.yaml", "--update", target)
    assert status == 0, err
    assert len(list(target.parent.glob("mine.backup-*.pptx"))) == 1


def test_a_cache_folder_outside_is_refused(project, capsys):
    cache = project.parent / "elsewhere" / "cache"
    replace_in(project / "deck.yaml", "  language: nb", f"  language: nb\n  cache_dir: {cache}")
    status, err = run(capsys, project / "deck.yaml")
    assert status == 2, err
    assert (f"deck.cache_dir: {cache} is outside the deck file's folder and the current "
            "folder: a deck file writes only there") in err
    assert not cache.exists()


def test_a_pptx_the_generator_did_not_make_is_replaced_only_with_force(project, capsys):
    theirs = project / "out" / "deck_NO.pptx"
    theirs.parent.mkdir()
    Presentation().save(str(theirs))
    before = theirs.read_bytes()
    status, err = run(capsys, project / "deck.yaml")
    assert status == 2, err
    assert (f"{theirs}: there is a file this generator did not make here (it has no "
            f"SurveyDeckManifest document properties): not replaced ({project}/deck.yaml:7: "
            "deck.output)") in err
    assert "add --force to replace it" in err
    assert theirs.read_bytes() == before
    status, err = run(capsys, project / "deck.yaml", "--force")
    assert status == 0, err
    assert len(Presentation(str(theirs)).slides) == 2
    status, err = run(capsys, project / "deck.yaml")  # ours now: rebuilt without --force
    assert status == 0, err


@pytest.mark.ooxml_unchecked("elsewhere/notes.pptx")  # not a deck, on purpose
def test_a_file_that_is_not_a_deck_is_not_replaced_either(project, capsys):
    notes = project.parent / "elsewhere" / "notes.pptx"
    notes.write_text("my notes", encoding="utf-8")
    status, err = run(capsys, project / "deck.yaml", "-o", notes)
    assert status == 2, err
    assert f"{notes}: there is a file this generator did not make here" in err
    assert "not replaced (-o)" in err
    assert notes.read_text(encoding="utf-8") == "my notes"


def test_the_examples_reach_their_base_from_the_project_folder(monkeypatch, capsys):
    """`extends: ../slides.yaml` lies in the current folder when run from the project
    folder, as the README shows; from the examples' folder the base's folder must be
    allowed."""
    monkeypatch.chdir(ROOT)
    status, err = run(capsys, "examples/dk_da.yaml", "--check")
    assert status == 0, err
    monkeypatch.chdir(ROOT / "examples")
    status, err = run(capsys, "dk_da.yaml", "--check")
    assert status == 2, err
    assert ("dk_da.yaml:7:1: extends: ../slides.yaml is outside the deck file's folder and "
            f"the current folder: a deck file reads only there (move it inside, or allow its "
            f"folder on the command line: --allow-path {ROOT})") in err
    status, err = run(capsys, "dk_da.yaml", "--check", "--allow-path", "..")
    assert status == 0, err
