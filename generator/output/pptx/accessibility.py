"""The checks PowerPoint's Accessibility Checker makes, run on a deck as written.

Per slide: a title, not the same as another slide's; the title first in reading
order (the order of the slide's shapes); alt text on every picture, chart and
table; a header row on every table; text contrast of at least 4.5:1 against what
lies behind it (WCAG 1.4.3); and, per chart, every colour it draws values with
(bars, dots, marks, reference lines) at least 3:1 against the slide (WCAG 1.4.11),
read from the chart's `Drawing`, which both the picture and the native chart draw.

Colours are resolved as PowerPoint does for what the writer makes: a run's own
colour, else the master's text colour; behind it the shape's or table cell's own
fill, the default table style's (python-pptx's tables use Medium Style 2, Accent 1:
the header row filled with accent 1), else the slide's background (slide, layout,
then master), theme colours read from the master's theme.

``--check`` writes the deck in memory to check it; ``--strict`` (a build or a check)
makes each finding an error, and the deck is not saved; ``--report`` lists them. A
build with neither does not run them, so it takes no longer.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from generator.core.contrast import GRAPHICS_MIN, TEXT_MIN, contrast
from generator.core.errors import Problem
from generator.core.theme import Theme
from generator.i18n.locale import DeckLocale
from generator.layout.elements import SlideLayout
from generator.output.pptx.layouts import LayoutChoice
from generator.plan.content import SlideContent

SHAPES = {qn("p:sp"), qn("p:pic"), qn("p:graphicFrame"), qn("p:grpSp"), qn("p:cxnSp")}
TITLES = {"title", "ctrTitle"}
SWATCH = "\u25a0"  # the square before a native chart's legend entry, in its colour
MEDIUM_STYLE_2_ACCENT_1 = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
SCHEME = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}  # the default colour map
TABLE = "http://schemas.openxmlformats.org/drawingml/2006/table"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"


@dataclass(frozen=True)
class Finding:
    """One failed check: the slide's number, the rule, and what is wrong."""

    slide: int
    rule: str  # title | title-order | alt-text | table-header | text-contrast | mark-contrast
    message: str

    def __str__(self) -> str:
        return f"slide {self.slide}: {self.message}"


def _name(shape) -> str:
    c_nv_pr = next(shape.iter(qn("p:cNvPr")), None)
    return c_nv_pr.get("name", "") if c_nv_pr is not None else ""


def _text(element) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(qn("a:t")))
                    for p in element.iter(qn("a:p"))).strip()


class _Colours:
    """A master's theme colours by scheme name (``accent1``, ``dk1`` …), as #RRGGBB."""

    def __init__(self, master) -> None:
        theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        self.scheme: dict[str, str] = {}
        for entry in next(theme.iter(qn("a:clrScheme")), []):
            found = entry.find(qn("a:srgbClr"))
            system = entry.find(qn("a:sysClr"))
            value = found.get("val") if found is not None else (
                system.get("lastClr") if system is not None else None)
            if value:
                self.scheme[etree.QName(entry).localname] = f"#{value.upper()}"

    def of(self, holder) -> str | None:
        """The solid colour `holder` (an element with a colour child) gives, if any."""
        if holder is None:
            return None
        rgb = holder.find(qn("a:srgbClr"))
        if rgb is not None:
            return f"#{rgb.get('val').upper()}"
        scheme = holder.find(qn("a:schemeClr"))
        if scheme is not None:
            name = scheme.get("val")
            return self.scheme.get(SCHEME.get(name, name))
        return None


def _background(slide, colours: _Colours) -> str:
    """The slide's background colour: its own, its layout's, else its master's; white."""
    for part in (slide, slide.slide_layout, slide.slide_layout.slide_master):
        bg = part.element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if bg is None:
            continue
        fill = bg.find(f"{qn('p:bgPr')}/{qn('a:solidFill')}")
        found = colours.of(fill if fill is not None else bg.find(qn("p:bgRef")))
        if found:
            return found
    return "#FFFFFF"


def _runs(shape, behind: str, colours: _Colours) -> Iterator[tuple[str, str, str]]:
    """(text, its colour, the colour behind it) of each run in `shape`."""
    own = colours.of(shape.find(f"{qn('p:spPr')}/{qn('a:solidFill')}"))
    default = colours.scheme.get("dk1", "#000000")
    for cell_or_shape, back in _areas(shape, own or behind, colours):
        for run in cell_or_shape.iter(qn("a:r")):
            text = "".join(t.text or "" for t in run.iter(qn("a:t")))
            if not text.strip(SWATCH + " "):  # a legend's colour square: a chart mark
                continue
            r_pr = run.find(qn("a:rPr"))
            colour = colours.of(r_pr.find(qn("a:solidFill"))) if r_pr is not None else None
            yield text, colour or default, back


def _areas(shape, behind: str, colours: _Colours) -> Iterator[tuple[object, str]]:
    """The shape, or each of its table's cells, with the colour behind its text."""
    table = next(shape.iter(qn("a:tbl")), None)
    if table is None:
        yield shape, behind
        return
    properties = table.find(qn("a:tblPr"))
    style = properties.find(qn("a:tableStyleId")) if properties is not None else None
    default_style = style is None or style.text == MEDIUM_STYLE_2_ACCENT_1
    header = properties is not None and properties.get("firstRow") == "1"
    for r, row in enumerate(table.iter(qn("a:tr"))):
        for cell in row.iter(qn("a:tc")):
            fill = colours.of(cell.find(f"{qn('a:tcPr')}/{qn('a:solidFill')}"))
            if fill is None and default_style and r == 0 and header:
                fill = colours.scheme.get("accent1")
            yield cell, fill or behind


def check_slide(slide, number: int, colours: _Colours) -> list[Finding]:
    """Every check of one slide but the uniqueness of its title."""
    found: list[Finding] = []
    tree = slide.element.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    shapes = [child for child in tree if child.tag in SHAPES]
    title = next((s for s in shapes if any(
        ph.get("type") in TITLES for ph in s.iter(qn("p:ph")))), None)
    if title is None or not _text(title):
        found.append(Finding(number, "title", "no slide title (a screen reader lists the "
                                              "slides by their titles)"))
    elif shapes[0] is not title:
        found.append(Finding(number, "title-order", f"the title is not first in reading "
                                                    f"order ('{_name(shapes[0])}' is)"))
    behind = _background(slide, colours)
    for shape in shapes:
        uri = next((g.get("uri") for g in shape.iter(qn("a:graphicData"))), None)
        if shape.tag == qn("p:pic") or uri in (TABLE, CHART):
            described = next(shape.iter(qn("p:cNvPr"))).get("descr", "").strip()
            if not described:
                found.append(Finding(number, "alt-text", f"'{_name(shape)}' has no alt text"))
        if uri == TABLE:
            properties = next(shape.iter(qn("a:tblPr")), None)
            if properties is None or properties.get("firstRow") not in ("1", "true"):
                found.append(Finding(number, "table-header",
                                     f"the table '{_name(shape)}' has no header row"))
        for text, colour, back in _runs(shape, behind, colours):
            ratio = contrast(colour, back)
            if ratio < TEXT_MIN:
                found.append(Finding(number, "text-contrast", (
                    f"'{text.strip()[:40]}' in '{_name(shape)}': {colour} on {back} has "
                    f"contrast {ratio:.1f}:1, text needs {TEXT_MIN}:1")))
    return found


def check_titles(titles: Sequence[str]) -> list[Finding]:
    """A finding for each slide whose title an earlier slide has already."""
    seen: dict[str, int] = {}
    found = []
    for number, title in enumerate(titles, 1):
        key = " ".join(title.split()).casefold()
        if key and key in seen:
            found.append(Finding(number, "title", f"the same title as slide {seen[key]} "
                                                  f"('{title}')"))
        seen.setdefault(key, number)
    return found


def check_marks(slides: Sequence[SlideContent], locale: DeckLocale, theme: Theme
                ) -> list[Finding]:
    """A finding for each colour a chart draws values with that has less than 3:1
    against the slide's background."""
    from generator.charts.registry import KINDS

    found = []
    for slide in slides:
        if slide.chart is None:
            continue
        drawing = KINDS[slide.chart.data.kind].draw(slide.chart.data, locale, theme)
        marks = {(series.name, colour) for series in (*drawing.series, *drawing.apart)
                 for value, colour in zip(series.values, series.colours, strict=True)
                 if value is not None}
        if drawing.reference is not None:
            marks.add((drawing.reference.name, drawing.reference.colour))
        for name, colour in sorted(marks):
            ratio = contrast(colour, theme.background)
            if ratio < GRAPHICS_MIN:
                found.append(Finding(slide.number, "mark-contrast", (
                    f"the chart draws '{name}' in {colour}, contrast {ratio:.1f}:1 against "
                    f"the background {theme.background}; a chart's marks need "
                    f"{GRAPHICS_MIN:.0f}:1")))
    return found


def check_deck(prs, slides: Sequence[SlideContent], locale: DeckLocale,
               theme: Theme) -> list[Finding]:
    """Every check, on the presentation `prs` as written from `slides`."""
    found: list[Finding] = []
    titles = []
    masters: dict[int, _Colours] = {}
    for number, slide in enumerate(prs.slides, 1):
        master = slide.slide_layout.slide_master
        colours = masters.setdefault(id(master.part), _Colours(master))
        found += check_slide(slide, number, colours)
        title = slide.shapes.title
        titles.append(_text(title.element) if title is not None else "")
    found += check_titles(titles)
    found += check_marks(slides, locale, theme)
    return sorted(found, key=lambda f: f.slide)


HINTS = {
    "title": "give each slide a title of its own in the deck file ('title:')",
    "title-order": "put the title placeholder first in the template's slide layout "
                   "(PowerPoint: Home > Arrange > Selection Pane, the title at the bottom)",
    "alt-text": "describe the picture in the deck file, or give the template's picture "
                "alt text",
    "table-header": "mark the first row as the header row (PowerPoint: Table Design > "
                    "Header Row)",
    "text-contrast": "use a darker text colour or a lighter background in the template",
    "mark-contrast": "give the chart colours with at least 3:1 against the background",
}


def problems(found: Sequence[Finding], deck: Path) -> list[Problem]:
    """The findings as problems of the deck file `deck` (``--strict``)."""
    return [Problem(f"accessibility: {f}", file=deck, hint=HINTS[f.rule]) for f in found]


def _stand_in_png() -> bytes:
    """A white 1 x 1 PNG: the picture a chart gets when the deck is only checked."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def check_unwritten(slides: Sequence[SlideContent], layouts: Sequence[SlideLayout], prs,
                    builtin: bool, locale: DeckLocale, title: str, theme: Theme,
                    chosen: Mapping[str, LayoutChoice] | None = None) -> list[Finding]:
    """``--check``: the deck written into `prs` in memory (a blank picture for each chart
    picture, nothing rendered), then checked."""
    from generator.output.pptx.writer import write_deck

    blank = _stand_in_png()
    write_deck(slides, layouts, prs, builtin,
               {s.number: blank for s in slides if s.chart is not None},
               locale=locale, title=title, author=None, theme=theme, chosen=chosen)
    return check_deck(prs, slides, locale, theme)
