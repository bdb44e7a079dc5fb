"""The slide types, one module each, and the registry the deck schema, the planner, the
layout and the writers read.

Adding a slide type: its model in `deckfile.slidemodels` (and `SLIDE_MODELS`), and a
module here giving its plan step, layout step and template layout (`SlideType`), with
its entry in `SLIDE_TYPES`; the two lists must agree, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import shorten
from typing import TYPE_CHECKING

from generator.core.errors import Problem
from generator.core.geometry import Geometry
from generator.core.theme import DEFAULT_THEME, Theme
from generator.deckfile.slidemodels import SLIDE_MODELS
from generator.deckfile.yamlsource import SourceMap
from generator.layout.elements import SlideLayout
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent
from generator.slides import (
    association,
    bullets,
    chart,
    closing,
    image,
    section,
    table,
    title,
    two_column,
)
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import Planner


def registry(*types: SlideType) -> dict[str, SlideType]:
    """The slide types by name; a name given twice is a mistake."""
    found: dict[str, SlideType] = {}
    for kind in types:
        if kind.name in found:
            raise TypeError(f"slide type '{kind.name}' is registered twice")
        found[kind.name] = kind
    return found


SLIDE_TYPES: dict[str, SlideType] = registry(
    title.TYPE, section.TYPE, bullets.TYPE, two_column.TYPE, chart.TYPE, table.TYPE,
    image.TYPE, closing.TYPE, association.TYPE)
if tuple(kind.model for kind in SLIDE_TYPES.values()) != SLIDE_MODELS:
    raise TypeError("every slide model of the deck file needs its slide type, in order")


def plan_deck(planner: Planner) -> list[SlideContent]:
    """Every slide's content, each planned by its type; problems are left in
    `planner.problems`."""
    if planner.country not in planner.survey.countries():
        planner.problem(("deck", "country"), f"country '{planner.country}' is not in the data",
                        "the data has " + ", ".join(planner.survey.countries()))
        return []
    return [planner.slide(i + 1, slide, ("slides", i), SLIDE_TYPES[slide.type].plan)
            for i, slide in enumerate(planner.deck.slides)]


def lay_out(slide: SlideContent, geometry: Geometry, theme: Theme = DEFAULT_THEME,
            show_numbers: bool = True) -> SlideLayout:
    """One slide laid out by its type (`SlideContent.kind`)."""
    kind = SLIDE_TYPES[slide.kind]
    frame = SlideFrame(slide, geometry, kind.template_layout, theme, show_numbers)
    kind.layout(frame)
    return frame.layout


def lay_out_deck(slides: Sequence[SlideContent], geometry: Geometry, source: SourceMap, *,
                 theme: Theme = DEFAULT_THEME, show_numbers: bool = True
                 ) -> tuple[list[SlideLayout], list[Problem]]:
    """Every slide laid out, and a problem per text that does not fit its box even at the
    theme's minimum, located at the slide's key that holds it."""
    layouts = [lay_out(s, geometry, theme, show_numbers) for s in slides]
    problems = []
    for slide, laid in zip(slides, layouts, strict=True):
        for misfit in laid.misfits:
            path = (("deck", "footer") if misfit.key == "footer"
                    else ("slides", slide.number - 1, misfit.key))
            what = "footer" if misfit.key == "footer" else f"'{misfit.key}'"
            name = f"slide {slide.number} ({shorten(slide.title.text, 50, placeholder=' …')})"
            problems.append(source.problem(
                path, f"{name}: the {what} text does not fit its box even at "
                f"{misfit.min_pt:g} pt", "shorten it or split the slide in two"))
    return layouts, problems
