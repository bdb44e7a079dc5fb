"""Slides drawn before, kept by what they were drawn from, to be added again undrawn.

A watch rebuild after a text edit changes one slide, yet python-pptx building every
slide through its object model was most of the rebuild. The writer (`output.pptx.writer`)
asks this cache first: a slide drawn before from equal inputs (the key the writer
makes of them) is added as a copy of the XML drawn then, related to the same kinds
of parts in the same order as drawing made them (its layout, pictures, links, its
notes slide with the notes master), so python-pptx names the parts and numbers the
relationships as it did, and the package is byte for byte the one drawing gives.

A slide is kept only when every part it relates to is one of those; a slide with a
native chart (a chart part and workbook of its own) is always drawn. At most
`SLIDES_KEPT` slides are kept, the least recently used going first; pictures are
not kept (a slide's key holds their digests, and the caller hands over the bytes).
"""

from __future__ import annotations

import copy
import hashlib
import io
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.slide import NotesSlidePart, SlidePart

SLIDES_KEPT = 200  # ten decks of twenty slides; a slide's XML is some tens of kB
NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"


@dataclass(frozen=True)
class _Rel:
    """One relationship of a kept part: its rId, its type, and what it points to:
    ``("layout", partname)``, ``("image", sha1)``, ``("notes master",)``,
    ``("slide",)`` (the slide owning a notes slide), ``("notes", _Part)`` or
    ``("external", url)``."""

    r_id: str
    reltype: str
    target: tuple


@dataclass(frozen=True)
class _Part:
    """A slide or notes slide as drawn: a private copy of its XML and its relationships
    in rId order."""

    element: object
    rels: tuple[_Rel, ...]


class SlideCache:
    """Slides by the key of what they were drawn from (see `output.pptx.writer.slide_inputs`)."""

    def __init__(self, limit: int = SLIDES_KEPT) -> None:
        self.limit = limit
        self._slides: OrderedDict[Hashable, _Part] = OrderedDict()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._slides)

    def clear(self) -> None:
        """Forget every slide kept (after an internal fault: the next build draws all)."""
        self._slides.clear()

    def add(self, prs, key: Hashable, layout, images: Iterable[bytes]):
        """Add the slide kept under `key` to `prs` (after its last slide) and return it;
        None when none is kept. `layout` is the slide layout it is made from, `images`
        the bytes of the pictures it shows (the ones its key was made with)."""
        kept = self._slides.get(key)
        if kept is None:
            self.misses += 1
            return None
        self._slides.move_to_end(key)
        self.hits += 1
        pictures = {hashlib.sha1(blob).hexdigest(): blob for blob in images}
        presentation = prs.part
        package = presentation.package
        slide_part = SlidePart(presentation._next_slide_partname, CT.PML_SLIDE, package,
                               copy.deepcopy(kept.element))
        first, *rest = kept.rels
        _relate(slide_part, first, layout.part, pictures)  # as SlidePart.new relates it
        prs.slides._sldIdLst.add_sldId(presentation.relate_to(slide_part, RT.SLIDE))
        for rel in rest:
            _relate(slide_part, rel, slide_part, pictures)
        return slide_part.slide

    def keep(self, key: Hashable, slide) -> bool:
        """Keep `slide`, just drawn, under `key`; False when it relates to a part this
        cache cannot make again (it is then drawn each time)."""
        kept = _record(slide.part, owner=None)
        if kept is None:
            return False
        self._slides[key] = kept
        self._slides.move_to_end(key)
        while len(self._slides) > self.limit:
            self._slides.popitem(last=False)
        return True


def _rid_number(r_id: str) -> int:
    return int(r_id[3:]) if r_id.startswith("rId") and r_id[3:].isdigit() else 0


def _record(part, owner) -> _Part | None:
    """`part` and its relationships, or None when one of them cannot be made again or
    its rIds are not rId1 … rIdN (which adding them in order would not give back)."""
    rels = []
    for number, (r_id, rel) in enumerate(sorted(part.rels.items(),
                                                key=lambda item: _rid_number(item[0])), 1):
        if r_id != f"rId{number}":
            return None
        if rel.is_external:
            target: tuple = ("external", rel.target_ref)
        elif rel.reltype == RT.SLIDE_LAYOUT and owner is None:
            target = ("layout", str(rel.target_part.partname))
        elif rel.reltype == RT.IMAGE:
            target = ("image", rel.target_part.sha1)
        elif rel.reltype == RT.NOTES_SLIDE and owner is None:
            notes = _record(rel.target_part, owner=part)
            if notes is None:
                return None
            target = ("notes", notes)
        elif rel.reltype == RT.NOTES_MASTER and owner is not None:
            target = ("notes master",)
        elif rel.reltype == RT.SLIDE and owner is not None and rel.target_part is owner:
            target = ("slide",)
        else:
            return None
        rels.append(_Rel(r_id, rel.reltype, target))
    if owner is None and (not rels or rels[0].target[0] != "layout"):
        return None
    return _Part(copy.deepcopy(part._element), tuple(rels))


def _relate(part, rel: _Rel, target_part, pictures: dict[str, bytes]) -> None:
    """Make `rel` of `part` again: the same rId to the same kind of part, made as
    python-pptx makes it (`target_part`: the layout for a slide's first relationship,
    else the slide owning `part`)."""
    kind = rel.target[0]
    package = part.package
    if kind == "external":
        r_id = part.relate_to(rel.target[1], rel.reltype, is_external=True)
    elif kind == "layout":
        assert str(target_part.partname) == rel.target[1], "the layout drawn on differs"
        r_id = part.relate_to(target_part, rel.reltype)
    elif kind == "image":
        image = package.get_or_add_image_part(io.BytesIO(pictures[rel.target[1]]))
        r_id = part.relate_to(image, rel.reltype)
    elif kind == "notes master":
        r_id = part.relate_to(package.presentation_part.notes_master_part, rel.reltype)
    elif kind == "slide":
        r_id = part.relate_to(target_part, rel.reltype)
    else:  # a notes slide, made as NotesSlidePart.new makes it
        kept: _Part = rel.target[1]
        notes = NotesSlidePart(package.next_partname(NOTES_PARTNAME), CT.PML_NOTES_SLIDE,
                               package, copy.deepcopy(kept.element))
        for notes_rel in kept.rels:
            _relate(notes, notes_rel, part, pictures)
        r_id = part.relate_to(notes, rel.reltype)
    assert r_id == rel.r_id, f"relationship {rel.r_id} came back as {r_id}"
