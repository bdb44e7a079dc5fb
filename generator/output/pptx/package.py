"""Zips a python-pptx presentation once, into reproducible bytes.

python-pptx's own `save` deflates every part with the time of day in each member;
making those bytes reproducible afterwards (`normalise_zip`) meant inflating and
deflating the whole package a second time, about a fifth of a watch rebuild. Here
the parts go straight into a zip with fixed member times, in the order and with the
content `save` would write, so the bytes are those of `normalise_zip(save())`.
The relationship files and the content types, which python-pptx builds element by
element, are kept by what they are made from and written again from there.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable

from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from pptx.opc.serialized import _ContentTypesItem

FIXED_DATE = (2000, 1, 1, 0, 0, 0)
STORED_SUFFIXES = (".png", ".jpg", ".jpeg")  # compressed already: deflating costs only time


def member(name: str) -> zipfile.ZipInfo:
    """A zip member header with a fixed time and mode; images are stored, the rest deflated."""
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = (zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES)
                          else zipfile.ZIP_DEFLATED)
    info.external_attr = 0o644 << 16
    return info


WORKBOOK_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def steady(name: str, blob: bytes) -> bytes:
    """`blob` as it would be written at any time: a native chart's embedded workbook
    carries the time it was made in its core properties, so two builds of the same deck
    would differ there; the time is replaced by the fixed one. Other parts are returned
    unchanged."""
    if not name.lower().endswith(".xlsx"):
        return blob
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = WORKBOOK_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(info, data)
    return out.getvalue()


def package_bytes(prs) -> bytes:
    """The .pptx bytes of `prs`: content types, package relationships, then each part
    and its relationships, as `Presentation.save` orders them."""
    package = prs.part.package
    parts = tuple(package.iter_parts())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(member(CONTENT_TYPES_URI.membername), _content_types_xml(parts))
        target.writestr(member(PACKAGE_URI.rels_uri.membername), package._rels.xml)
        for part in parts:
            name = part.partname.membername
            target.writestr(member(name), steady(name, part.blob))
            if part._rels:
                target.writestr(member(part.partname.rels_uri.membername), _rels_xml(part))
    return out.getvalue()


class _Kept:
    """The last `limit` values made, by key (least recently used go first); shared by
    the threads of a process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: tuple, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.limit:
                self._values.popitem(last=False)
        return value


# python-pptx builds these two kinds of XML element by element: a tenth of a watch
# rebuild. Each is a function of the key it is kept by, so a kept one is never stale.
_kept_rels = _Kept(limit=2048)  # twenty decks' worth of parts
_kept_types = _Kept(limit=16)


def _rels_xml(part) -> bytes:
    """`part.rels.xml`: made from each relationship's rId, type and target (the target
    part's name, relative to `part`'s folder, or an external address)."""
    rels = part.rels
    key = (part.partname.baseURI, *((r_id, rel.reltype, rel.is_external,
                                     rel.target_ref if rel.is_external
                                     else str(rel.target_part.partname))
                                    for r_id, rel in rels.items()))
    return _kept_rels.get_or_make(key, lambda: rels.xml)


def _content_types_xml(parts: tuple) -> bytes:
    """``[Content_Types].xml``: made from each part's name and content type."""
    key = tuple((str(part.partname), part.content_type) for part in parts)
    return _kept_types.get_or_make(
        key, lambda: serialize_part_xml(_ContentTypesItem.xml_for(parts)))
