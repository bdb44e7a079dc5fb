"""A table slide: a title, a caption and a native table of one battery's numbers for the
deck's country and its comparison group, with the bases."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from generator.charts.data import marks, table_statistics_notes
from generator.core.geometry import EMU_PER_INCH, Box, inches
from generator.deckfile.slidemodels import TableSlide
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span
from generator.layout.elements import TableElement
from generator.layout.frame import SlideFrame
from generator.layout.textfit import EMU_PER_PT, text_height_pt
from generator.plan.content import Line, SlideContent, TableContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner

FIRST_COLUMN = 0.5  # the items' share of the table's width
ROW_HEIGHT = inches(0.5)  # at most


def plan(planner: Planner, slide: TableSlide, content: SlideContent, path: KeyPath) -> None:
    """The caption, the table and, in the footer, what its marks mean."""
    content.caption = planner.caption(slide, path)
    content.table = table_content(planner, slide, path)
    content.footer_text = planner.footer_text(content.table is not None
                                               or planner.quoted_figures)
    if content.table is not None and content.table.data is not None:
        stats = planner.statistics(slide)
        notes = table_statistics_notes(content.table.data, planner.locale, stats.alpha,
                                       stats.correction, None, stats.warn_base)
        tag = planner.deck_tag
        parts = [planner.locale.produced.get(n) or Phrase.of(n, tag) for n in notes]
        parts += [content.footer_text] if content.footer_text else []
        content.footer_text = Phrase.join(parts, Span("  ·  ", tag)) or None


def table_content(planner: Planner, spec: TableSlide, path: KeyPath) -> TableContent | None:
    """Item, country, comparison and both bases per item, formatted for the locale."""
    request = planner.request(spec, path)
    if request is None:
        return None
    if request.indicator == "distribution":
        planner.problem((*path, "indicator"), "a table shows mean or pct_range",
                        "use a likert chart for distributions")
        return None
    table = planner.table(request, spec, path)
    if table is None:
        return None
    kind = "mean" if request.indicator == "mean" else "percent"
    tag = planner.deck_tag
    country = Phrase.of(planner.locale.country_name(planner.country), tag)
    group, n = planner.comparison_label(), Phrase.of("N ", tag)
    header = [planner.message("table.item"), country, group, n + country, n + group]
    rows = []
    for key in request.columns:
        found = table[table["item"] == key].set_index("group")
        rows.append([planner.item_label(spec.battery, key)]
                    + [Phrase.of(_table_value(found.loc[g], kind, planner.locale), tag)
                       for g in ("country", "comparison")]
                    + [Phrase.of(planner.locale.integer(int(found.loc[g, "n"])), tag)
                       for g in ("country", "comparison")])
    return TableContent(header=header, rows=rows, data=table, value_kind=kind)


def _table_value(row: pd.Series, kind: str, locale: DeckLocale) -> str:
    """A table cell: the value and its marks (▲▼ significant, * small base)."""
    text = locale.value(row["value"], kind)
    mark = marks(row)
    return f"{text} {mark}" if mark and text != "–" else text


def table_height_pt(rows: tuple[tuple[Line, ...], ...], widths: tuple[int, ...],
                    size: float, row_height: int) -> float:
    """The table's height at `size`: each row as high as it is set, or as its tallest
    cell needs (an office application grows a row to fit its text)."""
    total = 0.0
    for row in rows:
        needed = max(text_height_pt([cell], size, width / EMU_PER_PT, bullets=False)
                     for cell, width in zip(row, widths, strict=True))
        total += max(row_height / EMU_PER_PT, needed)
    return total


def lay_out_table(table: TableContent, box: Box, normal_for_high_rows: float,
                  min_pt: float) -> tuple[TableElement, bool]:
    """The table in `box`: rows up to 0.5 in high, at the largest size from the normal
    one (smaller where the rows are low) down to `min_pt` at which the table's height fits
    the box; and whether it fits at all."""
    rows = tuple(tuple(Line(text, bold=r == 0) for text in row)
                 for r, row in enumerate([table.header, *table.rows]))
    row_height = min(ROW_HEIGHT, box.height // len(rows))
    normal = normal_for_high_rows if row_height >= 0.45 * EMU_PER_INCH else min(
        normal_for_high_rows, 14)
    first = int(box.width * FIRST_COLUMN)
    others = len(table.header) - 1
    widths = (first, *[(box.width - first) // others] * others)
    size, fits = normal, False
    while size >= min_pt:
        if table_height_pt(rows, widths, size, row_height) <= box.height / EMU_PER_PT:
            fits = True
            break
        size -= 1
    size = size if fits else min_pt
    return TableElement(Box(box.left, box.top, box.width, row_height * len(rows)), rows, size,
                        normal, row_height, widths), fits


def layout(frame: SlideFrame) -> None:
    content, geo, theme = frame.content, frame.geometry, frame.theme
    frame.title(geo.title, theme.title_pt)
    frame.caption()
    if content.table is not None:
        element, fits = lay_out_table(content.table, geo.chart_box("full", bool(content.caption)),
                                      theme.table_pt, theme.min_pt)
        frame.add(element)
        if not fits:
            frame.misfit("battery", "table", theme.min_pt)
    frame.footer()


TYPE = SlideType("table", TableSlide, plan, layout, template_layout="Title Only")
