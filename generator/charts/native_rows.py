"""Native charts of rows (the dot plot, the coefficient chart): an XY scatter with one
row per category at y = n..1 from the top.

A scatter has no category axis: the item labels are the data labels of a series
without markers at the value axis's low end. The dots of one colour are one series
(LibreOffice draws every marker of a series in the series' colour). An interval is
drawn by a line series (segments apart by gaps: from each dot's edge to the interval's
ends, and the ends' caps) rather than by custom error bars: LibreOffice draws no custom
error bars along a scatter's horizontal axis, and a line series looks the same in both
programs. Value labels beside a dot move out past its interval. The series are written
intervals first, then the dots, then the item labels; only the dots are in the legend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.charts.data import ChartData
from generator.charts.native import reindexed
from generator.charts.spec import Drawing, Series
from generator.core.theme import Theme

INTERVAL_LINE_PT = 1.5


@dataclass(frozen=True)
class Dots:
    """The dots of one colour of a drawing's series: those of `points` (indices of the
    drawing's categories), the series cut down to them."""

    series: Series
    points: tuple[int, ...]
    legend: bool


def dots_by_colour(series: Sequence[Series]) -> list[Dots]:
    """Each series' shown dots (a suppressed value has none), one `Dots` per colour in
    the order the colours first appear; the first of a series carries its legend entry."""
    found = []
    for one in series:
        shown = [k for k, v in enumerate(one.values) if v is not None]
        colours = list(dict.fromkeys(one.colours[k] for k in shown))
        for n, colour in enumerate(colours):
            points = tuple(k for k in shown if one.colours[k] == colour)
            found.append(Dots(reindexed(one, points), points, legend=n == 0))
    return found


def interval_points(values: Sequence[float], plus: Sequence[float], minus: Sequence[float],
                    rows: Sequence[float], cap: float, dot: float
                    ) -> list[tuple[float, float | None]]:
    """(x, y) points of a line series drawing each interval: on each side of the dot its
    line from the dot's edge (`dot`, the dot's radius in axis units) to the interval's end
    and the end's cap (`cap` rows above and below), each segment ended by a gap (y None).
    An end hidden under the dot is not drawn. The lines stop at the dot: which of the
    two LibreOffice draws on top depends on the data, not on the series' order."""
    points: list[tuple[float, float | None]] = []
    for value, up, down, row in zip(values, plus, minus, rows, strict=True):
        for reach, side in ((down, -1), (up, 1)):
            if reach <= dot:
                continue
            end = value + side * reach
            points += [(value + side * dot, row), (end, row), (end, None),
                       (end, row - cap), (end, row + cap), (end, None)]
    return points


def _label_shifts(part: Dots, dot: float, plot: float, gap: float) -> list[float]:
    """How far (a share of the chart's width) each value label beside a dot moves
    outwards to start `gap` past its interval's end rather than at the dot's edge;
    `plot`: axis units per share of the chart's width."""
    series = part.series
    if series.plus is None or series.label_position != "sides":
        return [0.0] * len(series.values)
    shifts = []
    for up, down, side in zip(series.plus, series.minus, series.label_sides, strict=True):
        reach = up if side == "right" else down
        shift = (reach - dot) / plot + gap if reach > dot else 0.0
        shifts.append(shift if side == "right" else -shift)
    return shifts


def rows_chart(slide, box, drawing: Drawing, data: ChartData, theme: Theme, lang: str, *,
               dot_px: int, cap_px: float, legend: bool, label_gap_px: float = 0,
               zero_line: bool = False, number_format: str | None = None):
    """The scatter of `drawing`'s series as dots on rows, with their intervals and the
    item labels; `label_gap_px`: between an interval's end and a value label beside it;
    `zero_line`: the row axis drawn as a dark line where it crosses (at 0);
    `number_format`: the value axis's numbers' (else the drawing's)."""
    from pptx.chart.axis import ValueAxis
    from pptx.chart.data import XyChartData
    from pptx.enum.chart import (
        XL_CHART_TYPE,
        XL_MARKER_STYLE,
        XL_TICK_LABEL_POSITION,
        XL_TICK_MARK,
    )
    from pptx.util import Emu, Pt

    from generator.charts import native as n

    count = len(drawing.categories)
    rows = [float(count - k) for k in range(count)]
    dots = dots_by_colour(drawing.series)
    low, high = drawing.value_range
    # axis units per share of the chart's width, as `plot_inset` places the plot
    plot = (high - low) / (n.PLOT_RIGHT - n.inset_left(drawing))
    marker_pt = max(2, round(drawing.pt(dot_px)))
    width_pt = Emu(box.width).pt
    dot = marker_pt / 2 / width_pt * plot  # the dot's radius, in axis units
    # the caps' half-height in rows: the plot is `PLOT_HEIGHT` of the chart, `count` rows
    cap = cap_px * count / (n.PLOT_HEIGHT * drawing.height_px)
    lines = [points for part in dots if part.series.plus is not None and (
        points := interval_points(part.series.values, part.series.plus, part.series.minus,
                                  [rows[k] for k in part.points], cap, dot))]
    chart_data = XyChartData()
    for points in lines:  # each a series of its own, left out of the legend
        line = chart_data.add_series(" ")
        for x, y in points:
            line.add_data_point(x, y)
    for part in dots:
        one = chart_data.add_series(part.series.name or " ")
        for value, k in zip(part.series.values, part.points, strict=True):
            one.add_data_point(value, rows[k])
    names = chart_data.add_series(" ")
    for row in rows:
        names.add_data_point(low, row)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, box.left, box.top, box.width,
                                   box.height, chart_data).chart
    n.style(chart, drawing, theme, lang, legend=legend)
    if legend:
        n.legend_language(chart, drawing, n.language_of(data, [d.series.name for d in dots]))
        hidden = [*range(len(lines)), *(len(lines) + k for k, d in enumerate(dots)
                                         if not d.legend), len(lines) + len(dots)]
        for index in hidden:
            n.hide_legend_entry(chart, index)
    values_axis, rows_axis = (ValueAxis(axis) for axis in chart._chartSpace.xpath(".//c:valAx"))
    n.value_axis(values_axis, drawing, theme)
    if number_format is not None:
        values_axis.tick_labels.number_format = number_format
    rows_axis.minimum_scale, rows_axis.maximum_scale = 0.5, count + 0.5
    rows_axis.major_unit = 1
    rows_axis.has_major_gridlines = True
    rows_axis.major_gridlines.format.line.color.rgb = n.rgb(theme.grid)
    rows_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    rows_axis.major_tick_mark = XL_TICK_MARK.NONE  # no ticks along the line at zero
    if zero_line:
        rows_axis.format.line.color.rgb = n.rgb(theme.text)
        rows_axis.format.line.width = Pt(1.5)
    else:
        rows_axis.format.line.fill.background()
    n.plot_inset(chart, drawing)
    plotted = list(chart.plots[0].series)
    for line in plotted[:len(lines)]:
        line.marker.style = XL_MARKER_STYLE.NONE
        line.format.line.color.rgb = n.rgb(theme.text)
        line.format.line.width = Pt(INTERVAL_LINE_PT)
    for one, part in zip(plotted[len(lines):], dots, strict=False):
        one.format.line.fill.background()  # dots only
        one.marker.style = XL_MARKER_STYLE.CIRCLE
        one.marker.size = marker_pt
        n.fill(one.marker, part.series.colours[0], theme)
        one.marker.format.line.color.rgb = n.rgb(theme.background)
        n.label_points(one, part.series, drawing, lang, theme)
        for point, shift in zip(one.points, _label_shifts(
                part, dot, plot, drawing.pt(label_gap_px) / width_pt), strict=True):
            if shift:
                n.shift_label(one, point.data_label._dLbl, shift)
    item_labels(plotted[-1], drawing, data, theme)
    return chart


def item_labels(names, drawing: Drawing, data: ChartData, theme: Theme) -> None:
    """The item labels: data labels left of a series without markers, as wrapped."""
    from pptx.enum.chart import XL_MARKER_STYLE
    from pptx.util import Pt

    from generator.charts import native as n

    names.format.line.fill.background()
    names.marker.style = XL_MARKER_STYLE.NONE
    lang = n.language_of(data, drawing.categories)
    for point, lines in zip(names.points, drawing.wrapped, strict=True):
        label = point.data_label
        frame = label.text_frame
        frame.text = "\n".join(lines)
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(drawing.pt(drawing.category_px))
                run.font.color.rgb = n.rgb(theme.text)
                run._r.get_or_add_rPr().set("lang", lang)
        label.position = n.POSITIONS["left"]
        n.unwrapped(label)
