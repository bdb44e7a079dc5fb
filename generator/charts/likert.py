"""Likert: diverging 100 % stacked bars of the answer distribution, one bar per item.

Points below the scale's midpoint extend left, those above extend right, and
the midpoint is split across zero (its whole share written on the right
half). Non-answer codes, when the table has them, are drawn apart: a narrow
panel in a picture, a note line under a native chart.
"""

from __future__ import annotations

from generator.charts.data import ChartData, item_label
from generator.charts.spec import (
    PLOT_MARGIN_PX,
    Drawing,
    Kind,
    Series,
    base_fonts,
    fitted_labels,
    largest_label_px,
    notes,
)
from generator.core.theme import Theme, diverging_colours
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span

LABEL_SHARE = 0.3  # of the width, for item labels
SHOWN_FROM = 12  # a segment's share is written in it from this many per cent


def item_labels(data: ChartData, theme: Theme) -> tuple[int, list[list[str]]]:
    """The item labels' size (px) and lines, one row per item."""
    table = data.table
    items = list(dict.fromkeys(table.loc[table["group"] == "country", "item"]))
    labels = [item_label(data, i) for i in items]
    row_px = (data.height_px - PLOT_MARGIN_PX - 30) / max(len(items), 1)
    return fitted_labels(labels, row_px, data.width_px * LABEL_SHARE,
                         largest_label_px(data, theme), theme.chart_min_px)


def draw(data: ChartData, locale: DeckLocale, theme: Theme) -> Drawing:
    table = data.table[data.table["group"] == "country"]
    items = list(dict.fromkeys(table["item"]))
    labels = [item_label(data, i) for i in items]
    points = list(data.scale_points)
    apart_codes = [p for p in dict.fromkeys(table["point"]) if p not in points]
    shares = table.pivot(index="item", columns="point", values="value").loc[items].fillna(0)
    colours = diverging_colours(len(points), theme)
    middle = (len(points) - 1) / 2
    font, wrapped = item_labels(data, theme)
    fonts = base_fonts(theme, font)
    fonts["value_px"] = max(theme.chart_min_px, min(fonts["value_px"], theme.chart_note_px + 2))
    fonts["legend_px"] = max(theme.chart_min_px, theme.chart_note_px + 2)
    longest = max(len(line) for lines in wrapped for line in lines)
    plot_px = (data.width_px * (0.86 if apart_codes else 1.0)
               - longest * 0.55 * fonts["category_px"] - 40)
    px_per_point = plot_px / 200  # the axis runs from -100 to 100 %

    def fits(text: str, width: float) -> bool:
        """Whether a segment `width` % wide holds its label at full size (Plotly would
        shrink it below the theme's minimum otherwise)."""
        return width * px_per_point >= len(text) * 0.62 * fonts["value_px"] + 6

    def one(i: int, sign: int, half: bool, labelled: bool) -> Series:
        point = points[i]
        share = shares[point] if point in shares else shares.iloc[:, 0] * 0
        drawn = share / 2 if half else share
        return Series(
            group=str(point), name=data.point_labels.get(point, str(point)),
            values=tuple(float(sign * v) for v in drawn), colours=(colours[i],) * len(items),
            labels=tuple(locale.percent(v) if labelled and v >= SHOWN_FROM
                         and fits(locale.percent(v), v / 2 if half else v) else ""
                         for v in share),
            legend=sign > 0 or i < middle, label_position="inside")

    # stacked outwards from zero on each side: the low side innermost first, then the
    # midpoint's right half and the high side, innermost first
    series = [one(i, -1, i == middle, i != middle)
              for i in sorted((i for i in range(len(points)) if i <= middle), key=lambda i: -i)]
    series += [one(i, 1, i == middle, True) for i in range(len(points)) if i >= middle]
    apart = tuple(Series(
        group=str(code), name=data.point_labels.get(code, str(code)),
        values=tuple(float(v) for v in shares[code]), colours=(theme.non_answer,) * len(items),
        labels=tuple(locale.percent(v) for v in shares[code])) for code in apart_codes)
    return Drawing(
        kind="likert", categories=tuple(labels), wrapped=tuple(tuple(w) for w in wrapped),
        series=tuple(series), horizontal=True, value_range=(-100.0, 100.0), major_unit=50.0,
        **fonts, notes=notes(data, locale), width_px=data.width_px,
        height_px=data.height_px,
        ticks=tuple((t, locale.percent(abs(t))) for t in (-100, -50, 0, 50, 100)),
        legend=tuple((data.point_labels.get(p, str(p)), colours[i])
                     for i, p in enumerate(points)),
        apart=apart)


def figure(drawing: Drawing, theme: Theme) -> dict:
    from generator.charts import figures as f

    categories = f.category_texts(drawing)
    rank = {name: k for k, (name, _) in enumerate(drawing.legend)}
    spec = f.new_spec()
    for series in drawing.series:
        name = f.plain(series.name)
        spec["data"].append({
            "type": "bar", "y": categories, "x": list(series.values), "orientation": "h",
            "name": name, "legendgroup": name, "showlegend": series.legend,
            "marker": {"color": series.colours[0]}, "legendrank": rank.get(series.name, 0),
            "text": list(series.labels), "textposition": "inside",
            "insidetextanchor": "middle", "textangle": 0, "constraintext": "none",
            "textfont": {"size": drawing.value_px}})
    low, high = drawing.value_range
    f.update(
        spec["layout"], barmode="relative",
        xaxis={"range": [low, high], "tickvals": [t for t, _ in drawing.ticks],
               "ticktext": [f.plain(text) for _, text in drawing.ticks],
               "tickfont": {"size": drawing.axis_px},
               "domain": [0, 0.86 if drawing.apart else 1.0]},
        yaxis={"autorange": "reversed", "showgrid": False,
               "tickfont": {"size": drawing.category_px}})
    for series in drawing.apart:
        spec["data"].append({
            "type": "bar", "y": categories, "x": list(series.values), "orientation": "h",
            "name": f.plain(series.name), "xaxis": "x2",
            "marker": {"color": series.colours[0]}, "legendrank": 100,
            "text": list(series.labels), "textposition": "outside", "cliponaxis": False,
            "textfont": {"size": drawing.value_px}})
    if drawing.apart:
        f.update(spec["layout"], xaxis2={"domain": [0.89, 1.0], "range": [0, 40],
                                         "showgrid": False, "showticklabels": False,
                                         "anchor": "y"})
    lines = 1
    return f.base_layout(spec, drawing, theme, lines)


def native(slide, drawing: Drawing, data: ChartData, box, theme: Theme, lang: str):
    """Stacked bars with the legend drawn as text above (a split midpoint would be
    listed twice in the chart's own legend); non-answers as a note line."""
    from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION

    from generator.charts import native as n
    from generator.core.geometry import Box

    chart_box = Box(box.left, box.top + n.LEGEND_HEIGHT, box.width,
                    box.height - n.LEGEND_HEIGHT)
    chart = n.category_chart(slide, chart_box, XL_CHART_TYPE.BAR_STACKED, drawing,
                             drawing.series)
    n.style(chart, drawing, theme, n.language_of(data, drawing.categories), legend=False)
    n.value_axis(chart.value_axis, drawing, theme)
    n.category_axis(chart, drawing)
    n.top_down(chart)
    n.plot_inset(chart, drawing)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # left, not at 0
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, 100
    for one, series in zip(plot.series, drawing.series, strict=True):
        n.fill_series(one, series, theme)
        n.label_points(one, series, drawing, lang, theme)
    n.legend_text(slide, box, drawing,
                  [(data.phrase(label), colour) for label, colour in drawing.legend])
    extra = []
    for series in drawing.apart:
        per_item = Phrase.join(
            [data.phrase(category) + Phrase.of(f" {label}", data.language)
             for category, label in zip(drawing.categories, series.labels, strict=True)],
            Span(", ", data.language))
        extra.append(Phrase.join([data.phrase(series.name), Phrase.of(": ", data.language),
                                  per_item]))
    return chart, extra


KIND = Kind("likert", draw, figure, native, lambda data, theme: item_labels(data, theme)[0])
