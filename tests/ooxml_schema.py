"""Each XML part of a package validated against the ISO/IEC 29500 transitional schemas
(ECMA-376, vendored in ``ooxml_schemas/``), after markup compatibility is applied.

The schemas are compiled once per process into one schema that knows every namespace
the decks use (presentation, drawing, chart, spreadsheet, properties, package parts).
Before a part is validated, markup compatibility (ISO/IEC 29500-3) is applied as a
consumer that understands only those namespaces would: of an ``mc:AlternateContent`` the
first ``mc:Choice`` whose ``Requires`` namespaces are all understood is kept, else its
``mc:Fallback``; elements and attributes of namespaces named ``mc:Ignorable`` and not
understood are dropped (an element named in ``mc:ProcessContent`` leaves its children in
its place); an ``mc:MustUnderstand`` namespace not understood is a problem.

The deviations python-pptx's own decks have are listed in `BASELINE` with the reason
they are accepted; any other error is a problem naming the part, line, element (its
path in the part) and the schema's message.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "ooxml_schemas"
# imported in this order: the Dublin Core schemas before the core properties' schema,
# whose imports name their home on the web (skipped once the namespace is known)
SCHEMA_FILES = ("xml", "dc", "dcterms", "shared-commonSimpleTypes",
                "shared-relationshipReference", "dml-main", "dml-chart", "dml-chartDrawing",
                "dml-spreadsheetDrawing", "pml", "sml", "shared-documentPropertiesVariantTypes",
                "shared-documentPropertiesExtended", "shared-documentPropertiesCustom",
                "opc-contentTypes", "opc-relationships", "opc-coreProperties")
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Deviation:
    """A schema error accepted where python-pptx itself makes it, and why."""

    name: str
    parts: str  # pattern of the part names it is accepted in (fnmatch)
    message: re.Pattern[str]
    reason: str


BASELINE = (
    Deviation(
        "negative chart axis ids", "ppt/charts/chart*.xml",
        re.compile(rf"Element '\{{{CHART}\}}(axId|crossAx)', attribute 'val': '-\d+' is not "
                   r"a valid value of the atomic type 'xs:unsignedInt'\."),
        "python-pptx's chart XML carries fixed negative axis ids (-2068027336 …), as "
        "PowerPoint for Mac wrote them; the schema's type is unsigned, PowerPoint reads "
        "them as signed 32-bit numbers and opens such charts without repair"),
    Deviation(
        "bullet size in thousandths of a percent", "*.xml",
        re.compile(rf"Element '\{{{A}\}}buSzPct', attribute 'val': \[facet 'pattern'\] The "
                   r"value '(2[5-9]\d{3}|[3-9]\d{4}|[1-3]\d{5}|400000)' is not accepted by "
                   r"the pattern .*"),
        "an erratum of the transitional schema: it defines the decimal form of a bullet's "
        "size (25000-400000) but lets a:buSzPct take only the '%' form, while PowerPoint "
        "(and LibreOffice) write the decimal form; it comes with a template or a deck "
        "saved by them, which --update keeps"),
    Deviation(
        "xml:space on shared strings", "*.xlsx!xl/sharedStrings.xml",
        re.compile(rf"Element '\{{{SML}\}}t', attribute '\{{{XML_NS}\}}space': The "
                   r"attribute '\{http://www.w3.org/XML/1998/namespace\}space' is not "
                   r"allowed\."),
        "XlsxWriter, which writes the workbook behind python-pptx's native charts, keeps a "
        "category's leading or trailing spaces with xml:space=\"preserve\" on <t>, as Excel "
        "does; the schema types <t> as a plain string without attributes"),
)


@dataclass(frozen=True)
class Finding:
    """One schema error in one part, and the baseline entry that accepts it (or None)."""

    part: str
    line: int
    path: str
    message: str
    accepted: Deviation | None

    def __str__(self) -> str:
        return f"{self.part}:{self.line}: {self.path}: {self.message}"


@functools.cache
def schema() -> etree.XMLSchema:
    """Every vendored schema, compiled once per process."""
    imports = "".join(f'<xs:import namespace="{_target(name)}" schemaLocation="{name}.xsd"/>'
                      for name in SCHEMA_FILES)
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(driver, base_url=f"{SCHEMAS.as_uri()}/"))


@functools.cache
def understood() -> frozenset[str]:
    """The namespaces the schemas declare: those a consumer of them understands."""
    return frozenset({_target(name) for name in SCHEMA_FILES} | {MC})


def _target(name: str) -> str:
    return etree.parse(str(SCHEMAS / f"{name}.xsd")).getroot().get("targetNamespace")


def validate_part(name: str, blob: bytes) -> list[Finding]:
    """The schema errors of the XML part `name` (markup compatibility applied first)."""
    root = etree.fromstring(blob)
    findings = []
    if MC.encode() in blob:
        for message in apply_markup_compatibility(root, understood()):
            findings.append(Finding(name, root.sourceline or 0, "/", message, None))
    checker = schema()
    if not checker.validate(root):
        for error in checker.error_log:
            accepted = next((d for d in BASELINE if fnmatch.fnmatchcase(name, d.parts)
                             and d.message.fullmatch(error.message)), None)
            findings.append(Finding(name, error.line, _readable(root, error.path),
                                    _prefixed(root, error.message), accepted))
    return findings


def _prefixed(root: etree._Element, message: str) -> str:
    """`message` with the part's prefixes for namespaces (``{uri}fld`` becomes ``a:fld``)."""
    for prefix, namespace in root.nsmap.items():
        message = message.replace(f"{{{namespace}}}", f"{prefix}:" if prefix else "")
    return message


def _readable(root: etree._Element, path: str | None) -> str:
    """libxml2's path to an element, with the names of elements in a default namespace
    (``/*/*[5]/*[1]`` becomes ``/worksheet/sheetData/x``)."""
    if not path or "*" not in path:
        return path or "?"
    found = root.getroottree().xpath(path)
    if len(found) != 1 or not isinstance(found[0], etree._Element):
        return path
    steps = []
    for element in [found[0], *found[0].iterancestors()]:
        name = etree.QName(element).localname
        if element.prefix:
            name = f"{element.prefix}:{name}"
        parent = element.getparent()
        same = [] if parent is None else parent.findall(element.tag)
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
    return "/" + "/".join(reversed(steps))


def apply_markup_compatibility(root: etree._Element, known: frozenset[str]) -> list[str]:
    """Rewrite `root` in place as a consumer understanding only `known` namespaces reads
    it (ISO/IEC 29500-3); the problems: namespaces it must understand and does not."""
    problems: list[str] = []
    _compatible(root, known, frozenset(), frozenset(), problems)
    return problems


def _compatible(element, known, ignorable, process, problems) -> None:
    ignorable = ignorable | _namespaces(element, "Ignorable")
    process = process | {_qualified(element, item)
                         for item in (element.get(f"{{{MC}}}ProcessContent") or "").split()}
    problems += [f"{etree.QName(element).localname}: mc:MustUnderstand names {ns}, "
                 "which is not understood"
                 for ns in _namespaces(element, "MustUnderstand") - known]
    for attribute in list(element.attrib):
        namespace = etree.QName(attribute).namespace
        if namespace == MC or (namespace in ignorable and namespace not in known):
            del element.attrib[attribute]
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace == MC and qname.localname == "AlternateContent":
            replacement = _chosen(child, known)
        elif qname.namespace in ignorable and qname.namespace not in known:
            wanted = {f"{{{qname.namespace}}}*", child.tag} & process
            replacement = list(child) if wanted else []
        else:
            _compatible(child, known, ignorable, process, problems)
            continue
        _replace(child, replacement)
        for new in replacement:
            if isinstance(new.tag, str):
                _compatible(new, known, ignorable, process, problems)


def _chosen(alternate, known) -> list:
    """The children of the branch of `alternate` this consumer takes (none: dropped)."""
    for branch in alternate:
        if branch.tag == f"{{{MC}}}Choice":
            if _namespaces(branch, "Requires", attribute="Requires") <= known:
                return list(branch)
        elif branch.tag == f"{{{MC}}}Fallback":
            return list(branch)
    return []


def _namespaces(element, name: str, attribute: str | None = None) -> frozenset[str]:
    """The namespaces of the prefixes listed in the element's mc:`name` attribute (or
    its plain `attribute`, as on mc:Choice)."""
    value = element.get(attribute or f"{{{MC}}}{name}") or ""
    return frozenset(element.nsmap.get(prefix, f"undeclared prefix {prefix}")
                     for prefix in value.split())


def _qualified(element, item: str) -> str:
    prefix, _, local = item.partition(":")
    return f"{{{element.nsmap.get(prefix, prefix)}}}{local}"


def _replace(old, new: list) -> None:
    parent = old.getparent()
    at = parent.index(old)
    parent.remove(old)
    for offset, child in enumerate(new):
        parent.insert(at + offset, child)
