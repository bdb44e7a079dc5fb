"""The drawing of a chart, computed once: what both renderers draw.

A chart kind's `draw` turns `ChartData` + locale + theme into a `Drawing`:
categories in display order and as shown (capitalised, wrapped), every
series with its values, colours and value labels, the value axis, the font
sizes and the note lines. The Plotly renderer and the native PowerPoint
renderer read only this, so the two cannot disagree on what a chart shows;
they differ only in how (a reference line in a picture is a bar of its own in
a native chart, which has no lines). Nothing here imports a drawing library.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from generator.charts.data import ChartData, chart_notes, n_text
from generator.core.theme import Theme
from generator.i18n.locale import DeckLocale

PT_PER_PX = 0.75
"""Chart sizes are CSS pixels at the picture's size on a 96-dpi slide: 1 px = 0.75 pt."""

LabelPosition = Literal["outside", "inside_base", "beside", "sides", "inside", "above"]


@dataclass(frozen=True)
class Series:
    """One series as drawn: a value, colour and value label per category."""

    group: str  # what it draws: "country", "comparison", a `by:` code, a scale point
    name: str  # its legend text (with N where the legend carries it)
    values: tuple[float | None, ...]  # the bar's length or the dot's place; None: not shown
    colours: tuple[str, ...]
    labels: tuple[str, ...]  # value label per category; "" for none
    style: Literal["bar", "dot", "tick"] = "bar"  # tick: a mark across a bar (dense bars)
    legend: bool = True
    label_position: LabelPosition = "outside"
    label_colour: str | None = None  # None: the theme's text colour
    label_at: tuple[float | None, ...] = ()  # where each label starts, in axis units
    # ("beside"; a dot plot's "sides"); None: not drawn
    label_sides: tuple[Literal["left", "right"], ...] = ()  # "sides": per category
    picture_label_at: tuple[float | None, ...] = ()  # where the picture's labels start,
    # where it differs from `label_at` (a dense bar's label before a mark beyond the bar:
    # a native chart draws the comparison as a bar, and its label passes it)
    plus: tuple[float, ...] | None = None  # interval: distances above and below the value
    minus: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Reference:
    """A ranking's comparison value: a line in a picture, a bar in a native chart."""

    name: str  # legend text: the comparison's name and value
    category: str  # its category name when drawn as a bar
    value: float
    label: str
    colour: str
    at: int  # where a bar for it goes among the categories (first lower value)


@dataclass(frozen=True)
class Drawing:
    """Everything a chart shows, in the units both renderers can use."""

    kind: str
    categories: tuple[str, ...]  # in display order: top to bottom, or left to right
    wrapped: tuple[tuple[str, ...], ...]  # each category's lines as the picture wraps it
    series: tuple[Series, ...]
    horizontal: bool
    value_range: tuple[float, float]
    major_unit: float
    category_px: int  # item labels
    axis_px: int  # numbers on the value axis
    value_px: int  # value labels
    legend_px: int
    note_px: int
    notes: tuple[str, ...]  # the lines under the chart: N, suppression, marks, source
    width_px: int
    height_px: int
    ticks: tuple[tuple[float, str], ...] = ()  # value axis ticks written out (a diverging
    # axis: -100..100 written as 100 %..0 %..100 %); empty: numbers every `major_unit`
    reference: Reference | None = None
    legend: tuple[tuple[str, str], ...] = ()  # (name, colour) of a legend of its own
    apart: tuple[Series, ...] = ()  # drawn apart (non-answers beside a likert)

    def pt(self, px: int) -> float:
        """A size in points for a native chart, which is laid out at the picture's size."""
        return round(px * PT_PER_PX * 2) / 2


def axis_range(data: ChartData) -> tuple[float, float]:
    """0–100 for percentages, the scale's ends for means."""
    if data.value_kind == "percent":
        return (0.0, 100.0)
    return (float(min(data.scale_points)), float(max(data.scale_points)))


def major_unit(data: ChartData) -> float:
    return 20.0 if data.value_kind == "percent" else 1.0


def legend_name(name: str, ns: pd.Series, locale: DeckLocale) -> str:
    """A series' legend text: its name and N (a range when N differs over items)."""
    return f"{name} (N = {n_text(ns, locale)})"


def shown(value: float) -> float | None:
    """A value as drawn: None for a suppressed (NaN) one."""
    return None if value is None or math.isnan(value) else float(value)


def fitted_labels(labels: list[str], row_px: float, width_px: float, largest_px: int,
                  smallest_px: int, widest_px: float | None = None
                  ) -> tuple[int, list[list[str]]]:
    """The largest font (px, from `largest_px` down to `smallest_px`) at which every
    label, wrapped to `width_px`, fits in a row `row_px` high; and the wrapped lines.
    At the smallest size the labels may take up to `widest_px` to keep to their rows;
    beyond that they are wrapped even if they overflow them: text smaller than the
    theme's minimum is not readable on a projected slide."""
    def wrap(font: int, width: float) -> list[list[str]]:
        chars = max(8, int(width / (0.55 * font)))
        return [textwrap.wrap(label, chars) or [""] for label in labels]

    def fits(wrapped: list[list[str]], font: int) -> bool:
        return max(map(len, wrapped)) * font * 1.2 <= row_px * 0.95

    for font in range(largest_px, smallest_px - 1, -1):
        wrapped = wrap(font, width_px)
        if fits(wrapped, font):
            return font, wrapped
    widths = [width_px] if widest_px is None else [
        width_px + (widest_px - width_px) * step / 4 for step in range(5)]
    for width in widths:
        wrapped = wrap(smallest_px, width)
        if fits(wrapped, smallest_px):
            return smallest_px, wrapped
    return smallest_px, wrapped


PLOT_MARGIN_PX = 110  # legend above and note below the plot area, together


def plot_width_px(width_px: int, label_width_px: float) -> float:
    """The value axis's length in a horizontal chart: the width less the item labels
    and the margins (a cautious estimate: Plotly's automargin may take a little more)."""
    return max(100.0, width_px - label_width_px - 60)


def gap_in_units(gap_px: float, data: ChartData, plot_px: float) -> float:
    """`gap_px` on the value axis, in the axis's units."""
    low, high = axis_range(data)
    return gap_px * (high - low) / plot_px


def notes(data: ChartData, locale: DeckLocale) -> tuple[str, ...]:
    return tuple(n for n in chart_notes(data, locale) if n)


def largest_label_px(data: ChartData, theme: Theme) -> int:
    """The size item labels start from: the theme's, or the deck's for the kind."""
    return min(theme.chart_tick_px, data.label_px or theme.chart_tick_px)


def base_fonts(theme: Theme, category_px: int) -> dict[str, int]:
    """Font sizes of a chart whose item labels were fitted at `category_px`: value labels
    and axis numbers no larger than the item labels (so the labels do not look lost
    beside them), nothing below the theme's minimum."""
    least = theme.chart_min_px
    category_px = max(least, category_px)
    return {"category_px": category_px,
            "axis_px": max(least, min(theme.chart_tick_px, category_px)),
            "value_px": max(least, min(theme.chart_value_px, category_px)),
            "legend_px": max(least, theme.chart_legend_px),
            "note_px": max(least, theme.chart_note_px)}


@dataclass(frozen=True)
class Kind:
    """A chart kind: its name in deck files, and the three functions that make it."""

    name: str
    draw: Callable[[ChartData, DeckLocale, Theme], Drawing]
    """ChartData + locale + theme -> the `Drawing` both renderers draw."""
    figure: Callable[[Drawing, Theme], Any]
    """Drawing -> a Plotly figure (Plotly is imported inside, when a picture is made)."""
    native: Callable[..., tuple[Any, list]]
    """(slide, drawing, data, box, theme, lang) -> (the native chart, extra note lines)."""
    label_px: Callable[[ChartData, Theme], int]
    """ChartData + theme -> the item labels' size (px) `draw` gives, found cheaply."""

    def __post_init__(self) -> None:
        missing = [part for part in ("draw", "figure", "native", "label_px")
                   if not callable(getattr(self, part))]
        if missing:
            raise TypeError(f"chart kind {self.name!r} has no {', '.join(missing)}")
