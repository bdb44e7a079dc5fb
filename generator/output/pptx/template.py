"""The deck's template: the built-in one or the user's .pptx, the layout each kind of
slide uses (`layouts`), the boxes those layouts give (`Geometry`) and its theme.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches

from generator.core.errors import InputError, Problem
from generator.core.geometry import Box, Geometry
from generator.layout.brand import TemplateLook
from generator.output.pptx.layouts import LayoutChoice, Locate, choose_layouts
from generator.output.pptx.themefile import read_look

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
BUILTIN_TEMPLATE = "built-in"


def _builtin_template() -> Presentation:
    """python-pptx's default template made 16:9 with this project's geometry."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    margin, width = Inches(0.6), SLIDE_WIDTH - Inches(1.2)
    title = Box(margin, Inches(0.35), width, Inches(1.0))
    body = Box(margin, Inches(1.5), width, Inches(5.25))
    half = (width - Inches(0.4)) // 2
    places = {
        ("Title Slide", 0): Box(margin, Inches(1.9), width, Inches(1.9)),
        ("Title Slide", 1): Box(margin, Inches(3.9), width, Inches(1.4)),
        ("Section Header", 0): Box(margin, Inches(3.2), width, Inches(1.4)),
        ("Section Header", 1): Box(margin, Inches(4.6), width, Inches(1.0)),
        ("Title and Content", 0): title, ("Title and Content", 1): body,
        ("Title Only", 0): title, ("Two Content", 0): title,
        ("Two Content", 1): Box(margin, body.top, half, body.height),
        ("Two Content", 2): Box(margin + half + Inches(0.4), body.top, half, body.height),
    }
    for layout in [prs.slide_master, *prs.slide_layouts]:
        for shape in layout.placeholders:
            shape.left = int(shape.left * SLIDE_WIDTH / Inches(10))
            shape.width = int(shape.width * SLIDE_WIDTH / Inches(10))
            box = places.get((getattr(layout, "name", ""), shape.placeholder_format.idx))
            if box:
                shape.left, shape.top, shape.width, shape.height = box.left, box.top, \
                    box.width, box.height
    return prs


@functools.cache
def _builtin_template_bytes() -> bytes:
    """The built-in template, made once per process: reopening it from bytes takes
    a few ms, making it 110 ms (a watch rebuild's budget is 300). Its parts are
    stored, not deflated: inflating them was half of reopening it."""
    saved, stored = io.BytesIO(), io.BytesIO()
    _builtin_template().save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(stored, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return stored.getvalue()


@dataclass
class Template:
    """An opened template: the presentation to add slides to, whether it is the built-in
    one, its identity (`BUILTIN_TEMPLATE` or the digest of the file's bytes: slides kept
    by `slidecache` are kept per template), the layout of each role and its theme."""

    prs: Presentation
    builtin: bool
    identity: str
    layouts: dict[str, LayoutChoice]
    look: TemplateLook | None = None


def _file_problem(path: Path) -> Locate:
    def locate(role: str | None, message: str, hint: str) -> Problem:
        return Problem(message, file=path, hint=hint)
    return locate


_CHOICES: dict[tuple, dict[str, LayoutChoice]] = {}


def open_template(path: Path | None, chosen: Mapping[str, str] | None = None,
                  locate: Locate | None = None) -> Template:
    """The template at `path` (None: the built-in one) with a layout for every role
    (`chosen` names some: the deck's ``layouts:``); `locate` places a problem with a
    chosen name (default: the template file)."""
    chosen = dict(chosen or {})
    if path is None:
        prs = Presentation(io.BytesIO(_builtin_template_bytes()))
        identity, look = BUILTIN_TEMPLATE, None
    else:
        prs, identity = _read(path)
    key = (identity, tuple(sorted(chosen.items())))
    if key not in _CHOICES:  # one template's choices are the same every rebuild
        _CHOICES[key] = choose_layouts(list(prs.slide_masters), chosen,
                                       locate or _file_problem(path or Path("built-in")))
    if path is not None:
        look = read_look(prs.slide_masters[_CHOICES[key]["content"].index[0]])
        for prs_slide in list(prs.slides._sldIdLst):  # a template's own slides are not kept
            prs.part.drop_rel(prs_slide.rId)
            prs.slides._sldIdLst.remove(prs_slide)
    return Template(prs, path is None, identity, _CHOICES[key], look)


def _read(path: Path) -> tuple[Presentation, str]:
    if not path.is_file():
        raise InputError(Problem("template not found", file=path,
                                 hint="check 'template:' in the deck file; it is relative to it"))
    try:
        data = path.read_bytes()
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:
        raise InputError(Problem(f"cannot open the template ({type(exc).__name__})", file=path,
                                 hint="it must be a .pptx file")) from None
    return prs, hashlib.sha256(data).hexdigest()


def geometry(template: Template) -> Geometry:
    """The boxes of the placeholders the slide types fill (EMU)."""
    layouts, prs = template.layouts, template.prs
    cover, section = layouts["title"], layouts["section"]
    content, two = layouts["content"], layouts["two_content"]
    builtin = template.builtin
    return Geometry(width=int(prs.slide_width), height=int(prs.slide_height),
                    cover_title=cover.boxes[0], cover_subtitle=cover.boxes[1],
                    section_title=section.boxes[0], section_subtitle=section.boxes[1],
                    title=content.boxes[0], content=content.boxes[1],
                    left_column=two.boxes[1], right_column=two.boxes[2],
                    caption_height=Inches(0.75), builtin=builtin,
                    footer=None if builtin else content.footer,
                    slide_number=None if builtin else content.number)
