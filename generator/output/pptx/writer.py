"""Draws laid-out slides (`layout.elements`) into a .pptx file.

Slides use the template's layouts each role was given (`output.layouts`; a user
template or the built-in 16:9 default), so a template restyles the whole deck.
The writer knows no slide types: it draws text (into a placeholder or a text box),
charts, tables and pictures where the layout put them, at the sizes it chose; every
run carries the language tag of its text (a `Phrase` span); pictures carry alt text;
the package bytes are reproducible (fixed timestamps).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Hashable, Mapping, Sequence

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from generator import __version__
from generator.charts.native import NOTE_HEIGHT, add_native_chart
from generator.core.geometry import Box
from generator.core.theme import DEFAULT_THEME, Theme
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase
from generator.layout.elements import (
    ChartElement,
    PictureElement,
    SlideLayout,
    TableElement,
    TextElement,
)
from generator.layout.textfit import level_size
from generator.output.pptx.identity import assign_keys, identity_of, mark, record_deck, shape_name
from generator.output.pptx.imageparts import index_images
from generator.output.pptx.layouts import ROLE_OF, LayoutChoice, choose_layouts
from generator.output.pptx.package import member, package_bytes, steady
from generator.output.pptx.slidecache import SlideCache
from generator.output.pptx.template import BUILTIN_TEMPLATE
from generator.output.pptx.xpath import install as install_compiled_xpath
from generator.plan.content import Line, SlideContent

install_compiled_xpath()  # python-pptx's lookups, compiled once (a fifth of a rebuild)

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
URL = re.compile(r"(https?://\S+|www\.\S+)")
ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT, None: None}
ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


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
            self.style(paragraph._p.add_r(part).get_or_add_rPr(), size, bold=bold,
                       italic=italic, colour=colour, lang=lang)

    def style(self, r_pr, size: float, *, bold: bool = False, italic: bool = False,
              colour: str | None = None, lang: str | None = None) -> None:
        """A run's properties `r_pr` (empty): the same XML as python-pptx's font
        properties make, written directly (a quarter of the time a watch rebuild spent
        writing went to those setters)."""
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

    # -- elements -----------------------------------------------------------------------

    def text(self, slide, element: TextElement, key: str, number: int,
             slots: Sequence = ()) -> None:
        """A text element: into its placeholder (`slots`: the slide's placeholders by
        slot), the layout's own footer or slide-number placeholder, or a text box."""
        align = ALIGN[element.align]
        if element.latent is not None and self.latent(slide, element, key, number):
            return
        if element.placeholder is not None:
            shape = slots[element.placeholder]
            if element.placeholder and (shape.left, shape.top, shape.width, shape.height) != (
                    element.box.left, element.box.top, element.box.width,
                    element.box.height):  # placed by its slide type
                _place(shape, element.box)
            mark(shape, key, element.role)
            self.fill(shape.text_frame, element.lines, element.size, bullets=element.bullets,
                      colour=element.colour, align=align, italic=element.italic)
            if element.placeholder and not element.bullets:
                _without_marks(shape.text_frame)
            if element.anchor is not None:
                shape.text_frame.vertical_anchor = ANCHOR[element.anchor]
            return
        box = element.box
        shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width),
                                         Emu(box.height))
        frame = shape.text_frame
        frame.vertical_anchor = ANCHOR[element.anchor or "top"]
        colour = element.colour or self.theme.muted
        self.fill(frame, element.lines, element.size, bullets=element.bullets,
                  colour=colour, align=align, italic=element.italic)
        if element.slide_number:
            self.slide_number(frame.paragraphs[0], number, element.size, colour)
        mark(shape, key, element.role)

    def latent(self, slide, element: TextElement, key: str, number: int) -> bool:
        """The footer or slide number in the layout's own placeholder of that kind, at
        the element's box (PowerPoint's Insert ▸ Header & Footer does the same); False
        where the layout has none."""
        wanted = PP_PLACEHOLDER.FOOTER if element.latent == "ftr" else \
            PP_PLACEHOLDER.SLIDE_NUMBER
        model = next((ph for ph in slide.slide_layout.placeholders
                      if ph.placeholder_format.type == wanted), None)
        if model is None:
            return False
        slide.shapes.clone_placeholder(model)
        shape = slide.shapes[-1]
        _place(shape, element.box)
        frame = shape.text_frame
        self.fill(frame, element.lines, element.size, bullets=False, colour=element.colour,
                  align=ALIGN[element.align])
        if element.slide_number:
            self.slide_number(frame.paragraphs[0], number, element.size, element.colour)
        mark(shape, key, element.role)
        return True

    def chart(self, slide, element: ChartElement, key: str, png: bytes | None,
              locale: DeckLocale) -> None:
        """A chart: the rendered image, or a native chart with its legend and note."""
        box, chart = element.box, element.chart
        if not chart.native:
            assert png is not None
            self.picture(slide, png, box, chart.alt_text.text, shape_name(key, element.role))
            return
        before = len(slide.shapes)
        _, note = add_native_chart(slide, chart.data, box, locale, self.lang,
                                   chart.alt_text.text, shape_name(key, element.role),
                                   self.theme)
        for shape in list(slide.shapes)[before:]:  # a legend drawn as text
            if identity_of(shape) is None:
                mark(shape, key, "chart-legend")
        self.text(slide, TextElement(
            "chart-note", tuple(Line(t) for t in note.lines()),
            Box(box.left, box.top + box.height - NOTE_HEIGHT, box.width, NOTE_HEIGHT),
            self.theme.footer_pt, self.theme.footer_pt, align="right"), key, 0)

    def table(self, slide, element: TableElement, key: str, alt_text: str) -> None:
        """A table with a header row; in the built-in template its own fills (the default
        table style's blue header leaves dark text at 3.6:1, white at 3.9:1)."""
        box, rows = element.box, element.rows
        shape = slide.shapes.add_table(len(rows), len(element.column_widths), Emu(box.left),
                                       Emu(box.top), Emu(box.width), Emu(box.height))
        table = shape.table
        table.first_row = True
        for c, width in enumerate(element.column_widths):
            table.columns[c].width = Emu(width)
        for r, row in enumerate(rows):
            table.rows[r].height = Emu(element.row_height)
            fill = self.theme.band if r == 0 else self.theme.grid if r % 2 else None
            for c, line in enumerate(row):
                cell = table.cell(r, c)
                if self.builtin:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(
                        (fill or self.theme.background)[1:])
                self.fill(cell.text_frame, [line], element.size, bullets=False,
                          align=PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT,
                          colour="#FFFFFF" if r == 0 else None)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        shape.element.nvGraphicFramePr.cNvPr.set("descr", alt_text)
        mark(shape, key, element.role)

    def slide_number(self, paragraph, number: int, size: float, colour: str) -> None:
        """A real slide-number field (renumbers itself if slides are moved in PowerPoint)
        in the footer's font, size and colour, before the paragraph's end properties,
        which the schema wants last."""
        p = paragraph._p
        field = p.makeelement(qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}",
                                            "type": "slidenum"})
        p.get_or_add_endParaRPr().addprevious(field)
        self.style(etree.SubElement(field, qn("a:rPr")), size, colour=colour)
        etree.SubElement(field, qn("a:t")).text = str(number)

    def picture(self, slide, png: bytes, box: Box, alt_text: str, name: str):
        picture = slide.shapes.add_picture(io.BytesIO(png), Emu(box.left), Emu(box.top),
                                           Emu(box.width), Emu(box.height))
        picture.name = name
        c_nv_pr = picture._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", alt_text)
        return picture


def _place(shape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = box.left, box.top, box.width, \
        box.height


def _slots(slide, choice: LayoutChoice, builtin: bool, dropped: Sequence[int]) -> list:
    """The slide's placeholders by slot (`LayoutChoice.slots`), after removing the
    `dropped` slots. On a user template each gets its layout box written on it: its
    layout may not tell its placeholders apart (LibreOffice's give none an index)."""
    holders = [shape for shape in slide.shapes if shape.is_placeholder]
    slots = [holders[place] for place in choice.slots]
    for slot in dropped:
        slots[slot]._element.getparent().remove(slots[slot]._element)
    if not builtin:
        for shape, box in zip(slots, choice.boxes, strict=True):
            _place(shape, box)
    return slots


def _space_before(paragraph, points: float) -> None:
    """python-pptx's `space_before`, written directly into a new paragraph's properties
    (its setter walks the schema's child order, a tenth of a rebuild's writing)."""
    p_pr = paragraph._p.get_or_add_pPr()
    if len(p_pr):
        paragraph.space_before = Pt(points)
        return
    spacing = etree.SubElement(etree.SubElement(p_pr, qn("a:spcBef")), qn("a:spcPts"))
    spacing.set("val", str(Pt(points).centipoints))


def _without_marks(frame) -> None:
    """Paragraphs of a body placeholder set as plain lines: no bullet mark and no hanging
    indent, whatever the layout gives its body text."""
    for paragraph in frame.paragraphs:
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.set("marL", "0")
        p_pr.set("indent", "0")
        etree.SubElement(p_pr, qn("a:buNone"))


def _no_problem(role, message: str, hint: str):
    raise AssertionError(f"the template was checked when opened: {message}")


def _remove_placeholders(slide) -> None:
    """Remove every text placeholder left empty (read from the XML: through
    python-pptx's shape objects this took longer than filling them)."""
    tree = slide.shapes._spTree
    for sp in tree.findall(qn("p:sp")):
        if sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}") is None:
            continue
        if not "".join(t.text or "" for t in sp.iter(qn("a:t"))).strip():
            tree.remove(sp)


def write_deck(slides: Sequence[SlideContent], layouts: Sequence[SlideLayout],
               prs: Presentation, builtin: bool, images: dict[int, bytes], *,
               locale: DeckLocale, title: str, author: str | None,
               theme: Theme = DEFAULT_THEME, deck_file: str = "",
               template: str = BUILTIN_TEMPLATE, cache: SlideCache | None = None,
               chosen: Mapping[str, LayoutChoice] | None = None) -> bytes:
    """The finished .pptx as bytes: each slide drawn from its layout (`layouts`, in the
    order of `slides`) on the template layout its role was given (`chosen`; default:
    found in `prs`); `images` maps slide number -> chart PNG (charts marked native
    are drawn as PowerPoint charts instead).

    `cache` (watch mode, many decks) gives back slides drawn before from the same
    inputs instead of drawing them again, and keeps those drawn now; `template` is
    `open_template`'s identity of the template `prs` was opened from. Every generated
    shape is named with its identity and the deck records what it generated
    (`identity`), so that an update can find them again."""
    if not all(s.key for s in slides):
        assign_keys(slides)
    lang = locale.tag
    writer = _Writer(prs, builtin, lang, theme)
    if chosen is None:
        chosen = choose_layouts(list(prs.slide_masters), {}, _no_problem)
    context = (template, builtin, lang, theme, tuple(sorted(chosen.items())))
    index_images(prs)
    for content, laid in zip(slides, layouts, strict=True):
        pictures = _pictures(content, laid, images)
        key = slide_inputs(context, content, laid, pictures) if cache is not None else None
        choice = chosen[ROLE_OF[laid.template_layout]]
        layout = prs.slide_masters[choice.index[0]].slide_layouts[choice.index[1]]
        if key is not None and cache.add(prs, key, layout, pictures) is not None:
            continue
        slide = prs.slides.add_slide(layout)
        slots = _slots(slide, choice, builtin, laid.dropped_placeholders)
        drawn = iter(pictures)
        for element in laid.elements:
            if isinstance(element, TextElement):
                writer.text(slide, element, content.key, content.number, slots)
            elif isinstance(element, ChartElement):
                png = None if element.chart.native else next(drawn)
                writer.chart(slide, element, content.key, png, locale)
            elif isinstance(element, TableElement):
                writer.table(slide, element, content.key, content.title.text)
            else:
                writer.picture(slide, next(drawn), element.box, element.alt_text.text,
                               shape_name(content.key, element.role))
        if laid.notes:
            writer.fill(slide.notes_slide.notes_text_frame, laid.notes, theme.notes_pt,
                        bullets=False)
        _remove_placeholders(slide)
        if key is not None:
            cache.keep(key, slide)
    record_deck(prs, slides, deck_file=deck_file, country=locale.country or "",
                language=locale.code, generator=f"survey-deck-generator {__version__}")
    _core_properties(prs, title, author, lang)
    return package_bytes(prs)


def _pictures(content: SlideContent, laid: SlideLayout, images: dict[int, bytes]
              ) -> list[bytes]:
    """The bytes of the pictures the slide shows, in the order they are drawn: its chart
    picture (`images`), the image files it shows."""
    pictures = []
    for element in laid.elements:
        if isinstance(element, ChartElement) and not element.chart.native:
            png = images.get(content.number)
            assert png is not None, f"no picture for the chart of {content.label}"
            pictures.append(png)
        elif isinstance(element, PictureElement):
            pictures.append(element.path.read_bytes())
    return pictures


def slide_inputs(context: tuple, content: SlideContent, laid: SlideLayout,
                 pictures: Sequence[bytes]) -> tuple | None:
    """Everything the writer draws one slide from, as a key for `SlideCache`: the
    deck's `context` (template, built-in or not, language, theme), the slide's key and
    number, its laid-out elements and notes, and the digests of its `pictures`. None
    for a slide with a native chart (drawn each time). Keep it in step with what
    `write_deck` and `_Writer` read."""
    elements: list[Hashable] = []
    for element in laid.elements:
        if isinstance(element, ChartElement):
            if element.chart.native:
                return None
            elements.append(("chart picture", element.box, element.role,
                             element.chart.alt_text.text))
        else:  # text, table and picture elements are frozen: equal ones draw equal shapes
            elements.append(element)
    return (context, content.key, content.number, laid.template_layout,
            laid.dropped_placeholders, tuple(elements), laid.notes,
            tuple(hashlib.sha256(blob).digest() for blob in pictures))


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
