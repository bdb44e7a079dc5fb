"""Bar chart: the country against the comparison group (or a `by:` chart's subgroups),
one group of bars per item.

Vertical for a few short labels, horizontal otherwise. With more than eight
items on their side the chart is dense: the comparison is a mark across the
country's bar in a picture (bars stay thick enough to read) and is left
unlabelled in both renderers, its numbers kept in the native chart's data. A
value label follows its bar, in the bar's colour; where a mark lies beyond the
bar, the label goes between the two when it fits there (else past the mark), so
it is not read as the mark's.
"""

from __future__ import annotations

from generator.charts.data import (
    ChartData,
    bar_series,
    error_bars,
    item_label,
    ordered_items,
    value_text,
)
from generator.charts.spec import (
    PLOT_MARGIN_PX,
    Drawing,
    Kind,
    Series,
    axis_range,
    base_fonts,
    fitted_labels,
    gap_in_units,
    largest_label_px,
    legend_name,
    major_unit,
    notes,
    plot_width_px,
    shown,
)
from generator.core.contrast import TEXT_MIN, contrast
from generator.core.textmetrics import text_width_pt
from generator.core.theme import Theme, text_on
from generator.i18n.locale import DeckLocale

DENSE_ITEMS = 8
LABEL_SHARE = 0.36  # of the width, for item labels beside horizontal bars
TICK_LINE_PX = 5  # the comparison mark's line across a dense bar
WIDEST_LABEL_SHARE = 0.48  # item labels may take this much before they wrap into rows
TEXT_HEIGHT = 1.2  # a line of text's height, in font sizes
MARK_CLEAR_PX = 4  # a value label ends this far before a comparison mark beyond its bar
MARK_LENGTH = 0.85  # a comparison mark's length, in rows (a bar is 0.7 of its row thick)
LINE_NS = 1.4  # Plotly draws a "line-ns" marker 1.4 times its size long


def horizontal(data: ChartData, theme: Theme) -> bool:
    """Whether the bars lie on their side: asked for, or more than six items, or a label
    that would not fit in three lines under its bars at 16 px or more."""
    if data.orientation != "auto":
        return data.orientation == "horizontal"
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    font, _ = fitted_labels(labels, 3 * theme.chart_tick_px * 1.25,
                            data.width_px / len(items) * 0.9, theme.chart_tick_px,
                            min(16, theme.chart_min_px))
    return len(items) > 6 or font < 16


def item_labels(data: ChartData, theme: Theme) -> tuple[int, list[list[str]]]:
    """The item labels' size (px) and lines: beside horizontal bars or under vertical ones."""
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    plot_px = data.height_px - PLOT_MARGIN_PX
    if horizontal(data, theme):
        return fitted_labels(labels, plot_px / len(items), data.width_px * LABEL_SHARE,
                             largest_label_px(data, theme), theme.chart_min_px,
                             widest_px=data.width_px * WIDEST_LABEL_SHARE)
    return fitted_labels(labels, 3 * theme.chart_tick_px * 1.25,
                         data.width_px / len(items) * 0.9,
                         largest_label_px(data, theme), theme.chart_min_px)


def draw(data: ChartData, locale: DeckLocale, theme: Theme) -> Drawing:
    table = data.table
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    lies = horizontal(data, theme)
    font, wrapped = item_labels(data, theme)
    fonts = base_fonts(theme, font)
    if not lies and "ci_low" in table and table["ci_low"].notna().any():
        texts = [value_text(row, data, locale) for row in table.to_dict("records")]
        fonts["value_px"] = _inside_font(texts, data, len(items), fonts["value_px"], theme)
    dense = False
    if lies:  # a value label no higher than its bar, else the comparison becomes a mark
        fitting = int(_bar_thickness_px(data, len(items)) / TEXT_HEIGHT)
        dense = len(items) > DENSE_ITEMS or fitting < theme.chart_min_px
        if not dense:
            fonts["value_px"] = min(fonts["value_px"], fitting)
    groups = bar_series(data)
    colours = [theme.accent, theme.neutral] if not data.series else list(
        theme.series[:len(groups)])
    # a label beside a dense bar starts clear of the comparison's mark and the interval
    gap = gap_in_units(TICK_LINE_PX / 2 + 0.6 * fonts["value_px"], data,
                       plot_width_px(data.width_px, data.width_px * LABEL_SHARE))
    by_group = {key: frame.set_index("item") for key, frame in table.groupby("group", sort=False)}
    comparison = by_group.get("comparison")
    comparison_marks = ([0.0] * len(items) if comparison is None else
                        comparison["value"].reindex(items).fillna(0).tolist())
    series = []
    for (group, name), colour in zip(groups, colours, strict=True):
        rows = by_group[group].loc[items]
        values = tuple(shown(v) for v in rows["value"])
        intervals = error_bars(rows)
        texts = tuple(value_text(row, data, locale) for row in rows.to_dict("records"))
        common = {"group": group, "name": legend_name(name, rows["n"], locale),
                  "values": values, "colours": (colour,) * len(items)}
        if intervals is not None:
            common |= {"plus": tuple(intervals[0]), "minus": tuple(intervals[1])}
        if dense and group == "comparison":  # a dark mark across the bar, or a dark bar
            common["colours"] = (theme.text,) * len(items)
            series.append(Series(**common, labels=("",) * len(items), style="tick"))
            continue
        if dense:
            ends = [(v or 0) + (intervals[0][k] if intervals else 0)
                    for k, v in enumerate(values)]
            at = tuple(max(e, m) + gap for e, m in zip(ends, comparison_marks, strict=True))
            near = [v is not None and n for v, n in zip(values, _labels_before_marks(
                texts, ends, comparison_marks, data, fonts["value_px"]), strict=True)]
            # in the bar's colour (where it is readable as text), so a label past a mark
            # close to the bar's end is still the bar's
            own = comparison is not None and contrast(colour, theme.background) >= TEXT_MIN
            series.append(Series(**common, labels=texts, label_position="beside", label_at=at,
                                 label_colour=colour if own else None,
                                 picture_label_at=tuple(
                                     e + gap if n else a
                                     for e, a, n in zip(ends, at, near, strict=True))))
        elif intervals is not None:  # the interval's line would cross a label at the bar's end
            series.append(Series(**common, labels=texts, label_position="inside_base",
                                 label_colour=text_on(colour, theme)))
        else:
            series.append(Series(**common, labels=texts))
    return Drawing(
        kind="bar", categories=tuple(labels), wrapped=tuple(tuple(w) for w in wrapped),
        series=tuple(series), horizontal=lies, value_range=axis_range(data),
        major_unit=major_unit(data), **fonts, notes=notes(data, locale),
        width_px=data.width_px, height_px=data.height_px)


def _labels_before_marks(texts: tuple[str, ...], ends: list[float], marks: list[float],
                         data: ChartData, value_px: int) -> list[bool]:
    """Per bar, whether its value label fits between the bar's end (its interval's) and
    a comparison mark lying beyond it: there the label follows the bar, so it is read as
    the bar's, not the mark's. The plot's width is a cautious estimate: the room is
    larger in the picture, the label no wider."""
    plot_px = plot_width_px(data.width_px, data.width_px * LABEL_SHARE)
    low, high = axis_range(data)
    per_unit = plot_px / (high - low)
    # the gap before the label (as `draw` leaves it), the label, the mark's half and a gap
    around = TICK_LINE_PX / 2 + 0.6 * value_px + TICK_LINE_PX / 2 + MARK_CLEAR_PX
    return [(mark - end) * per_unit >= around + text_width_pt(text, value_px)
            for text, end, mark in zip(texts, ends, marks, strict=True)]


def _bar_thickness_px(data: ChartData, items: int) -> float:
    """A horizontal bar's thickness beside its group's others (a cautious estimate: the
    plot is the height less the legend, axis and up to two note lines)."""
    row = (data.height_px - PLOT_MARGIN_PX - 20) / items
    return row * (1 - 0.25) / len(bar_series(data)) * (1 - 0.05)  # bargap, bargroupgap


def _inside_font(texts: list[str], data: ChartData, items: int, largest: int,
                 theme: Theme) -> int:
    """The largest font (px, the theme's minimum at least) at which value labels fit
    across a vertical bar (with intervals, labels sit inside the bars)."""
    groups = len(bar_series(data))
    bar_px = data.width_px * 0.8 / items / groups * 0.8  # the plot, less gaps between bars
    chars = max(len(t) for t in texts)
    return max(theme.chart_min_px, min(largest, int(bar_px / (0.6 * chars))))


def figure(drawing: Drawing, theme: Theme) -> dict:
    """Grouped bars (or bars with a comparison mark) as a Plotly figure spec."""
    from generator.charts import figures as f

    spec = f.new_spec()
    categories = f.category_texts(drawing)
    for series in drawing.series:
        values = [v if v is not None else 0 for v in series.values]
        if series.style == "tick":
            spec["data"].append({
                "type": "scatter", "y": categories, "x": list(series.values),
                "mode": "markers", "name": f.plain(series.name),
                "marker": {"symbol": "line-ns", "size": 0,  # set below, with the layout
                           "color": series.colours[0],
                           "line": {"width": TICK_LINE_PX, "color": series.colours[0]}}})
            continue
        bar_args = {"y": categories, "x": values, "orientation": "h"} if drawing.horizontal \
            else {"x": categories, "y": values}
        if series.plus is not None:
            bar_args["error_x" if drawing.horizontal else "error_y"] = f.error_bar(
                series, theme, 6)
        text_args: dict = {"textposition": "outside",
                           "textfont": {"size": drawing.value_px, "color": theme.text}}
        if series.label_position == "inside_base":
            # a mean's bar starts below the axis (at 0): its label goes mid-bar
            anchor = "start" if drawing.value_range[0] <= 0 else "middle"
            text_args = {"textposition": "inside", "insidetextanchor": anchor, "textangle": 0,
                         "textfont": {"size": drawing.value_px, "color": series.label_colour}}
        spec["data"].append({
            "type": "bar", "name": f.plain(series.name),
            "marker": {"color": f.colours(series)},
            "text": None if series.label_position == "beside" else list(series.labels),
            "cliponaxis": False, "constraintext": "none", **text_args, **bar_args})
        if series.label_position == "beside":
            spec["data"].append(f.labels_beside(categories, series, drawing, theme))
    value_axis = f.value_axis(drawing)
    category_axis = {"showgrid": False, "tickfont": {"size": drawing.category_px},
                     "tickmode": "array", "tickvals": categories, "ticktext": categories}
    if drawing.horizontal:
        f.update(spec["layout"], xaxis=value_axis,
                 yaxis={**category_axis, "autorange": "reversed"})
    else:
        f.update(spec["layout"], xaxis=category_axis, yaxis=value_axis)
    lines = 1 if drawing.horizontal else max(len(w) for w in drawing.wrapped)
    spec = f.base_layout(spec, drawing, theme, lines)
    if any(s.style == "tick" for s in drawing.series):
        spec["layout"]["bargap"] = 0.3
        # a mark a little longer than the bar is thick, within its row: the plot's height
        # is the picture's less the margins the layout set
        layout = spec["layout"]
        plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
        for trace in spec["data"]:
            if trace.get("mode") == "markers" and trace["marker"].get("symbol") == "line-ns":
                trace["marker"]["size"] = plot / len(categories) * MARK_LENGTH / LINE_NS
    return spec


def native(slide, drawing: Drawing, data: ChartData, box, theme: Theme, lang: str):
    """Clustered bars; a dense chart's comparison is a bar without labels (a native bar
    chart has no marks across bars). Horizontal bars are written bottom up
    (`native.bottom_up`): the first item at the top, the country first in the legend."""
    from pptx.enum.chart import XL_CHART_TYPE

    from generator.charts import native as n

    kind = XL_CHART_TYPE.BAR_CLUSTERED if drawing.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    categories, series = (n.bottom_up(drawing) if drawing.horizontal
                          else (list(drawing.categories), list(drawing.series)))
    chart = n.category_chart(slide, box, kind, drawing, series, categories)
    n.style(chart, drawing, theme, n.language_of(data, drawing.categories))
    n.legend_language(chart, drawing, n.language_of(data, [name for _, name in
                                                           bar_series(data)]))
    n.value_axis(chart.value_axis, drawing, theme)
    n.category_axis(chart, drawing)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, -5
    if drawing.horizontal:
        n.plot_inset(chart, drawing)
    for one, drawn in zip(plot.series, series, strict=True):
        n.dress_bars(one, drawn, drawing, lang, theme)
    return chart, []


KIND = Kind("bar", draw, figure, native, lambda data, theme: item_labels(data, theme)[0])
