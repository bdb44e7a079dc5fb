"""The identity a generated deck carries, so a later run can find its own shapes again.

Every generated shape is named ``<slide key> · <role>`` (``samordning · title``,
``kvalitet · chart``): PowerPoint and LibreOffice both keep the names of
pictures, charts, tables and text boxes through a user's save. LibreOffice
renames placeholders (``PlaceHolder 1``), so those are found by their order
on the slide instead (the title placeholder, then the others as recorded).

The deck also records what it generated (a `Manifest`: every slide's key,
type and title, each shape's text, a hash of each picture and chart's
data) in custom document properties, which both programs keep. They are
zlib-compressed and split into values of at most 255 characters, the
length Office's property dialog is sure to keep.

What a LibreOffice 7.4 save (``soffice --convert-to pptx``) keeps, tried out:
custom document properties (also 20 000-character values), the names of
pictures, charts, tables and text boxes, a picture's alt text (``descr``).
What it loses: placeholder names, slide names (``p:cSld/@name``), a chart's
alt text, ``cNvPr/@title``, ``p:custDataLst`` tags, slide and shape
``extLst`` entries, layout names, shape and slide ids. It keeps custom XML
parts but relates them from the package root with a target outside the
package, so they are not used here.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import threading
import unicodedata
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI

from generator.plan.content import SlideContent

ROLES = ("title", "subtitle", "body", "right", "footnote", "caption", "chart", "chart-note",
         "chart-legend", "table", "image", "footer", "slide-number")
"""What a generated shape is for; with the slide's key, its identity."""
PLACEHOLDER_ROLES = ("title", "subtitle", "body", "right")
SEPARATOR = " · "
FORMAT = 1
PROPERTY_PREFIX = "SurveyDeckManifest"
CHUNK = 255
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one Office uses for user properties


# -- names ----------------------------------------------------------------------------------

def shape_name(key: str, role: str) -> str:
    """The name a generated shape carries: ``<slide key> · <role>``."""
    assert role in ROLES, role
    return f"{key}{SEPARATOR}{role}"


def mark(shape, key: str, role: str):
    """Name `shape` with its identity; returns the shape."""
    shape.name = shape_name(key, role)
    return shape


def identity_of(shape) -> tuple[str, str] | None:
    """(slide key, role) read from a shape's name, or None for a shape not generated."""
    key, sep, role = shape.name.rpartition(SEPARATOR)
    return (key, role) if sep and key and role in ROLES else None


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_")[:40].strip("-_")


# -- what was generated -----------------------------------------------------------------------

@dataclass
class SlideRecord:
    """One generated slide as the manifest remembers it."""

    key: str
    kind: str
    position: int  # its place in the deck file's slide list
    title: str
    auto: bool = False  # the key was made up (the slide has no `id:`), not given
    deleted: bool = False  # the user deleted it: an update does not bring it back
    placeholders: list[str] = field(default_factory=list)  # roles, in the slide's order
    shapes: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> what it held


@dataclass
class Manifest:
    """What a deck's generator wrote, read back by an update."""

    deck_file: str
    country: str
    language: str
    slides: list[SlideRecord] = field(default_factory=list)
    generator: str = ""
    format: int = FORMAT

    def by_key(self) -> dict[str, SlideRecord]:
        return {s.key: s for s in self.slides}

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        raw["slides"] = [SlideRecord(**s) for s in raw["slides"]]
        return cls(**raw)


def assign_keys(slides: Sequence[SlideContent], previous: Manifest | None = None) -> None:
    """Give every slide its stable key (`SlideContent.key`): its `id:`, else the key an
    earlier build made up for it, else a new one from its title.

    A slide without an id is found among the earlier build's made-up keys by its type
    and title, then by its type and place, then as the next one of its type that is
    still in the deck. Slides with an `id:` are always found again."""
    taken = {s.id for s in slides if s.id}
    if previous is not None:
        taken |= {r.key for r in previous.slides}
    # a made-up key that is now a slide's id is that slide's, not one to claim by title
    ids = {s.id for s in slides if s.id}
    unclaimed = [r for r in previous.slides if r.auto and r.key not in ids] if previous else []
    for slide in slides:
        slide.key = slide.id or ""
    unkeyed = [(i, s) for i, s in enumerate(slides) if not s.key]
    tests = (lambda r, i, s: (r.kind, r.title) == (s.kind, str(s.title)),
             lambda r, i, s: (r.kind, r.position) == (s.kind, i),
             lambda r, i, s: r.kind == s.kind and not r.deleted)
    for test in tests:
        for position, slide in unkeyed:
            match = None if slide.key else next(
                (r for r in unclaimed if test(r, position, slide)), None)
            if match is not None:
                unclaimed.remove(match)
                slide.key = match.key
    for _, slide in unkeyed:
        if slide.key:
            continue
        base = _slug(str(slide.title)) or slide.kind
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        slide.key = key


def is_auto(slide: SlideContent) -> bool:
    return not slide.id


# -- reading shapes -------------------------------------------------------------------------

def shape_text(shape) -> str:
    """The text a person sees in a text shape or table (paragraphs joined by newlines)."""
    if getattr(shape, "has_table", False) and shape.has_table:
        return "\n".join("\t".join(cell.text for cell in row.cells) for row in shape.table.rows)
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return shape.text_frame.text
    return ""


def chart_values(chart) -> list:
    """A native chart's categories and series values, as plain lists."""
    plot = chart.plots[0]
    return [list(plot.categories),
            [[s.name, [None if v is None else round(float(v), 9) for v in s.values],
              *_x_values(s)] for p in chart.plots for s in p.series]]


def _x_values(series) -> list[list[float]]:
    """An XY series' x values (a dot plot's: where each dot sits), as a list in a list;
    nothing for a series of a category chart, whose values are all of it."""
    found = series._element.xpath("./c:xVal//c:pt/c:v/text()")
    return [[round(float(v), 9) for v in found]] if found else []


def _digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:20]


def fingerprint(shape) -> dict[str, str]:
    """What the manifest keeps of a shape: its text, or a hash of its picture or chart
    data, and its alt text."""
    element = shape._element
    descr = element.xpath("./*[1]/p:cNvPr/@descr")
    alt = {"alt": str(descr[0])} if descr else {}
    if getattr(shape, "has_chart", False) and shape.has_chart:
        values = json.dumps(chart_values(shape.chart), ensure_ascii=False)
        return {"chart": _digest(values.encode()), **alt}
    if element.tag.endswith("}pic"):
        return {"picture": _digest(shape.image.blob), **alt}
    return {"text": shape_text(shape)}


def notes_text(slide) -> str | None:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else None


def text_placeholders(slide) -> list:
    """The slide's placeholders that hold text, the title first, then in order."""
    title = slide.shapes.title
    holders = [s for s in slide.placeholders if s.has_text_frame]
    first = [s for s in holders if title is not None and s.shape_id == title.shape_id]
    return first + [s for s in holders if s not in first]


def generated_shapes(slide, record: SlideRecord | None, key: str | None) -> dict[str, object]:
    """Role -> shape for the generated shapes of `slide` with slide key `key`.

    Named shapes are found by name (the first one, if a copy carries the same
    name); placeholders without their name, as LibreOffice leaves them, by the
    order the manifest recorded."""
    found: dict[str, object] = {}
    for shape in slide.shapes:
        ident = identity_of(shape)
        if ident and ident[0] == key and ident[1] not in found:
            found[ident[1]] = shape
    if record is None:
        return found
    unnamed = [s for s in text_placeholders(slide) if identity_of(s) is None]
    missing = [r for r in record.placeholders if r not in found]
    title = slide.shapes.title
    if "title" in missing and title is not None and identity_of(title) is None:
        found["title"] = title
        missing.remove("title")
        unnamed = [s for s in unnamed if s.shape_id != title.shape_id]
    for role, shape in zip(missing, unnamed, strict=False):
        found[role] = shape
    return found


def slide_key(slide) -> str | None:
    """The key most of the slide's named shapes carry, or None for a slide of the user's."""
    keys = Counter(ident[0] for ident in map(identity_of, slide.shapes) if ident)
    return keys.most_common(1)[0][0] if keys else None


def record_slide(slide, content: SlideContent, position: int) -> SlideRecord:
    """The manifest's record of a slide just written."""
    shapes = generated_shapes(slide, None, content.key)
    order = {s.shape_id: i for i, s in enumerate(text_placeholders(slide))}
    placeholders = sorted((role for role in PLACEHOLDER_ROLES if role in shapes
                           and shapes[role].shape_id in order),
                          key=lambda role: order[shapes[role].shape_id])
    record = SlideRecord(key=content.key, kind=content.kind, position=position,
                         title=str(content.title), auto=is_auto(content),
                         placeholders=placeholders)
    record.shapes = {role: fingerprint(shape) for role, shape in shapes.items()
                     if role != "slide-number"}
    notes = notes_text(slide)
    if content.notes and notes is not None:
        record.shapes["notes"] = {"text": notes}
    return record


# -- records remembered across builds ----------------------------------------------------------

RECORDS_KEPT = 512
_records: OrderedDict[tuple, object] = OrderedDict()
_records_lock = threading.Lock()  # builds may run in threads


def _slide_state(slide) -> bytes:
    """A digest of everything a slide's record is read from: its XML and the parts it
    relates to (pictures, native charts, notes), the layout aside."""
    digest = hashlib.sha256(etree.tostring(slide._element))
    for r_id, rel in sorted(slide.part.rels.items()):
        if rel.reltype == RT.SLIDE_LAYOUT:
            continue
        digest.update(f"{r_id} {rel.reltype} ".encode())
        digest.update(rel.target_ref.encode() if rel.is_external
                      else hashlib.sha256(rel.target_part.blob).digest())
    return digest.digest()


def _remembered(key: tuple, read: Callable[[], object]) -> object:
    """What `read()` gave for a slide in this state before (a watch rebuild rewrites
    every slide, but reads back only the changed ones), else `read()`."""
    with _records_lock:
        if key in _records:
            _records.move_to_end(key)
            return _records[key]
    value = read()
    with _records_lock:
        _records[key] = value
        while len(_records) > RECORDS_KEPT:
            _records.popitem(last=False)
    return value


# -- the manifest in custom document properties -----------------------------------------------

def _custom_part(prs) -> Part | None:
    try:
        return prs.part.package.part_related_by(RT.CUSTOM_PROPERTIES)
    except KeyError:
        return None


def _properties(part: Part | None) -> etree._Element:
    if part is None:
        return etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS,
                                                                   "vt": _VT_NS})
    return etree.fromstring(part.blob)


def write_manifest(prs, manifest: Manifest) -> None:
    """Store `manifest` in the deck's custom document properties, keeping the others."""
    part = _custom_part(prs)
    root = _properties(part)
    for prop in list(root):
        if (prop.get("name") or "").startswith(PROPERTY_PREFIX):
            root.remove(prop)
    packed = base64.b64encode(zlib.compress(manifest.to_json().encode(), 9)).decode()
    chunks = [packed[i:i + CHUNK] for i in range(0, len(packed), CHUNK)]
    for number, chunk in enumerate(chunks, start=1):
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
        prop.set("fmtid", _FMTID)
        prop.set("name", f"{PROPERTY_PREFIX}{number:03d}")
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = chunk
    for pid, prop in enumerate(root, start=2):
        prop.set("pid", str(pid))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is None:
        package = prs.part.package
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, package, blob)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    else:
        part.blob = blob


class ManifestError(ValueError):
    """The deck's record of what it generated is missing or unreadable."""


def read_manifest(prs) -> Manifest:
    """The manifest a generated deck carries; `ManifestError` if it has none."""
    part = _custom_part(prs)
    if part is None:
        raise ManifestError("it has no custom document properties")
    root = _properties(part)
    chunks = sorted((prop.get("name"), "".join(prop.itertext())) for prop in root
                    if (prop.get("name") or "").startswith(PROPERTY_PREFIX))
    if not chunks:
        raise ManifestError(f"it has no {PROPERTY_PREFIX} properties")
    try:
        text = zlib.decompress(base64.b64decode("".join(c for _, c in chunks))).decode()
        manifest = Manifest.from_json(text)
    except (ValueError, TypeError, KeyError, zlib.error) as exc:
        raise ManifestError(f"its {PROPERTY_PREFIX} properties are damaged ({exc})") from None
    if manifest.format != FORMAT:
        raise ManifestError(f"its record has format {manifest.format}; this version reads "
                            f"{FORMAT}")
    return manifest


def record_deck(prs, slides: Iterable[SlideContent], *, deck_file: str, country: str,
                language: str, generator: str, deleted: Sequence[SlideRecord] = ()
                ) -> Manifest:
    """The manifest of the slides just written into `prs` (in deck-file order), plus the
    records of slides the user deleted, written into `prs`'s properties."""
    by_key = {}
    states = {}
    for slide in prs.slides:
        state = _slide_state(slide)
        key = _remembered(("key", state), lambda s=slide: slide_key(s))
        if key is not None and key not in by_key:
            by_key[key], states[key] = slide, state
    records = [copy.deepcopy(_remembered(
        ("record", states[c.key], c.key, c.kind, i, str(c.title), is_auto(c), bool(c.notes)),
        lambda c=c, i=i: record_slide(by_key[c.key], c, i)))
        for i, c in enumerate(slides) if c.key in by_key]
    manifest = Manifest(deck_file=deck_file, country=country, language=language,
                        slides=[*records, *deleted], generator=generator)
    write_manifest(prs, manifest)
    return manifest
