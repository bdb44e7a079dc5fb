"""A whole .pptx checked as PowerPoint reads it: the package's rules (content types,
relationships, references into them, shape and slide ids) and every XML part against
the schemas (`ooxml_schema`), the workbook behind each native chart included."""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree
from ooxml_schema import Finding, validate_part

NS = {
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = "[Content_Types].xml"


@dataclass
class Check:
    """What checking one package found: problems, baseline deviations, parts validated."""

    problems: list[str] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)
    parts: int = 0
    workbooks: int = 0

    def add(self, findings: list[Finding]) -> None:
        self.parts += 1
        for finding in findings:
            if finding.accepted is None:
                self.problems.append(str(finding))
            else:
                self.accepted.append(finding)


def check_deck(path) -> Check:
    """Everything wrong with the .pptx at `path` (`Check.problems` empty when sound)."""
    check = Check()
    with zipfile.ZipFile(path) as package:
        _check_package(package, "", check)
    return check


def package_problems(path) -> list[str]:
    """The package rules broken in the .pptx at `path` (no schema validation)."""
    with zipfile.ZipFile(path) as package:
        parts = _parts(package)
    return _rule_problems(parts, "", _content_types(parts))


def _parts(package: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: package.read(name) for name in package.namelist()
            if not name.endswith("/")}


def _check_package(package: zipfile.ZipFile, prefix: str, check: Check) -> None:
    """`package`'s rules and parts; `prefix` names the outer part it is embedded in."""
    parts = _parts(package)
    types = _content_types(parts)
    check.problems += _rule_problems(parts, prefix, types)
    for name, blob in parts.items():
        kind = types.get(name, "")
        if name == CONTENT_TYPES or kind.endswith("xml"):
            check.add(_validated(prefix + name, blob))
        elif kind == WORKBOOK:
            check.workbooks += 1
            with zipfile.ZipFile(io.BytesIO(blob)) as workbook:
                _check_package(workbook, f"{prefix}{name}!", check)


_SEEN: dict[tuple, list] = {}


def _once(function, name: str, blob: bytes, *more):
    """``function(name, blob, *more)``, once per distinct part: decks share layouts,
    masters and themes, and a test run builds the same deck many times."""
    key = (function.__name__, name, hashlib.blake2b(blob, digest_size=16).digest(), *more)
    if key not in _SEEN:
        _SEEN[key] = function(name, blob, *more)
    return _SEEN[key]


def _validated(name: str, blob: bytes) -> list[Finding]:
    return _once(validate_part, name, blob)


def _content_types(parts: dict[str, bytes]) -> dict[str, str]:
    """The content type of each part (absent: it has none)."""
    types = etree.fromstring(parts[CONTENT_TYPES])
    defaults = {d.get("Extension").lower(): d.get("ContentType")
                for d in types.findall("ct:Default", NS)}
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType")
                 for o in types.findall("ct:Override", NS)}
    found = {}
    for name in parts:
        kind = overrides.get(name, defaults.get(name.rsplit(".", 1)[-1].lower()))
        if kind is not None:
            found[name] = kind
    for missing in set(overrides) - set(parts):
        found[missing] = "missing"
    return found


def _rule_problems(parts: dict[str, bytes], prefix: str, types: dict[str, str]) -> list:
    names = set(parts)
    problems = []
    for name in sorted(names):
        if name != CONTENT_TYPES and name not in types:
            problems.append(f"{prefix}{name}: no content type")
    problems += [f"{prefix}{name}: content type for a part that is not there"
                 for name, kind in sorted(types.items()) if kind == "missing"]
    for rels in sorted(n for n in names if n.endswith(".rels")):
        source = posixpath.join(posixpath.dirname(posixpath.dirname(rels)),
                                posixpath.basename(rels)[: -len(".rels")])
        ids = _relationship_problems(parts, rels, prefix, problems)
        if source in names and types.get(source, "").endswith("xml"):
            problems += [prefix + p for p in _once(_references, source, parts[source], ids)]
    for name in sorted(names - {CONTENT_TYPES}):
        if types.get(name, "").endswith("xml") and not _has_rels(name, names):
            problems += [prefix + p
                         for p in _once(_references, name, parts[name], frozenset())]
    for slide in sorted(n for n in names if n.startswith("ppt/slides/slide")
                        and n.endswith(".xml")):
        ids = [e.get("id") for e in etree.fromstring(parts[slide]).iter(
            f"{{{NS['p']}}}cNvPr")]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            problems.append(f"{prefix}{slide}: shape ids {sorted(duplicates)} used twice")
    if "ppt/presentation.xml" in names:
        presentation = etree.fromstring(parts["ppt/presentation.xml"])
        slide_ids = [int(s.get("id")) for s in presentation.iter(f"{{{NS['p']}}}sldId")]
        if len(set(slide_ids)) != len(slide_ids) or min(slide_ids, default=256) < 256:
            problems.append(f"presentation.xml: slide ids {slide_ids} not unique or < 256")
    return problems


def _relationship_problems(parts, rels: str, prefix: str, problems: list) -> frozenset[str]:
    """Check the relationships in part `rels` (ids unique, targets there); their ids."""
    folder = posixpath.dirname(posixpath.dirname(rels))
    ids: set[str] = set()
    for rel in etree.fromstring(parts[rels]).findall("rel:Relationship", NS):
        if rel.get("Id") in ids:
            problems.append(f"{prefix}{rels}: relationship id {rel.get('Id')} twice")
        ids.add(rel.get("Id"))
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target"))).lstrip("/")
        if target not in parts:
            problems.append(f"{prefix}{rels}: {rel.get('Id')} points at missing {target}")
    return frozenset(ids)


def _references(part: str, blob: bytes, ids: frozenset[str]) -> list[str]:
    """Every r:id, r:embed, r:link … in `part` that names no relationship of the part."""
    if R.encode() not in blob:
        return []
    problems = []
    for value in etree.fromstring(blob).xpath("//@*[namespace-uri() = $r]", r=R):
        if value and value not in ids:
            element = value.getparent()
            problems.append(
                f"{part}:{element.sourceline}: {etree.QName(element).localname} "
                f"r:{etree.QName(value.attrname).localname}={value!r} names no relationship")
    return problems


def _has_rels(name: str, names: set[str]) -> bool:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", f"{base}.rels") in names
