"""Plotly pictures of charts: `make_figure`, and what every kind's figure shares.

Each chart kind (`registry.KINDS`) computes its `Drawing` once and draws it
here as a figure spec: Plotly's own JSON form (``{"data": [traces], "layout":
{...}}``), written as plain dicts. Plotly's figure objects check every property
as it is set, which took some 60 ms a chart; a spec costs about 1 ms, and
`make_figure` wraps it without checking again (the tests check every kind's
spec with Plotly's validators). The helpers below turn a drawing's parts
(axis, note line, labels beside bars, intervals) into Plotly settings. No I/O
and no browser: `output/render/renderer.py` turns the figures into images.
"""

from __future__ import annotations

import html
import textwrap
from typing import TYPE_CHECKING, Any

from generator.charts.data import ChartData
from generator.charts.registry import KINDS
from generator.charts.spec import Drawing, Series
from generator.core.theme import DEFAULT_THEME, Theme
from generator.i18n.locale import DeckLocale

if TYPE_CHECKING:
    import plotly.graph_objects as go

Spec = dict[str, Any]  # {"data": [trace, ...], "layout": {...}}, as Plotly's JSON
LABEL_GAP_PX = 8  # between an item label and its row's bars or dots


def new_spec(*traces: dict) -> Spec:
    """An empty figure spec, with `traces`."""
    return {"data": list(traces), "layout": {}}


def update(target: dict, **settings: Any) -> dict:
    """`settings` merged into `target` as Plotly's ``update_layout`` does: a dict into
    a dict key by key, anything else (a list, a number) in place of the old value."""
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            update(target[key], **value)
        else:
            target[key] = value
    return target


def plain(text: str) -> str:
    """User text made safe for Plotly's pseudo-HTML: tags show as text, never act."""
    return html.escape(str(text), quote=False)


def category_texts(drawing: Drawing) -> list[str]:
    """The category labels as Plotly text, wrapped as the drawing says."""
    return ["<br>".join(plain(line) for line in lines) for lines in drawing.wrapped]


def colours(series: Series) -> str | list[str]:
    """A series' marker colour: one, or one per category where they differ."""
    return series.colours[0] if len(set(series.colours)) == 1 else list(series.colours)


def value_axis(drawing: Drawing) -> dict:
    low, high = drawing.value_range
    axis: dict = {"range": [low, high], "showgrid": True, "dtick": drawing.major_unit,
                  "tickfont": {"size": drawing.axis_px}}
    return axis


def error_bar(series: Series, theme: Theme, width: int) -> dict:
    return {"type": "data", "array": list(series.plus or ()),
            "arrayminus": list(series.minus or ()), "visible": True, "color": theme.text,
            "thickness": 1.5, "width": width}


def labels_beside(categories: list[str], series: Series, drawing: Drawing,
                  theme: Theme) -> dict:
    """Value labels starting where the drawing put them for the picture: right of the
    bar and its interval, and of a mark across it or before a mark beyond it."""
    return {"type": "scatter", "y": categories,
            "x": list(series.picture_label_at or series.label_at),
            "text": list(series.labels), "mode": "text", "textposition": "middle right",
            "textfont": {"size": drawing.value_px, "color": series.label_colour or theme.text},
            "showlegend": False,
            "cliponaxis": False, "hoverinfo": "skip", "name": ""}


def axes(spec: Spec, letter: str) -> list[dict]:
    """The layout's axes of one direction (``x``: xaxis, xaxis2, ...), made if none is."""
    layout = spec["layout"]
    more = sorted((k for k in layout if k[len(letter) + 4:].isdigit()
                   and k.startswith(f"{letter}axis")), key=lambda k: int(k[len(letter) + 4:]))
    return [layout.setdefault(name, {}) for name in [f"{letter}axis", *more]]


def base_layout(spec: Spec, drawing: Drawing, theme: Theme,
                bottom_label_lines: int = 1, separators: str = ".,") -> Spec:
    """Fonts, legend and the note line (N, suppression, source) at the bottom.

    The bottom margin is computed, not automatic, so the note always sits just
    below the axis labels: `bottom_label_lines` is how many lines those take.
    """
    chars = int((drawing.width_px - 40) / (0.5 * drawing.note_px))
    lines = textwrap.wrap("   ·   ".join(drawing.notes), chars) if drawing.notes else []
    note = "<br>".join(plain(line) for line in lines)
    labels_px = round(bottom_label_lines * drawing.category_px * 1.25) + 12 + (
        0 if drawing.horizontal else LABEL_GAP_PX)
    note_px = round(drawing.note_px * 1.3 * max(len(lines), 1) + 4)
    plot_px = max(100, drawing.height_px - 50 - labels_px - note_px)
    # the legend sits above the plot, clear of the top tick's label (half of it sticks out)
    legend_y = 1 + 0.6 * drawing.axis_px / plot_px if not drawing.horizontal else 1.0
    update(
        spec["layout"], width=drawing.width_px, height=drawing.height_px,
        font={"family": theme.chart_font, "size": drawing.axis_px, "color": theme.text},
        separators=separators,
        paper_bgcolor=theme.background, plot_bgcolor=theme.background,
        margin={"l": 10, "r": 30, "t": 50, "b": labels_px + note_px},
        legend={"orientation": "h", "yanchor": "bottom", "y": legend_y, "xanchor": "left", "x": 0,
                "font": {"size": drawing.legend_px}, "traceorder": "normal"},
        annotations=[{"text": note, "xref": "paper", "yref": "paper", "x": 1, "y": 0,
                      "yshift": -labels_px, "xanchor": "right", "yanchor": "top",
                      "showarrow": False,
                      "font": {"size": drawing.note_px, "color": theme.muted}}],
        bargap=0.25, bargroupgap=0.05, showlegend=True,
    )
    for axis in axes(spec, "x"):
        update(axis, automargin="left+right", gridcolor=theme.grid, zerolinecolor=theme.grid)
    for axis in axes(spec, "y"):
        update(axis, automargin=True, gridcolor=theme.grid, zerolinecolor=theme.grid)
    # item labels kept clear of the bars and dots they name
    update(spec["layout"]["yaxis" if drawing.horizontal else "xaxis"],
           ticklabelstandoff=LABEL_GAP_PX)
    return spec


def figure_spec(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> Spec:
    """The figure spec for `data.kind`, drawn from its kind's `Drawing`."""
    kind = KINDS[data.kind]
    spec = kind.figure(kind.draw(data, locale, theme), theme)
    spec["layout"]["separators"] = locale.plotly_separators
    return spec


def make_figure(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> go.Figure:
    """The Plotly figure for `data.kind`: its spec, not checked again (see above)."""
    import plotly.graph_objects as go

    return go.Figure(figure_spec(data, locale, theme), _validate=False)
