"""``--pdf``: the deck as PDF, one page per slide, converted by LibreOffice.

The only module that runs LibreOffice. Each conversion gets a user profile of
its own (two soffice processes sharing one profile make the second exit 1
without converting anything), runs with a time limit, and writes into a
temporary folder beside the deck, from which the PDF is renamed into place:
a failed conversion leaves the previous PDF as it was.

The PDF is tagged and PDF/UA (ISO 14571-1) as LibreOffice's export makes it: a
structure tree in the slides' reading order, each chart and picture a Figure
with the deck's alt text, the deck's title shown as the window title. Its
language is the deck's: LibreOffice writes the document language from its
locale setting, which the fresh profile sets to the deck's language.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from generator.core.errors import OfficeError, Problem
from generator.output.files import move_into_place

if TYPE_CHECKING:
    from generator.output.writers import FinishedDeck

INSTALL_HINT = ("install LibreOffice Impress (Debian/Ubuntu: sudo apt-get install "
                "libreoffice-impress; macOS: brew install --cask libreoffice; Windows: "
                "libreoffice.org) so that 'soffice' is on the PATH, or leave out --pdf")


# LibreOffice's PDF export options (its filter's JSON form): a tagged, PDF/UA PDF
PDF_FILTER = 'pdf:impress_pdf_Export:' + json.dumps({
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
})
# a new profile's settings: the locale the PDF's document language (/Lang) is taken from
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" \
oor:op="fuse"><value>{language}</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """LibreOffice's command-line program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def new_profile(folder: Path, language: str) -> None:
    """A LibreOffice user profile in `folder` whose locale is `language` (BCP 47)."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        PROFILE_SETTINGS.format(language=escape(language)), encoding="utf-8")


def convert_to_pdf(soffice: str, decks: Sequence[Path], folder: Path,
                   timeout: float, language: str) -> None:
    """Convert `decks` (all in `language`, a BCP 47 tag) into tagged PDFs named like them
    in `folder`, in one LibreOffice run with a fresh profile; OfficeError when it fails or
    takes longer than `timeout` seconds."""
    with tempfile.TemporaryDirectory(prefix="survey-deck-office-") as profile:
        new_profile(Path(profile), language)
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--convert-to", PDF_FILTER, "--outdir", str(folder),
                   *(str(deck) for deck in decks)]
        # a session of its own, so a hung LibreOffice is ended with all its children
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise OfficeError(Problem(
                f"LibreOffice did not finish converting to PDF within {timeout:.0f} s",
                file=decks[0], hint="the deck itself was written; the previous PDF is "
                "unchanged. Close other LibreOffice windows and build again")) from None
    if process.returncode != 0:
        said = stderr.decode("utf-8", "replace").strip().splitlines()
        raise OfficeError(Problem(
            f"LibreOffice could not convert the deck to PDF (exit status "
            f"{process.returncode}{': ' + said[-1] if said else ''})", file=decks[0],
            hint="the deck itself was written; the previous PDF is unchanged"))


class PdfWriter:
    """``--pdf``: ``<deck>.pdf`` beside each deck, one page per slide."""

    suffix = ".pdf"

    def __init__(self, timeout: float = 300.0) -> None:
        self.timeout = timeout

    def missing(self) -> Problem | None:
        if find_soffice() is not None:
            return None
        return Problem("--pdf: LibreOffice converts the deck to PDF, and it is not "
                       "installed here (no 'soffice' on the PATH)", hint=INSTALL_HINT)

    def write(self, decks: Sequence[FinishedDeck]) -> list[Path]:
        soffice = find_soffice()
        if soffice is None:
            raise OfficeError(self.missing())
        written = []
        def batch(deck: FinishedDeck) -> tuple[str, str]:  # one LibreOffice run each
            return str(deck.path.parent), deck.locale.tag

        for (folder, language), group in groupby(sorted(decks, key=batch), key=batch):
            group = list(group)
            with tempfile.TemporaryDirectory(dir=folder, prefix=".pdf-") as made:
                convert_to_pdf(soffice, [deck.path for deck in group], Path(made),
                               self.timeout, language)
                for deck in group:
                    pdf = Path(made) / f"{deck.path.stem}.pdf"
                    if not pdf.is_file():
                        raise OfficeError(Problem(
                            "LibreOffice made no PDF of the deck", file=deck.path,
                            hint="open the deck in LibreOffice Impress to see why"))
                    move_into_place(pdf, deck.beside(self.suffix))
                    written.append(deck.beside(self.suffix))
        return written
