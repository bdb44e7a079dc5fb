"""A chart slide: a title, a caption (the question, scale and base) and one chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.deckfile.slidemodels import ChartSlide
from generator.i18n.phrase import Phrase, Span
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: ChartSlide, content: SlideContent, path: KeyPath) -> None:
    content.caption = planner.caption(slide, path)
    content.chart = planner.chart(slide, path, content.title, bool(content.caption))
    content.footer_text = planner.footer_text(planner.quoted_figures)
    if slide.findings and content.chart is not None:
        sentences = findings(planner, slide, content, path)
        content.notes = Phrase.join([p for p in (content.notes, *sentences) if p],
                                    Span("\n", planner.deck_tag)) or None


def findings(planner: Planner, slide: ChartSlide, content: SlideContent,
             path: KeyPath) -> list[Phrase]:
    """The chart's findings (`plan.findings`), or a problem where it has no tests."""
    from generator.plan.findings import comparison_findings
    from generator.survey.indicators import default_range

    assert content.chart is not None
    data = content.chart.data
    if slide.by is not None or data.value_kind not in ("mean", "percent") \
            or slide.resolved_indicator() == "distribution":
        planner.problem((*path, "findings"), "findings are made for one value per item "
                        "(mean or pct_range, without by:)", "remove findings: here")
        return []
    if data.significance is None:
        planner.problem((*path, "findings"), "findings rest on tests, and this slide has none",
                        "set significance: 0.05 on the slide or in deck:")
        return []
    battery = planner.codebook.batteries[slide.battery]
    low, high = slide.range or default_range(planner.codebook.scales[battery.scale])
    return comparison_findings(data, planner.locale, planner.message, f"{low}–{high}")


def layout(frame: SlideFrame) -> None:
    frame.title(frame.geometry.title, frame.theme.title_pt)
    frame.caption()
    frame.chart("full")
    frame.footer()


TYPE = SlideType("chart", ChartSlide, plan, layout, template_layout="Title Only")
