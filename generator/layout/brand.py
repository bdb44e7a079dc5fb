"""A deck's theme from its template's: the template's fonts and colours on slides and
charts, with the deck's own ``theme:`` settings over them.

The deck's country takes accent 1, the series of a ``by:`` chart the accents in
order, the comparison a neutral grey with at least 3:1 contrast against the
background (darkened towards the text colour where the default grey has less).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from generator.core.contrast import contrast
from generator.core.theme import DEFAULT_THEME, Theme

MIN_CONTRAST = 3.0  # WCAG 2's least contrast for graphics (1.4.11)
ACCENTS = tuple(f"accent{i}" for i in range(1, 7))


@dataclass(frozen=True)
class TemplateLook:
    """What a template's theme says: its fonts (empty where it names none) and its
    colour scheme by name (``dk1``, ``lt1``, ``accent1`` … as ``#RRGGBB``)."""

    major_font: str = ""
    minor_font: str = ""
    colours: Mapping[str, str] | None = None


@dataclass(frozen=True)
class LowContrast:
    """A colour the charts use with less than 3:1 contrast against the background."""

    name: str  # as the user would look for it: "the template's accent 3", "theme.series[2]"
    colour: str
    ratio: float
    use: int  # 0: the country's colour; n: the n-th series of a `by:` chart (from 1)


def chart_font_stack(font: str) -> str:
    """A CSS font list for chart pictures: `font`, then metric-compatible stand-ins."""
    stack = [font, "Liberation Sans", "Arial", "Helvetica", "sans-serif"]
    return ", ".join(f"'{f}'" if " " in f else f for f in dict.fromkeys(stack))


def _mix(colour: str, towards: str, share: float) -> str:
    a = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    b = [int(towards.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def readable_neutral(neutral: str, background: str, text: str) -> str:
    """`neutral`, or the first step from it towards `text` with 3:1 contrast against
    `background`."""
    for step in range(21):
        candidate = _mix(neutral, text, step / 20)
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    return text


def deck_theme(look: TemplateLook | None, settings: Mapping[str, object] | None,
               base: Theme = DEFAULT_THEME) -> tuple[Theme, list[LowContrast]]:
    """The deck's theme from its template's `look` and its own `settings` (the deck's
    ``theme:`` keys), and the colours with too little contrast. Neither: `base` as it
    is, so a deck without a template keeps the default look."""
    settings = dict(settings or {})
    if look is None and not settings:
        return base, []
    colours = dict(look.colours or {}) if look else {}
    fields: dict[str, object] = {}
    names: dict[str, str] = {}  # a colour's field -> its name in warnings
    if look is not None:
        if look.minor_font:
            fields["font"] = look.minor_font
        if look.major_font:
            fields["title_font"] = look.major_font
        accents = [colours[a] for a in ACCENTS if a in colours]
        if accents:
            fields["accent"] = accents[0]
            fields["series"] = tuple(accents)
            names["accent"] = "the template's accent 1"
        if "dk1" in colours:
            fields["text"] = colours["dk1"]
        if "lt1" in colours:
            fields["background"] = colours["lt1"]
        fields["scheme"] = tuple((hex_, name) for name, hex_ in colours.items()
                                 if name in ACCENTS)
    for key in ("font", "title_font", "accent", "text", "background"):
        if settings.get(key):
            fields[key] = settings[key]
            names[key] = f"theme.{key}"
    if settings.get("series"):
        fields["series"] = tuple(settings["series"])  # type: ignore[arg-type]
    theme = replace(base, **fields)  # type: ignore[arg-type]
    neutral = settings.get("comparison") or readable_neutral(
        base.neutral, theme.background, theme.text)
    theme = replace(theme, neutral=str(neutral), chart_font=chart_font_stack(theme.font))
    return theme, _low_contrast(theme, names, bool(settings.get("series")),
                                bool(settings.get("comparison")))


def _low_contrast(theme: Theme, names: dict[str, str], own_series: bool,
                  own_comparison: bool) -> list[LowContrast]:
    found = []
    if "accent" in names and contrast(theme.accent, theme.background) < MIN_CONTRAST:
        found.append(LowContrast(names["accent"], theme.accent,
                                 contrast(theme.accent, theme.background), 0))
    for i, colour in enumerate(theme.series, 1):
        if i == 1 and not own_series:
            continue  # accent 1, said above
        ratio = contrast(colour, theme.background)
        if ratio < MIN_CONTRAST:
            name = f"theme.series[{i - 1}]" if own_series else f"the template's accent {i}"
            found.append(LowContrast(name, colour, ratio, i))
    if own_comparison and contrast(theme.neutral, theme.background) < MIN_CONTRAST:
        found.append(LowContrast("theme.comparison", theme.neutral,
                                 contrast(theme.neutral, theme.background), 0))
    return found
