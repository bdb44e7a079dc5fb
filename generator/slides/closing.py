"""The closing slide: the deck's last word, set apart from the bullet slides before it.

The title and the lines under it (contacts, links, thanks) are centred on the title
slide's boxes, the lines without bullet marks and in the muted colour, so the deck ends
as it began; the footer and slide number stay as on any slide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.core.geometry import Box, inches
from generator.deckfile.slidemodels import ClosingSlide
from generator.layout.frame import SlideFrame
from generator.layout.textfit import fit_size
from generator.plan.content import Line, SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner

FOOTER_SPACE = inches(0.95)  # kept free above the slide's bottom edge for the footer
CROWDED_LAYOUT = "Title and Content"  # for more lines than fit under the title


def plan(planner: Planner, slide: ClosingSlide, content: SlideContent, path: KeyPath) -> None:
    content.body = planner.bullets(slide.bullets, (*path, "bullets"))
    content.footer_text = planner.footer_text(planner.quoted_figures)


def layout(frame: SlideFrame) -> None:
    """The title centred on the title slide's title box, set on its lower edge; the lines
    centred under it, from the subtitle's top down to the footer's space. Lines too many
    for that space at the subtitle's size go on the bullets slides' layout instead: the
    title on top, the lines centred in the content area. (On a template of your own,
    aligned as its layouts say.)"""
    geo, theme, content = frame.geometry, frame.theme, frame.content
    centre = "center" if geo.builtin else None
    lines = tuple(Line(line.phrase) for line in content.body)  # one level, no marks
    top = geo.cover_subtitle.top
    under = Box(geo.cover_subtitle.left, top, geo.cover_subtitle.width,
                max(geo.cover_subtitle.height, geo.height - FOOTER_SPACE - top))
    if fit_size(lines, under.width, under.height, theme.cover_subtitle_pt, False,
                theme.cover_subtitle_pt, theme.font) is not None:
        title_box, title_pt, box, anchor = (geo.cover_title, theme.cover_title_pt, under,
                                            "top")
    else:
        frame.layout.template_layout = CROWDED_LAYOUT
        title_box, title_pt, box, anchor = geo.title, theme.title_pt, geo.content, "middle"
    title = [Line(content.title, bold=True)]
    frame.text("title", "title", title if geo.builtin else [Line(content.title)],
               title_box, title_pt, placeholder=0, colour=theme.band, align=centre,
               anchor="bottom" if geo.builtin else None, measured=title)
    if lines:
        frame.text("body", "bullets", lines, box, theme.cover_subtitle_pt, placeholder=1,
                   colour=theme.muted, align=centre, anchor=anchor)
    frame.footer()


TYPE = SlideType("closing", ClosingSlide, plan, layout, template_layout="Title Slide")
