"""The closing slide: a title and bullets (contacts, links), laid out as a bullets slide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.deckfile.slidemodels import ClosingSlide
from generator.plan.content import SlideContent
from generator.slides import bullets
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: ClosingSlide, content: SlideContent, path: KeyPath) -> None:
    content.body = planner.bullets(slide.bullets, (*path, "bullets"))
    content.footer_text = planner.footer_text(planner.quoted_figures)


TYPE = SlideType("closing", ClosingSlide, plan, bullets.layout,
                 template_layout="Title and Content")
