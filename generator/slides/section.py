"""A section slide: a title and a subtitle between parts of the deck."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.deckfile.slidemodels import SectionSlide
from generator.layout.frame import SlideFrame
from generator.plan.content import Line, SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: SectionSlide, content: SlideContent, path: KeyPath) -> None:
    content.subtitle = planner.text(slide.subtitle, (*path, "subtitle"))


def layout(frame: SlideFrame) -> None:
    geo, theme, content = frame.geometry, frame.theme, frame.content
    frame.title(geo.section_title, theme.section_title_pt)
    if content.subtitle:
        frame.text("subtitle", "subtitle", [Line(content.subtitle)], geo.section_subtitle,
                   theme.section_subtitle_pt, placeholder=1, colour=theme.muted)
    frame.footer()


TYPE = SlideType("section", SectionSlide, plan, layout, template_layout="Section Header")
