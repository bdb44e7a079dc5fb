"""A JSON-able summary of a .pptx, for comparing built decks with expected ones.

Compares what a person sees and what tools read (layouts, texts, notes,
shapes, picture pixel sizes, alt texts, language tags), never the bytes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE


def _langs(element) -> list[str]:
    found = {node.get("lang") for node in element.iter()
             if node.tag.endswith("}rPr") or node.tag.endswith("}endParaRPr")}
    return sorted(lang or "(none)" for lang in found)


def _shape(shape) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": shape.name}
    if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
        with Image.open(io.BytesIO(shape.image.blob)) as image:
            entry["picture_px"] = list(image.size)
        entry["alt_text"] = shape._element.nvPicPr.cNvPr.get("descr")
    elif shape.has_table:
        entry["table"] = [[cell.text for cell in row.cells] for row in shape.table.rows]
    elif shape.has_text_frame:
        entry["paragraphs"] = [
            [p.level, "".join(r.text for r in p.runs) + "".join(
                f.text or "" for f in p._p.iter() if f.tag.endswith("}fld"))]
            for p in shape.text_frame.paragraphs]
    return entry


def summarise(path: Path) -> dict[str, Any]:
    """Per slide: layout, title, shapes with texts/pictures/alt texts, notes, languages."""
    prs = Presentation(str(path))
    slides = []
    for number, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title
        slides.append({
            "number": number,
            "layout": slide.slide_layout.name,
            "title": title.text_frame.text if title is not None else None,
            "shapes": [_shape(s) for s in slide.shapes],
            "notes": slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else None,
            "languages": _langs(slide._element),
        })
    return {"slide_size_in": [round(prs.slide_width / 914400, 3),
                              round(prs.slide_height / 914400, 3)],
            "title": prs.core_properties.title, "slides": slides}
