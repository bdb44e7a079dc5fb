"""The font file text is measured with: the font a template's theme names where it is
installed, else a metric-compatible stand-in, else Liberation Sans (shipped).

Arial, the built-in theme's font, is measured with the shipped Liberation Sans (the
same metrics) without looking further.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from PIL import ImageFont

SHIPPED = "Liberation Sans"
STAND_INS = {  # metric-compatible free fonts
    "arial": "Liberation Sans", "helvetica": "Liberation Sans",
    "arial narrow": "Liberation Sans Narrow", "times new roman": "Liberation Serif",
    "times": "Liberation Serif", "courier new": "Liberation Mono", "calibri": "Carlito",
    "cambria": "Caladea", "georgia": "Gelasio"}
REGULAR = {"regular", "book", "roman", "normal"}


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        return [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
                home / "AppData/Local/Microsoft/Windows/Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    data = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
    return [Path(d) / "fonts" for d in data] + [home / ".local/share/fonts", home / ".fonts"]


@cache
def installed() -> dict[tuple[str, bool], str]:
    """(family in lower case, bold) -> a font file, for the fonts installed here."""
    found: dict[tuple[str, bool], str] = {}
    for folder in _font_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".otf"):
                continue
            try:
                family, style = ImageFont.truetype(str(path), 10).getname()
            except OSError:
                continue
            style = (style or "").lower()
            if style in REGULAR or style == "bold":
                found.setdefault(((family or "").lower(), style == "bold"), str(path))
    return found


def _shipped(bold: bool) -> str:
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return str(resources.files("generator") / "assets" / name)


@cache
def measured_with(family: str) -> tuple[str, bool]:
    """The family `family` is measured with, and whether its metrics are the same."""
    if not family or family.lower() in ("arial", SHIPPED.lower()):
        return SHIPPED, True
    fonts = installed()
    if (family.lower(), False) in fonts:
        return family, True
    stand_in = STAND_INS.get(family.lower())
    if stand_in and (stand_in.lower() == SHIPPED.lower() or (stand_in.lower(), False) in fonts):
        return stand_in, True
    return SHIPPED, False


@cache
def font_file(family: str, bold: bool) -> str:
    """The file to measure `family` with (bold or regular)."""
    used, _ = measured_with(family)
    if used == SHIPPED:
        return _shipped(bold)
    fonts = installed()
    return fonts.get((used.lower(), bold)) or fonts[(used.lower(), False)]


def font_note(family: str) -> str | None:
    """A line saying what `family` is measured with, where it is not itself installed."""
    used, same = measured_with(family)
    if used.lower() == family.lower() or not family or family.lower() == "arial":
        return None
    if same:
        return (f"the template's font '{family}' is not installed here: text is measured "
                f"with '{used}', which has the same metrics")
    return (f"the template's font '{family}' is not installed here: text is measured with "
            f"'{used}', whose widths differ, so fitted sizes are estimates; install the "
            f"font (or a metric-compatible one) for exact fitting")
