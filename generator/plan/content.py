"""What each slide will show, resolved: placeholders filled, numbers computed.

Each slide type's plan step (`generator.slides`) fills these plain records;
layout places and sizes what they hold, and the writers, the figures export and
the report read them. Every text is a `Phrase` whose parts carry the language
they are in, for the writer to tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.charts.data import ChartData
from generator.i18n.phrase import Phrase


@dataclass(frozen=True)
class Line:
    """One paragraph to fit and write: its text (each part tagged with its language),
    outline level (0 = top) and whether it is bold."""

    phrase: Phrase
    level: int = 0
    bold: bool = False

    @property
    def text(self) -> str:
        return self.phrase.text


@dataclass(frozen=True)
class TableContent:
    """A native table: header row, body rows (already formatted), and a note."""

    header: list[Phrase]
    rows: list[list[Phrase]]
    data: pd.DataFrame | None = None  # the indicator table behind the cells (provenance)
    value_kind: str = "percent"  # percent | mean: what `data`'s values are


@dataclass(frozen=True)
class QuotedFigure:
    """A computed figure quoted in a slide's text: the placeholder's name, whose it is
    (an ISO code, or ``all``), its value and its base."""

    name: str
    group: str
    value: float
    n: int | None = None


@dataclass
class ChartContent:
    """A chart to render and place, with its alt text."""

    data: ChartData
    alt_text: Phrase
    requested: str | None = None  # image | native as the slide asks; None: the deck's choice
    native: bool = False  # decided by the build


@dataclass
class SlideContent:
    """One slide, ready to write."""

    number: int
    kind: str
    title: Phrase
    subtitle: Phrase | None = None
    body: list[Line] = field(default_factory=list)
    right_body: list[Line] | None = None
    caption: Phrase | None = None
    footnote: Phrase | None = None
    notes: Phrase | None = None
    chart: ChartContent | None = None
    chart_column: str = "full"  # full | left | right
    table: TableContent | None = None
    image: Path | None = None
    footer_text: Phrase | None = None
    id: str | None = None  # the slide's id in the deck file
    respondents: str | None = None  # its numbers' filter, e.g. ``policy_field=2``; None: all
    quoted: list[QuotedFigure] = field(default_factory=list)  # figures its text quotes
    key: str = ""  # the stable identity the deck's shapes carry (see identity.assign_keys)

    @property
    def label(self) -> str:
        """How messages name this slide: ``slide 15 (Samordningskvalitet)``."""
        return f"slide {self.number} ({self.title})"
