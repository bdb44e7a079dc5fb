"""Pure chart builders: labelled indicator table + theme + locale -> Plotly figure.

`CHARTS` maps each chart kind of the deck schema to its builder. Builders do
no I/O and start no browser; `render.py` turns the figures into images.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable

import plotly.graph_objects as go

from generator.charts.data import (
    ChartData,
    bar_series,
    bars_horizontal,
    chart_notes,
    error_bars,
    fitted_labels,
    item_label,
    n_text,
    ordered_items,
    ranked_countries,
    value_text,
)
from generator.i18n.locale import DeckLocale
from generator.layout.theme import DEFAULT_THEME, Theme, diverging_colours, text_on


def plain(text: str) -> str:
    """User text made safe for Plotly's pseudo-HTML: tags show as text, never act."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int) -> str:
    """Plain text wrapped onto lines of at most `width` characters with ``<br>``."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), width) or [""])


def _axis_range(data: ChartData) -> list[float]:
    if data.value_kind == "percent":
        return [0, 100]
    return [min(data.scale_points), max(data.scale_points)]


def _base_layout(fig: go.Figure, data: ChartData, locale: DeckLocale, theme: Theme,
                 bottom_label_lines: int = 1) -> go.Figure:
    """Fonts, separators, legend and the note line (N, suppression, source) at the bottom.

    The bottom margin is computed, not automatic, so the note always sits just
    below the axis labels: `bottom_label_lines` is how many lines those take.
    """
    parts = [n for n in chart_notes(data, locale) if n]
    chars = int((data.width_px - 40) / (0.5 * theme.chart_note_px))
    lines = textwrap.wrap("   ·   ".join(parts), chars) if parts else []
    note = "<br>".join(plain(line) for line in lines)
    labels_px = round(bottom_label_lines * theme.chart_tick_px * 1.25) + 12
    note_px = round(theme.chart_note_px * 1.3 * max(len(lines), 1) + 4)
    fig.update_layout(
        width=data.width_px, height=data.height_px,
        font={"family": theme.chart_font, "size": theme.chart_tick_px, "color": theme.text},
        separators=locale.plotly_separators,
        paper_bgcolor=theme.background, plot_bgcolor=theme.background,
        margin={"l": 10, "r": 30, "t": 50, "b": labels_px + note_px},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0,
                "font": {"size": theme.chart_legend_px}, "traceorder": "normal"},
        annotations=[{"text": note, "xref": "paper", "yref": "paper", "x": 1, "y": 0,
                      "yshift": -labels_px, "xanchor": "right", "yanchor": "top",
                      "showarrow": False,
                      "font": {"size": theme.chart_note_px, "color": theme.muted}}],
        bargap=0.25, bargroupgap=0.05, showlegend=True,
    )
    fig.update_xaxes(automargin="left+right", gridcolor=theme.grid, zerolinecolor=theme.grid)
    fig.update_yaxes(automargin=True, gridcolor=theme.grid, zerolinecolor=theme.grid)
    return fig


PLOT_MARGIN_PX = 110  # legend above and note below the plot area, together


def _label_layout(labels: list[str], row_px: float, label_width_px: float,
                  theme: Theme) -> tuple[int, list[str]]:
    """Labels wrapped to fit their rows (see `fitted_labels`), as Plotly text."""
    font, wrapped = fitted_labels(labels, row_px, label_width_px, theme.chart_tick_px)
    return font, ["<br>".join(plain(line) for line in lines) for lines in wrapped]


def _labels_beside(categories: list[str], values: list[float], others: list[float],
                   texts: list[str], size: int, theme: Theme) -> go.Scatter:
    """Value labels placed right of whichever ends later: the bar or a line across it."""
    return go.Scatter(
        y=categories, x=[max(v, o) for v, o in zip(values, others, strict=True)],
        text=["\u2002" + t for t in texts], mode="text", textposition="middle right",
        textfont={"size": size, "color": theme.text}, showlegend=False, cliponaxis=False,
        hoverinfo="skip")


def bar(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> go.Figure:
    """Grouped bars: the country against the comparison group, one pair per item.

    Vertical for a few short labels, horizontal otherwise. With more than
    eight items the comparison is drawn as a marker on the country's bar, so
    that bars stay thick enough to read.
    """
    table = data.table
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    plot_px = data.height_px - PLOT_MARGIN_PX
    horizontal = bars_horizontal(data, theme.chart_tick_px)
    dense = horizontal and len(items) > 8
    if horizontal:
        font, categories = _label_layout(labels, plot_px / len(items), data.width_px * 0.36,
                                         theme)
    else:
        font, categories = _label_layout(labels, 3 * theme.chart_tick_px * 1.25,
                                         data.width_px / len(items) * 0.9, theme)
    value_font = min(theme.chart_value_px, font)
    fig = go.Figure()
    series = bar_series(data)
    colours = [theme.accent, theme.neutral] if not data.series else list(
        theme.series[:len(series)])
    for (group, name), colour in zip(series, colours, strict=True):
        rows = table[table["group"] == group].set_index("item").loc[items]
        values = rows["value"].tolist()
        legend = f"{plain(name)} (N = {n_text(rows['n'], locale)})"
        shown = [0 if math.isnan(v) else v for v in values]
        if dense and group == "comparison":
            fig.add_trace(go.Scatter(
                y=categories, x=[None if math.isnan(v) else v for v in values], mode="markers",
                name=legend, marker={"symbol": "line-ns", "size": plot_px / len(items) * 0.8,
                                     "line": {"width": 5, "color": theme.text}}))
            continue
        bar_args = {"y": categories, "x": shown, "orientation": "h"} if horizontal else {
            "x": categories, "y": shown}
        texts = [value_text(row, data, locale) for _, row in rows.iterrows()]
        intervals = error_bars(rows)
        text_args: dict = {"textposition": "outside", "textfont": {"size": value_font}}
        if intervals is not None:
            plus, minus = intervals
            bar_args["error_x" if horizontal else "error_y"] = {
                "type": "data", "array": plus, "arrayminus": minus, "visible": True,
                "color": theme.text, "thickness": 1.5, "width": 6}
            if not dense:  # the interval's line would cross a label at the bar's end
                # a mean's bar starts below the axis (at 0): its label goes mid-bar
                anchor = "start" if data.value_kind == "percent" else "middle"
                text_args = {"textposition": "inside", "insidetextanchor": anchor,
                             "textangle": 0, "textfont": {
                                 "size": _inside_font(texts, data, len(items), len(series),
                                                      horizontal, value_font),
                                 "color": text_on(colour, theme)}}
        fig.add_trace(go.Bar(name=legend, marker_color=colour,
                             text=None if dense else texts,
                             cliponaxis=False, constraintext="none", **text_args, **bar_args))
        if dense:  # labels right of both the bar and the comparison marker, never under it
            marks = table[table["group"] == "comparison"].set_index("item").loc[items, "value"]
            ends = shown if intervals is None else [
                v + p for v, p in zip(shown, intervals[0], strict=True)]
            fig.add_trace(_labels_beside(categories, ends, marks.fillna(0).tolist(), texts,
                                         value_font, theme))
    value_axis: dict = {"range": _axis_range(data), "showgrid": True}
    if data.value_kind == "mean":
        value_axis["dtick"] = 1
    category_axis = {"showgrid": False, "tickfont": {"size": font}, "tickmode": "array",
                     "tickvals": categories, "ticktext": categories}
    if horizontal:
        fig.update_layout(xaxis=value_axis, yaxis={**category_axis, "autorange": "reversed"})
    else:
        fig.update_layout(xaxis=category_axis, yaxis=value_axis)
    lines = 1 if horizontal else max(c.count("<br>") + 1 for c in categories)
    fig = _base_layout(fig, data, locale, theme, lines)
    if dense:
        fig.update_layout(bargap=0.3)
    return fig


def _inside_font(texts: list[str], data: ChartData, items: int, series: int,
                 horizontal: bool, largest: int) -> int:
    """The largest font (px, 11 at least) at which labels fit across a vertical bar."""
    if horizontal:
        return largest
    bar_px = data.width_px * 0.8 / items / series * 0.8  # the plot, less gaps between bars
    chars = max(len(t) for t in texts) if texts else 1
    return max(11, min(largest, int(bar_px / (0.6 * chars))))


def ranking(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> go.Figure:
    """Every country as a bar for one item, sorted, the deck's country highlighted.

    The table holds one row per country plus the ``comparison`` row, which is
    drawn as a reference line.
    """
    table = data.table
    countries = ranked_countries(data)
    names = [plain(data.country_names.get(c, c)) for c in countries["group"]]
    row_px = (data.height_px - PLOT_MARGIN_PX) / max(len(names), 1)
    font = max(12, min(theme.chart_tick_px, int(row_px * 0.75)))
    colours = [theme.accent if c == data.country_code else theme.neutral
               for c in countries["group"]]
    values = countries["value"].tolist()
    shown = [0 if math.isnan(v) else v for v in values]
    intervals = error_bars(countries)
    bar_args: dict = {}
    ends = shown
    if intervals is not None:
        bar_args["error_x"] = {"type": "data", "array": intervals[0],
                               "arrayminus": intervals[1], "visible": True,
                               "color": theme.text, "thickness": 1.5, "width": 4}
        ends = [v + p for v, p in zip(shown, intervals[0], strict=True)]
    fig = go.Figure(go.Bar(y=names, x=shown, orientation="h", marker_color=colours,
                           showlegend=False, **bar_args))
    value_axis: dict = {"range": _axis_range(data), "showgrid": True}
    if data.value_kind == "mean":
        value_axis["dtick"] = 1
    fig.update_layout(xaxis=value_axis,
                      yaxis={"autorange": "reversed", "showgrid": False, "tickmode": "array",
                             "tickvals": names, "ticktext": names, "tickfont": {"size": font}})
    comparison = table[table["group"] == "comparison"]
    ref = math.nan if comparison.empty else float(comparison["value"].iloc[0])
    fig.add_trace(_labels_beside(names, ends, [0 if math.isnan(ref) else ref] * len(names),
                                 [value_text(row, data, locale) for _, row in
                                  countries.iterrows()], font, theme))
    if not math.isnan(ref):
        fig.add_vline(x=ref, line={"color": theme.reference, "width": 3, "dash": "dash"})
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="lines", line={"color": theme.reference, "dash": "dash",
                                                    "width": 3},
            name=f"{plain(data.comparison_label)}: {locale.value(ref, data.value_kind)}"))
    fig = _base_layout(fig, data, locale, theme)
    fig.update_layout(bargap=0.2)
    return fig


def likert(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> go.Figure:
    """Diverging 100 % stacked bars of the answer distribution, one bar per item.

    Points below the scale's midpoint extend left, those above extend right,
    and the midpoint is split across zero. Non-answer codes, when present in
    the table, are drawn apart in a narrow panel on the right.
    """
    table = data.table[data.table["group"] == "country"]
    items = list(dict.fromkeys(table["item"]))
    labels = [wrap(data.item_labels[i], 34) for i in items]
    points = list(data.scale_points)
    non_answer_codes = [p for p in dict.fromkeys(table["point"]) if p not in points]
    shares = table.pivot(index="item", columns="point", values="value").loc[items]
    colours = diverging_colours(len(points), theme)
    middle = (len(points) - 1) / 2
    fig = go.Figure()
    # negative side first, innermost first, so stacking grows outwards from zero
    order = sorted(range(len(points)), key=lambda i: abs(i - middle))
    for i in order:
        point = points[i]
        values = shares[point].fillna(0)
        name = plain(data.point_labels.get(point, str(point)))
        if i == middle:  # split across zero; its whole share is written on the right half
            halves = [(-values / 2, True, False), (values / 2, False, True)]
        else:
            halves = [((-values if i < middle else values), True, True)]
        for half, legend, labelled in halves:
            shown = values if labelled else values * 0
            fig.add_trace(go.Bar(
                y=labels, x=half.tolist(), orientation="h", name=name, legendgroup=name,
                showlegend=legend, marker_color=colours[i], legendrank=i,
                text=[locale.percent(v) if v >= 12 else "" for v in shown],
                textposition="inside", insidetextanchor="middle", textangle=0,
                textfont={"size": theme.chart_note_px + 2}))
    fig.update_layout(
        barmode="relative",
        xaxis={"range": [-100, 100], "tickvals": [-100, -50, 0, 50, 100],
               "ticktext": [locale.percent(v) for v in (100, 50, 0, 50, 100)],
               "domain": [0, 0.86 if non_answer_codes else 1.0]},
        yaxis={"autorange": "reversed", "showgrid": False})
    for code in non_answer_codes:
        name = plain(data.point_labels.get(code, str(code)))
        values = shares[code].fillna(0)
        fig.add_trace(go.Bar(
            y=labels, x=values.tolist(), orientation="h", name=name, xaxis="x2",
            marker_color=theme.non_answer, legendrank=100,
            text=[locale.percent(v) for v in values], textposition="outside",
            cliponaxis=False, textfont={"size": theme.chart_note_px + 2}))
    if non_answer_codes:
        fig.update_layout(xaxis2={"domain": [0.89, 1.0], "range": [0, 40], "showgrid": False,
                                  "showticklabels": False, "anchor": "y"})
    fig = _base_layout(fig, data, locale, theme)
    fig.update_layout(legend={"font": {"size": theme.chart_note_px + 2}})
    return fig


CHARTS: dict[str, Callable[[ChartData, DeckLocale, Theme], go.Figure]] = {
    "bar": bar,
    "ranking": ranking,
    "likert": likert,
}


def make_figure(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> go.Figure:
    """The figure for `data.kind`, from the chart registry."""
    return CHARTS[data.kind](data, locale, theme)
