"""The parts every slide type lays out the same way: its title, a caption, a footnote,
the footer and slide number, and the fitting of any text into its box.

A slide type's layout step (`generator.slides`) calls these on a `SlideFrame`;
each text is measured with the font's metrics (`textfit`) and set at the largest
size from its normal one down to the theme's minimum at which it fits; a text
that would overflow even at the minimum is noted as a `Misfit` (and drawn at
the minimum).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from generator.core.geometry import EMU_PER_PX, Box, Geometry, inches
from generator.core.theme import DEFAULT_THEME, Theme
from generator.i18n.phrase import Phrase
from generator.layout.elements import (
    Align,
    Anchor,
    ChartElement,
    Element,
    Misfit,
    SlideLayout,
    TextElement,
)
from generator.layout.textfit import EMU_PER_PT, fit_size, text_height_pt
from generator.plan.content import Line, SlideContent

SHORT_FILL = 0.75  # bullets filling less of their box than this are a short list


def phrase_lines(phrase: Phrase | None) -> tuple[Line, ...]:
    """A phrase as paragraphs, one per line break."""
    return tuple(Line(line) for line in phrase.lines()) if phrase else ()


@dataclass
class SlideFrame:
    """One slide being laid out: the template's geometry, the theme, and what is placed
    so far (`layout`)."""

    content: SlideContent
    geometry: Geometry
    template_layout: str
    theme: Theme = DEFAULT_THEME
    show_numbers: bool = True
    layout: SlideLayout = field(init=False)

    def __post_init__(self) -> None:
        self.layout = SlideLayout(self.content.number, self.template_layout,
                                  notes=phrase_lines(self.content.notes))

    def add(self, element: Element) -> None:
        self.layout.elements.append(element)

    def text(self, role: str, key: str, lines: Sequence[Line], box: Box, normal: float, *,
             small: bool = False, bullets: bool = False, placeholder: int | None = None,
             colour: str | None = None, align: Align = None, anchor: Anchor = None,
             italic: bool = False, measured: Sequence[Line] | None = None,
             latent: Literal["ftr"] | None = None, largest: float | None = None) -> None:
        """Place `lines` in `box` at the largest size from `normal` (from `largest`, where
        a short text may grow) down to the theme's minimum (`min_small_pt` where `small`)
        at which they fit, measured in the theme's font (its title font for titles);
        `measured` are the lines to measure where they differ (a title measured bold,
        drawn as the template says)."""
        minimum = self.theme.min_small_pt if small else self.theme.min_pt
        face = self.theme.title_font if role == "title" else self.theme.font
        size = fit_size(measured or lines, box.width, box.height, max(normal, largest or 0),
                        bullets, min(minimum, normal), face)
        if size is None:
            self.misfit(key, role, minimum)
            size = minimum
        self.add(TextElement(role, tuple(lines), box, size, normal, placeholder, bullets,
                             colour, align, anchor, italic, latent=latent))

    def body(self, box: Box, normal: float, largest: float) -> None:
        """The slide's bullets in the body placeholder: at `normal` where they fit,
        smaller where they do not. A short list (filling less than `SHORT_FILL` of the box
        at `normal`) is set larger, up to `largest`, and when even then it is short,
        centred from top to bottom rather than leaving the lower part empty."""
        lines = self.content.body
        self.text("body", "bullets", lines, box, normal, placeholder=1, bullets=True)
        if not lines or self._fill(box) >= SHORT_FILL:
            return
        self.layout.elements.pop()
        self.text("body", "bullets", lines, box, normal, placeholder=1, bullets=True,
                  largest=largest)
        if self._fill(box) < SHORT_FILL:
            self.layout.elements[-1] = replace(self.layout.elements[-1], anchor="middle")

    def _fill(self, box: Box) -> float:
        """How much of `box`'s height the text last placed takes, at its size."""
        placed = self.layout.elements[-1]
        assert isinstance(placed, TextElement)
        height = text_height_pt(placed.lines, placed.size, box.width / EMU_PER_PT,
                                placed.bullets, self.theme.font)
        return height / (box.height / EMU_PER_PT)

    def misfit(self, key: str, role: str, minimum: float) -> None:
        """Note that the text at `key` (drawn as `role`) overflows even at `minimum`."""
        self.layout.misfits.append(Misfit(key, role, minimum))

    def note(self, role: str, key: str, phrase: Phrase, box: Box, normal: float, *,
             italic: bool = False) -> None:
        """Small print in a text box of its own: muted, left-aligned, from the top."""
        self.text(role, key, phrase_lines(phrase), box, normal, small=True,
                  colour=self.theme.muted, align="left", anchor="top", italic=italic)

    # -- the parts slide types share ----------------------------------------------------

    def title(self, box: Box, normal: float) -> None:
        """The title placeholder: bold, left-aligned and set on the bottom edge on the
        built-in template, as the template says otherwise (measured bold either way)."""
        builtin = self.geometry.builtin
        self.text("title", "title", [Line(self.content.title, bold=builtin)], box, normal,
                  placeholder=0, colour=self.theme.band, align="left" if builtin else None,
                  anchor="bottom" if builtin else None,
                  measured=[Line(self.content.title, bold=True)])

    def caption(self) -> None:
        """The caption above a chart, table or picture, in italics."""
        if self.content.caption:
            geo = self.geometry
            self.note("caption", "caption", self.content.caption,
                      Box(geo.content.left, geo.content.top, geo.content.width,
                          geo.caption_height), self.theme.caption_pt, italic=True)

    def chart(self, column: str, box: Box | None = None) -> None:
        """The slide's chart in the content area (`column` ``full``, below the caption), in
        one column, or in `box`: its size in pixels is set here, for the renderers."""
        chart = self.content.chart
        if chart is None:
            return
        box = box or self.geometry.chart_box(column, bool(self.content.caption))
        width, height = box.width // EMU_PER_PX, box.height // EMU_PER_PX
        chart.data = replace(chart.data, width_px=width, height_px=height)
        self.add(ChartElement(Box(box.left, box.top, width * EMU_PER_PX, height * EMU_PER_PX),
                              chart))

    def footnote(self, box: Box) -> None:
        if self.content.footnote:
            self.note("footnote", "footnote", self.content.footnote, box,
                      self.theme.footnote_pt)

    def footer(self) -> None:
        """The footer text (the deck's, the marks' meaning and the source line) and the
        slide number: in the template's own footer and slide-number placeholders where it
        has them (the footer where the text fits there), else in text boxes along the
        bottom. A footer too long for its line grows up into the gap below the content
        area (two or three lines); one too long even then goes to the speaker notes,
        whole, rather than stop the build: much of it is generated."""
        geo, theme = self.geometry, self.theme
        top = geo.height - inches(0.5)
        number = geo.slide_number if self.show_numbers else None
        if self.content.footer_text:
            lines = phrase_lines(self.content.footer_text)

            def size_in(box: Box) -> float | None:
                return fit_size(lines, box.width, box.height, theme.footer_pt, False,
                                theme.min_small_pt, theme.font)

            wide = Box(inches(0.6), top, geo.width - inches(2.4), inches(0.35))
            beside = wide if number is None else Box(
                wide.left, top, number.left - inches(0.2) - wide.left, wide.height)
            if geo.footer is not None and size_in(geo.footer) is not None:
                self.text("footer", "footer", lines, geo.footer, theme.footer_pt, small=True,
                          latent="ftr")
            else:
                if size_in(beside) is None:  # the template's slide number leaves too little
                    beside, number = wide, None
                grown_top = max(geo.content.top + geo.content.height, top - inches(0.25))
                grown = Box(beside.left, grown_top, beside.width,
                            top + inches(0.35) - grown_top)
                for box in (beside, grown):
                    size = size_in(box)
                    if size is not None:
                        self.add(TextElement("footer", lines, box, size, theme.footer_pt,
                                             None, False, theme.muted, "left", "top"))
                        break
                else:
                    self.layout.notes = (*self.layout.notes, *lines)
        if number is not None and self.show_numbers:
            self.add(TextElement("slide-number", (Line(Phrase()),), number, theme.footer_pt,
                                 theme.footer_pt, slide_number=True, latent="sldNum"))
        elif self.show_numbers:
            box = Box(geo.width - inches(1.6), top, inches(1.0), inches(0.35))
            self.add(TextElement("slide-number", (Line(Phrase()),), box,
                                 theme.footer_pt, theme.footer_pt,
                                 colour=theme.muted, align="right", anchor="top",
                                 slide_number=True))
