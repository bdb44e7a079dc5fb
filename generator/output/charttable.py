"""A chart's numbers as a table: what the web page puts after each chart, so that
a reader who cannot see the picture can read and compare the values cell by cell.

Rows are the chart's items (a ranking's countries), columns its groups (a likert
chart's scale points, for the country it draws),
each value as the chart writes it (the deck's number format, ▲▼ and * marks, a dash
where suppressed) and the base N of each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from generator.charts.data import ChartData, bar_series, chart_notes, value_text
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase


@dataclass(frozen=True)
class NumbersTable:
    """A table's cells as phrases: the header row, then rows whose first cell names them."""

    header: tuple[Phrase, ...]
    rows: tuple[tuple[Phrase, ...], ...]
    notes: tuple[Phrase, ...] = ()  # the lines under the chart: N, marks, the source


def _group_name(data: ChartData, group: str) -> str:
    named = {"country": data.country_label, "comparison": data.comparison_label,
             **dict(data.series)}
    return named.get(group) or data.country_names.get(group, group)


def _n(value: object, locale: DeckLocale) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else (
        locale.number(float(value), 0))


def numbers_table(data: ChartData, locale: DeckLocale) -> NumbersTable:
    """The numbers `data`'s chart shows, as a table in the deck's language, with the
    chart's note lines."""
    cells = _cells(data, locale)
    return NumbersTable(*cells, notes=tuple(data.phrase(line)
                                            for line in chart_notes(data, locale)))


def _cells(data: ChartData, locale: DeckLocale
           ) -> tuple[tuple[Phrase, ...], tuple[tuple[Phrase, ...], ...]]:
    table, tag = data.table, data.language

    def plain(text: str) -> Phrase:
        return Phrase.of(text, tag)

    def cell(row: pd.Series) -> Phrase:
        return plain(value_text(row, data, locale))

    if "point" in table and table["point"].notna().any():  # a distribution: items x points
        shown = table[table["group"] == "country"]  # what a likert chart draws
        points = sorted(shown["point"].dropna().unique())
        header = (plain(""), *(data.phrase(data.point_labels.get(p, str(p))) for p in points),
                  plain("N"))
        rows = []
        for item in dict.fromkeys(shown["item"]):
            part = shown[shown["item"] == item]
            by_point = {row["point"]: row for _, row in part.iterrows()}
            rows.append((data.phrase(data.item_labels.get(item, item)),
                         *(cell(by_point[p]) if p in by_point else plain("") for p in points),
                         plain(_n(part["n"].iloc[0], locale))))
        return header, tuple(rows)
    if data.kind == "ranking":  # one row per country, highest first
        ordered = table.sort_values("value", ascending=False, na_position="last")
        return (
            (plain(""), plain(data.item_labels.get(ordered["item"].iloc[0], "")), plain("N")),
            tuple((data.phrase(_group_name(data, row["group"])), cell(row),
                   plain(_n(row["n"], locale))) for _, row in ordered.iterrows()))
    groups = [group for group, _ in bar_series(data) if group in set(table["group"])]
    header = [plain("")]
    for group in groups:
        name = data.phrase(_group_name(data, group))
        header += [name, Phrase.join([plain("N "), name])]
    rows = []
    for item in dict.fromkeys(table["item"]):
        cells = [data.phrase(data.item_labels.get(item, item))]
        for group in groups:
            found = table[(table["item"] == item) & (table["group"] == group)]
            if found.empty:
                cells += [plain(""), plain("")]
            else:
                row = found.iloc[0]
                cells += [cell(row), plain(_n(row["n"], locale))]
        rows.append(tuple(cells))
    return tuple(header), tuple(rows)
