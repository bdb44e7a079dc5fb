"""``--pdf``: the deck converted by LibreOffice, beside the deck, one page per slide."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from pptx import Presentation

from generator.cli import main
from generator.core.errors import OfficeError
from generator.i18n.locale import DeckLocale
from generator.output.pdf import PdfWriter
from generator.output.writers import OUTPUTS, FinishedDeck, writer
from generator.run.build import build
from generator.run.options import BuildOptions


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, flags=re.M).group(1))


def _running(pid: int) -> bool:
    """Whether the process runs (an ended one not yet reaped by its new parent does not)."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if state == "Z":
            return False
        time.sleep(0.1)  # SIGKILL is delivered asynchronously
    return True


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


@pytest.mark.office
def test_pdf_beside_the_deck_one_page_per_slide_with_its_texts(office, tmp_path):
    deck = tmp_path / "three.pptx"
    result = build(FIXTURES / "three_slides.yaml",
                   BuildOptions(output=deck, charts="native", outputs=("pdf",)))
    pdf = tmp_path / "three.pdf"
    assert result.extras == [pdf]
    slides = Presentation(str(deck)).slides
    assert _pages(pdf) == len(slides) == 3
    titles = ["COCOPS: Coordinating for cohesion in the public sector*", "Samordning",
              "Samordningskvalitet"]
    for number, title in enumerate(titles, start=1):
        assert title in " ".join(_page_text(pdf, number).split())  # lines joined
    assert "Nytt eller gammelt?" in _page_text(pdf, 2)
    assert "Syntetiske demodata" in _page_text(pdf, 3)  # the synthetic-data source line
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


@pytest.mark.ooxml_unchecked("deck.pptx")  # a stand-in, not a deck
def test_without_libreoffice_the_build_stops_first_and_says_what_to_install(
        tmp_path, capsys, monkeypatch):
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"the previous deck")
    bare = tmp_path / "bin"  # a PATH with no soffice on it
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    status = main([str(ROOT / "slides.yaml"), "--pdf", "-o", str(deck)])
    stderr = capsys.readouterr().err
    assert status == 2, stderr
    message = " ".join(stderr.split())
    assert "--pdf: LibreOffice converts the deck to PDF, and it is not installed" in message
    assert "sudo apt-get install libreoffice-impress" in message
    assert deck.read_bytes() == b"the previous deck"  # nothing was built
    assert not (tmp_path / "deck.pdf").exists()


@pytest.mark.ooxml_unchecked("deck.pptx")  # a stand-in, not a deck
def test_a_hung_libreoffice_is_stopped_and_the_previous_pdf_kept(tmp_path, monkeypatch):
    """The time limit: a LibreOffice that never finishes is ended (with its children),
    and the PDF of the last good build stays as it was."""
    folder = tmp_path / "bin"
    folder.mkdir()
    hung = folder / "soffice"
    child_pid = tmp_path / "child.pid"
    hung.write_text(f"#!/bin/sh\n/bin/sleep 300 &\necho $! > {child_pid}\nwait\n")
    hung.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"a deck")
    (tmp_path / "deck.pdf").write_bytes(b"the previous pdf")
    finished = FinishedDeck(slides=[], path=deck, locale=DeckLocale("nb", "NO"), title="",
                            group="NO", compared="all")
    with pytest.raises(OfficeError, match="did not finish converting to PDF within 1 s"):
        PdfWriter(timeout=1).write([finished])
    assert (tmp_path / "deck.pdf").read_bytes() == b"the previous pdf"
    assert not _running(int(child_pid.read_text()))  # the hung program's child ended too
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pdf-")]


def test_every_writer_is_an_option_of_the_command_line(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    stdout = capsys.readouterr().out
    for name, output in OUTPUTS.items():
        assert f"--{name}" in stdout
        assert " ".join(output.help.split()[:4]) in " ".join(stdout.split())
    assert {"figures", "pdf", "html"} <= set(OUTPUTS)
    assert {writer(name).suffix for name in OUTPUTS} == {".pdf", ".html", ".figures.csv"}


def _structure(node, page_of: dict) -> list[tuple[str, int | None, str | None]]:
    """The structure elements under `node` in reading order: (type, page, alt text)."""
    import pikepdf

    kids = node.get("/K")
    found = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
            continue  # a marked-content reference: the text itself
        page = kid.get("/Pg")
        alt = kid.get("/Alt")
        found.append((str(kid.S), page_of.get(page.objgen) if page is not None else None,
                      str(alt) if alt is not None else None))
        found += _structure(kid, page_of)
    return found


@pytest.mark.office
def test_pdf_is_tagged_in_the_decks_language_with_each_charts_alt_text(
        built_decks, office, tmp_path):
    import pikepdf

    deck = tmp_path / "NO_nb.pptx"
    deck.write_bytes(built_decks["NO_nb"].read_bytes())
    title = "COCOPS: Coordinating for cohesion in the public sector"
    [pdf] = PdfWriter().write([FinishedDeck(slides=[], path=deck, locale=DeckLocale("nb", "NO"),
                                            title=title, group="NO", compared="all")])
    alt_texts = [shape.element.nvPicPr.cNvPr.get("descr")
                 for slide in Presentation(str(deck)).slides for shape in slide.shapes
                 if shape.shape_type == 13]  # a picture: each chart of the shipped deck
    assert len(alt_texts) == 9
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang) == "nb-NO"
        assert bool(opened.Root.MarkInfo.Marked) is True
        assert bool(opened.Root.ViewerPreferences.DisplayDocTitle) is True
        metadata = opened.open_metadata()
        assert metadata["dc:title"] == title
        assert metadata["pdfuaid:part"] == "1"  # PDF/UA-1
        page_of = {page.objgen: number for number, page in enumerate(opened.pages, 1)}
        tree = _structure(opened.Root.StructTreeRoot, page_of)
    figures = [(page, alt) for kind, page, alt in tree if kind == "/Figure"]
    assert [alt for _, alt in figures] == alt_texts
    assert [page for page, _ in figures] == [9, 10, 11, 12, 13, 14, 15, 16, 17]
    # each read with the source line that says the data are synthetic
    assert all(alt.endswith(". Kilde: Syntetiske demodata etter mønster av COCOPS-"
                            "undersøkelsen 2012–2013 (ikke ekte svar).") for _, alt in figures)
    # a chart slide is read in the order of its shapes: its title before its chart
    page = [kind for kind, number, _ in tree if number == 15 and kind in ("/H", "/Figure")]
    assert page == ["/H", "/Figure"]
    assert sum(1 for kind, _, _ in tree if kind == "/H") == 20  # a heading per slide
