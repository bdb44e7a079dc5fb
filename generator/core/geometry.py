"""Where things go on a slide: boxes in EMU, read from the template by the writer.

Plain numbers only, so planning and layout never load python-pptx: the writer
reads a template's placeholders into a `Geometry`, layout places text, charts,
tables and pictures in its boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_INCH = 914400
EMU_PER_PX = 9525  # at 96 dpi


def inches(value: float) -> int:
    """`value` inches in EMU."""
    return round(value * EMU_PER_INCH)


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Geometry:
    """The boxes of a template's slides (EMU): the slide, the placeholders the slide types
    fill, and the content area charts, tables and pictures share with a caption."""

    width: int
    height: int
    cover_title: Box  # 'Title Slide'
    cover_subtitle: Box
    section_title: Box  # 'Section Header'
    section_subtitle: Box
    title: Box  # every other slide's title
    content: Box  # 'Title and Content': bullets, and charts, tables, pictures
    left_column: Box  # 'Two Content'
    right_column: Box
    caption_height: int
    builtin: bool = True  # the generator's own template: titles bold, left-aligned
    footer: Box | None = None  # a user template's own footer placeholder, if it has one
    slide_number: Box | None = None  # ... and its slide-number placeholder

    def chart_box(self, column: str, has_caption: bool) -> Box:
        """The box a chart, table or picture fills: the content area (below the caption,
        if any) or one column."""
        box = {"full": self.content, "left": self.left_column,
               "right": self.right_column}[column]
        if column == "full" and has_caption:
            return Box(box.left, box.top + self.caption_height, box.width,
                       box.height - self.caption_height)
        return box
