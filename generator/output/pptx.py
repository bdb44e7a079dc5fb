"""The only python-pptx caller: turns `SlideContent` records into a .pptx file.

Slides use the template's layouts by name (a user template or the built-in
16:9 default), so a template restyles the whole deck. Text sizes come from
`textfit`; every run carries the language tag of its text (a `Phrase` span);
pictures carry alt text; the package bytes are reproducible (fixed timestamps).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from generator import __version__
from generator.charts.native import NOTE_HEIGHT, add_native_chart
from generator.errors import InputError, Problem
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase
from generator.layout.textfit import Line, fit_size, level_size
from generator.layout.theme import DEFAULT_THEME, Theme
from generator.output.identity import assign_keys, identity_of, mark, record_deck, shape_name
from generator.output.package import member, package_bytes, steady
from generator.output.xpath import install as install_compiled_xpath
from generator.plan.content import SlideContent

install_compiled_xpath()  # python-pptx's lookups, compiled once (a fifth of a rebuild)

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
EMU_PER_PX = 9525  # at 96 dpi
LAYOUTS = {
    "title": "Title Slide",
    "section": "Section Header",
    "bullets": "Title and Content",
    "closing": "Title and Content",
    "two_column": "Two Content",
    "chart": "Title Only",
    "table": "Title Only",
    "image": "Title Only",
}
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
URL = re.compile(r"(https?://\S+|www\.\S+)")
BODY_PT, TITLE_PT, CAPTION_PT, FOOTER_PT, FOOTNOTE_PT = 26, 32, 16, 11, 12


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Geometry:
    """Where content goes on a slide of this template (EMU)."""

    content: Box
    left_column: Box
    right_column: Box
    caption_height: int

    def chart_box(self, column: str, has_caption: bool) -> Box:
        box = {"full": self.content, "left": self.left_column,
               "right": self.right_column}[column]
        if column == "full" and has_caption:
            return Box(box.left, box.top + self.caption_height, box.width,
                       box.height - self.caption_height)
        return box

    def chart_pixels(self, column: str, has_caption: bool) -> tuple[int, int]:
        box = self.chart_box(column, has_caption)
        return box.width // EMU_PER_PX, box.height // EMU_PER_PX


def _box(shape) -> Box:
    return Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _builtin_template() -> Presentation:
    """python-pptx's default template made 16:9 with this project's geometry."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    margin, width = Inches(0.6), SLIDE_WIDTH - Inches(1.2)
    title = Box(margin, Inches(0.35), width, Inches(1.0))
    body = Box(margin, Inches(1.5), width, Inches(5.25))
    half = (width - Inches(0.4)) // 2
    places = {
        ("Title Slide", 0): Box(margin, Inches(1.9), width, Inches(1.9)),
        ("Title Slide", 1): Box(margin, Inches(3.9), width, Inches(1.4)),
        ("Section Header", 0): Box(margin, Inches(3.2), width, Inches(1.4)),
        ("Section Header", 1): Box(margin, Inches(4.6), width, Inches(1.0)),
        ("Title and Content", 0): title, ("Title and Content", 1): body,
        ("Title Only", 0): title, ("Two Content", 0): title,
        ("Two Content", 1): Box(margin, body.top, half, body.height),
        ("Two Content", 2): Box(margin + half + Inches(0.4), body.top, half, body.height),
    }
    for layout in [prs.slide_master, *prs.slide_layouts]:
        for shape in layout.placeholders:
            shape.left = int(shape.left * SLIDE_WIDTH / Inches(10))
            shape.width = int(shape.width * SLIDE_WIDTH / Inches(10))
            box = places.get((getattr(layout, "name", ""), shape.placeholder_format.idx))
            if box:
                shape.left, shape.top, shape.width, shape.height = box.left, box.top, \
                    box.width, box.height
    return prs


@functools.cache
def _builtin_template_bytes() -> bytes:
    """The built-in template, made once per process: reopening it from bytes takes
    5 ms, making it 110 ms (a watch rebuild's budget is 300)."""
    data = io.BytesIO()
    _builtin_template().save(data)
    return data.getvalue()


def open_template(path: Path | None) -> tuple[Presentation, bool]:
    """The presentation to add slides to and whether it is the built-in one.

    A user template must have the layouts this generator uses, by name.
    """
    if path is None:
        return Presentation(io.BytesIO(_builtin_template_bytes())), True
    if not path.is_file():
        raise InputError(Problem("template not found", file=path,
                                 hint="check 'template:' in the deck file; it is relative to it"))
    try:
        prs = Presentation(str(path))
    except Exception as exc:
        raise InputError(Problem(f"cannot open the template ({type(exc).__name__})", file=path,
                                 hint="it must be a .pptx file")) from None
    names = {layout.name for layout in prs.slide_layouts}
    missing = sorted(set(LAYOUTS.values()) - names)
    if missing:
        raise InputError(Problem(
            "the template lacks the slide layouts " + ", ".join(repr(m) for m in missing),
            file=path, hint="it has " + ", ".join(repr(n) for n in sorted(names))
            + "; add or rename layouts in PowerPoint's slide master view"))
    for prs_slide in list(prs.slides._sldIdLst):  # a template's own slides are not kept
        prs.part.drop_rel(prs_slide.rId)
        prs.slides._sldIdLst.remove(prs_slide)
    return prs, False


def _layout(prs: Presentation, kind: str):
    return prs.slide_layouts.get_by_name(LAYOUTS[kind])


def geometry(prs: Presentation) -> Geometry:
    """Content boxes read from the template's 'Title and Content' and 'Two Content'."""
    body = _box(_layout(prs, "bullets").placeholders[1])
    two = _layout(prs, "two_column").placeholders
    return Geometry(content=body, left_column=_box(two[1]), right_column=_box(two[2]),
                    caption_height=Inches(0.75))


@dataclass(frozen=True)
class FontPlan:
    """The text sizes chosen for one slide."""

    body: float = BODY_PT
    right: float = BODY_PT
    title: float = TITLE_PT


def plan_fonts(slides: Sequence[SlideContent], prs: Presentation
               ) -> tuple[dict[int, FontPlan], list[Problem]]:
    """Font sizes at which every slide's text fits, and a problem per slide where
    even the minimum (14 pt) would overflow."""
    geo = geometry(prs)
    title_box = _box(_layout(prs, "bullets").placeholders[0])
    plans: dict[int, FontPlan] = {}
    problems: list[Problem] = []
    for slide in slides:
        sizes: dict[str, float] = {}
        checks: list[tuple[str, list[Line], Box, float, bool]] = [
            ("title", [Line(slide.title, bold=True)], title_box, TITLE_PT, False)]
        if slide.kind in ("bullets", "closing"):
            checks.append(("body", slide.body, geo.content, BODY_PT, True))
        if slide.kind == "two_column":
            if slide.chart_column != "left":
                checks.append(("body", slide.body, geo.left_column, BODY_PT - 2, True))
            if slide.right_body is not None:
                checks.append(("right", slide.right_body, geo.right_column, BODY_PT - 2, True))
        if slide.kind in ("title", "section"):
            continue
        for name, lines, box, base, bullets in checks:
            if not lines:
                continue
            size = fit_size(lines, box.width, box.height, base, bullets)
            if size is None:
                problems.append(Problem(
                    f"{slide.label}: the {name if name != 'right' else 'right column'} text "
                    "does not fit its box even at 14 pt",
                    hint="shorten it or split the slide in two"))
            else:
                sizes[name] = size
        plans[slide.number] = FontPlan(**sizes)
    return plans, problems


class _Writer:
    def __init__(self, prs: Presentation, builtin: bool, lang: str, theme: Theme) -> None:
        self.prs, self.builtin, self.lang, self.theme = prs, builtin, lang, theme

    # -- text ---------------------------------------------------------------------------

    def run(self, paragraph, text: str, size: float, *, bold: bool = False,
            colour: str | None = None, italic: bool = False, lang: str | None = None) -> None:
        for i, part in enumerate(URL.split(text)):
            if not part:
                continue
            if i % 2 == 1:  # a link: python-pptx's way, which adds the relationship
                run = paragraph.add_run()
                run.text = part
                font = run.font
                font.size = Pt(size)
                if bold:
                    font.bold = True
                if italic:
                    font.italic = True
                if self.builtin:
                    font.name = self.theme.font
                    font.color.rgb = RGBColor.from_string((colour or self.theme.text)[1:])
                run.hyperlink.address = part if part.startswith("http") else f"https://{part}"
                run._r.get_or_add_rPr().set("lang", lang or self.lang)
                continue
            # the same XML as python-pptx's font properties make, written directly: a
            # quarter of the time a watch rebuild spends writing went to those setters
            r_pr = paragraph._p.add_r(part).get_or_add_rPr()
            r_pr.set("sz", str(Pt(size).centipoints))
            if bold:
                r_pr.set("b", "1")
            if italic:
                r_pr.set("i", "1")
            if self.builtin:
                fill = etree.SubElement(r_pr, qn("a:solidFill"))
                etree.SubElement(fill, qn("a:srgbClr")).set(
                    "val", (colour or self.theme.text)[1:].upper())
                etree.SubElement(r_pr, qn("a:latin")).set("typeface", self.theme.font)
            r_pr.set("lang", lang or self.lang)

    def runs(self, paragraph, phrase: Phrase, size: float, **style) -> None:
        """One run per span of `phrase`, each tagged with its span's language."""
        for span in phrase.spans:
            self.run(paragraph, span.text, size, lang=span.lang, **style)

    def fill(self, frame, lines: Sequence[Line], size: float, *, bullets: bool,
             colour: str | None = None, align=None, italic: bool = False) -> None:
        frame.clear()
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            if bullets:
                paragraph.level = line.level
            if align is not None:
                paragraph.alignment = align
            if i:
                _space_before(paragraph, size * 0.3)
            self.runs(paragraph, line.phrase, level_size(size, line.level) if bullets else size,
                      bold=line.bold, colour=colour, italic=italic)
        last = lines[-1].phrase.spans if lines else ()
        end = frame.paragraphs[-1]._p.get_or_add_endParaRPr()
        end.set("lang", last[-1].lang if last else self.lang)

    def textbox(self, slide, box: Box, text: Phrase, size: float, *, colour: str | None = None,
                align=PP_ALIGN.LEFT, italic: bool = False, anchor=MSO_ANCHOR.TOP):
        shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width),
                                         Emu(box.height))
        frame = shape.text_frame
        frame.vertical_anchor = anchor
        self.fill(frame, [Line(t) for t in text.lines()], size, bullets=False,
                  colour=colour or self.theme.muted, align=align, italic=italic)
        return shape

    def title(self, slide, content: SlideContent, size: float) -> None:
        placeholder = mark(slide.shapes.title, content.key, "title")
        self.fill(placeholder.text_frame, [Line(content.title, bold=self.builtin)], size,
                  bullets=False, colour=self.theme.band,
                  align=PP_ALIGN.LEFT if self.builtin else None)
        if self.builtin:
            placeholder.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM

    # -- slide parts --------------------------------------------------------------------

    def footer(self, slide, content: SlideContent, show_numbers: bool) -> None:
        top = SLIDE_HEIGHT - Inches(0.5)
        if content.footer_text:
            mark(self.textbox(slide, Box(Inches(0.6), top, SLIDE_WIDTH - Inches(2.4),
                                         Inches(0.35)), content.footer_text, FOOTER_PT),
                 content.key, "footer")
        if show_numbers:
            box = self.textbox(slide, Box(SLIDE_WIDTH - Inches(1.6), top, Inches(1.0),
                                          Inches(0.35)), Phrase(), FOOTER_PT,
                               align=PP_ALIGN.RIGHT)
            mark(box, content.key, "slide-number")
            _slide_number_field(box.text_frame.paragraphs[0], content.number, self.lang,
                                FOOTER_PT)

    def picture(self, slide, png: bytes, box: Box, alt_text: str, name: str):
        picture = slide.shapes.add_picture(io.BytesIO(png), Emu(box.left), Emu(box.top),
                                           Emu(box.width), Emu(box.height))
        picture.name = name
        c_nv_pr = picture._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", alt_text)
        return picture


def _slide_number_field(paragraph, number: int, lang: str, size: float) -> None:
    """A real slide-number field (renumbers itself if slides are moved in PowerPoint)."""
    fld = etree.SubElement(paragraph._p, qn("a:fld"))
    fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    fld.set("type", "slidenum")
    r_pr = etree.SubElement(fld, qn("a:rPr"))
    r_pr.set("lang", lang)
    r_pr.set("sz", str(int(size * 100)))
    etree.SubElement(fld, qn("a:t")).text = str(number)


def _space_before(paragraph, points: float) -> None:
    """python-pptx's `space_before`, written directly into a new paragraph's properties
    (its setter walks the schema's child order, a tenth of a rebuild's writing)."""
    p_pr = paragraph._p.get_or_add_pPr()
    if len(p_pr):
        paragraph.space_before = Pt(points)
        return
    spacing = etree.SubElement(etree.SubElement(p_pr, qn("a:spcBef")), qn("a:spcPts"))
    spacing.set("val", str(Pt(points).centipoints))


def _remove_empty_placeholders(slide) -> None:
    """Drop the slide's text placeholders that hold no text (read from the XML: through
    python-pptx's shape objects this took longer than filling them)."""
    tree = slide.shapes._spTree
    for sp in tree.findall(qn("p:sp")):
        if sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}") is None:
            continue
        if not "".join(t.text or "" for t in sp.iter(qn("a:t"))).strip():
            tree.remove(sp)


def _fit_picture(png_size: tuple[int, int], box: Box) -> Box:
    width, height = png_size
    scale = min(box.width / width, box.height / height)
    w, h = int(width * scale), int(height * scale)
    return Box(box.left + (box.width - w) // 2, box.top + (box.height - h) // 2, w, h)


def write_deck(slides: Sequence[SlideContent], prs: Presentation, builtin: bool,
               images: dict[int, bytes], plans: dict[int, FontPlan], *, locale: DeckLocale,
               title: str, author: str | None, show_numbers: bool,
               theme: Theme = DEFAULT_THEME, deck_file: str = "") -> bytes:
    """The finished .pptx as bytes; `images` maps slide number -> chart PNG (charts
    marked native are drawn as PowerPoint charts instead).

    Every generated shape is named with its identity and the deck records what
    it generated (`identity`), so that an update can find them again."""
    from PIL import Image

    if not all(s.key for s in slides):
        assign_keys(slides)
    lang = locale.tag
    writer = _Writer(prs, builtin, lang, theme)
    geo = geometry(prs)
    for content in slides:
        plan = plans.get(content.number, FontPlan())
        slide = prs.slides.add_slide(_layout(prs, content.kind))
        if content.kind == "title":
            writer.title(slide, content, 40)
            if content.subtitle:
                sub = mark(slide.placeholders[1], content.key, "subtitle")
                lines = [Line(t) for t in content.subtitle.lines()]
                writer.fill(sub.text_frame, lines, 24, bullets=False,
                            colour=theme.muted, align=PP_ALIGN.LEFT if builtin else None)
            if content.footnote:
                mark(writer.textbox(slide, Box(Inches(0.6), SLIDE_HEIGHT - Inches(1.3),
                                               SLIDE_WIDTH - Inches(1.2), Inches(0.7)),
                                    content.footnote, FOOTNOTE_PT), content.key, "footnote")
        elif content.kind == "section":
            writer.title(slide, content, 36)
            if content.subtitle:
                writer.fill(mark(slide.placeholders[1], content.key, "subtitle").text_frame,
                            [Line(content.subtitle)], 22, bullets=False, colour=theme.muted)
        else:
            writer.title(slide, content, plan.title)
        if content.kind in ("bullets", "closing"):
            writer.fill(mark(slide.placeholders[1], content.key, "body").text_frame,
                        content.body, plan.body, bullets=True)
            if content.footnote:
                mark(writer.textbox(slide, Box(geo.content.left, SLIDE_HEIGHT - Inches(0.95),
                                               geo.content.width, Inches(0.45)),
                                    content.footnote, FOOTNOTE_PT), content.key, "footnote")
        if content.kind == "two_column":
            if content.chart_column != "left":
                writer.fill(mark(slide.placeholders[1], content.key, "body").text_frame,
                            content.body, plan.body, bullets=True)
            if content.right_body is not None:
                writer.fill(mark(slide.placeholders[2], content.key, "right").text_frame,
                            content.right_body, plan.right, bullets=True)
            if content.chart is not None:
                idx = 1 if content.chart_column == "left" else 2
                holder = slide.placeholders[idx]
                holder._element.getparent().remove(holder._element)
        if content.caption and content.kind in ("chart", "table", "image"):
            mark(writer.textbox(slide, Box(geo.content.left, geo.content.top,
                                           geo.content.width, geo.caption_height),
                                content.caption, CAPTION_PT, italic=True),
                 content.key, "caption")
        if content.chart is not None:
            box = geo.chart_box(content.chart_column, bool(content.caption))
            data = content.chart.data
            box = Box(box.left, box.top, data.width_px * EMU_PER_PX, data.height_px * EMU_PER_PX)
            if content.chart.native:
                before = len(slide.shapes)
                _, note = add_native_chart(slide, data, box, locale, lang,
                                           content.chart.alt_text.text,
                                           shape_name(content.key, "chart"), theme)
                for shape in list(slide.shapes)[before:]:  # a legend drawn as text
                    if identity_of(shape) is None:
                        mark(shape, content.key, "chart-legend")
                mark(writer.textbox(slide, Box(box.left, box.top + box.height - NOTE_HEIGHT,
                                               box.width, NOTE_HEIGHT), note, FOOTER_PT,
                                    align=PP_ALIGN.RIGHT), content.key, "chart-note")
            else:
                writer.picture(slide, images[content.number], box, content.chart.alt_text.text,
                               shape_name(content.key, "chart"))
        if content.table is not None:
            _table(writer, slide, content, geo.chart_box("full", bool(content.caption)))
        if content.image is not None:
            png = content.image.read_bytes()
            with Image.open(io.BytesIO(png)) as img:
                size = img.size
            box = _fit_picture(size, geo.chart_box("full", bool(content.caption)))
            writer.picture(slide, png, box, (content.caption or content.title).text,
                           shape_name(content.key, "image"))
        if content.kind != "title":
            writer.footer(slide, content, show_numbers)
        if content.notes:
            notes = slide.notes_slide.notes_text_frame
            writer.fill(notes, [Line(t) for t in content.notes.lines()], 12, bullets=False)
        _remove_empty_placeholders(slide)
    record_deck(prs, slides, deck_file=deck_file, country=locale.country or "",
                language=locale.code, generator=f"survey-deck-generator {__version__}")
    _core_properties(prs, title, author, lang)
    return package_bytes(prs)


def _table(writer: _Writer, slide, content: SlideContent, box: Box) -> None:
    table_content = content.table
    assert table_content is not None
    n_rows, n_cols = len(table_content.rows) + 1, len(table_content.header)
    row_height = min(Inches(0.5), box.height // n_rows)
    size = 16 if row_height >= Inches(0.45) else 14
    shape = slide.shapes.add_table(n_rows, n_cols, Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(row_height * n_rows))
    table = shape.table
    first = int(box.width * 0.5)
    table.columns[0].width = Emu(first)
    for c in range(1, n_cols):
        table.columns[c].width = Emu((box.width - first) // (n_cols - 1))
    for r, row in enumerate([table_content.header, *table_content.rows]):
        table.rows[r].height = Emu(row_height)
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            writer.fill(cell.text_frame, [Line(text, bold=r == 0)], size, bullets=False,
                        align=PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    mark(shape, content.key, "table")


def _core_properties(prs: Presentation, title: str, author: str | None, lang: str) -> None:
    props = prs.core_properties
    props.title = title
    props.author = author or ""
    props.last_modified_by = author or ""
    props.language = lang
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.comments = ""


def normalise_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal inputs give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(member(info.filename), steady(info.filename, source.read(info)))
    return out.getvalue()
