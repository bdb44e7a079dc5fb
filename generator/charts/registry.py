"""The chart kinds, by the name deck files give them (`chart: bar`).

Each kind is a module of this package, named as the kind, whose `KIND` gives its
drawing and both renderers (`spec.Kind`). To add one: write the module and name it
in the deck file's list of chart kinds (`deckfile.model.CHART_KINDS`), or in `MODULES`
for a kind no chart slide names; the tests build every kind both ways.

The names are known without importing the kinds' modules, so reading a deck file
loads no drawing code; `KINDS` imports them when first asked for.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

from generator.deckfile.model import CHART_KINDS

if TYPE_CHECKING:
    from generator.charts.data import ChartData
    from generator.charts.spec import Kind
    from generator.core.theme import Theme

NAMES: tuple[str, ...] = CHART_KINDS
"""The kinds a chart slide may name (`chart:`), each a module named as its kind
(`tests/test_chart_kinds.py` checks it)."""
MODULES = (*NAMES, "coefficients")
"""Every kind: `coefficients` is drawn by association slides, not asked for by name."""


@cache
def _kinds() -> dict[str, Kind]:
    return {name: import_module(f"generator.charts.{name}").KIND for name in MODULES}


def __getattr__(name: str) -> dict[str, Kind]:
    """`KINDS`: kind name -> `Kind`, its modules imported on first use."""
    if name == "KINDS":
        return _kinds()
    raise AttributeError(name)


def one_label_size(charts: list[ChartData], theme: Theme) -> list[ChartData]:
    """`charts` (one deck's, laid out) with one item-label size per kind: the smallest
    any chart of the kind needs, so labels do not change size from slide to slide."""
    from dataclasses import replace

    kinds = _kinds()
    sizes = [kinds[c.kind].label_px(c, theme) for c in charts]
    least: dict[str, int] = {}
    for chart, size in zip(charts, sizes, strict=True):
        least[chart.kind] = min(size, least.get(chart.kind, size))
    return [replace(c, label_px=least[c.kind]) for c in charts]
