"""What a chart shows, independent of what draws it.

`ChartData` is an indicator table with every label already in the deck's
language; the helpers here give the order, labels and note lines that every
chart kind's `Drawing` (`spec.py`), the alt text and the figures export share.
Nothing here imports a drawing library, so a build that finds all its charts
in the cache never loads Plotly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span


@dataclass(frozen=True)
class ChartData:
    """An indicator table with every label already in the deck's language."""

    kind: str
    table: pd.DataFrame
    item_labels: dict[str, str]
    value_kind: Literal["mean", "percent", "coefficient"]
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
    # a bar chart's series as (table group, legend name); empty: country, then comparison
    series: tuple[tuple[str, str], ...] = ()
    significance: float | None = None  # the level values were tested at; None: no tests
    correction: str | None = None  # holm | bh, when p-values were adjusted
    ci: float | None = None  # the confidence level of `ci_low`/`ci_high`; None: none drawn
    warn_base: int | None = None
    by: str | None = None  # a `by:` chart: the background variable's key ...
    by_label: str | None = None  # ... and its name in the deck's language
    language: str = ""  # BCP 47 tag of the deck: numbers, CLDR names
    label_px: int | None = None  # the largest item-label size the deck's charts of this
    # kind all fit (`registry.one_label_size`); None: the theme's
    model_notes: tuple[str, ...] = ()  # a coefficient chart's lines: colours, interval, left out
    phrases: dict[str, Phrase] = field(default_factory=dict)
    """Labels and notes in another language than the deck's (or in several), by their
    text: what native charts tag their runs with (Plotly pictures have no runs)."""

    def phrase(self, text: str) -> Phrase:
        """`text` as the chart shows it, each part tagged with its language."""
        return self.phrases.get(text) or Phrase.of(text, self.language)


HIGHER, LOWER, SMALL_BASE = "\u25b2", "\u25bc", "*"


def bar_series(data: ChartData) -> list[tuple[str, str]]:
    """The (group, legend name) pairs a bar chart draws, in order."""
    return list(data.series) or [("country", data.country_label),
                                 ("comparison", data.comparison_label)]


def _column(row: Mapping[str, Any], name: str, default: object) -> object:
    value = row.get(name, default)
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else value


def marks(row: Mapping[str, Any]) -> str:
    """The marks after a value: ▲/▼ if significantly higher/lower, * for a small base."""
    direction = int(_column(row, "direction", 0))
    text = HIGHER if direction > 0 else LOWER if direction < 0 else ""
    return text + (SMALL_BASE if bool(_column(row, "small_base", False)) else "")


def value_text(row: Mapping[str, Any], data: ChartData, locale: DeckLocale) -> str:
    """A value label as charts write it: the number in the locale's format and its marks."""
    text = locale.value(row["value"], data.value_kind)
    mark = marks(row)
    return f"{text} {mark}" if mark and text != "–" else text


def error_bars(rows: pd.DataFrame) -> tuple[list[float], list[float]] | None:
    """(plus, minus) distances from each value to its interval's ends, 0 where there is
    none; None when no row has an interval."""
    if "ci_low" not in rows or rows["ci_low"].isna().all():
        return None
    plus = (rows["ci_high"] - rows["value"]).fillna(0).clip(lower=0).tolist()
    minus = (rows["value"] - rows["ci_low"]).fillna(0).clip(lower=0).tolist()
    return plus, minus


def statistics_notes(data: ChartData, locale: DeckLocale) -> list[str]:
    """Note lines for marks and intervals: what ▲▼ and * mean, the interval's level."""
    return table_statistics_notes(data.table, locale, data.significance, data.correction,
                                  data.ci, data.warn_base, by=data.by_label is not None)


def table_statistics_notes(table: pd.DataFrame, locale: DeckLocale, significance: float | None,
                           correction: str | None, ci: float | None, warn_base: int | None,
                           by: bool = False) -> list[str]:
    """`statistics_notes` for any indicator table (a chart's or a native table's)."""
    notes: list[str] = []
    if significance is not None and "significant" in table and table["significant"].any():
        note = locale.phrase("sig.note_by" if by else "sig.note",
                             level=locale.number(significance, 2))
        if correction:  # the two messages may be in different languages (a fallback)
            note = Phrase.join([note, Span(" ", note.spans[-1].lang),
                                locale.phrase(f"sig.correction.{correction}")]).merged()
            locale.produced[note.text] = note
        notes.append(note.text)
    if ci is not None and "ci_low" in table and table["ci_low"].notna().any():
        notes.append(locale.message("ci.note", level=locale.percent(100 * ci)))
    if warn_base is not None and "small_base" in table and table["small_base"].any():
        notes.append(locale.message("chart.small_base", warn_base=warn_base))
    return notes


def n_text(ns: pd.Series, locale: DeckLocale) -> str:
    low, high = int(ns.min()), int(ns.max())
    return locale.integer(low) if low == high else f"{locale.integer(low)}–{locale.integer(high)}"


def chart_notes(data: ChartData, locale: DeckLocale) -> list[str]:
    """The lines under a chart, whatever draws it: suppression, N where the legend
    does not carry it, and the source line."""
    table = data.table
    notes: list[str] = []
    if data.kind == "coefficients":
        return [*data.model_notes, data.source]
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
    return [*notes, *statistics_notes(data, locale), data.source]


def _suppressed_note(table: pd.DataFrame, data: ChartData, locale: DeckLocale) -> list[str]:
    if table["suppressed"].any():
        return ["– " + locale.message("chart.suppressed", min_base=data.min_base)]
    return []


def capitalise(label: str) -> str:
    return label[:1].upper() + label[1:]


def ordered_items(data: ChartData) -> list[str]:
    """A bar chart's items in display order: as the codebook has them, or by value."""
    table = data.table
    items = list(dict.fromkeys(table["item"]))
    if data.sort != "none":
        mine = table["group"] == data.sort
        if mine.any():
            values = dict(zip(table.loc[mine, "item"], table.loc[mine, "value"], strict=True))
            key = {item: -math.inf if value is None or math.isnan(value) else value
                   for item in items for value in [values.get(item, math.nan)]}
            items = sorted(items, key=key.__getitem__, reverse=True)
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
