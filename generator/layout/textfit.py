"""Measures slide text with the real font's metrics and picks the size that fits.

The built-in decks use Arial; Liberation Sans (shipped in `generator/assets/`) has
the same metrics, so the measurement holds in PowerPoint and LibreOffice alike. A
template's fonts are measured as `fonts` finds them (`face`: the family's name).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

from PIL import ImageFont

from generator.layout.fonts import font_file
from generator.plan.content import Line

EMU_PER_PT = 12700
MIN_PT = 14
LINE_HEIGHT = 1.2  # single spacing of Arial, as a multiple of the font size
SPACE_BEFORE = 0.3  # paragraph spacing, as a multiple of the font size
INSET_PT = 7.2  # default text frame inset (0.1 in) on each side
INDENT_PT = 27.0  # bullet hanging indent + each level's indent


@cache
def _font(size_pt: float, bold: bool, face: str = "") -> ImageFont.FreeTypeFont:
    # measured at 10x so rounding to whole pixels costs nothing visible
    return ImageFont.truetype(font_file(face, bold), size=round(size_pt * 10))


def text_width_pt(text: str, size_pt: float, bold: bool = False, face: str = "") -> float:
    """Width of one line of `text` in points at `size_pt`."""
    return _font(size_pt, bold, face).getlength(text) / 10


@lru_cache(maxsize=8192)
def wrapped_lines(text: str, size_pt: float, width_pt: float, bold: bool = False,
                  face: str = "") -> int:
    """How many lines `text` takes in a box `width_pt` wide (greedy word wrap).

    Remembered per text, size, width and weight: a rebuild measures again only the
    lines that changed (fitting tries each line at up to a dozen sizes)."""
    count = 0
    for hard_line in text.split("\n"):
        words = hard_line.split()
        count += 1
        current = ""
        for word in words:
            trial = f"{current} {word}".strip()
            if text_width_pt(trial, size_pt, bold, face) <= width_pt or not current:
                current = trial
            else:
                count += 1
                current = word
            while len(current) > 1 and text_width_pt(current, size_pt, bold, face) > width_pt:
                # a word wider than the line breaks where the line ends, as office
                # applications break it
                current = current[_fitting_prefix(current, size_pt, width_pt, bold, face):]
                count += 1
    return count


def _fitting_prefix(text: str, size_pt: float, width_pt: float, bold: bool,
                    face: str = "") -> int:
    """How many characters of `text` (at least one) fit in `width_pt`."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width_pt(text[:middle], size_pt, bold, face) <= width_pt:
            low = middle
        else:
            high = middle - 1
    return low


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
