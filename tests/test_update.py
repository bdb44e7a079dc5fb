"""`--update`: a deck a person has edited is refreshed with new data and texts, their
edits kept. The edits are made with python-pptx (as PowerPoint saves them) and, in
a second run, the edited deck is also saved by LibreOffice before the update."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest
from conftest import ROOT, office_convert
from ooxml_package import check_deck, package_problems
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from generator.cli import main
from generator.output.pptx.identity import (
    Manifest,
    SlideRecord,
    assign_keys,
    identity_of,
    read_manifest,
    slide_key,
)
from generator.run.build import build
from generator.run.options import BuildOptions

DECK = """\
deck:
  title: Oppdateringstest
  country: NO
  language: nb
  compare_with: all
  data: {data}
  codebook: {codebook}
  output: deck.pptx
slides:
  - type: title
    id: intro
    title: Oppdatering av et redigert lysbildesett
    subtitle: Syntetiske data
  - type: bullets
    id: points
    title: {points_title}
    bullets:
      - "N = {{{{ n.country }}}} ledere i {{{{ country_name }}}}"
      - Andre kulepunkt
{after_points}  - type: chart
    id: quality
    title: Samordningskvalitet
    battery: coordination_quality
    indicator: pct_range
    range: [5, 7]
    chart: bar
    caption: {caption}
  - type: chart
    id: native-quality
    title: Samordningskvalitet (gjennomsnitt)
    battery: coordination_quality
    indicator: mean
    chart: bar
    charts: native
  - type: bullets
    id: extra
    title: Mer tekst
    bullets:
      - Første punkt
      - Andre punkt
  - type: closing
    id: end
    title: Takk
    bullets:
      - Spørsmål?
"""

NEW_SLIDE = """\
  - type: bullets
    id: new-slide
    title: Et nytt lysbilde
    bullets:
      - Kom til med nye data
"""


def write_deck_file(folder, data, *, points_title="Samordning", caption="Første bildetekst",
                    after_points="", name="slides.yaml"):
    path = folder / name
    path.write_text(DECK.format(data=data, codebook=ROOT / "data" / "codebook.yaml",
                                points_title=points_title, caption=caption,
                                after_points=after_points),
                    encoding="utf-8")
    return path


def changed_data(folder):
    """The synthetic data with Norway's first 60 answers to q18_1 made 1 ("very poor")
    and five Norwegian respondents left out: other numbers, other N."""
    frame = pd.read_csv(ROOT / "data" / "cocops_synthetic.csv")
    norway = frame.index[frame["country"] == "NO"]
    frame.loc[norway[:60], "q18_1"] = 1
    frame = frame.drop(norway[-5:])
    path = folder / "changed.csv"
    frame.to_csv(path, index=False)
    return path


def slide_by_key(prs, key):
    return next(s for s in prs.slides if slide_key(s) == key)


def named(slide, role):
    return next(s for s in slide.shapes if identity_of(s) and identity_of(s)[1] == role)


def chart_fonts(shape):
    """The font sizes a chart's text properties set (LibreOffice moves the chart-wide
    one onto each axis and the legend)."""
    return sorted(shape.chart._chartSpace.xpath(".//c:txPr//a:defRPr/@sz"))


def chart_values(shape):
    return [list(s.values) for s in shape.chart.plots[0].series]


def edit(path, out):
    """The catalogue of edits; returns what the tests check afterwards."""
    prs = Presentation(str(path))
    quality = slide_by_key(prs, "quality")
    picture = named(quality, "chart")
    picture.left, picture.top = picture.left + Inches(0.5), picture.top + Inches(0.3)
    picture.width, picture.height = int(picture.width * 0.8), int(picture.height * 0.8)
    picture.crop_left = 0.05
    box = quality.shapes.add_textbox(Inches(9), Inches(6), Inches(3), Inches(0.5))
    box.text_frame.text = "Min kommentar"
    native = named(slide_by_key(prs, "native-quality"), "chart")
    series = native.chart.plots[0].series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = RGBColor(0xC0, 0x10, 0x20)
    native.chart.font.size = Pt(18)
    native.chart._chartSpace.xpath(".//c:barDir")[0].set("val", "bar")  # columns -> bars
    points = slide_by_key(prs, "points")
    points.shapes.title.text_frame.paragraphs[0].runs[0].text = "Min egen tittel"
    # the title slide has only placeholders, whose names LibreOffice does not keep: it is
    # then found by its place
    slide_by_key(prs, "intro").shapes.title.text_frame.paragraphs[0].runs[0].text = "Hei"
    extra = slide_by_key(prs, "extra")
    extra.placeholders[1].text_frame.paragraphs[1].runs[0].text = "Mitt eget punkt"
    mine = prs.slides.add_slide(prs.slide_layouts.get_by_name("Title Only"))
    mine.shapes.title.text = "Mitt lysbilde"
    body = mine.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    body.text_frame.text = "Noe jeg la til selv"
    body.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    ids = prs.slides._sldIdLst
    closing = _entry_of(prs, slide_by_key(prs, "end"))
    prs.part.drop_rel(closing.rId)
    ids.remove(closing)
    entry = _entry_of(prs, mine)  # added last; moved to be third
    ids.remove(entry)
    ids.insert(2, entry)
    entry = _entry_of(prs, slide_by_key(prs, "native-quality"))  # swapped with "quality"
    ids.remove(entry)
    ids.insert(list(ids).index(_entry_of(prs, slide_by_key(prs, "quality"))), entry)
    prs.save(str(out))
    return {"picture": (picture.left, picture.top, picture.width, picture.height),
            "box": (box.left, box.top), "blob": picture.image.blob,
            "native": chart_values(native), "fonts": chart_fonts(native)}


def _entry_of(prs, slide):
    return next(e for e in prs.slides._sldIdLst if prs.part.related_part(e.rId) is slide.part)


def _schema_problems(deck) -> set[str]:
    """The OOXML problems of `deck`, each without its line (where a part's XML changes)."""
    return {problem.split(": ", 1)[1] for problem in check_deck(deck).problems}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("chart-cache")


@pytest.mark.parametrize("saved_by", [
    "python-pptx",
    # LibreOffice's file, and the person's deck it became (kept as backups and updated),
    # carry LibreOffice's deviations from the schema: checked below, against its own
    pytest.param("libreoffice", marks=pytest.mark.ooxml_unchecked("saved/*", "edited/*"))])
def test_an_update_keeps_every_edit_and_brings_in_new_data_and_text(
        tmp_path, browser, office, cache, saved_by, capsys):
    original = ROOT / "data" / "cocops_synthetic.csv"
    deck_file = write_deck_file(tmp_path, original)
    built = build(deck_file, BuildOptions(cache_dir=cache)).output
    before = Presentation(str(built))
    old_alt = named(slide_by_key(before, "quality"), "chart")._element.nvPicPr.cNvPr.get("descr")
    old_n = slide_by_key(before, "points").placeholders[1].text_frame.paragraphs[0].text
    edited = tmp_path / "edited" / "deck.pptx"
    edited.parent.mkdir()
    made = edit(built, edited)
    if saved_by == "libreoffice":
        saved = office_convert(office, edited, "pptx", tmp_path / "saved")
        edited.unlink()
        edited.write_bytes(saved.read_bytes())
        # the positions as LibreOffice saved them (it fits a text box's width to its text)
        quality = slide_by_key(Presentation(str(edited)), "quality")
        moved = named(quality, "chart")
        made["picture"] = (moved.left, moved.top, moved.width, moved.height)
        box = next(s for s in quality.shapes if s.has_text_frame
                   and s.text_frame.text == "Min kommentar")
        made["box"] = (box.left, box.top)
        made["fonts"] = chart_fonts(named(slide_by_key(Presentation(str(edited)),
                                                       "native-quality"), "chart"))
    # the data and the deck file change: other numbers and N, a new caption, a new slide,
    # and a new title for the slide whose title the person rewrote
    write_deck_file(tmp_path, changed_data(tmp_path), caption="En ny bildetekst",
                    points_title="Samordning i staten", after_points=NEW_SLIDE)
    status = main([str(deck_file), "--update", str(edited), "--cache-dir", str(cache)])
    err = " ".join(capsys.readouterr().err.split())
    assert status == 0, err

    prs = Presentation(str(edited))
    order = [slide_key(s) or s.shapes.title.text_frame.text for s in prs.slides]
    # my slide order, my slide, the deleted slide left out, the new slide after "points"
    assert order == ["intro", "points", "new-slide", "Mitt lysbilde", "native-quality",
                     "quality", "extra"]
    mine = prs.slides[3]
    assert [s.text_frame.text for s in mine.shapes if s.has_text_frame][1] == \
        "Noe jeg la til selv"
    quality = slide_by_key(prs, "quality")
    picture = named(quality, "chart")
    assert (picture.left, picture.top, picture.width, picture.height) == made["picture"]
    assert picture.crop_left == pytest.approx(0.05, abs=1e-4)
    assert picture.image.blob != made["blob"]
    alt = picture._element.nvPicPr.cNvPr.get("descr")
    assert alt != old_alt and alt.startswith("Diagram: Samordningskvalitet")
    comment = next(s for s in quality.shapes if s.has_text_frame
                   and s.text_frame.text == "Min kommentar")
    assert (comment.left, comment.top) == made["box"]
    assert named(quality, "caption").text_frame.text == "En ny bildetekst"

    native = named(slide_by_key(prs, "native-quality"), "chart")
    series = native.chart.plots[0].series[0]
    assert series.format.fill.fore_color.rgb == RGBColor(0xC0, 0x10, 0x20)
    assert chart_fonts(native) == made["fonts"] and "1800" in made["fonts"]
    assert native.chart._chartSpace.xpath(".//c:barDir")[0].get("val") == "bar"
    fresh = Presentation(str(build(deck_file, BuildOptions(
        output=tmp_path / "fresh.pptx", cache_dir=cache)).output))
    want = chart_values(named(slide_by_key(fresh, "native-quality"), "chart"))
    assert want != made["native"]
    assert [v for values in chart_values(native) for v in values] == pytest.approx(
        [v for values in want for v in values])
    labels = [p.data_label.text_frame.text for p in series.points]
    assert labels[0] == f"{want[0][0]:.1f}".replace(".", ",")

    points = slide_by_key(prs, "points")
    assert points.shapes.title.text_frame.text == "Min egen tittel"
    assert prs.slides[0].shapes.title.text_frame.text == "Hei"
    assert "intro: title as you wrote it" in err
    new_n = named(points, "body").text_frame.paragraphs[0].text
    assert new_n != old_n and new_n.startswith("N = ")
    assert [p.text for p in named(slide_by_key(prs, "extra"), "body").text_frame.paragraphs] \
        == ["Første punkt", "Mitt eget punkt"]
    assert [p.text for p in named(slide_by_key(prs, "new-slide"), "body").text_frame.paragraphs
            ] == ["Kom til med nye data"]
    assert "points title: your text is kept. Generated before: 'Samordning'; yours: " \
           "'Min egen tittel'; generated now: 'Samordning i staten'" in err
    assert "end: you deleted this slide; not added again" in err
    backups = list(edited.parent.glob("deck.backup-*.pptx"))
    assert len(backups) == 1 and f"kept as {backups[0]}" in err

    assert package_problems(edited) == []
    if saved_by == "libreoffice":  # the update adds no deviation of its own
        assert _schema_problems(edited) <= _schema_problems(saved)
    pdf = office_convert(office, edited, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert f"Pages:           {len(prs.slides)}" in info.stdout
    manifest = read_manifest(prs)
    assert {r.key: r.deleted for r in manifest.slides} == {
        "intro": False, "points": False, "new-slide": False, "quality": False,
        "native-quality": False, "extra": False, "end": True}

    # a second update with nothing new keeps every edit and changes nothing
    assert main([str(deck_file), "--update", str(edited), "--cache-dir", str(cache)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "nothing generated had changed" in err and "points: title as you wrote it" in err
    again = Presentation(str(edited))
    assert [slide_key(s) for s in again.slides] == [slide_key(s) for s in prs.slides]
    assert slide_by_key(again, "points").shapes.title.text_frame.text == "Min egen tittel"


def _folder_state(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_deck_the_generator_did_not_make_is_refused_and_left_alone(tmp_path, capsys):
    deck_file = write_deck_file(tmp_path, ROOT / "data" / "cocops_synthetic.csv")
    foreign = tmp_path / "decks" / "theirs.pptx"
    foreign.parent.mkdir()
    Presentation().save(str(foreign))
    before = _folder_state(foreign.parent)
    status = main([str(deck_file), "--update", str(foreign), "--charts", "native"])
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2
    assert "this generator did not make this deck: it has no custom document properties" in err
    assert _folder_state(foreign.parent) == before


def test_a_deck_made_from_another_deck_file_is_refused_and_left_alone(tmp_path, capsys):
    data = ROOT / "data" / "cocops_synthetic.csv"
    deck_file = write_deck_file(tmp_path, data)
    other = write_deck_file(tmp_path, data, name="other.yaml")
    target = tmp_path / "decks" / "deck.pptx"
    target.parent.mkdir()
    build(deck_file, BuildOptions(output=target, charts="native"))
    before = _folder_state(target.parent)
    status = main([str(other), "--update", str(target), "--language", "en",
                   "--charts", "native"])  # no browser started early
    err = " ".join(capsys.readouterr().err.split())
    assert status == 2
    assert "2 problem(s)" in err  # both at once
    assert "this deck was made from slides.yaml, not other.yaml" in err
    assert "this deck is for NO/nb; this build is for NO/en" in err
    assert _folder_state(target.parent) == before
    assert main([str(deck_file), "--update", str(tmp_path / "missing.pptx")]) == 2
    assert "no deck to update here" in " ".join(capsys.readouterr().err.split())
    assert main([str(deck_file), "--update", str(target), "--output", str(target)]) == 2
    assert "--update rewrites the deck it names" in capsys.readouterr().err
    assert _folder_state(target.parent) == before


def test_an_update_with_nothing_changed_changes_nothing_the_person_sees(tmp_path, capsys):
    deck_file = write_deck_file(tmp_path, ROOT / "data" / "cocops_synthetic.csv")
    target = build(deck_file, BuildOptions(charts="native")).output
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame]
             for slide in Presentation(str(target)).slides]
    assert main([str(deck_file), "--update", str(target)]) == 0
    assert "nothing generated had changed" in capsys.readouterr().err
    again = Presentation(str(target))
    assert [[s.text_frame.text for s in slide.shapes if s.has_text_frame]
            for slide in again.slides] == texts
    assert package_problems(target) == []


def _content(kind, title, key=None):
    from generator.plan.content import SlideContent

    return SlideContent(number=1, kind=kind, title=title, id=key)


def test_slides_without_an_id_keep_the_key_an_earlier_build_made_up():
    first = [_content("title", "Velkommen"), _content("bullets", "Samordning", "points"),
             _content("bullets", "Samordning")]
    assign_keys(first)
    assert [s.key for s in first] == ["velkommen", "points", "samordning"]
    manifest = Manifest("slides.yaml", "NO", "nb", [
        SlideRecord(key=s.key, kind=s.kind, position=i, title=s.title, auto=not s.id)
        for i, s in enumerate(first)])
    # the title slide's title changed in the deck file (found by its place), a new slide
    # came first with the title the third one had (found by its title)
    later = [_content("bullets", "Ny"), _content("title", "Velkommen til alle"),
             _content("bullets", "Samordning", "points"), _content("bullets", "Samordning")]
    assign_keys(later, manifest)
    assert [s.key for s in later] == ["ny", "velkommen", "points", "samordning"]
    # a slide the person deleted stays found by its title, never by its type alone
    manifest.slides[2].deleted = True
    again = [_content("bullets", "Samordning"), _content("bullets", "Annet")]
    assign_keys(again, manifest)
    assert [s.key for s in again] == ["samordning", "annet"]


def test_the_manifest_reads_back_from_its_properties_and_keeps_other_properties(tmp_path):
    prs = Presentation()
    manifest = Manifest("slides.yaml", "NO", "nb", [
        SlideRecord(key="a", kind="bullets", position=0, title="Å " * 400,
                    shapes={"title": {"text": "ø" * 3000}})])
    from generator.output.pptx.identity import write_manifest

    write_manifest(prs, manifest)
    write_manifest(prs, manifest)  # written twice: the old chunks are replaced
    buffer = io.BytesIO()
    prs.save(buffer)
    again = Presentation(io.BytesIO(buffer.getvalue()))
    assert json.loads(read_manifest(again).to_json()) == json.loads(manifest.to_json())
    import zipfile

    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        custom = package.read("docProps/custom.xml").decode()
    values = custom.split("<vt:lpwstr>")[1:]
    assert values and all(len(v.split("</vt:lpwstr>")[0]) <= 255 for v in values)


RANKING = """\
deck:
  title: Rangering
  country: NO
  language: nb
  data: {data}
  codebook: {codebook}
  output: ranking.pptx
  charts: native
  ci: 0.95
slides:
  - type: chart
    id: together
    title: Å få offentlige organisasjoner til å arbeide sammen
    battery: role_identity
    item: work_together
    indicator: mean
    chart: ranking
{more}"""


def test_a_ranking_keeps_the_countrys_colour_on_the_country_and_drops_a_removed_slide(
        tmp_path, capsys):
    deck_file = tmp_path / "ranking.yaml"
    codebook = ROOT / "data" / "codebook.yaml"
    more = "  - type: section\n    id: gone\n    title: Borte snart\n"
    deck_file.write_text(RANKING.format(data=ROOT / "data" / "cocops_synthetic.csv",
                                        codebook=codebook, more=more), encoding="utf-8")
    target = build(deck_file, BuildOptions()).output
    frame = pd.read_csv(ROOT / "data" / "cocops_synthetic.csv")
    frame.loc[frame["country"] == "NO", "q8_4"] = 1  # Norway to the bottom of the ranking
    frame.to_csv(tmp_path / "low.csv", index=False)
    deck_file.write_text(RANKING.format(data=tmp_path / "low.csv", codebook=codebook,
                                        more=""), encoding="utf-8")
    assert main([str(deck_file), "--update", str(target)]) == 0
    assert "gone: slide removed (no longer in the deck file)" in capsys.readouterr().err
    prs = Presentation(str(target))
    assert [slide_key(s) for s in prs.slides] == ["together"]
    chart = named(prs.slides[0], "chart").chart
    categories = list(chart.plots[0].categories)
    assert categories[-1] == "Norge"
    accent = [i for i, point in enumerate(chart.plots[0].series[0].points)
              if point.format.fill.type is not None
              and point.format.fill.fore_color.rgb == RGBColor.from_string("0072B2")]
    assert accent == [len(categories) - 1]
    assert chart.plots[0].series[0].values[-1] == pytest.approx(1.0)
    # the intervals' lines follow the data too: as a fresh build draws them
    fresh = build(deck_file, BuildOptions(output=tmp_path / "fresh.pptx")).output
    fresh_chart = named(Presentation(str(fresh)).slides[0], "chart").chart

    def interval_ends(one):
        return [one._chartSpace.xpath(f".//c:errBars/c:{end}//c:v/text()")
                for end in ("plus", "minus")]
    assert interval_ends(chart) == interval_ends(fresh_chart)
    assert interval_ends(chart)[0][-1] == "0.0"  # Norway: every answer 1, no spread


def test_a_chart_asked_for_as_a_picture_now_takes_the_native_charts_place(
        tmp_path, browser, capsys):
    deck_file = tmp_path / "ranking.yaml"
    deck_file.write_text(RANKING.format(data=ROOT / "data" / "cocops_synthetic.csv",
                                        codebook=ROOT / "data" / "codebook.yaml", more=""),
                         encoding="utf-8")
    target = build(deck_file, BuildOptions()).output
    prs = Presentation(str(target))
    frame = named(prs.slides[0], "chart")
    frame.left, frame.width = frame.left + Inches(1), frame.width - Inches(2)
    place = (frame.left, frame.top, frame.width, frame.height)
    prs.save(str(target))
    assert main([str(deck_file), "--update", str(target), "--charts", "image",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    assert "together: chart: drawn anew as picture, in your place and size" in \
        " ".join(capsys.readouterr().err.split())
    picture = named(Presentation(str(target)).slides[0], "chart")
    assert picture.shape_type is not None and not picture.has_chart
    assert (picture.left, picture.top, picture.width, picture.height) == place
    assert package_problems(target) == []


DOTPLOT = """\
deck:
  title: Prikker
  country: NO
  language: nb
  data: {data}
  codebook: {codebook}
  output: dots.pptx
  charts: native
slides:
  - type: chart
    id: dots
    title: Forvaltningens prestasjoner
    battery: performance
    indicator: mean
    chart: dotplot
    sort: {sort}
"""


def test_a_native_dot_plot_takes_the_new_order_and_values(tmp_path):
    """A dot plot is an XY chart: an update moves its dots and item labels as a fresh
    build places them, and keeps the person's styling."""
    deck_file = tmp_path / "dots.yaml"
    paths = {"data": ROOT / "data" / "cocops_synthetic.csv",
             "codebook": ROOT / "data" / "codebook.yaml"}
    deck_file.write_text(DOTPLOT.format(sort="country", **paths), encoding="utf-8")
    target = build(deck_file, BuildOptions()).output
    prs = Presentation(str(target))
    named(prs.slides[0], "chart").chart.font.size = Pt(18)  # the person's edit
    prs.save(str(target))
    deck_file.write_text(DOTPLOT.format(sort="none", **paths), encoding="utf-8")
    assert main([str(deck_file), "--update", str(target)]) == 0
    fresh = build(deck_file, BuildOptions(output=tmp_path / "fresh.pptx")).output

    def shown(path):
        chart = named(Presentation(str(path)).slides[0], "chart").chart
        series = chart._chartSpace.xpath(".//c:ser")
        labels = ["".join(label.xpath(".//a:t/text()"))
                  for label in series[2].xpath("./c:dLbls/c:dLbl")]
        xs = [[float(v) for v in s.xpath("./c:xVal//c:v/text()")] for s in series]
        return labels, xs, chart.font.size

    (labels, xs, size), (fresh_labels, fresh_xs, _) = shown(target), shown(fresh)
    assert labels == fresh_labels
    assert [x for one in xs for x in one] == pytest.approx([x for one in fresh_xs for x in one])
    assert labels[0] == "Kostnader og effektivitet"  # the codebook's order now, not by value
    assert size == Pt(18)
