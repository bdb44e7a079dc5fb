"""Native, editable PowerPoint charts (python-pptx): `add_native_chart`, and what every
kind's native chart shares.

Each chart kind (`registry.KINDS`) computes its `Drawing` once, as for the
picture, and draws it here: same categories, values, value labels (in the
deck's number format), colours, N and font sizes (the picture's pixels as
points at 96 dpi). The numbers live inside the chart, so colleagues can
restyle and re-label it; no browser is needed. Chart text is tagged with the
language of its labels (`ChartData.phrase`); an axis or a legend holds one
language, so labels in several languages on one axis get the deck's.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from generator.charts.data import ChartData, chart_notes
from generator.charts.registry import KINDS
from generator.charts.spec import Drawing, Series
from generator.core.theme import DEFAULT_THEME, Theme
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span

NOTE_HEIGHT = Emu(int(0.4 * 914400))
LEGEND_HEIGHT = Emu(int(0.3 * 914400))
PLOT_TOP, PLOT_HEIGHT = 0.1, 0.8  # of the chart's height: where `plot_inset` puts the plot
PLOT_RIGHT = 0.95  # of the chart's width: where the plot ends

_POSITION_XML = {position: position.xml_value for position in XL_LABEL_POSITION}
POSITIONS = {"outside": XL_LABEL_POSITION.OUTSIDE_END, "beside": XL_LABEL_POSITION.OUTSIDE_END,
             "inside_base": XL_LABEL_POSITION.INSIDE_BASE, "inside": XL_LABEL_POSITION.CENTER,
             "left": XL_LABEL_POSITION.LEFT, "right": XL_LABEL_POSITION.RIGHT,
             "above": XL_LABEL_POSITION.ABOVE}


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


def category_chart(slide, box, chart_type, drawing: Drawing, series: Sequence[Series],
                   categories: Sequence[str] | None = None):
    """A chart of `chart_type` in `box` with one series per `series`, over the drawing's
    categories (or `categories`)."""
    # imported here: it loads xlsxwriter (~0.14 s), which a deck of pictures never needs
    from pptx.chart.data import CategoryChartData

    chart_data = CategoryChartData()
    chart_data.categories = list(categories or drawing.categories)
    for one in series:
        chart_data.add_series(one.name, list(one.values))
    return slide.shapes.add_chart(chart_type, box.left, box.top, box.width, box.height,
                                  chart_data).chart


def language_of(data: ChartData, labels: Sequence[str]) -> str:
    """The one language `labels` are all in, else the deck's."""
    found = set().union(*(data.phrase(label).languages for label in labels)) if labels else set()
    return found.pop() if len(found) == 1 else data.language or next(iter(found), "")


def style(chart, drawing: Drawing, theme: Theme, lang: str, legend: bool = True) -> None:
    """Font, colour and language of the chart's text; the legend above the plot."""
    chart.font.name = theme.font
    chart.font.size = Pt(drawing.pt(drawing.axis_px))
    chart.font.color.rgb = rgb(theme.text)
    chart._chartSpace.xpath("./c:txPr//a:defRPr")[0].set("lang", lang)
    chart.has_title = False
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(drawing.pt(drawing.legend_px))


def legend_language(chart, drawing: Drawing, lang: str) -> None:
    """Tag the legend's text (series names) with `lang`."""
    chart.legend.font.size = Pt(drawing.pt(drawing.legend_px))  # makes its text properties
    chart.legend._element.xpath("./c:txPr//a:defRPr")[0].set("lang", lang)


def value_axis(axis, drawing: Drawing, theme: Theme) -> None:
    """The value axis (`chart.value_axis`, a scatter's horizontal axis) as the drawing's."""
    axis.minimum_scale, axis.maximum_scale = drawing.value_range
    axis.major_unit = drawing.major_unit
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(theme.grid)
    axis.tick_labels.number_format = "0"
    if drawing.ticks:  # a diverging axis: both sides positive, with the locale's % sign
        sign = drawing.ticks[-1][1].lstrip("0123456789")
        axis.tick_labels.number_format = f'0"{sign}";0"{sign}"'
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(drawing.pt(drawing.axis_px))
    axis.format.line.fill.background()


def category_axis(chart, drawing: Drawing) -> None:
    """Item labels at the drawing's size, every one of them: a crowded axis would
    otherwise show every other label (LibreOffice and PowerPoint skip by default)."""
    axis = chart.category_axis
    axis.tick_labels.font.size = Pt(drawing.pt(drawing.category_px))
    ax = axis._element
    # an explicit upright rotation: LibreOffice then lets labels touch rather than drop them
    ax.find(qn("c:txPr")).find(qn("a:bodyPr")).set("rot", "0")
    for old in ax.findall(qn("c:tickLblSkip")):
        ax.remove(old)
    skip = etree.Element(qn("c:tickLblSkip"))
    skip.set("val", "1")
    # schema order: ... lblAlgn, lblOffset, tickLblSkip, tickMarkSkip, noMultiLvlLbl
    following = [ax.find(qn(tag)) for tag in ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")]
    anchor = next((f for f in following if f is not None), None)
    if anchor is not None:
        anchor.addprevious(skip)
    else:
        ax.append(skip)


def inset_left(drawing: Drawing) -> float:
    """The share of the chart's width left of the plot, for the item labels."""
    longest = max(len(line) for lines in drawing.wrapped for line in lines)
    return min(0.45, (longest * 0.55 * drawing.category_px + 24) / drawing.width_px)


def plot_inset(chart, drawing: Drawing) -> None:
    """Place the plot area by hand, leaving room on the left for the item labels as the
    picture wraps them (left to itself, LibreOffice gives them a narrow column and
    wraps them onto lines that run into each other)."""
    left = inset_left(drawing)
    area = chart._chartSpace.find(".//" + qn("c:plotArea"))
    layout = area.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, value in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                       ("c:x", left), ("c:y", PLOT_TOP), ("c:w", PLOT_RIGHT - left),
                       ("c:h", PLOT_HEIGHT)):
        etree.SubElement(manual, qn(tag)).set("val", f"{value:.4f}" if isinstance(value, float)
                                               else value)


def top_down(chart) -> None:
    """Horizontal bars listed from the top, with the value axis kept at the bottom."""
    chart.category_axis.reverse_order = True
    # the value axis crosses the categories at their last one, now at the bottom
    # (python-pptx sets crossings only from the value axis's side)
    for crosses in chart._chartSpace.xpath(".//c:valAx/c:crosses"):
        crosses.set("val", "max")


def bottom_up(drawing: Drawing) -> tuple[list[str], list[Series]]:
    """The categories and series of horizontal clustered bars in the order the file lists
    them, so that both programs show the first category at the top, the first series on
    top in each group and first in the legend: categories from the bottom up (the axis
    in its usual direction) and series last first. PowerPoint lists a horizontal bar
    chart's legend in the order the bars stand; LibreOffice lists it in the file's
    series order reversed, whatever the axis's direction (with `top_down`, it would put
    the comparison first)."""
    last_first = range(len(drawing.categories) - 1, -1, -1)
    return ([drawing.categories[k] for k in last_first],
            [reindexed(s, last_first) for s in reversed(drawing.series)])


def reindexed(series: Series, order: Sequence[int]) -> Series:
    """`series` with the values, colours, labels and intervals of the categories at
    `order`, in that order."""
    def take(values):
        return values if not values else tuple(values[k] for k in order)

    return replace(series, values=take(series.values), colours=take(series.colours),
                   labels=take(series.labels), label_at=take(series.label_at),
                   label_sides=take(series.label_sides),
                   plus=None if series.plus is None else take(series.plus),
                   minus=None if series.minus is None else take(series.minus))


def fill(series_or_point, colour: str, theme: Theme = DEFAULT_THEME) -> None:
    """A solid fill of `colour`: the theme colour it is, if it is one of the template's
    (so recolouring the theme in PowerPoint recolours the chart), else as RGB."""
    target = series_or_point.format.fill
    target.solid()
    scheme = theme.scheme_name(colour)
    if scheme is not None:
        target.fore_color.theme_color = getattr(MSO_THEME_COLOR, f"ACCENT_{scheme[-1]}")
    else:
        target.fore_color.rgb = rgb(colour)


def fill_series(one, series: Series, theme: Theme = DEFAULT_THEME) -> None:
    """The series' colour, and each point's where they differ (a ranking's country)."""
    fill(one, series.colours[0], theme)
    if len(set(series.colours)) > 1:
        for point, colour in zip(one.points, series.colours, strict=True):
            fill(point, colour, theme)


def dress_bars(one, series: Series, drawing: Drawing, lang: str, theme: Theme) -> None:
    """A bar series as the drawing has it: colours, its intervals if any, value labels."""
    fill_series(one, series, theme)
    if series.plus is not None:
        add_error_bars(one, series.plus, series.minus, theme.text)
    label_points(one, series, drawing, lang, theme)


def label_points(one, series: Series, drawing: Drawing, lang: str, theme: Theme) -> None:
    """Write each point's value label as text (the locale's format, "–" if suppressed),
    placed as the drawing says.

    The first label is made through python-pptx; the others are copies of its XML with
    their own index, text and position (python-pptx's object model took a third of
    drawing a native chart, and makes the same elements in the same order).
    """
    sides = series.label_sides or (series.label_position,) * len(series.labels)
    first = previous = None
    for index, (point, text, side) in enumerate(zip(one.points, series.labels, sides,
                                                     strict=True)):
        if not text:
            continue
        if first is not None and previous is not None and "\n" not in text \
                and "\v" not in text:
            label = copy.deepcopy(first)
            label.find(qn("c:idx")).set("val", str(index))
            label.find(f"{qn('c:tx')}/{qn('c:rich')}/{qn('a:p')}/{qn('a:r')}/{qn('a:t')}"
                       ).text = text
            label.find(qn("c:dLblPos")).set("val", _POSITION_XML[POSITIONS[side]])
            previous.addnext(label)
            previous = label
            continue
        label = point.data_label
        frame = label.text_frame
        frame.text = text
        run = frame.paragraphs[0].runs[0]
        run.font.size = Pt(drawing.pt(drawing.value_px))
        run.font.color.rgb = rgb(series.label_colour or theme.text)
        run._r.get_or_add_rPr().set("lang", lang)
        label.position = POSITIONS[side]
        unwrapped(label)
        previous = label._dLbl
        if first is None and len(frame.paragraphs) == 1 and len(frame.paragraphs[0].runs) == 1:
            first = previous
    if series.label_position == "beside":
        _shift_beside(one, series, drawing)


def _shift_beside(one, series: Series, drawing: Drawing) -> None:
    """Move labels right of the bar's end to where the drawing put them (past the
    comparison's bar and the interval, as past its mark in the picture): a manual offset
    from the label's usual place, as a share of the chart's width."""
    low, high = drawing.value_range
    plot_share = PLOT_RIGHT - inset_left(drawing)  # the plot's width, as `plot_inset` sets it
    ends = [low if value is None else value for value in series.values]
    reach = [end + plus for end, plus in zip(ends, series.plus or [0.0] * len(ends),
                                              strict=True)]
    # the gap the drawing leaves after the furthest end (the interval's, or the
    # comparison's mark): a native label keeps its own
    gap = min(at - far for at, far in zip(series.label_at, reach, strict=True))
    for point, end, at, text in zip(one.points, ends, series.label_at, series.labels,
                                    strict=True):
        shift = (at - end - gap) / (high - low) * plot_share
        if text and shift > 0:
            shift_label(one, point.data_label._dLbl, shift)


def shift_label(one, dlbl, shift: float) -> None:
    """Move data label `dlbl` of series `one` sideways from its usual place by `shift`
    (a share of the chart's width; negative: to the left), without a leader line."""
    layout = etree.Element(qn("c:layout"))
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    etree.SubElement(manual, qn("c:x")).set("val", f"{shift:.4f}")
    etree.SubElement(manual, qn("c:y")).set("val", "0")
    dlbl.find(qn("c:idx")).addnext(layout)
    for leader in one._element.xpath("./c:dLbls/c:showLeaderLines"):
        leader.set("val", "0")


def unwrapped(label) -> None:
    """A data label kept on its lines: LibreOffice would wrap it at a narrow width."""
    label._dLbl.xpath("./c:tx/c:rich/a:bodyPr")[0].set("wrap", "none")


def tag_empty_paragraphs(chart, lang: str) -> None:
    """python-pptx writes each text-properties block with an English end-of-paragraph
    mark; give it the language of its block (or the deck's)."""
    for end in chart._chartSpace.xpath(".//a:endParaRPr"):
        defaults = end.getparent().xpath("./a:pPr/a:defRPr/@lang")
        end.set("lang", defaults[0] if defaults else lang)


def add_error_bars(series, plus: Sequence[float] | None, minus: Sequence[float] | None,
                   colour: str) -> None:
    """Custom error bars on a bar series (``c:errBars``, values written into the chart):
    `plus` and `minus` are the distances from each value to its interval's ends. (A
    scatter's intervals are line series: see `native_rows`.)"""

    def values(tag: str, numbers: Sequence[float]):
        element = etree.SubElement(bars, qn(tag))
        literal = etree.SubElement(element, qn("c:numLit"))
        etree.SubElement(literal, qn("c:formatCode")).text = "General"
        etree.SubElement(literal, qn("c:ptCount")).set("val", str(len(numbers)))
        for i, number in enumerate(numbers):
            point = etree.SubElement(literal, qn("c:pt"))
            point.set("idx", str(i))
            etree.SubElement(point, qn("c:v")).text = repr(float(number))

    ser = series._element
    bars = etree.Element(qn("c:errBars"))
    etree.SubElement(bars, qn("c:errBarType")).set("val", "both")
    etree.SubElement(bars, qn("c:errValType")).set("val", "cust")
    etree.SubElement(bars, qn("c:noEndCap")).set("val", "0")
    values("c:plus", plus or ())
    values("c:minus", minus or ())
    line = etree.SubElement(etree.SubElement(bars, qn("c:spPr")), qn("a:ln"))
    line.set("w", "19050")
    solid = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(solid, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())
    # schema order: ... dLbls, trendline, errBars, cat, val ...
    ser.find(qn("c:cat")).addprevious(bars)


def hide_legend_entry(chart, index: int) -> None:
    """Leave series `index` (a scatter's item labels or intervals) out of the legend."""
    legend = chart.legend._element
    entry = etree.Element(qn("c:legendEntry"))
    etree.SubElement(entry, qn("c:idx")).set("val", str(index))
    etree.SubElement(entry, qn("c:delete")).set("val", "1")
    legend.find(qn("c:legendPos")).addnext(entry)


def legend_text(slide, box, drawing: Drawing, entries: list[tuple[Phrase, str]]) -> None:
    """A one-line legend above the chart: a coloured square before each label, each
    label's runs in its language."""
    from pptx.enum.text import PP_ALIGN

    shape = slide.shapes.add_textbox(box.left, box.top - Emu(int(0.05 * 914400)), box.width,
                                     LEGEND_HEIGHT)
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    for label, colour in entries:
        spans = [(Span("\u25a0 ", label.spans[0].lang), colour), *(
            (span, None) for span in (label + Phrase.of("   ", label.spans[-1].lang)).spans)]
        for span, square in spans:
            run = paragraph.add_run()
            run.text = span.text
            run.font.size = Pt(drawing.pt(drawing.legend_px))
            if square:
                run.font.color.rgb = rgb(square)
            run._r.get_or_add_rPr().set("lang", span.lang)


def add_native_chart(slide, data: ChartData, box, locale: DeckLocale, lang: str,
                     alt_text: str, name: str, theme: Theme = DEFAULT_THEME):
    """Place the chart for `data.kind` in `box`; returns the frame and the note line to
    write below it (each part tagged with its language)."""
    from generator.core.geometry import Box

    if not data.language:
        data = replace(data, language=lang)
    kind = KINDS[data.kind]
    drawing = kind.draw(data, locale, theme)
    chart_box = Box(box.left, box.top, box.width, box.height - NOTE_HEIGHT)
    chart, extra_notes = kind.native(slide, drawing, data, chart_box, theme, lang)
    tag_empty_paragraphs(chart, data.language)
    frame = next(s for s in reversed(slide.shapes) if s.has_chart)
    frame.name = name
    frame._element.nvGraphicFramePr.cNvPr.set("descr", alt_text)
    notes = [*extra_notes, *(data.phrase(n) for n in chart_notes(data, locale))]
    return frame, Phrase.join([n for n in notes if n], Span("   ·   ", data.language))
