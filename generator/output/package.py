"""Zips a python-pptx presentation once, into reproducible bytes.

python-pptx's own `save` deflates every part with the time of day in each member;
making those bytes reproducible afterwards (`normalise_zip`) meant inflating and
deflating the whole package a second time, about a fifth of a watch rebuild. Here
the parts go straight into a zip with fixed member times, in the order and with the
content `save` would write, so the bytes are those of `normalise_zip(save())`.
"""

from __future__ import annotations

import io
import re
import zipfile

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
        target.writestr(member(CONTENT_TYPES_URI.membername),
                        serialize_part_xml(_ContentTypesItem.xml_for(parts)))
        target.writestr(member(PACKAGE_URI.rels_uri.membername), package._rels.xml)
        for part in parts:
            name = part.partname.membername
            target.writestr(member(name), steady(name, part.blob))
            if part._rels:
                target.writestr(member(part.partname.rels_uri.membername), part.rels.xml)
    return out.getvalue()
