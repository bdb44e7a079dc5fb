"""An association slide: how a battery's index goes with items of other batteries,
drawn as a coefficient chart with the findings in words beside it (or in the notes).

The model and its numbers are `survey.association`'s; the planning is
`plan.association`'s; this module holds the deck file's keys and the layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from generator.deckfile.model import ChartRenderer, Filter, SlideBase, Text
from generator.layout.frame import SlideFrame
from generator.layout.geometry import Box, inches
from generator.layout.textfit import fit_size
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


class AssociationSlide(SlideBase):
    type: Literal["association"]
    outcome: str = Field(description="The battery whose index (the mean of its items) is "
                                     "explained")
    predictors: tuple[str, ...] = Field(min_length=1, description="Batteries whose items "
                                        "are the predictors")
    background: tuple[str, ...] = Field((), description="Background variables added as "
                                        "categories (the first code is the reference)")
    scope: Literal["pooled", "country"] = Field(
        "pooled", description="pooled: every country, with country fixed effects; country: "
                              "the deck's country alone")
    errors: Literal["hc1", "cluster"] = Field(
        "hc1", description="hc1: robust standard errors; cluster: clustered by country "
                           "(pooled only)")
    ci: float = Field(0.95, gt=0, lt=1, description="Level of the intervals drawn")
    significance: float = Field(0.05, gt=0, lt=0.5, description="Level of the tests the "
                                                                 "findings rest on")
    filter: Filter | None = Field(None, description="Only these respondents (replaces the "
                                                    "deck's filter)")
    findings: Literal["bullets", "notes", "none"] = Field(
        "bullets", description="Where the generated sentences go")
    outcome_label: Text | None = Field(None, description="The outcome's name in the "
                                       "sentences, e.g. coordination quality")
    caption: Text | None = Field(None, description="Replaces the generated caption")
    charts: ChartRenderer | None = None

    @model_validator(mode="after")
    def _clusters_need_countries(self) -> AssociationSlide:
        if self.errors == "cluster" and self.scope == "country":
            raise ValueError("errors: cluster clusters by country, so it needs scope: pooled "
                             "| use errors: hc1 within one country")
        return self


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
