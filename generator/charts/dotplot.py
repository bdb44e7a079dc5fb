"""Dot plot: the country against the comparison, two dots on one row per item.

The form survey analysts use for many items: each row reads at a glance which
is higher and by how much, with no bars to crowd the page. Each value label
sits on the outer side of its own dot (the higher value's to the right, the
lower's to the left), beyond its interval's end, so it never covers the other
dot nor an interval's line. The native chart is an XY scatter with the rows
at n..1 (`native_rows`).
"""

from __future__ import annotations

from generator.charts.data import (
    ChartData,
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
from generator.core.theme import Theme
from generator.i18n.locale import DeckLocale

LABEL_SHARE = 0.36  # of the width, for item labels
DOT_PX = 16
LABEL_GAP_PX = 5  # between a value label and its dot or interval's end
CAP_PX = 4  # half the length of an interval's end cap


def item_labels(data: ChartData, theme: Theme) -> tuple[int, list[list[str]]]:
    """The item labels' size (px) and lines, one row per item."""
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    return fitted_labels(labels, (data.height_px - PLOT_MARGIN_PX) / len(items),
                         data.width_px * LABEL_SHARE, largest_label_px(data, theme),
                         theme.chart_min_px)


def draw(data: ChartData, locale: DeckLocale, theme: Theme) -> Drawing:
    table = data.table
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    font, wrapped = item_labels(data, theme)
    fonts = base_fonts(theme, font)
    rows = {group: table[table["group"] == group].set_index("item").loc[items]
            for group in ("country", "comparison")}
    values = {g: tuple(shown(v) for v in r["value"]) for g, r in rows.items()}
    country_right = [c is None or o is None or c >= o
                     for c, o in zip(values["country"], values["comparison"], strict=True)]
    series = []
    plot_px = plot_width_px(data.width_px, data.width_px * LABEL_SHARE)
    radius = gap_in_units(DOT_PX / 2, data, plot_px)
    gap = gap_in_units(LABEL_GAP_PX, data, plot_px)
    for group, name, colour in (("country", data.country_label, theme.accent),
                                ("comparison", data.comparison_label, theme.neutral)):
        frame = rows[group]
        intervals = error_bars(frame)
        right = country_right if group == "country" else [not r for r in country_right]
        plus, minus = intervals or ([0.0] * len(items), [0.0] * len(items))
        at = tuple(None if v is None else v + max(p, radius) + gap if r
                   else v - max(m, radius) - gap
                   for v, p, m, r in zip(values[group], plus, minus, right, strict=True))
        series.append(Series(
            group=group, name=legend_name(name, frame["n"], locale), values=values[group],
            colours=(colour,) * len(items),
            labels=tuple(value_text(row, data, locale) for row in frame.to_dict("records")),
            style="dot", label_position="sides",
            label_sides=tuple("right" if r else "left" for r in right), label_at=at,
            plus=None if intervals is None else tuple(intervals[0]),
            minus=None if intervals is None else tuple(intervals[1])))
    return Drawing(
        kind="dotplot", categories=tuple(labels), wrapped=tuple(tuple(w) for w in wrapped),
        series=tuple(series), horizontal=True, value_range=axis_range(data),
        major_unit=major_unit(data), **fonts, notes=notes(data, locale),
        width_px=data.width_px, height_px=data.height_px)


def figure(drawing: Drawing, theme: Theme) -> dict:
    """Two dots per row, labels outward; a faint line per row to guide the eye."""
    from generator.charts import figures as f

    categories = f.category_texts(drawing)
    spec = f.new_spec()
    for series in drawing.series:
        args: dict = {}
        if series.plus is not None:
            args["error_x"] = f.error_bar(series, theme, CAP_PX)
        spec["data"].append({
            "type": "scatter", "y": categories, "x": list(series.values),
            "mode": "markers", "name": f.plain(series.name),
            "marker": {"size": DOT_PX, "color": series.colours[0],
                       "line": {"width": 1, "color": theme.background}},
            "cliponaxis": False, **args})
        # each label starts beyond its dot and interval, on the side away from the other dot
        spec["data"].append({
            **f.labels_beside(categories, series, drawing, theme),
            "textposition": [f"middle {side}" for side in series.label_sides]})
    f.update(
        spec["layout"], xaxis=f.value_axis(drawing),
        yaxis={"autorange": "reversed", "showgrid": True, "tickmode": "array",
               "tickvals": categories, "ticktext": categories,
               "tickfont": {"size": drawing.category_px}})
    spec = f.base_layout(spec, drawing, theme)
    for axis in f.axes(spec, "y"):
        axis["gridcolor"] = theme.grid
    return spec


def native(slide, drawing: Drawing, data: ChartData, box, theme: Theme, lang: str):
    """An XY scatter (`native_rows`): the country's and the comparison's dots on one row
    per item, their intervals as lines, both in the legend."""
    from generator.charts.native_rows import rows_chart

    return rows_chart(slide, box, drawing, data, theme, lang, dot_px=DOT_PX,
                      cap_px=CAP_PX, legend=True, label_gap_px=LABEL_GAP_PX), []


KIND = Kind("dotplot", draw, figure, native, lambda data, theme: item_labels(data, theme)[0])
