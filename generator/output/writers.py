"""Outputs beside the deck, each a writer registered under its command-line name.

The .pptx is the deck itself; every other output (``--figures``, ``--pdf``,
``--html``) is made from the same finished deck and written beside it with the
deck's name and the writer's suffix: ``cocops_NO_nb.pptx`` gives
``cocops_NO_nb.pdf``. A writer is a `suffix`, `missing` (what to install,
asked before anything is built) and `write` (a batch of decks at once, so a slow
helper program starts once per batch). Adding an output is one module and one
entry in `OUTPUTS`, which holds the command line's help and where the writer is:
the command line lists the outputs without importing them.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from generator.core.errors import Problem

if TYPE_CHECKING:
    from generator.i18n.locale import DeckLocale
    from generator.plan.content import SlideContent


@dataclass(frozen=True)
class FinishedDeck:
    """One deck as saved: what every other output is made from."""

    slides: Sequence[SlideContent]
    path: Path  # the .pptx, already written
    locale: DeckLocale
    title: str
    group: str  # whose numbers the deck shows: an ISO code, or a subgroup (NO:level=1)
    compared: str  # the comparison group: all | others | country_mean, or the country
    show_numbers: bool = True  # slide numbers in the footer

    def beside(self, suffix: str) -> Path:
        """The path of an output with `suffix` (``.pdf``) beside the deck, same name."""
        return self.path.with_suffix(suffix)


class OutputWriter(Protocol):
    """Writes one kind of output beside each deck."""

    suffix: str  # replaces the deck's .pptx

    def missing(self) -> Problem | None:
        """What this machine lacks for this output (with what to install), or None."""

    def write(self, decks: Sequence[FinishedDeck]) -> list[Path]:
        """Write each deck's output beside it, whole or not at all; the files written."""


@dataclass(frozen=True)
class Output:
    """One output: its command-line help, and the class that writes it (module, name),
    imported only when the output is asked for."""

    help: str
    module: str
    writer: str


OUTPUTS: dict[str, Output] = {
    "figures": Output(
        "also write <deck>.figures.csv: every number shown, with its base, test and interval",
        "generator.output.figures", "FiguresWriter"),
    "pdf": Output("also write <deck>.pdf, one page per slide (needs LibreOffice)",
                  "generator.output.pdf", "PdfWriter"),
    "html": Output("also write <deck>.html: the deck as one web page with interactive "
                   "charts, nothing loaded from the network", "generator.output.html",
                   "HtmlWriter"),
}
"""Each output by the name of its command-line option (``--pdf`` -> ``pdf``)."""


@cache
def writer(name: str) -> OutputWriter:
    """The writer of output `name` (a key of `OUTPUTS`)."""
    entry = OUTPUTS[name]
    return getattr(importlib.import_module(entry.module), entry.writer)()


def missing(names: Sequence[str]) -> list[Problem]:
    """A problem for each requested output this machine cannot make."""
    return [p for p in (writer(name).missing() for name in names) if p is not None]


def write_outputs(names: Sequence[str], decks: Sequence[FinishedDeck]) -> list[Path]:
    """Every requested output of every deck; the files written, deck by deck."""
    return [path for name in names for path in writer(name).write(decks)]
