"""OOXML copied between two decks: shapes, charts and slides moved over with their
relationships, text replaced keeping a person's paragraph styles."""

from __future__ import annotations

import copy
import io

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.parts.chart import ChartPart

from generator.output.pptx.identity import (
    identity_of,
)

REL_ATTRS = (qn("r:embed"), qn("r:id"), qn("r:link"), qn("r:pict"))


def copy_chart_part(source: ChartPart, package) -> ChartPart:
    chart_space = copy.deepcopy(source._element)
    for external in chart_space.xpath("./c:externalData"):
        chart_space.remove(external)
    part = ChartPart(package.next_partname(ChartPart.partname_template), CT.DML_CHART, package,
                     chart_space)
    workbook = source.chart_workbook.xlsx_part
    if workbook is not None:
        part.chart_workbook.update_from_xlsx_blob(workbook.blob)
    return part


def import_element(element, source_part, target_part):
    """`element` copied for `target_part`, its relationships (pictures, charts, links)
    re-made there."""
    element = copy.deepcopy(element)
    for node in element.iter():
        for attr in REL_ATTRS:
            rid = node.get(attr)
            if not rid or rid not in source_part.rels:
                continue
            rel = source_part.rels[rid]
            if rel.is_external:
                new = target_part.relate_to(rel.target_ref, rel.reltype, is_external=True)
            elif rel.reltype == RT.IMAGE:
                _, new = target_part.get_or_add_image_part(io.BytesIO(rel.target_part.blob))
            elif rel.reltype == RT.CHART:
                new = target_part.relate_to(copy_chart_part(rel.target_part,
                                                             target_part.package), RT.CHART)
            else:
                continue
            node.set(attr, new)
    return element


def c_nv_pr(element):
    return element.xpath("./*[1]/p:cNvPr")[0]


def add_shape(slide, element, source_part, after=None):
    """Put a copy of a fresh deck's shape on the person's slide; returns the element."""
    new = import_element(element, source_part, slide.part)
    c_nv_pr(new).set("id", str(slide.shapes._next_shape_id))
    if after is not None:
        after.addnext(new)
    else:
        slide.shapes._spTree.append(new)
    return new


def explicit_geometry(element, shape) -> None:
    """A placeholder copied to another deck keeps its place even if that deck's layout
    differs (LibreOffice rewrites layouts)."""
    sp_pr = element.find(qn("p:spPr"))
    if sp_pr is None or sp_pr.find(qn("a:xfrm")) is not None:
        return
    xfrm = sp_pr.makeelement(qn("a:xfrm"), {})
    sp_pr.insert(0, xfrm)
    off = xfrm.makeelement(qn("a:off"), {"x": str(shape.left), "y": str(shape.top)})
    ext = xfrm.makeelement(qn("a:ext"), {"cx": str(shape.width), "cy": str(shape.height)})
    xfrm.extend([off, ext])


def layout_for(prs, fresh_slide, kind: str, kinds: dict[str, object]):
    wanted = fresh_slide.slide_layout.name
    for layout in prs.slide_layouts:
        if layout.name == wanted:
            return layout
    if kind in kinds:
        return kinds[kind].slide_layout
    return next(iter(kinds.values())).slide_layout if kinds else prs.slide_layouts[0]


def copy_slide(prs, fresh_slide, layout, index: int, like: dict[str, object]):
    """A copy of `fresh_slide` inserted into `prs` at `index`; returns it. `like` maps a
    role to the same shape on a slide of the same type, whose paragraph formatting the
    copy takes."""
    slide = prs.slides.add_slide(layout)
    for shape in list(slide.shapes):
        shape._element.getparent().remove(shape._element)
    for shape in fresh_slide.shapes:
        element = copy.deepcopy(shape._element)
        if shape.is_placeholder:
            explicit_geometry(element, shape)
            ident = identity_of(shape)
            model = like.get(ident[1]) if ident else None
            if model is not None and model.has_text_frame:
                restyle(element.xpath("./p:txBody/a:p"),
                         paragraph_styles(model.text_frame._txBody))
        slide.shapes._spTree.append(import_element(element, fresh_slide.part, slide.part))
    if fresh_slide.has_notes_slide:
        replace_text(slide.notes_slide.notes_text_frame._txBody,
                      fresh_slide.notes_slide.notes_text_frame._txBody, fresh_slide.part,
                      slide.notes_slide.part)
    ids = prs.slides._sldIdLst
    entry = ids[-1]
    ids.remove(entry)
    ids.insert(index, entry)
    return slide


def paragraph_styles(body) -> dict[int, object]:
    """Level -> the first paragraph properties of that level in a text body."""
    styles: dict[int, object] = {}
    for p_pr in body.xpath("./a:p/a:pPr"):
        styles.setdefault(int(p_pr.get("lvl", "0")), p_pr)
    return styles


def restyle(paragraphs, styles: dict[int, object]) -> None:
    """Give each paragraph the deck's own properties for its level (bullets, indents:
    LibreOffice writes them on the paragraphs and not in its layouts)."""
    for paragraph in paragraphs:
        p_pr = paragraph.find(qn("a:pPr"))
        level = int(p_pr.get("lvl", "0")) if p_pr is not None else 0
        if level in styles:
            if p_pr is not None:
                paragraph.remove(p_pr)
            paragraph.insert(0, copy.deepcopy(styles[level]))


def replace_text(old_body, new_body, source_part, target_part, styles=None) -> None:
    """The generated paragraphs put into `old_body`, which keeps its own box settings and
    paragraph formatting (by level)."""
    styles = paragraph_styles(old_body) if styles is None else styles
    paragraphs = import_element(new_body, source_part, target_part).findall(qn("a:p"))
    for paragraph in old_body.findall(qn("a:p")):
        old_body.remove(paragraph)
    restyle(paragraphs, styles)
    old_body.extend(paragraphs)


def delete_slide(prs, slide) -> None:
    ids = prs.slides._sldIdLst
    for entry in list(ids):
        if prs.part.related_part(entry.rId) is slide.part:
            prs.part.drop_rel(entry.rId)
            ids.remove(entry)


def shape_kind(shape) -> str:
    """chart (native), picture, table or text: what an update can carry over in place."""
    if getattr(shape, "has_chart", False) and shape.has_chart:
        return "chart"
    if shape._element.tag == qn("p:pic"):
        return "picture"
    if getattr(shape, "has_table", False) and shape.has_table:
        return "table"
    return "text" if shape.has_text_frame else "other"


def series_changed(chart, fresh_chart) -> bool:
    """Whether new data cannot go into the chart in place: it has more or fewer series
    now (a dot plot's intervals turned on), or the same series in another order
    (horizontal bars stored top down by an earlier version)."""
    def names(one) -> list[str]:
        return [s.name.split(" (N = ")[0] for s in one.plots[0].series]

    old, new = names(chart), names(fresh_chart)
    return len(old) != len(new) or (old != new and sorted(old) == sorted(new))


def follow_labels(chart, fresh_chart) -> None:
    """Value labels written as text, and colours that mark a point (the deck's country
    in a ranking), follow the new data; the person's series styling stays."""
    for series, fresh in zip(chart.plots[0].series, fresh_chart.plots[0].series, strict=False):
        texts = {label.xpath("string(./c:idx/@val)"):
                 "".join(label.xpath("./c:tx/c:rich//a:t/text()"))
                 for label in fresh._element.xpath("./c:dLbls/c:dLbl")}
        for label in series._element.xpath("./c:dLbls/c:dLbl"):
            key = label.xpath("string(./c:idx/@val)")
            text = texts.get(key)
            lines = fresh._element.xpath(f"./c:dLbls/c:dLbl[c:idx/@val='{key}']/c:tx")
            if text and lines and len(lines[0].xpath("./c:rich/a:p")) > 1:
                # a label of several lines (a dot plot's item): the new one, whole
                label.replace(label.find(qn("c:tx")), copy.deepcopy(lines[0]))
                continue
            runs = label.xpath("./c:tx/c:rich/a:p/a:r")
            if not text or not runs:
                continue  # a label showing the value itself follows the data by itself
            runs[0].xpath("./a:t")[0].text = text
            for extra in runs[1:]:
                extra.getparent().remove(extra)
        follow_error_bars(series._element, fresh._element)
        fresh_dpts = fresh._element.xpath("./c:dPt")
        if fresh_dpts:
            for d_pt in series._element.xpath("./c:dPt"):
                series._element.remove(d_pt)
            for d_pt in fresh_dpts:
                series._element._insert_dPt(copy.deepcopy(d_pt))


def follow_error_bars(ser, fresh_ser) -> None:
    """Interval lines (custom error bars, their lengths written into the chart) take the
    new lengths; the person's line style stays."""
    bars, fresh_bars = ser.find(qn("c:errBars")), fresh_ser.find(qn("c:errBars"))
    if fresh_bars is None:
        if bars is not None:
            ser.remove(bars)
        return
    if bars is None:
        ser.find(qn("c:cat")).addprevious(copy.deepcopy(fresh_bars))
        return
    for tag in ("c:plus", "c:minus"):
        old, new = bars.find(qn(tag)), fresh_bars.find(qn(tag))
        if old is not None and new is not None:
            old.getparent().replace(old, copy.deepcopy(new))
