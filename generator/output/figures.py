"""The figures export: every number a deck shows, with its provenance, as CSV rows.

A view of what the plan already holds (`SlideContent`): quoted figures in a
slide's text, then its chart's values in the order they are drawn, then its
table's. Nothing is recomputed here.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from generator.charts.data import ChartData, bar_series, ordered_items, ranked_countries
from generator.output.files import save_atomically
from generator.plan.content import SlideContent

if TYPE_CHECKING:
    from generator.core.errors import Problem
    from generator.output.writers import FinishedDeck

FIELDS = ["slide", "slide_number", "item", "point", "group", "respondents", "kind", "value",
          "n", "ci_low", "ci_high", "p_value", "significant", "suppressed", "small_base"]
"""The CSV's columns. `group`: the ISO code of the deck's country (or of a ranking's
country), the comparison (``all``, ``others``, ``country_mean``), or a subgroup
(``NO:level=1``). `kind`: percent (0–100), mean, count or rate (percent)."""


def _number(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return round(float(value), 10) if isinstance(value, float) else value


def _group(group: str, country: str, compare_with: str, by: str | None) -> str:
    if group == "country":
        return country
    if group == "comparison":
        return compare_with
    if group.startswith("by="):
        return f"{country}:{by}={group[3:]}"
    return group


def _table_rows(table: pd.DataFrame, slide: SlideContent, kind: str, country: str,
                compare_with: str, by: str | None = None) -> list[dict]:
    rows = []
    for _, row in table.iterrows():
        point = row.get("point")
        rows.append({
            "slide": slide.id or "", "slide_number": slide.number, "item": row["item"],
            "point": "" if point is None or (isinstance(point, float) and math.isnan(point))
            else int(point),
            "group": _group(str(row["group"]), country, compare_with, by),
            "respondents": slide.respondents or "", "kind": kind,
            "value": _number(row["value"]), "n": int(row["n"]),
            "ci_low": _number(row.get("ci_low")), "ci_high": _number(row.get("ci_high")),
            "p_value": _number(row.get("p_value")),
            "significant": bool(row.get("significant", False)),
            "suppressed": bool(row["suppressed"]), "small_base": bool(row.get("small_base",
                                                                             False))})
    return rows


def chart_in_drawing_order(data: ChartData) -> pd.DataFrame:
    """A chart's table rows in the order the chart draws them."""
    table = data.table
    if data.kind == "ranking":
        return pd.concat([ranked_countries(data).drop(columns="sort_key"),
                          table[table["group"] == "comparison"]])
    if data.kind == "likert":
        return table[table["group"] == "country"]
    if data.kind == "coefficients":  # from the largest coefficient down
        return table.sort_values("value", ascending=False, kind="stable")
    order = {(g, i): k for k, (i, g) in enumerate(
        (i, g) for i in ordered_items(data) for g, _ in bar_series(data))}
    keys = [order.get((g, i), len(order)) for g, i in zip(table["group"], table["item"],
                                                           strict=True)]
    return table.assign(_order=keys).sort_values("_order", kind="stable").drop(columns="_order")


def figure_rows(slides: Sequence[SlideContent], country: str, compare_with: str) -> list[dict]:
    """One row per number shown, in the order the slides show them."""
    rows: list[dict] = []
    for slide in slides:
        for quoted in slide.quoted:
            kind = "rate" if quoted.name.startswith("response_rate") else "count"
            rows.append({field: "" for field in FIELDS} | {
                "slide": slide.id or "", "slide_number": slide.number, "item": quoted.name,
                "group": quoted.group, "kind": kind, "value": _number(quoted.value),
                "n": "" if quoted.n is None else quoted.n, "significant": False,
                "suppressed": False, "small_base": False})
        if slide.chart is not None:
            data = slide.chart.data
            rows += _table_rows(chart_in_drawing_order(data), slide, data.value_kind, country,
                                compare_with, data.by)
        if slide.table is not None and slide.table.data is not None:
            table = slide.table.data
            rows += _table_rows(table, slide, slide.table.value_kind, country, compare_with)
    return rows


def figures_csv(rows: list[dict]) -> bytes:
    """The rows as UTF-8 CSV (with a byte-order mark, so spreadsheets read æøå right)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


class FiguresWriter:
    """``--figures``: ``<deck>.figures.csv`` beside each deck."""

    suffix = ".figures.csv"

    def missing(self) -> Problem | None:
        return None

    def write(self, decks: Sequence[FinishedDeck]) -> list[Path]:
        written = []
        for deck in decks:
            target = deck.beside(self.suffix)
            save_atomically(figures_csv(figure_rows(deck.slides, deck.group, deck.compared)),
                            target)
            written.append(target)
        return written
