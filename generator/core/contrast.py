"""Contrast between two colours as WCAG 2.1 defines it (relative luminance, 1:1 to 21:1)."""

from __future__ import annotations

TEXT_MIN = 4.5  # WCAG 1.4.3: text (AA, normal size)
GRAPHICS_MIN = 3.0  # WCAG 1.4.11: the parts of a chart needed to read it


def luminance(colour: str) -> float:
    """The relative luminance of a ``#RRGGBB`` colour, 0 (black) to 1 (white)."""
    code = colour.lstrip("#")
    channels = [int(code[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two ``#RRGGBB`` colours, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
