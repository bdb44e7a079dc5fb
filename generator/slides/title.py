"""The title slide: the deck's title, a subtitle and a footnote; no footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.core.geometry import Box, inches
from generator.deckfile.slidemodels import TitleSlide
from generator.layout.frame import SlideFrame, phrase_lines
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: TitleSlide, content: SlideContent, path: KeyPath) -> None:
    content.subtitle = planner.text(slide.subtitle, (*path, "subtitle"))
    content.footnote = planner.text(slide.footnote, (*path, "footnote"))


def layout(frame: SlideFrame) -> None:
    geo, theme, content = frame.geometry, frame.theme, frame.content
    frame.title(geo.cover_title, theme.cover_title_pt)
    if content.subtitle:
        frame.text("subtitle", "subtitle", phrase_lines(content.subtitle), geo.cover_subtitle,
                   theme.cover_subtitle_pt, placeholder=1, colour=theme.muted,
                   align="left" if geo.builtin else None)
    frame.footnote(Box(inches(0.6), geo.height - inches(1.3), geo.width - inches(1.2),
                       inches(0.7)))


TYPE = SlideType("title", TitleSlide, plan, layout, template_layout="Title Slide")
