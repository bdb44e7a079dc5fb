"""Charts as native, editable PowerPoint charts (python-pptx), from the same `ChartData`.

The numbers live inside the chart, so colleagues can restyle and re-label it
in PowerPoint; no browser is needed. Order, colours, value labels (written
by the deck's locale, so ``4,6`` and ``62 %`` in Norwegian), suppression
marks and the note line follow the Plotly charts. Chart text is tagged with
the language of its labels (`ChartData.phrase`); an axis or a legend holds one
language, so labels in several languages on one axis get the deck's. `NATIVE_CHARTS` maps each
chart kind to its builder, as `charts.CHARTS` does for images.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.util import Emu, Pt

from generator.charts.data import (
    ChartData,
    bar_series,
    bars_horizontal,
    chart_notes,
    error_bars,
    item_label,
    ordered_items,
    ranked_countries,
    value_text,
)
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span
from generator.layout.theme import DEFAULT_THEME, Theme, diverging_colours, text_on

NOTE_HEIGHT = Emu(int(0.4 * 914400))
LABEL_PT, TICK_PT, LEGEND_PT = 13, 13, 13


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _label_points(series, texts: Sequence[str], lang: str, position=None,
                  colour: str | None = None) -> None:
    """Write each point's value label as text (the locale's format, "–" if suppressed)."""
    for point, text in zip(series.points, texts, strict=True):
        if not text:
            continue
        label = point.data_label
        frame = label.text_frame
        frame.text = text
        run = frame.paragraphs[0].runs[0]
        run.font.size = Pt(LABEL_PT)
        if colour is not None:
            run.font.color.rgb = _rgb(colour)
        run._r.get_or_add_rPr().set("lang", lang)
        if position is not None:
            label.position = position


def _fill(series_or_point, colour: str) -> None:
    fill = series_or_point.format.fill
    fill.solid()
    fill.fore_color.rgb = _rgb(colour)


def _language_of(data: ChartData, labels: Sequence[str]) -> str:
    """The one language `labels` are all in, else the deck's."""
    found = set().union(*(data.phrase(label).languages for label in labels)) if labels else set()
    return found.pop() if len(found) == 1 else data.language or next(iter(found), "")


def _legend_language(chart, lang: str) -> None:
    """Tag the legend's text (series names) with `lang`."""
    chart.legend.font.size = Pt(LEGEND_PT)  # makes the legend's own text properties
    chart.legend._element.xpath("./c:txPr//a:defRPr")[0].set("lang", lang)


def _style(chart, theme: Theme, lang: str, legend: bool = True) -> None:
    chart.font.name = theme.font
    chart.font.size = Pt(TICK_PT)
    chart.font.color.rgb = _rgb(theme.text)
    chart._chartSpace.xpath("./c:txPr//a:defRPr")[0].set("lang", lang)
    chart.has_title = False
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(LEGEND_PT)


def _value_axis(chart, data: ChartData, theme: Theme) -> None:
    axis = chart.value_axis
    low, high = (0, 100) if data.value_kind == "percent" else (
        min(data.scale_points), max(data.scale_points))
    axis.minimum_scale, axis.maximum_scale = low, high
    axis.major_unit = 20 if data.value_kind == "percent" else 1
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(theme.grid)
    axis.tick_labels.number_format = "0"
    axis.tick_labels.number_format_is_linked = False
    axis.format.line.fill.background()


def bar(slide, data: ChartData, box, locale: DeckLocale, theme: Theme, lang: str):
    """Clustered bars: the country and the comparison group per item; no extra notes."""
    items = ordered_items(data)
    series_names = bar_series(data)
    rows = {g: data.table[data.table["group"] == g].set_index("item").loc[items]
            for g, _ in series_names}
    labels = [item_label(data, i) for i in items]
    horizontal = bars_horizontal(data, theme.chart_tick_px)  # as the image chart
    chart_data = CategoryChartData()
    chart_data.categories = labels
    names = dict(series_names)
    colours = [theme.accent, theme.neutral] if not data.series else list(
        theme.series[:len(series_names)])
    for group, frame in rows.items():
        n = frame["n"]
        n_text = locale.integer(int(n.min())) if n.min() == n.max() else (
            f"{locale.integer(int(n.min()))}–{locale.integer(int(n.max()))}")
        chart_data.add_series(f"{names[group]} (N = {n_text})",
                              [_number(v) for v in frame["value"]])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(kind, box.left, box.top, box.width, box.height,
                                   chart_data).chart
    _style(chart, theme, _language_of(data, labels))
    _legend_language(chart, _language_of(data, [data.country_label, data.comparison_label]))
    _value_axis(chart, data, theme)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, -5
    if horizontal:
        _top_down(chart)
    if len(items) > 8:
        chart.category_axis.tick_labels.font.size = Pt(11)
    for series, (group, frame), colour in zip(plot.series, rows.items(), colours, strict=True):
        _fill(series, colour)
        intervals = error_bars(frame)
        if intervals is not None:
            add_error_bars(series, *intervals, theme.text)
        if group == "comparison" and len(items) > 8:
            continue  # too dense to label both; the numbers stay in the chart's data
        # with an interval, the label sits inside the bar's foot, clear of the interval's line
        _label_points(series, [value_text(row, data, locale) for _, row in frame.iterrows()],
                      lang, XL_LABEL_POSITION.OUTSIDE_END if intervals is None
                      else XL_LABEL_POSITION.INSIDE_BASE,
                      None if intervals is None else text_on(colour, theme))
    return chart, []


def ranking(slide, data: ChartData, box, locale: DeckLocale, theme: Theme, lang: str):
    """Every country's bar, highest first, the deck's country in the accent colour.

    The comparison value is a bar of its own, in the reference colour, at its
    place in the order: a native chart has no reference line.
    """
    countries = ranked_countries(data)
    comparison = data.table[data.table["group"] == "comparison"]
    rows = [(data.country_names.get(c, c), v, c) for c, v in
            zip(countries["group"], countries["value"], strict=True)]
    if not comparison.empty and not math.isnan(comparison["value"].iloc[0]):
        ref = float(comparison["value"].iloc[0])
        at = next((i for i, (_, v, _) in enumerate(rows) if not v >= ref), len(rows))
        rows.insert(at, (data.comparison_label, ref, "comparison"))
    chart_data = CategoryChartData()
    chart_data.categories = [name for name, _, _ in rows]
    chart_data.add_series(data.comparison_label, [_number(v) for _, v, _ in rows])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width,
                                   box.height, chart_data).chart
    _style(chart, theme, _language_of(data, [name for name, _, _ in rows]), legend=False)
    _value_axis(chart, data, theme)
    _top_down(chart)
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.vary_by_categories = False
    series = plot.series[0]
    _fill(series, theme.neutral)
    for point, (_, _, code) in zip(series.points, rows, strict=True):
        if code == data.country_code:
            _fill(point, theme.accent)
        elif code == "comparison":
            _fill(point, theme.reference)
    table = countries.set_index("group")
    texts = [value_text(table.loc[code], data, locale) if code in table.index
             else locale.value(v, data.value_kind) for _, v, code in rows]
    intervals = error_bars(countries)
    if intervals is not None:
        plus = dict(zip(countries["group"], intervals[0], strict=True))
        minus = dict(zip(countries["group"], intervals[1], strict=True))
        add_error_bars(series, [plus.get(code, 0.0) for _, _, code in rows],
                       [minus.get(code, 0.0) for _, _, code in rows], theme.text)
    _label_points(series, texts, lang, XL_LABEL_POSITION.OUTSIDE_END if intervals is None
                  else XL_LABEL_POSITION.INSIDE_BASE)
    return chart, []


def likert(slide, data: ChartData, box, locale: DeckLocale, theme: Theme, lang: str):
    """Diverging stacked bars of the answer distribution; non-answers, if shown, at the end."""
    table = data.table[data.table["group"] == "country"]
    items = list(dict.fromkeys(table["item"]))
    shares = table.pivot(index="item", columns="point", values="value").loc[items].fillna(0)
    points = list(data.scale_points)
    extra = [p for p in shares.columns if p not in points]
    middle = (len(points) - 1) / 2
    colours = diverging_colours(len(points), theme)
    chart_data = CategoryChartData()
    chart_data.categories = [item_label(data, i) for i in items]
    # (legend name, values, colour, the shares its labels show or None)
    series_spec: list[tuple[str, list[float], str, list[float] | None]] = []
    # the low side, innermost first, is negative so that it extends to the left; the
    # midpoint is split across zero and its whole share is written on the right half
    for i in sorted((i for i in range(len(points)) if i <= middle), key=lambda i: -i):
        share = shares[points[i]]
        half = share / 2 if i == middle else share
        series_spec.append((data.point_labels.get(points[i], str(points[i])),
                            (-half).tolist(), colours[i], None if i == middle else
                            share.tolist()))
    for i in (i for i in range(len(points)) if i >= middle):
        share = shares[points[i]]
        half = share / 2 if i == middle else share
        series_spec.append((data.point_labels.get(points[i], str(points[i])),
                            half.tolist(), colours[i], share.tolist()))
    for name, values, _, _ in series_spec:
        chart_data.add_series(name, values)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, box.left,
                                   box.top + Emu(int(0.3 * 914400)), box.width,
                                   box.height - Emu(int(0.3 * 914400)), chart_data).chart
    _style(chart, theme, _language_of(data, [item_label(data, i) for i in items]))
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = -100, 100, 50
    axis.tick_labels.number_format = '0" %";0" %"'
    axis.tick_labels.number_format_is_linked = False
    axis.has_major_gridlines = True
    _top_down(chart)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # left, not at 0
    chart.has_legend = False  # drawn as text: a split midpoint would be listed twice
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, 100
    for series, (_, _, colour, labelled) in zip(plot.series, series_spec, strict=True):
        _fill(series, colour)
        if labelled is not None:
            _label_points(series, [locale.percent(v) if v >= 12 else "" for v in labelled],
                          lang)
    legend = [(data.point_labels.get(p, str(p)), colours[i]) for i, p in enumerate(points)]
    notes = []
    for code in extra:
        per_item = Phrase.join(
            [data.phrase(item_label(data, i)) + Phrase.of(
                f" {locale.percent(shares.loc[i, code])}", data.language) for i in items],
            Span(", ", data.language))
        notes.append(Phrase.join([data.phrase(data.point_labels.get(code, str(code))),
                                  Phrase.of(": ", data.language), per_item]))
    _legend_text(slide, box, [(data.phrase(label), colour) for label, colour in legend])
    return chart, notes


def _tag_empty_paragraphs(chart, lang: str) -> None:
    """python-pptx writes each text-properties block with an English end-of-paragraph
    mark; give it the language of its block (or the deck's)."""
    for end in chart._chartSpace.xpath(".//a:endParaRPr"):
        defaults = end.getparent().xpath("./a:pPr/a:defRPr/@lang")
        end.set("lang", defaults[0] if defaults else lang)


def add_error_bars(series, plus: Sequence[float], minus: Sequence[float], colour: str) -> None:
    """Custom error bars on a bar series (``c:errBars``, values written into the chart):
    `plus` and `minus` are the distances from each value to its interval's ends."""
    from lxml import etree
    from pptx.oxml.ns import qn

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
    values("c:plus", plus)
    values("c:minus", minus)
    line = etree.SubElement(etree.SubElement(bars, qn("c:spPr")), qn("a:ln"))
    line.set("w", "19050")
    fill = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())
    # schema order: ... dLbls, trendline, errBars, cat, val ...
    ser.find(qn("c:cat")).addprevious(bars)


def _top_down(chart) -> None:
    """Horizontal bars listed from the top, with the value axis kept at the bottom."""
    chart.category_axis.reverse_order = True
    # the value axis crosses the categories at their last one, now at the bottom
    # (python-pptx sets crossings only from the value axis's side)
    for crosses in chart._chartSpace.xpath(".//c:valAx/c:crosses"):
        crosses.set("val", "max")


def _legend_text(slide, box, entries: list[tuple[Phrase, str]]) -> None:
    """A one-line legend above the chart: a coloured square before each label, each
    label's runs in its language."""
    from pptx.enum.text import PP_ALIGN

    shape = slide.shapes.add_textbox(box.left, box.top - Emu(int(0.05 * 914400)), box.width,
                                     Emu(int(0.3 * 914400)))
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    for label, colour in entries:
        spans = [(Span("\u25a0 ", label.spans[0].lang), colour), *(
            (span, None) for span in (label + Phrase.of("   ", label.spans[-1].lang)).spans)]
        for span, fill in spans:
            run = paragraph.add_run()
            run.text = span.text
            run.font.size = Pt(LEGEND_PT)
            if fill:
                run.font.color.rgb = _rgb(fill)
            run._r.get_or_add_rPr().set("lang", span.lang)


NATIVE_CHARTS: dict[str, Callable] = {"bar": bar, "ranking": ranking, "likert": likert}
"""Chart kind -> builder(slide, data, box, locale, theme, lang) -> (chart, extra note
lines as `Phrase`s)."""


def add_native_chart(slide, data: ChartData, box, locale: DeckLocale, lang: str,
                     alt_text: str, name: str, theme: Theme = DEFAULT_THEME):
    """Place the chart for `data.kind` in `box`; returns the frame and the note line to
    write below it (each part tagged with its language)."""
    from generator.layout.geometry import Box

    if not data.language:
        data = replace(data, language=lang)
    chart_box = Box(box.left, box.top, box.width, box.height - NOTE_HEIGHT)
    chart, extra_notes = NATIVE_CHARTS[data.kind](slide, data, chart_box, locale, theme, lang)
    _tag_empty_paragraphs(chart, data.language)
    frame = next(s for s in reversed(slide.shapes) if s.has_chart)
    frame.name = name
    frame._element.nvGraphicFramePr.cNvPr.set("descr", alt_text)
    notes = [*extra_notes, *(data.phrase(n) for n in chart_notes(data, locale))]
    return frame, Phrase.join([n for n in notes if n], Span("   ·   ", data.language))
