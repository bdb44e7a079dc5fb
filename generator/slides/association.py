"""An association slide: how a battery's index goes with items of other batteries,
drawn as a coefficient chart with the findings in words beside it (or in the notes).

The model and its numbers are `survey.association`'s; the planning is
`plan.association`'s; this module holds the deck file's keys and the layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.core.geometry import Box, inches
from generator.deckfile.slidemodels import AssociationSlide
from generator.layout.frame import SlideFrame
from generator.layout.textfit import fit_size
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: AssociationSlide, content: SlideContent,
         path: KeyPath) -> None:
    from generator.plan.association import plan_association

    plan_association(planner, slide, content, path)
    content.footer_text = planner.footer_text(planner.quoted_figures)


CHART_SHARE = 0.52  # of the content width, beside the findings


def layout(frame: SlideFrame) -> None:
    """The caption across the top; below it the chart on the left and the findings on the
    right (in the template's right-hand placeholder, moved there), or the chart alone.
    Findings too long for their column even at the theme's minimum size go to the slide's
    notes, whole: they are generated, so the user could neither shorten nor split them."""
    geo, theme, content = frame.geometry, frame.theme, frame.content
    frame.title(geo.title, theme.title_pt)
    frame.caption()
    if content.right_body:
        below = geo.chart_box("full", bool(content.caption))
        chart_width = int(below.width * CHART_SHARE)
        gap = inches(0.25)
        column = Box(below.left + chart_width + gap, below.top,
                     below.width - chart_width - gap, below.height)
        if fit_size(content.right_body, column.width, column.height, theme.column_pt, True,
                    theme.min_pt, theme.font) is not None:
            frame.text("right", "findings", content.right_body, column, theme.column_pt,
                       placeholder=2, bullets=True)
            frame.layout.dropped_placeholders = (1,)
            frame.chart("left", Box(below.left, below.top, chart_width, below.height))
            frame.footer()
            return
        frame.layout.notes = (*frame.layout.notes, *content.right_body)
    frame.layout.dropped_placeholders = (1, 2)
    frame.chart("full")
    frame.footer()


TYPE = SlideType("association", AssociationSlide, plan, layout,
                 template_layout="Two Content")
