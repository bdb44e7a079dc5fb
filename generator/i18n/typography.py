"""Typography of deck text: spaces a line must not break at (between a number and its
unit, between a label and its number: "Danmark: 30 %"), made no-break spaces, and the
apostrophe as CLDR writes it (’, not the typewriter's ')."""

from __future__ import annotations

import re

NBSP = "\u00a0"
APOSTROPHE = "\u2019"  # CLDR's apostrophe for every shipped language (en, nb, da, de)
# a space after "label:" before a number; a space between a number and % or ‰
_TOGETHER = re.compile(r"(?<=\w:) (?=[−+-]?\d)|(?<=\d) (?=[%‰])")
# a typewriter apostrophe inside a word: can't, O'Brien, l'État
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def keep_together(text: str) -> str:
    """`text` with the spaces that would split a figure from its label or unit made
    no-break spaces."""
    return _TOGETHER.sub(NBSP, text)


def apostrophes(text: str) -> str:
    """`text` with each typewriter apostrophe between two letters written ’ (U+2019)."""
    return _APOSTROPHE.sub(APOSTROPHE, text) if "'" in text else text
