"""Tables computed from one survey, kept while its data stay the same.

A `Survey` lives as long as its files are unchanged (the process's input cache,
`run.inputs.SHARED_INPUTS`, keeps it for watch mode, many-deck workers and any later
build), and so does its `TableMemo`: a rebuild after a text edit finds every chart's
numbers again instead of recomputing them from the respondents. Bounded, so a run of
hundreds of decks stays flat in memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import pandas as pd

KEPT = 512  # tables; each is a few rows per item and group


class TableMemo:
    """Least-recently-used tables by key; each caller gets its own copy."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._tables: OrderedDict[Hashable, pd.DataFrame] = OrderedDict()
        self.hits = self.misses = 0
        self._lock = threading.Lock()  # builds may run in threads

    def get(self, key: Hashable, compute: Callable[[], pd.DataFrame | None]
            ) -> pd.DataFrame | None:
        """The table kept for `key`, else `compute()`'s (kept unless it is None)."""
        with self._lock:
            kept = self._tables.get(key)
            if kept is not None:
                self._tables.move_to_end(key)
                self.hits += 1
                return kept.copy()
            self.misses += 1
        table = compute()
        if table is not None:
            with self._lock:
                self._tables[key] = table.copy()
                while len(self._tables) > self.size:
                    self._tables.popitem(last=False)
        return table

    def __len__(self) -> int:
        return len(self._tables)
