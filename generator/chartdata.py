"""What a chart shows, independent of what draws it.

`ChartData` is an indicator table with every label already in the deck's
language; the helpers here give the order, labels and note lines that the
Plotly charts (`charts.py`) and the native PowerPoint charts
(`native_charts.py`) share. Nothing here imports a drawing library, so a
build that finds all its charts in the cache never loads Plotly.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from generator.i18n import DeckLocale
from generator.phrase import Phrase


@dataclass(frozen=True)
class ChartData:
    """An indicator table with every label already in the deck's language."""

    kind: str
    table: pd.DataFrame
    item_labels: dict[str, str]
    value_kind: Literal["mean", "percent"]
    scale_points: tuple[int, ...]
    country_code: str
    country_label: str
    comparison_label: str
    source: str
    min_base: int
    width_px: int
    height_px: int
    orientation: Literal["auto", "vertical", "horizontal"] = "auto"
    sort: Literal["none", "country", "comparison"] = "none"
    point_labels: dict[object, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    language: str = ""  # BCP 47 tag of the deck: numbers, CLDR names
    phrases: dict[str, Phrase] = field(default_factory=dict)
    """Labels and notes in another language than the deck's (or in several), by their
    text: what native charts tag their runs with (Plotly pictures have no runs)."""

    def phrase(self, text: str) -> Phrase:
        """`text` as the chart shows it, each part tagged with its language."""
        return self.phrases.get(text) or Phrase.of(text, self.language)


def n_text(ns: pd.Series, locale: DeckLocale) -> str:
    low, high = int(ns.min()), int(ns.max())
    return locale.integer(low) if low == high else f"{locale.integer(low)}–{locale.integer(high)}"


def chart_notes(data: ChartData, locale: DeckLocale) -> list[str]:
    """The lines under a chart, whatever draws it: suppression, N where the legend
    does not carry it, and the source line."""
    table = data.table
    notes: list[str] = []
    if data.kind == "ranking":
        countries = table[~table["group"].isin(["comparison", "country"])]
        notes = _suppressed_note(countries, data, locale)
        notes.append("N = " + n_text(countries["n"], locale))
    elif data.kind == "likert":
        own = table[table["group"] == "country"]
        notes = _suppressed_note(own, data, locale)
        notes.append(f"{data.country_label}: N = {n_text(own['n'], locale)}")
    else:
        notes = _suppressed_note(table, data, locale)
    return [*notes, data.source]


def _suppressed_note(table: pd.DataFrame, data: ChartData, locale: DeckLocale) -> list[str]:
    if table["suppressed"].any():
        return ["– " + locale.message("chart.suppressed", min_base=data.min_base)]
    return []


def capitalise(label: str) -> str:
    return label[:1].upper() + label[1:]


def ordered_items(data: ChartData) -> list[str]:
    """A bar chart's items in display order: as the codebook has them, or by value."""
    items = list(dict.fromkeys(data.table["item"]))
    if data.sort != "none":
        pivot = data.table.pivot(index="item", columns="group", values="value")
        key = pivot[data.sort].fillna(-math.inf)
        items = sorted(items, key=lambda i: key[i], reverse=True)
    return items


def item_label(data: ChartData, item: str) -> str:
    """An item's label as charts show it: capitalised, since it stands alone."""
    return capitalise(data.item_labels[item])


def ranked_countries(data: ChartData) -> pd.DataFrame:
    """A ranking's country rows, highest first; suppressed ones last."""
    table = data.table
    countries = table[~table["group"].isin(["comparison", "country"])].copy()
    countries["sort_key"] = countries["value"].fillna(-math.inf)
    return countries.sort_values(["sort_key", "group"], ascending=[False, True])


def fitted_labels(labels: list[str], row_px: float, width_px: float,
                  largest_px: int) -> tuple[int, list[list[str]]]:
    """The largest font (px, at most `largest_px`, at least 12) at which every label,
    wrapped to `width_px`, fits in a row `row_px` high; and the wrapped lines."""
    for font in range(largest_px, 11, -1):
        chars = max(8, int(width_px / (0.55 * font)))
        wrapped = [textwrap.wrap(label, chars) or [""] for label in labels]
        if max(map(len, wrapped)) * font * 1.2 <= row_px * 0.95:
            return font, wrapped
    chars = max(8, int(width_px / (0.55 * 12)))
    return 12, [textwrap.wrap(label, chars) or [""] for label in labels]


def bars_horizontal(data: ChartData, tick_px: int) -> bool:
    """Whether a bar chart lies on its side: asked for, or more than six items, or a
    label that would not fit in three lines under its bars at 16 px or more."""
    if data.orientation != "auto":
        return data.orientation == "horizontal"
    items = ordered_items(data)
    labels = [item_label(data, i) for i in items]
    font, _ = fitted_labels(labels, 3 * tick_px * 1.25, data.width_px / len(items) * 0.9,
                            tick_px)
    return len(items) > 6 or font < 16
