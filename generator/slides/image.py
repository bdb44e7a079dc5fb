"""An image slide: a title, a caption and a PNG or JPEG scaled into the content area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PIL import Image

from generator.core.geometry import Box
from generator.deckfile.slidemodels import ImageSlide
from generator.layout.elements import PictureElement
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent
from generator.slides.kind import SlideType

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def plan(planner: Planner, slide: ImageSlide, content: SlideContent, path: KeyPath) -> None:
    content.caption = planner.text(slide.caption, (*path, "caption"))
    if not slide.path.is_file():
        planner.problem((*path, "path"), f"image not found: {slide.path}",
                        "the path is relative to the deck file")
    elif slide.path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        planner.problem((*path, "path"), "images must be PNG or JPEG files")
    else:
        content.image = slide.path
    content.footer_text = planner.footer_text(planner.quoted_figures)


def fit_picture(size: tuple[int, int], box: Box) -> Box:
    """The largest box of the picture's proportions inside `box`, centred in it."""
    width, height = size
    scale = min(box.width / width, box.height / height)
    w, h = int(width * scale), int(height * scale)
    return Box(box.left + (box.width - w) // 2, box.top + (box.height - h) // 2, w, h)


def layout(frame: SlideFrame) -> None:
    content = frame.content
    frame.title(frame.geometry.title, frame.theme.title_pt)
    frame.caption()
    if content.image is not None:
        with Image.open(content.image) as picture:
            size = picture.size
        box = frame.geometry.chart_box("full", bool(content.caption))
        frame.add(PictureElement(fit_picture(size, box), content.image,
                                 content.caption or content.title))
    frame.footer()


TYPE = SlideType("image", ImageSlide, plan, layout, template_layout="Title Only")
