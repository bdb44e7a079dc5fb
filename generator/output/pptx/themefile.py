"""Reads a template's theme (the one of the slide master its content slides use): the
major and minor fonts and the colour scheme, for `layout.brand`."""

from __future__ import annotations

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from generator.layout.brand import TemplateLook

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SCHEME = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5",
          "accent6", "hlink", "folHlink")


def read_look(master) -> TemplateLook | None:
    """The theme of the slide `master`, or None where it has none."""
    try:
        part = master.part.part_related_by(RT.THEME)
    except KeyError:
        return None
    root = etree.fromstring(part.blob)
    colours = {}
    scheme = root.find(f"{A}themeElements/{A}clrScheme")
    for name in SCHEME:
        entry = scheme.find(f"{A}{name}") if scheme is not None else None
        value = _colour(entry) if entry is not None else None
        if value:
            colours[name] = value
    fonts = root.find(f"{A}themeElements/{A}fontScheme")
    return TemplateLook(major_font=_font(fonts, "majorFont"), minor_font=_font(fonts, "minorFont"),
                        colours=colours)


def _colour(entry) -> str | None:
    """`#RRGGBB` of a scheme entry: an sRGB colour, or a system colour's last value."""
    srgb = entry.find(f"{A}srgbClr")
    if srgb is not None and len(srgb.get("val", "")) == 6:
        return "#" + srgb.get("val").upper()
    system = entry.find(f"{A}sysClr")
    if system is not None and len(system.get("lastClr", "")) == 6:
        return "#" + system.get("lastClr").upper()
    return None


def _font(fonts, which: str) -> str:
    latin = fonts.find(f"{A}{which}/{A}latin") if fonts is not None else None
    name = latin.get("typeface", "") if latin is not None else ""
    return "" if name.startswith("+") else name
