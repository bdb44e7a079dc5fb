"""A line's width and wrapping, measured with the real font's metrics."""

from __future__ import annotations

from functools import cache, lru_cache

from PIL import ImageFont

from generator.core.fonts import font_file


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
