"""Coefficient chart: one row per predictor of an association, its coefficient as a dot
and its confidence interval as a line, against a line at zero.

Rows are ordered from the largest coefficient down. A coefficient whose test is
significant is drawn in the accent colour, the others in grey; each value is written
above its dot (clear of the interval's line). The native chart is an XY scatter, as
the dot plot's (`native_rows`), with the vertical axis standing at zero.
"""

from __future__ import annotations

import math

from generator.charts.data import ChartData, error_bars, item_label
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
from generator.core.theme import Theme
from generator.i18n.locale import DeckLocale

LABEL_SHARE = 0.42  # of the width, for predictor labels
NOTE_LINES_PX = 40  # the model's note takes a line more than other kinds' notes
WIDEST_LABEL_SHARE = 0.6  # predictor labels may take this much before they wrap into rows
DOT_PX = 14
CAP_PX = 6  # half the length of an interval's end cap


def _nice_step(span: float) -> float:
    """A round tick step giving four to eight ticks over `span`."""
    raw = span / 5 if span > 0 else 0.1
    power = 10 ** math.floor(math.log10(raw))
    return next(power * f for f in (1, 2, 2.5, 5, 10) if power * f >= raw)


def value_range(data: ChartData) -> tuple[tuple[float, float], float]:
    """The axis: zero and every interval inside, on round steps; and the step."""
    table = data.table
    ends = [0.0, *table["ci_low"].dropna(), *table["ci_high"].dropna(), *table["value"].dropna()]
    low, high = min(ends), max(ends)
    step = _nice_step(high - low)
    return (math.floor(low / step) * step, math.ceil(high / step) * step), step


def ordered(data: ChartData) -> list[str]:
    """The predictors from the largest coefficient down."""
    table = data.table
    return [str(i) for i in table.sort_values("value", ascending=False, kind="stable")["item"]]


def item_labels(data: ChartData, theme: Theme) -> tuple[int, list[list[str]]]:
    """The predictors' labels' size (px) and lines, one row per predictor."""
    items = ordered(data)
    labels = [item_label(data, i) for i in items]
    plot_px = data.height_px - PLOT_MARGIN_PX - NOTE_LINES_PX
    return fitted_labels(labels, plot_px / max(1, len(items)), data.width_px * LABEL_SHARE,
                         largest_label_px(data, theme), theme.chart_min_px,
                         widest_px=data.width_px * WIDEST_LABEL_SHARE)


def draw(data: ChartData, locale: DeckLocale, theme: Theme) -> Drawing:
    table = data.table.set_index("item")
    items = ordered(data)
    labels = [item_label(data, i) for i in items]
    font, wrapped = item_labels(data, theme)
    fonts = base_fonts(theme, font)
    rows = table.loc[items]
    intervals = error_bars(rows.reset_index())
    series = Series(
        group="coefficient", name=data.series[0][1] if data.series else "",
        values=tuple(float(v) for v in rows["value"]),
        colours=tuple(theme.accent if s else theme.neutral for s in rows["significant"]),
        labels=tuple(locale.signed(v) for v in rows["value"]), style="dot",
        label_position="above",
        plus=None if intervals is None else tuple(intervals[0]),
        minus=None if intervals is None else tuple(intervals[1]))
    value_range_, step = value_range(data)
    return Drawing(
        kind="coefficients", categories=tuple(labels), wrapped=tuple(tuple(w) for w in wrapped),
        series=(series,), horizontal=True, value_range=value_range_, major_unit=step,
        **fonts, notes=notes(data, locale), width_px=data.width_px,
        height_px=data.height_px)


def figure(drawing: Drawing, theme: Theme) -> dict:
    """Dots with horizontal interval lines, a dark line at zero."""
    from generator.charts import figures as f

    categories = f.category_texts(drawing)
    (series,) = drawing.series
    trace = {"type": "scatter", "y": categories, "x": list(series.values),
             "mode": "markers+text", "name": f.plain(series.name),
             "text": list(series.labels), "textposition": "top center",
             "textfont": {"size": drawing.value_px, "color": theme.text},
             "marker": {"size": DOT_PX, "color": list(series.colours),
                        "line": {"width": 1, "color": theme.background}},
             "cliponaxis": False}
    if series.plus is not None:
        trace["error_x"] = f.error_bar(series, theme, CAP_PX)
    spec = f.new_spec(trace)
    axis = f.value_axis(drawing)
    axis |= {"zeroline": True, "tickformat": _tick_format(drawing.major_unit)}
    f.update(spec["layout"], xaxis=axis,
             yaxis={"autorange": "reversed", "showgrid": True, "tickmode": "array",
                    "tickvals": categories, "ticktext": categories,
                    "tickfont": {"size": drawing.category_px}})
    spec = f.base_layout(spec, drawing, theme)
    spec["layout"]["xaxis"].update(zerolinecolor=theme.text, zerolinewidth=2)
    spec["layout"]["showlegend"] = bool(series.name)
    return spec


def _tick_format(step: float) -> str:
    digits = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    if step * 10**digits % 1:
        digits += 1
    return f".{digits}f"


def native(slide, drawing: Drawing, data: ChartData, box, theme: Theme, lang: str):
    """An XY scatter (`native_rows`): the significant coefficients and the others as two
    series of dots in their colours, the intervals as lines; the vertical axis crosses
    at zero."""
    from generator.charts.native_rows import rows_chart

    (series,) = drawing.series
    digits = int(_tick_format(drawing.major_unit)[1:-1])
    chart = rows_chart(slide, box, drawing, data, theme, lang, dot_px=DOT_PX,
                       cap_px=CAP_PX, legend=bool(series.name), zero_line=True,
                       number_format="0." + "0" * digits if digits else "0")
    return chart, []


KIND = Kind("coefficients", draw, figure, native,
            lambda data, theme: item_labels(data, theme)[0])
