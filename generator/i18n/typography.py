"""Spaces a line must not break at: between a number and its unit, and between a label
and its number ("Danmark: 30 %"), made no-break spaces in deck text."""

from __future__ import annotations

import re

NBSP = "\u00a0"
# a space after "label:" before a number; a space between a number and % or ‰
_TOGETHER = re.compile(r"(?<=\w:) (?=[−+-]?\d)|(?<=\d) (?=[%‰])")


def keep_together(text: str) -> str:
    """`text` with the spaces that would split a figure from its label or unit made
    no-break spaces."""
    return _TOGETHER.sub(NBSP, text)
