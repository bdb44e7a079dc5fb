"""A bullets slide: a title, nested bullets and a footnote."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.core.geometry import Box, inches
from generator.deckfile.slidemodels import BulletsSlide
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: BulletsSlide, content: SlideContent, path: KeyPath) -> None:
    content.body = planner.bullets(slide.bullets, (*path, "bullets"))
    content.footnote = planner.text(slide.footnote, (*path, "footnote"))
    content.footer_text = planner.footer_text(planner.quoted_figures)


def layout(frame: SlideFrame) -> None:
    """The title, the bullets in the content placeholder (a short list larger, and
    centred), a footnote near the bottom."""
    geo, theme = frame.geometry, frame.theme
    frame.title(geo.title, theme.title_pt)
    frame.body(geo.content, theme.body_pt, theme.body_max_pt)
    frame.footnote(Box(geo.content.left, geo.height - inches(0.95), geo.content.width,
                       inches(0.45)))
    frame.footer()


TYPE = SlideType("bullets", BulletsSlide, plan, layout, template_layout="Title and Content")
