"""Measures slide text with the real font's metrics and picks the size that fits.

The built-in decks use Arial; Liberation Sans (shipped in `generator/assets/`) has
the same metrics, so the measurement holds in PowerPoint and LibreOffice alike. A
template's fonts are measured as `fonts` finds them (`face`: the family's name).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.core.textmetrics import wrapped_lines
from generator.plan.content import Line

EMU_PER_PT = 12700
MIN_PT = 14
LINE_HEIGHT = 1.2  # single spacing of Arial, as a multiple of the font size
SPACE_BEFORE = 0.3  # paragraph spacing, as a multiple of the font size
INSET_PT = 7.2  # default text frame inset (0.1 in) on each side
INDENT_PT = 27.0  # bullet hanging indent + each level's indent


def level_size(base_pt: float, level: int) -> float:
    """Font size of an outline level: 4 pt smaller per level, never below the minimum."""
    return max(base_pt - 4 * level, MIN_PT)


def text_height_pt(lines: Sequence[Line], base_pt: float, width_pt: float,
                   bullets: bool, face: str = "") -> float:
    """Height the paragraphs take at `base_pt` in a text frame `width_pt` wide."""
    total = 0.0
    for i, line in enumerate(lines):
        size = level_size(base_pt, line.level) if bullets else base_pt
        indent = INDENT_PT * (line.level + 1) if bullets else 0.0
        usable = width_pt - 2 * INSET_PT - indent
        total += wrapped_lines(line.text, size, usable, line.bold, face) * size * LINE_HEIGHT
        if i:
            total += size * SPACE_BEFORE
    return total + 2 * 3.6  # top and bottom insets (0.05 in)


def fit_size(lines: Sequence[Line], width_emu: int, height_emu: int, base_pt: float,
             bullets: bool = True, min_pt: float = MIN_PT, face: str = "") -> float | None:
    """The largest size from `base_pt` down to `min_pt` (in 1 pt steps) at which the
    text fits the box, or None when even `min_pt` would overflow."""
    width_pt, height_pt = width_emu / EMU_PER_PT, height_emu / EMU_PER_PT
    size = base_pt
    while size >= min_pt:
        readable = not bullets or all(level_size(size, ln.level) >= min_pt for ln in lines)
        if readable and text_height_pt(lines, size, width_pt, bullets, face) <= height_pt:
            return size
        size -= 1
    return None
