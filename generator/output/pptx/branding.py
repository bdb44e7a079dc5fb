"""A deck's template and theme, opened and checked for the build: the template with a
layout for each role (the deck's ``layouts:`` over those found), the theme from the
template's and the deck's ``theme:``, and what to tell the user about them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.fonts import font_note, measured_with
from generator.core.theme import Theme
from generator.deckfile.model import DeckSettings
from generator.deckfile.yamlsource import SourceMap
from generator.layout.brand import LowContrast, deck_theme
from generator.output.pptx.layouts import describe
from generator.output.pptx.template import Template, open_template
from generator.plan.content import SlideContent
from generator.slides import SLIDE_TYPES


@dataclass
class Branded:
    """The opened template, the deck's theme, the lines ``--check`` prints about them,
    warnings (a font measured with another of other metrics), and the colours with too
    little contrast."""

    template: Template
    theme: Theme
    notes: list[str]
    warnings: list[str]
    low_contrast: list[LowContrast]


def open_branded(settings: DeckSettings, source: SourceMap) -> Branded:
    """The deck's template and theme; a wrong ``layouts:`` name is a problem at its line."""
    name = settings.template.name if settings.template else "built-in"
    message_of = {"the template": f"the template {name}"}

    def locate(role, message, hint):
        for old, new in message_of.items():
            message = message.replace(old, new, 1)
        path = ("deck", "template") if role is None else ("deck", "layouts", role)
        return source.problem(path, message, hint)

    template = open_template(settings.template, settings.layouts, locate)
    chosen = settings.theme.model_dump(exclude_none=True) if settings.theme else None
    theme, low = deck_theme(template.look, chosen)
    notes, warnings = [], []
    if not template.builtin:
        kinds = {name: kind.template_layout for name, kind in SLIDE_TYPES.items()}
        notes = [f"template {settings.template.name}: {line}"
                 for line in describe(template.layouts, kinds)]
    for family in dict.fromkeys((theme.title_font, theme.font)):
        note = font_note(family)
        if note:
            (notes if measured_with(family)[1] else warnings).append(note)
    return Branded(template, theme, notes, warnings, low)


def contrast_warnings(low: Sequence[LowContrast], slides: Sequence[SlideContent]) -> list[str]:
    """A warning for each colour with too little contrast that the deck's charts draw."""
    charts = [s.chart.data for s in slides if s.chart is not None]
    series = max((len(data.series) for data in charts if data.series), default=0)
    warnings = []
    for colour in low:
        if not charts or colour.use > series:
            continue
        what = "the deck's country" if colour.use == 0 else f"series {colour.use} of by: charts"
        if colour.name == "theme.comparison":
            what = "the comparison"
        warnings.append(f"{colour.name} ({colour.colour}) has {colour.ratio:.1f}:1 contrast "
                        f"against the background, under 3:1: {what} is hard to see; set "
                        f"another colour in the deck's theme:")
    return warnings
