"""A slide laid out: what goes where, at which size. Writers read only these.

Layout turns a `SlideContent` into elements with boxes (EMU) and fitted font
sizes; the PowerPoint writer (and any other) draws each element as it is,
knowing nothing of slide types. Every element has the role its shape is named
after (``<slide key> · <role>``, see `output.pptx.identity`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.core.geometry import Box
from generator.i18n.phrase import Phrase
from generator.plan.content import ChartContent, Line

Align = Literal["left", "center", "right"] | None
Anchor = Literal["top", "middle", "bottom"] | None


@dataclass(frozen=True)
class TextElement:
    """Paragraphs in a box at a fitted size: a placeholder of the slide's template
    layout (`placeholder` its slot: 0 the title, 1 and 2 the subtitle or bodies), the
    layout's own footer or slide-number placeholder (`latent`), or a text box."""

    role: str
    lines: tuple[Line, ...]
    box: Box
    size: float  # the size chosen: `normal` where the text fits, else smaller
    normal: float  # the size this text has where it fits
    placeholder: int | None = None
    bullets: bool = False  # outline levels, each level smaller
    colour: str | None = None  # None: the theme's text colour
    align: Align = None  # None: as the template says
    anchor: Anchor = None  # None: as the template says
    italic: bool = False
    slide_number: bool = False  # a field showing the slide's number, not `lines`
    latent: Literal["ftr", "sldNum"] | None = None


@dataclass(frozen=True)
class ChartElement:
    """A chart (an image or a native chart: the build decides) at its size."""

    box: Box
    chart: ChartContent
    role: str = "chart"


@dataclass(frozen=True)
class PictureElement:
    """An image file, scaled into its box keeping its proportions."""

    box: Box
    path: Path
    alt_text: Phrase
    role: str = "image"


@dataclass(frozen=True)
class TableElement:
    """A table: cells by row (the first the header, bold), equal rows, the first column
    half the width and the others sharing the rest."""

    box: Box
    rows: tuple[tuple[Line, ...], ...]
    size: float
    normal: float
    row_height: int
    column_widths: tuple[int, ...]
    role: str = "table"


Element = TextElement | ChartElement | PictureElement | TableElement


@dataclass(frozen=True)
class Misfit:
    """A text that does not fit its box even at the theme's minimum: the slide's key
    holding it (``title``, ``bullets``, ``caption``, …) and that minimum."""

    key: str
    role: str
    min_pt: float


@dataclass
class SlideLayout:
    """One slide laid out: the template layout it is made from, its elements in the order
    they are drawn, its speaker notes, and the texts that do not fit."""

    number: int
    template_layout: str
    elements: list[Element] = field(default_factory=list)
    notes: tuple[Line, ...] = ()
    misfits: list[Misfit] = field(default_factory=list)
    dropped_placeholders: tuple[int, ...] = ()
    """Slots of the template layout left out before anything is drawn (the
    column of a two-column slide that holds a chart)."""

    def texts(self) -> list[TextElement]:
        return [e for e in self.elements if isinstance(e, TextElement)]
