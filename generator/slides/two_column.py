"""A two-column slide: bullets beside bullets, or bullets beside one chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.deckfile.slidemodels import BulletsColumn, TwoColumnSlide
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: TwoColumnSlide, content: SlideContent,
         path: KeyPath) -> None:
    for side, column in (("left", slide.left), ("right", slide.right)):
        if isinstance(column, BulletsColumn):
            lines = planner.bullets(column.bullets, (*path, side, "bullets"))
            if side == "left":
                content.body = lines
            else:
                content.right_body = lines
        elif content.chart is None:
            content.chart = planner.chart(column, (*path, side), content.title, False)
            content.chart_column = side
        else:
            planner.problem((*path, side), "a two-column slide holds at most one chart",
                            "make one column bullets")
    content.footer_text = planner.footer_text(planner.quoted_figures)


def layout(frame: SlideFrame) -> None:
    """Each column's bullets in its placeholder, or the chart in that column's place."""
    geo, theme, content = frame.geometry, frame.theme, frame.content
    frame.title(geo.title, theme.title_pt)
    if content.chart_column != "left":
        frame.text("body", "left", content.body, geo.left_column, theme.column_pt,
                   placeholder=1, bullets=True)
    if content.right_body is not None:
        frame.text("right", "right", content.right_body, geo.right_column, theme.column_pt,
                   placeholder=2, bullets=True)
    if content.chart is not None:
        frame.layout.dropped_placeholders = (1 if content.chart_column == "left" else 2,)
        frame.chart(content.chart_column)
    frame.footer()


TYPE = SlideType("two_column", TwoColumnSlide, plan, layout, template_layout="Two Content")
