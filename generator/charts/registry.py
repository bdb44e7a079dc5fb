"""The chart kinds, by the name deck files give them (`chart: bar`).

Each kind is a module of this package whose `KIND` gives its drawing and both
renderers (`spec.Kind`). To add one: write the module and name it in `MODULES`;
the deck schema's list of chart kinds (`deckfile.model.ChartKind`) is read
from here, and the tests build every kind both ways.
"""

from __future__ import annotations

from importlib import import_module

from generator.charts.spec import Kind

MODULES = ("bar", "ranking", "likert", "dotplot")

KINDS: dict[str, Kind] = {}
for _module in MODULES:
    _kind: Kind = import_module(f"generator.charts.{_module}").KIND
    KINDS[_kind.name] = _kind

NAMES: tuple[str, ...] = tuple(KINDS)
"""The kinds' names, in the order the schema lists them."""
