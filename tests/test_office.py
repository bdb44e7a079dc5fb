"""A real office suite opens the decks: LibreOffice converts them to PDF."""

from __future__ import annotations

import subprocess

from conftest import office_convert
from pptx import Presentation


def _pdf_pages(soffice: str, deck, folder) -> int:
    pdf = office_convert(soffice, deck, "pdf", folder)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def test_libreoffice_converts_every_shipped_deck_one_page_per_slide(built_decks, office,
                                                                  tmp_path):
    for deck in built_decks.values():
        slides = len(Presentation(str(deck)).slides)
        assert _pdf_pages(office, deck, tmp_path) == slides
    assert len(Presentation(str(built_decks["three"])).slides) == 3
