"""Zips a python-pptx presentation once, into reproducible bytes.

python-pptx's own `save` deflates every part with the time of day in each member;
making those bytes reproducible afterwards (`normalise_zip`) meant inflating and
deflating the whole package a second time, about a fifth of a watch rebuild. Here
the parts go straight into a zip with fixed member times, in the order and with the
content `save` would write, so the bytes are those of `normalise_zip(save())`.
"""

from __future__ import annotations

import io
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
            target.writestr(member(part.partname.membername), part.blob)
            if part._rels:
                target.writestr(member(part.partname.rels_uri.membername), part.rels.xml)
    return out.getvalue()
