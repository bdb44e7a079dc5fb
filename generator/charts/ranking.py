"""Ranking: every country as a bar for one item, highest first, the deck's country
highlighted, the comparison value as a reference (a dashed line in a picture, a bar
of its own in the reference colour in a native chart, which has no lines)."""

from __future__ import annotations

import math
from dataclasses import replace

from generator.charts.data import ChartData, error_bars, item_label, ranked_countries, value_text
from generator.charts.spec import (
    PLOT_MARGIN_PX,
    Drawing,
    Kind,
    Reference,
    Series,
    axis_range,
    base_fonts,
    gap_in_units,
    largest_label_px,
    major_unit,
    notes,
    plot_width_px,
    shown,
)
from generator.core.theme import Theme
from generator.i18n.locale import DeckLocale

REFERENCE_LINE_PX = 3


def label_px(data: ChartData, theme: Theme) -> int:
    """The country names' size (px): three quarters of a row at most."""
    rows = int((~data.table["group"].isin(["comparison", "country"])).sum())
    row_px = (data.height_px - PLOT_MARGIN_PX) / max(rows, 1)
    return min(largest_label_px(data, theme), int(row_px * 0.75))


def draw(data: ChartData, locale: DeckLocale, theme: Theme) -> Drawing:
    table = data.table
    countries = ranked_countries(data)
    names = [data.country_names.get(c, c) for c in countries["group"]]
    fonts = base_fonts(theme, label_px(data, theme))
    values = tuple(shown(v) for v in countries["value"])
    intervals = error_bars(countries)
    ends = [(v or 0) + (intervals[0][k] if intervals else 0) for k, v in enumerate(values)]
    comparison = table[table["group"] == "comparison"]
    ref = math.nan if comparison.empty else float(comparison["value"].iloc[0])
    reference = None
    if not math.isnan(ref):
        label = locale.value(ref, data.value_kind)
        reference = Reference(
            name=f"{data.comparison_label}: {label}", category=data.comparison_label,
            value=ref, label=label, colour=theme.reference,
            at=next((i for i, v in enumerate(values) if not (v is not None and v >= ref)),
                    len(values)))
    longest = max((len(n) for n in names), default=1) * 0.55 * fonts["category_px"]
    gap = gap_in_units(REFERENCE_LINE_PX / 2 + 0.6 * fonts["value_px"], data,
                       plot_width_px(data.width_px, longest))
    marks = [0.0 if reference is None else ref] * len(values)
    item = str(table["item"].iloc[0]) if len(table) else ""
    series = Series(
        group="countries", name=item_label(data, item) if item in data.item_labels else "",
        values=values,
        colours=tuple(theme.accent if c == data.country_code else theme.neutral
                      for c in countries["group"]),
        labels=tuple(value_text(row, data, locale) for row in countries.to_dict("records")),
        legend=False, label_position="beside",
        label_at=tuple(max(e, m) + gap for e, m in zip(ends, marks, strict=True)),
        plus=None if intervals is None else tuple(intervals[0]),
        minus=None if intervals is None else tuple(intervals[1]))
    return Drawing(
        kind="ranking", categories=tuple(names), wrapped=tuple((n,) for n in names),
        series=(series,), horizontal=True, value_range=axis_range(data),
        major_unit=major_unit(data), **fonts, notes=notes(data, locale),
        width_px=data.width_px, height_px=data.height_px, reference=reference)


def figure(drawing: Drawing, theme: Theme) -> dict:
    """Sorted horizontal bars and a dashed reference line, with its value in the legend."""
    from generator.charts import figures as f

    (series,) = drawing.series
    names = f.category_texts(drawing)
    bar_args: dict = {}
    if series.plus is not None:
        bar_args["error_x"] = f.error_bar(series, theme, 4)
    spec = f.new_spec({"type": "bar", "y": names,
                       "x": [v if v is not None else 0 for v in series.values],
                       "orientation": "h", "marker": {"color": f.colours(series)},
                       "name": f.plain(series.name), "showlegend": False, **bar_args})
    f.update(spec["layout"], xaxis=f.value_axis(drawing),
             yaxis={"autorange": "reversed", "showgrid": False, "tickmode": "array",
                    "tickvals": names, "ticktext": names,
                    "tickfont": {"size": drawing.category_px}})
    spec["data"].append(f.labels_beside(names, series, drawing, theme))
    ref = drawing.reference
    if ref is not None:
        line = {"color": ref.colour, "width": REFERENCE_LINE_PX, "dash": "dash"}
        # a vertical line across the plot, as Plotly's add_vline draws it
        spec["layout"].setdefault("shapes", []).append({
            "type": "line", "line": line, "x0": ref.value, "x1": ref.value, "xref": "x",
            "y0": 0, "y1": 1, "yref": "y domain"})
        spec["data"].append({"type": "scatter", "x": [None], "y": [None], "mode": "lines",
                             "line": line, "name": f.plain(ref.name)})
    spec = f.base_layout(spec, drawing, theme)
    spec["layout"]["bargap"] = 0.2
    return spec


def native(slide, drawing: Drawing, data: ChartData, box, theme: Theme, lang: str):
    """Sorted horizontal bars; the comparison is a bar in the reference colour at its
    place in the order."""
    from pptx.enum.chart import XL_CHART_TYPE

    from generator.charts import native as n

    (series,) = drawing.series
    categories = list(drawing.categories)
    ref = drawing.reference
    if ref is not None:
        at = ref.at
        categories.insert(at, ref.category)
        series = replace(
            series, values=(*series.values[:at], ref.value, *series.values[at:]),
            colours=(*series.colours[:at], ref.colour, *series.colours[at:]),
            labels=(*series.labels[:at], ref.label, *series.labels[at:]),
            plus=None if series.plus is None else (*series.plus[:at], 0.0, *series.plus[at:]),
            minus=None if series.minus is None else (*series.minus[:at], 0.0,
                                                     *series.minus[at:]))
    # a native chart has no reference line to keep clear of: labels at the bar's end,
    # or inside its foot when an interval's line crosses the end
    series = replace(series, label_position="outside" if series.plus is None
                     else "inside_base")
    chart = n.category_chart(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, drawing, [series],
                             categories)
    n.style(chart, drawing, theme, n.language_of(data, categories), legend=False)
    n.value_axis(chart.value_axis, drawing, theme)
    n.category_axis(chart, drawing)
    n.top_down(chart)
    n.plot_inset(chart, drawing)
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.vary_by_categories = False
    n.dress_bars(plot.series[0], series, drawing, lang, theme)
    return chart, []


KIND = Kind("ranking", draw, figure, native, label_px)
