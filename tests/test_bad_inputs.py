"""The catalogue of bad inputs: each gives its one clear message and exit status,
never a traceback, and never touches the previous deck.

Every case starts from a small working project copied into a temporary folder
(deck file, codebook and data), breaks one thing, and runs the command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from small_project import DECK, replace_in, write_project

from generator.cli import main
from generator.core.errors import BrowserError
from generator.run.build import build
from generator.run.options import BuildOptions


@pytest.fixture
def project(tmp_path) -> Path:
    """A working deck: deck.yaml, codebook.yaml and a 600-respondent data.csv."""
    return write_project(tmp_path, ("NO", "DK", "FI"))


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: replace_in(folder / name, old, new)


def write(name: str, content: bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / name).write_bytes(content)
    return apply


def append_slide(yaml_text: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        with (folder / "deck.yaml").open("a", encoding="utf-8") as deck:
            deck.write(yaml_text)
    return apply


def transform_data(change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        frame = pd.read_csv(folder / "data.csv", dtype=str)
        change(frame).to_csv(folder / "data.csv", index=False)
    return apply


def data_as(suffix: str, damage: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        frame = pd.read_csv(folder / "data.csv")
        target = folder / f"data{suffix}"
        frame.to_parquet(target)
        target.write_bytes(damage(target.read_bytes()))
        edit("deck.yaml", "data: data.csv", f"data: data{suffix}")(folder)
    return apply


def two_layout_template(folder: Path) -> None:
    from pptx import Presentation

    prs = Presentation()
    layouts = prs.slide_layouts
    for layout in list(layouts)[2:]:
        layouts.remove(layout)
    prs.save(str(folder / "plain.pptx"))
    edit("deck.yaml", "  output:", "  template: plain.pptx\n  output:")(folder)


@dataclass(frozen=True)
class Case:
    name: str
    breaks: Callable[[Path], None]
    words: tuple[str, ...]
    status: int = 2


LONG = " ".join(["Samordning gjennom hierarki, nettverk og marked"] * 12)

CATALOGUE = [
    # the deck file
    Case("yaml syntax error", edit("deck.yaml", "title: Test deck", "title: [Test deck"),
         ("deck.yaml:3:", "YAML syntax error", "flow sequence that starts on line 2")),
    Case("tab indentation", edit("deck.yaml", "  language: nb", "\tlanguage: nb"),
         ("deck.yaml:", "tab", "spaces only")),
    Case("wrong type", edit("deck.yaml", "  language: nb", "  language: nb\n  min_base: many"),
         ("deck.yaml:5:", "deck.min_base", "valid integer")),
    Case("unknown deck key", edit("deck.yaml", "  language:", "  langauge:"),
         ("deck.yaml:4:", "unknown key 'langauge'", "did you mean 'language'?")),
    Case("unknown slide key", edit("deck.yaml", "    bullets: [", "    bulets: ["),
         ("deck.yaml:12:", "slides[0].bulets", "did you mean 'bullets'?")),
    Case("unknown slide type", edit("deck.yaml", "type: bullets", "type: bulets"),
         ("deck.yaml:9:", "unknown slide type 'bulets'", "did you mean 'bullets'?")),
    Case("unknown value", edit("deck.yaml", "indicator: pct_range", "indicator: percent"),
         ("deck.yaml:17:", "'percent' is not a valid value", "distribution, mean, pct_range")),
    Case("empty deck file", write("deck.yaml", b""), ("deck.yaml", "the file is empty")),
    Case("deck without slides", edit("deck.yaml", DECK[DECK.index("slides:"):], "slides: []\n"),
         ("deck.yaml:8:", "the deck has no slides")),
    Case("battery not in the codebook",
         edit("deck.yaml", "battery: coordination_quality", "battery: coordination"),
         ("deck.yaml:16:", "no battery 'coordination'", "did you mean")),
    Case("item not in the battery", append_slide(
        "  - type: chart\n    title: x\n    battery: coordination_quality\n"
        "    items: [vertical]\n"), ("deck.yaml:22:", "no item 'vertical'")),
    Case("unknown country", edit("deck.yaml", "country: NO", "country: SE"),
         ("deck.yaml:3:", "country 'SE' is not in the data", "DK, FI, NO")),
    Case("unknown language", edit("deck.yaml", "language: nb", "language: xx"),
         ("deck.yaml:4:", "deck.language", "unknown language 'xx'", "CLDR locale code")),
    Case("unknown title language",
         edit("deck.yaml", "title: Samordning", "title: Samordning\n    title_language: klingon"),
         ("deck.yaml:12:", "slides[0].title_language", "unknown language 'klingon'",
          "CLDR locale code")),
    Case("python tag", edit("deck.yaml", "title: Test deck", "title: !!python/name:os.system"),
         ("deck.yaml:2:", "YAML tag '!!python/name:os.system' is not allowed")),
    Case("duplicate key", edit("deck.yaml", "  language: nb", "  language: nb\n  language: en"),
         ("deck.yaml:5:", "key 'language' appears twice")),
    Case("unknown placeholder", edit("deck.yaml", "Nytt eller gammelt?", "N = {{ n.total }}"),
         ("deck.yaml:12:", "unknown placeholder", "n.all")),
    Case("unsafe placeholder", edit("deck.yaml", "title: Samordning",
                                    "title: \"{{ n.__class__.__mro__ }}\""),
         ("deck.yaml:11:", "unsafe")),
    Case("unquoted colon in a bullet",
         edit("deck.yaml", '["Nytt eller gammelt?"]', "\n      - Kontekst: finanskrisen, tillit"),
         ("deck.yaml:13:9:", "slides[0].bullets[0]: this bullet contains ': ' so YAML read it "
          "as a key 'Kontekst'", 'quote the text: - "Kontekst: finanskrisen, tillit"')),
    Case("sub-bullets not indented under their parent",
         edit("deck.yaml", '["Nytt eller gammelt?"]',
              "\n      - Nytt eller gammelt?:\n      - Flernivåstyring"),
         ("deck.yaml:13:9:", "slides[0].bullets[0]: the bullet 'Nytt eller gammelt?:' ends "
          "with ':' but no sub-bullets are indented under it", "indent its sub-bullets under "
          "it: '- Nytt eller gammelt?:' then, on the next line and 4 spaces further in, "
          "'- Flernivåstyring'; if it has none, remove the ':'")),
    Case("sub-bullet under a parent without ':'",
         edit("deck.yaml", '["Nytt eller gammelt?"]',
              "\n      - Nytt eller gammelt?\n        - Flernivåstyring"),
         ("deck.yaml:13:9: slides[0].bullets[0]: the text 'Nytt eller gammelt?' runs on to "
          "line 14, which starts with '- ', so YAML read both lines as one text",
          "to make '- Flernivåstyring' a sub-bullet, end this line with ':'")),
    Case("sub-bullet indented less than its parent's text",
         edit("deck.yaml", '["Nytt eller gammelt?"]',
              "\n      - Nytt eller gammelt?:\n       - Flernivåstyring"),
         ("deck.yaml:14:8: YAML syntax error: a '- ' item is indented differently from the "
          "items before it (the list starts on line 13)", "indented further in than the "
          "parent's text", "(codebook and data not checked: fix the deck file first)")),
    Case("missing translation", edit("deck.yaml", "title: Samordning", "title: {en: Coordination}"),
         ("deck.yaml:11:", "no text for the deck's language 'nb'")),
    Case("template without the layouts", two_layout_template,
         ("deck.yaml:7:", "the template plain.pptx has no slide layout for two content slides",
          "it has 'Title Slide', 'Title and Content'")),
    Case("template not found", edit("deck.yaml", "  output:", "  template: none.pptx\n  output:"),
         ("none.pptx", "template not found")),
    Case("image not found", append_slide("  - type: image\n    title: x\n    path: pic.png\n"),
         ("deck.yaml:21:", "image not found")),
    Case("text that cannot fit", edit("deck.yaml", '["Nytt eller gammelt?"]',
                                      "[" + ", ".join([f'"{LONG}"'] * 8) + "]"),
         ("slide 1 (Samordning)", "does not fit its box even at 14 pt", "split the slide")),
    # the data and the codebook
    Case("data file missing", edit("deck.yaml", "data: data.csv", "data: missing.csv"),
         ("missing.csv", "data file not found")),
    Case("data file empty", write("data.csv", b""), ("data.csv", "the data file is empty")),
    Case("data file truncated", data_as(".parquet", lambda b: b[: len(b) // 2]),
         ("data.parquet", "cannot read the data file")),
    Case("data file mis-encoded", lambda f: (f / "data.csv").write_bytes(
        (f / "data.csv").read_bytes().replace(b"\nid", b"\nid").replace(b",NO,", b",N\xf8,", 1)),
         ("data.csv:", "not UTF-8")),
    Case("unexpected country codes", transform_data(
        lambda d: d.assign(country=d["country"].replace({"NO": "Norwegia"}))),
         ("data.csv", "neither ISO country codes nor country names CLDR knows", "'Norwegia'",
          "(first at row ", "dataset.country_codes: {Norwegia: …}")),
    Case("an answer code the codebook does not declare", transform_data(
        lambda d: d.assign(q18_2=d["q18_2"].replace({"3": "-99"}))),
         ("codebook.yaml:", "codes not declared in scale quality7: ", "answers coded -99 in "
          "q18_2 (first at row ", "of data.csv) (add -99 to the scale's missing or non_answers)"
          )),
    Case("country numbers without labels or mapping", transform_data(
        lambda d: d.assign(country=d["country"].replace({"NO": "30", "DK": "4", "FI": "11"}))),
         ("data.csv: column 'country': 3 country code(s) whose numbers have no value label "
          "naming a country: 4 (no value label), 11 (no value label), 30 (no value label)",
          "dataset.country_codes: {4: …, 11: …, 30: …}")),
    Case("no answers from the deck's country", transform_data(
        lambda d: d.assign(**{c: d[c].where(d["country"] != "NO", None)
                              for c in ["q18_1", "q18_2", "q18_3", "q18_4", "q18_5"]})),
         ("deck.yaml:16:", "no valid answers from NO on 'coordination_quality'")),
    Case("codebook names an absent column", edit("codebook.yaml", "column: q18_1",
                                                  "column: q18_l"),
         ("codebook.yaml:", "column 'q18_l' is not in the data file",
          "closest columns in the data")),
    Case("codebook key misspelt", edit("codebook.yaml", "    question:", "    questoin:"),
         ("codebook.yaml:", "unknown key 'questoin'", "did you mean 'question'?")),
    Case("codebook missing", edit("deck.yaml", "codebook: codebook.yaml", "codebook: cb.yaml"),
         ("cb.yaml", "file not found")),
    Case("non-numeric answers", transform_data(
        lambda d: d.assign(q18_1=d["q18_1"].replace({"5": "five"}))),
         ("column 'q18_1'", "non-numeric values such as 'five'")),
    Case("unsupported data file", edit("deck.yaml", "data: data.csv", "data: data.txt"),
         ("unsupported data file type '.txt'",)),
    # the output
    Case("output folder cannot be made", lambda f: (
        (f / "out").write_text("a file, not a folder"), None)[1],
         ("out", "cannot create the output folder")),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_catalogue(case, project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    case.breaks(project)
    # native charts: a build starts the browser early, while it reads the data, and
    # these cases are about the inputs (the browser's own failures come below)
    status = main([str(project / "deck.yaml"), "--cache-dir", str(project / "cache"),
                   "--charts", "native"])
    err = capsys.readouterr().err
    flat = " ".join(err.split())
    assert status == case.status, err
    assert "Traceback" not in err
    for word in case.words:
        assert word in flat, f"{word!r} not in: {flat}"


def test_catalogue_has_at_least_30_cases():
    assert len(CATALOGUE) >= 30


# -- the output held open, and browsers that are missing, crash or hang --------------------


def test_locked_output_keeps_the_previous_deck(project, capsys, browser):
    """On Linux an immutable file stands in for a deck held open in PowerPoint."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr not available")
    assert main([str(project / "deck.yaml")]) == 0
    deck = project / "out" / "deck_NO.pptx"
    before = deck.read_bytes()
    (project / "deck.yaml").write_text(DECK.replace("Samordning\n", "Koordinering\n"))
    subprocess.run(["chattr", "+i", str(deck)], check=True)
    try:
        status = main([str(project / "deck.yaml")])
    finally:
        subprocess.run(["chattr", "-i", str(deck)], check=True)
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2
    assert "the file is locked or read-only" in err and "close it in PowerPoint" in err
    assert deck.read_bytes() == before
    assert sorted(p.name for p in deck.parent.iterdir()) == ["deck_NO.pptx"]


def test_no_browser_when_image_charts_were_asked_for(project, capsys, monkeypatch):
    from generator.output.render import renderer as render

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(render, "installed_browser", lambda: None)
    status = main([str(project / "deck.yaml"), "--charts", "image"])
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2
    assert "no Chromium or Chrome found" in err and "apt-get install chromium" in err
    assert not (project / "out" / "deck_NO.pptx").exists()


def _fake_browser(folder: Path, script: str) -> Path:
    path = folder / "fake-chrome"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return path


def test_browser_that_crashes_at_start(project, capsys, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(_fake_browser(project, "exit 3")))
    status = main([str(project / "deck.yaml")])
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2
    assert "the browser stopped right after starting" in err and "fake-chrome" in err


def test_browser_that_hangs_at_start_is_killed(project, monkeypatch):
    pid_file = project / "browser.pid"
    # every process the build starts inherits the mark: found by it, whether or not it got
    # as far as writing its pid (a loaded machine may not start it within the 1 s)
    mark = f"HUNG_BROWSER_TEST={project}"
    monkeypatch.setenv(*mark.split("=", 1))
    monkeypatch.setenv("BROWSER_PATH",
                       str(_fake_browser(project, f"echo $$ > {pid_file}\nexec sleep 600")))
    with pytest.raises(BrowserError, match=r"the browser did not start within 1 s"):
        build(project / "deck.yaml", BuildOptions(browser_start_timeout=1))
    assert _running_with(mark) == []  # killed, not left behind
    if pid_file.exists():  # it did start: that very process is gone
        assert not _running(int(pid_file.read_text()))


def _running_with(variable: str) -> list[int]:
    """The processes (not zombies) started with `variable` (NAME=value) in their
    environment; never this one, whose environment was set before the test."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            started_with = environ.read_bytes().split(b"\0")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if variable.encode() in started_with and _running(int(environ.parent.name)):
            found.append(int(environ.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_chart_that_hangs_mid_render_names_the_slide(project, browser):
    with pytest.raises(BrowserError) as caught:
        build(project / "deck.yaml", BuildOptions(render_timeout=0.001, use_cache=False))
    assert "slide 2 (Samordningskvalitet): the chart did not render within 0.001 s" in str(
        caught.value)


def test_an_internal_fault_exits_1_without_traceback_unless_debug(project, capsys,
                                                                  monkeypatch):
    import generator.run.build

    def broken(*args, **kwargs):
        raise RuntimeError("something the code did not expect")

    monkeypatch.setattr(generator.run.build, "build", broken)
    assert main([str(project / "deck.yaml"), "--charts", "native"]) == 1
    err = capsys.readouterr().err
    assert "Internal error (RuntimeError: something the code did not expect)" in " ".join(
        err.split())
    assert "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main([str(project / "deck.yaml"), "--charts", "native", "--debug"])


# -- titles too long for their box ---------------------------------------------------------

TITLE_570 = "Samordning i offentlig sektor " * 19


def test_a_570_character_title_is_a_problem_with_its_slide_and_key(project, capsys):
    edit("deck.yaml", "title: Samordning\n", f"title: {TITLE_570.strip()}\n")(project)
    status = main([str(project / "deck.yaml"), "--check"])
    flat = " ".join(capsys.readouterr().err.split())
    assert status == 2
    assert "deck.yaml:11:" in flat and "slides[0].title" in flat
    assert "slide 1 (Samordning i offentlig sektor" in flat
    assert "the 'title' text does not fit its box even at 14 pt" in flat


def test_a_long_title_is_set_smaller_to_fit(project, capsys):
    from pptx import Presentation

    title = "Samordning i offentlig sektor " * 5  # 150 characters: two lines at 24 pt
    edit("deck.yaml", "title: Samordning\n", f"title: {title.strip()}\n")(project)
    assert main([str(project / "deck.yaml"), "--charts", "native"]) == 0, capsys.readouterr()
    slide = Presentation(str(project / "out" / "deck_NO.pptx")).slides[0]
    sizes = {run.font.size.pt for p in slide.shapes.title.text_frame.paragraphs
             for run in p.runs}
    assert sizes == {24.0}
