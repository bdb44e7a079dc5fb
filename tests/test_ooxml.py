"""The package follows the Office Open XML rules PowerPoint is strict about: the
transitional schemas for every XML part (`ooxml_schema`) and the package's own rules
(`ooxml_package`). Every deck any test writes is checked too (conftest)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from conftest import FIXTURES
from lxml import etree
from ooxml_package import check_deck, package_problems
from ooxml_schema import apply_markup_compatibility, understood, validate_part
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from generator.core.theme import DEFAULT_THEME
from generator.run.build import build
from generator.run.options import BuildOptions

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
PYTHON_PPTX_DEVIATIONS = {"negative chart axis ids", "xml:space on shared strings"}


@pytest.fixture(scope="module")
def native_kinds(tmp_path_factory):
    """Every chart kind as a native chart (error bars, per-point labels), built without
    a browser."""
    out = tmp_path_factory.mktemp("kinds") / "kinds.pptx"
    return build(FIXTURES / "chart_kinds.yaml", BuildOptions(output=out, charts="native")).output


def _rewritten(source, target, part: str, change) -> None:
    """A copy of the package `source` at `target` with `part`'s text changed by `change`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            blob = old.read(item.filename)
            if item.filename == part:
                blob = change(blob.decode("utf-8")).encode("utf-8")
            new.writestr(item, blob)


def test_a_native_deck_follows_the_schemas(native_kinds):
    check = check_deck(native_kinds)
    assert check.problems == []
    assert check.workbooks >= 6 and check.parts > 100
    assert {f.accepted.name for f in check.accepted} == PYTHON_PPTX_DEVIATIONS


def test_shipped_decks_follow_the_schemas(built_decks):
    for deck in built_decks.values():
        assert check_deck(deck).problems == [], deck.name


def _look(props) -> tuple:
    return (props.get("sz"), props.find(f"{{{A}}}solidFill/{{{A}}}srgbClr").get("val"),
            props.find(f"{{{A}}}latin").get("typeface"))


def test_the_slide_number_is_a_field_in_the_footers_font(native_kinds):
    with zipfile.ZipFile(native_kinds) as package:
        slide = etree.fromstring(package.read("ppt/slides/slide2.xml"))
    field = slide.find(f".//{{{A}}}fld")
    assert (field.get("type"), field.findtext(f"{{{A}}}t")) == ("slidenum", "2")
    assert field.getparent()[-1].tag == f"{{{A}}}endParaRPr"
    expected = (str(round(DEFAULT_THEME.footer_pt * 100)), DEFAULT_THEME.muted[1:],
                DEFAULT_THEME.font)
    assert _look(field.find(f"{{{A}}}rPr")) == expected
    note = next(shape for shape in slide.iter(f"{{{P}}}sp")
                if shape.find(f".//{{{P}}}cNvPr").get("name").endswith("chart-note"))
    assert _look(note.find(f".//{{{A}}}rPr")) == expected


@pytest.mark.ooxml_unchecked("broken.pptx")
def test_a_part_out_of_schema_order_is_named_with_its_line_and_element(native_kinds, tmp_path):
    """The slide number as it was once written: after the paragraph's end properties."""
    broken = tmp_path / "broken.pptx"

    def field_last(xml: str) -> str:
        field = re.search(r"<a:fld .*?</a:fld>", xml).group(0)
        return re.sub(r"(<a:endParaRPr[^>]*/>)", lambda m: m.group(1) + field,
                      xml.replace(field, "", 1), count=1)

    _rewritten(native_kinds, broken, "ppt/slides/slide2.xml", field_last)
    problems = check_deck(broken).problems
    assert len(problems) == 1
    assert re.fullmatch(r"ppt/slides/slide2\.xml:\d+: /p:sld/p:cSld/p:spTree/p:sp\[\d+\]/"
                        r"p:txBody/a:p/a:fld: Element 'a:fld': This element is not "
                        r"expected\.", problems[0])


@pytest.mark.ooxml_unchecked("broken.pptx")
def test_core_properties_dates_are_checked(native_kinds, tmp_path):
    broken = tmp_path / "broken.pptx"
    _rewritten(native_kinds, broken, "docProps/core.xml",
               lambda xml: xml.replace("2000-01-01T00:00:00Z", "1 January 2000", 1))
    [problem] = check_deck(broken).problems
    assert problem.startswith("docProps/core.xml:")
    assert "dcterms:created" in problem and "'1 January 2000' is not a valid value" in problem


def test_a_plain_python_pptx_chart_has_only_the_baseline(tmp_path):
    """python-pptx's own deck: a chart whose workbook keeps a category's spaces."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = [" padded ", "plain"]
    data.add_series("share", (0.25, 0.75))
    slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(4), Inches(3), data)
    prs.save(tmp_path / "plain.pptx")
    check = check_deck(tmp_path / "plain.pptx")
    assert check.problems == []
    assert {f.accepted.name for f in check.accepted} == PYTHON_PPTX_DEVIATIONS
    spaces = [f for f in check.accepted if f.accepted.name == "xml:space on shared strings"]
    assert [f.part for f in spaces] == [
        "ppt/embeddings/Microsoft_Excel_Sheet1.xlsx!xl/sharedStrings.xml"]


@pytest.mark.ooxml_unchecked("broken.pptx")
def test_an_unresolved_picture_reference_and_a_part_without_type_are_found(
        native_kinds, tmp_path):
    broken = tmp_path / "broken.pptx"
    _rewritten(native_kinds, broken, "ppt/slides/slide2.xml",
               lambda xml: xml.replace('r:id="rId', 'r:id="rIdX', 1))
    with zipfile.ZipFile(broken, "a") as package:
        package.writestr("ppt/notes.txt", "a part no content type covers")
    problems = check_deck(broken).problems
    assert any(re.fullmatch(r"ppt/slides/slide2\.xml:\d+: \w+ r:id='rIdX\d+' names no "
                            r"relationship", p) for p in problems), problems
    assert "ppt/notes.txt: no content type" in problems


@pytest.mark.ooxml_unchecked("broken.pptx")
def test_the_check_finds_a_broken_relationship(native_kinds, tmp_path):
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(native_kinds) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if item.filename != "ppt/charts/chart1.xml":
                target.writestr(item, source.read(item.filename))
    problems = package_problems(broken)
    assert any("points at missing ppt/charts/chart1.xml" in p for p in problems)
    assert "ppt/charts/chart1.xml: content type for a part that is not there" in problems


@pytest.mark.ooxml_unchecked("broken.pptx")
def test_the_check_finds_a_shape_id_used_twice(native_kinds, tmp_path):
    broken = tmp_path / "broken.pptx"
    _rewritten(native_kinds, broken, "ppt/slides/slide2.xml",
               lambda xml: xml.replace('cNvPr id="3"', 'cNvPr id="2"', 1))
    assert "ppt/slides/slide2.xml: shape ids ['2'] used twice" in package_problems(broken)


# -- markup compatibility --------------------------------------------------------------

def _slide(body: str) -> bytes:
    return (f'<p:sld xmlns:p="{P}" xmlns:a="{A}" xmlns:mc="{MC}" xmlns:p14="{P14}" '
            f'mc:Ignorable="p14"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/>'
            f'<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{body}</p:spTree></p:cSld>'
            f'</p:sld>').encode()


SHAPE = ('<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="s"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
         '<p:spPr/></p:sp>')


def test_an_alternate_content_takes_the_first_choice_understood():
    root = etree.fromstring(_slide(
        f'<mc:AlternateContent><mc:Choice Requires="p14">{SHAPE.format(id=2)}</mc:Choice>'
        f'<mc:Choice Requires="a">{SHAPE.format(id=3)}</mc:Choice>'
        f'<mc:Fallback>{SHAPE.format(id=4)}</mc:Fallback></mc:AlternateContent>'))
    assert apply_markup_compatibility(root, understood()) == []
    assert [e.get("id") for e in root.iter(f"{{{P}}}cNvPr")] == ["1", "3"]


def test_an_alternate_content_falls_back_when_no_choice_is_understood():
    root = etree.fromstring(_slide(
        f'<mc:AlternateContent><mc:Choice Requires="p14">{SHAPE.format(id=2)}</mc:Choice>'
        f'<mc:Fallback>{SHAPE.format(id=4)}</mc:Fallback></mc:AlternateContent>'))
    apply_markup_compatibility(root, understood())
    assert [e.get("id") for e in root.iter(f"{{{P}}}cNvPr")] == ["1", "4"]


def test_ignorable_markup_is_dropped_and_the_rest_validated():
    ignorable = SHAPE.format(id=2).replace("<p:spPr/>", '<p:spPr p14:extra="1"/>')
    assert validate_part("slide.xml", _slide(ignorable + "<p14:new/>")) == []
    [finding] = validate_part("slide.xml", _slide(ignorable).replace(
        b'mc:Ignorable="p14"', b""))
    assert finding.accepted is None and "p14:extra" in finding.message
    [finding] = validate_part("slide.xml", _slide("<p14:new/>").replace(
        b'mc:Ignorable="p14"', b""))
    assert finding.path == "/p:sld/p:cSld/p:spTree/p14:new"
    assert "This element is not expected" in finding.message


def test_a_namespace_that_must_be_understood_is_a_problem():
    blob = _slide(SHAPE.format(id=2)).replace(b'mc:Ignorable="p14"',
                                               b'mc:MustUnderstand="p14"')
    [finding] = validate_part("slide.xml", blob)
    assert finding.message.endswith(f"mc:MustUnderstand names {P14}, which is not understood")


def test_the_workbook_behind_a_chart_is_validated(native_kinds):
    with zipfile.ZipFile(native_kinds) as package:
        workbook = package.read("ppt/embeddings/Microsoft_Excel_Sheet1.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    assert validate_part("sheet.xml", sheet) == []
    [finding] = validate_part("sheet.xml", sheet.replace(b"<sheetData>", b"<sheetData><x/>"))
    assert finding.path == "/worksheet/sheetData/x"
    assert finding.message.startswith("Element 'x': This element is not expected.")


def test_a_bullet_size_in_thousandths_of_a_percent_is_the_baseline_within_its_range():
    def bullet(size: str) -> bytes:
        return _slide(SHAPE.format(id=2).replace(
            "<p:spPr/>", f'<p:spPr/><p:txBody><a:bodyPr/><a:p><a:pPr><a:buSzPct val="{size}"/>'
                         '</a:pPr></a:p></p:txBody>'))

    [finding] = validate_part("ppt/slideMasters/slideMaster1.xml", bullet("45000"))
    assert finding.accepted.name == "bullet size in thousandths of a percent"
    [finding] = validate_part("ppt/slideMasters/slideMaster1.xml", bullet("10000"))
    assert finding.accepted is None
    assert validate_part("ppt/slideMasters/slideMaster1.xml", bullet("45%")) == []
