"""A chart slide: a title, a caption (the question, scale and base) and one chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from generator.deckfile.model import ChartSpec, SlideBase
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


class ChartSlide(SlideBase, ChartSpec):
    type: Literal["chart"]


def plan(planner: Planner, slide: ChartSlide, content: SlideContent, path: KeyPath) -> None:
    content.caption = planner.caption(slide, path)
    content.chart = planner.chart(slide, path, content.title, bool(content.caption))
    content.footer_text = planner.footer_text(planner.quoted_figures)


def layout(frame: SlideFrame) -> None:
    frame.title(frame.geometry.title, frame.theme.title_pt)
    frame.caption()
    frame.chart("full")
    frame.footer()


TYPE = SlideType("chart", ChartSlide, plan, layout, template_layout="Title Only")
