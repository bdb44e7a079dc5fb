"""Each slide type laid out from a hand-made `SlideContent` on a hand-made geometry: the
boxes, the fitted sizes, and the texts that cannot fit."""

from __future__ import annotations

import pandas as pd
import pytest
from PIL import Image

from generator.charts.data import ChartData
from generator.core.geometry import EMU_PER_PX, Box, Geometry, inches
from generator.i18n.phrase import Phrase
from generator.layout.elements import (
    ChartElement,
    Misfit,
    PictureElement,
    TableElement,
    TextElement,
)
from generator.layout.textfit import EMU_PER_PT, text_height_pt
from generator.plan.content import ChartContent, Line, SlideContent, TableContent
from generator.slides import lay_out
from tests.conftest import FIXTURES

W, H = inches(13.333), inches(7.5)
CONTENT = Box(inches(0.6), inches(1.5), inches(12.133), inches(5.25))
GEOMETRY = Geometry(
    width=W, height=H,
    cover_title=Box(inches(0.6), inches(1.9), inches(12.133), inches(1.9)),
    cover_subtitle=Box(inches(0.6), inches(3.9), inches(12.133), inches(1.4)),
    section_title=Box(inches(0.6), inches(3.2), inches(12.133), inches(1.4)),
    section_subtitle=Box(inches(0.6), inches(4.6), inches(12.133), inches(1.0)),
    title=Box(inches(0.6), inches(0.35), inches(12.133), inches(1.0)),
    content=CONTENT,
    left_column=Box(inches(0.6), inches(1.5), inches(5.866), inches(5.25)),
    right_column=Box(inches(6.866), inches(1.5), inches(5.866), inches(5.25)),
    caption_height=inches(0.75))
FOOTER = Box(inches(0.6), H - inches(0.5), W - inches(2.4), inches(0.35))
NUMBER = Box(W - inches(1.6), H - inches(0.5), inches(1.0), inches(0.35))
LONG_150 = "Samordning i offentlig sektor " * 5  # 150 characters
LONG_570 = "Samordning i offentlig sektor " * 19  # 570 characters


def nb(text: str) -> Phrase:
    return Phrase.of(text, "nb-NO")


def texts(slide: SlideContent, **geometry) -> dict[str, TextElement]:
    return {e.role: e for e in lay_out(slide, GEOMETRY, **geometry).texts()}


def chart_content() -> ChartContent:
    table = pd.DataFrame({"group": ["country"], "item": ["a"], "value": [1.0], "n": [10]})
    data = ChartData(kind="bar", table=table, item_labels={"a": "A"}, value_kind="mean",
                     scale_points=(1, 2), country_code="NO", country_label="Norge",
                     comparison_label="Alle", source="Kilde", min_base=5, width_px=0,
                     height_px=0)
    return ChartContent(data=data, alt_text=nb("Diagram"))


def test_title_slide():
    slide = SlideContent(1, "title", nb("COCOPS"), subtitle=nb("Første linje\nAndre linje"),
                         footnote=nb("* Et prosjekt"))
    laid = lay_out(slide, GEOMETRY)
    assert laid.template_layout == "Title Slide"
    title, subtitle, footnote = laid.elements
    assert (title.role, title.placeholder, title.box, title.size) == (
        "title", 0, GEOMETRY.cover_title, 40)
    assert title.lines == (Line(nb("COCOPS"), bold=True),)
    assert (title.align, title.anchor) == ("left", "bottom")  # the built-in template
    assert (subtitle.placeholder, subtitle.box, subtitle.size) == (
        1, GEOMETRY.cover_subtitle, 24)
    assert [line.text for line in subtitle.lines] == ["Første linje", "Andre linje"]
    assert (footnote.role, footnote.placeholder, footnote.size) == ("footnote", None, 12)
    assert footnote.box == Box(inches(0.6), H - inches(1.3), W - inches(1.2), inches(0.7))
    assert laid.misfits == []  # and no footer, no slide number on a title slide


def test_section_slide_with_a_slide_number():
    found = texts(SlideContent(2, "section", nb("Del 1"), subtitle=nb("Data")))
    assert list(found) == ["title", "subtitle", "slide-number"]
    assert (found["title"].box, found["title"].size) == (GEOMETRY.section_title, 36)
    assert (found["subtitle"].box, found["subtitle"].size) == (GEOMETRY.section_subtitle, 22)
    number = found["slide-number"]
    assert (number.box, number.size, number.align, number.slide_number) == (
        NUMBER, 11, "right", True)
    assert "slide-number" not in texts(SlideContent(2, "section", nb("Del 1")),
                                       show_numbers=False)


def test_bullets_slide():
    body = [Line(nb("Nytt eller gammelt?")), Line(nb("Komplekse problemer"), level=1)]
    slide = SlideContent(3, "bullets", nb("Samordning"), body=body, footnote=nb("Kilde: x"),
                         footer_text=nb("Konferanse 2026"))
    found = texts(slide)
    assert list(found) == ["title", "body", "footnote", "footer", "slide-number"]
    assert (found["title"].box, found["title"].size) == (GEOMETRY.title, 32)
    # two short lines: a short list, set larger and centred (see the tests below)
    assert (found["body"].placeholder, found["body"].box, found["body"].size,
            found["body"].bullets, found["body"].anchor) == (1, CONTENT, 30, True, "middle")
    assert found["footnote"].box == Box(CONTENT.left, H - inches(0.95), CONTENT.width,
                                        inches(0.45))
    assert (found["footer"].box, found["footer"].size) == (FOOTER, 11)


def test_many_bullets_shrink_the_body():
    body = [Line(nb(f"Punkt nummer {i} om samordning i offentlig sektor")) for i in range(9)]
    found = texts(SlideContent(4, "bullets", nb("Takk"), body=body))
    # 9 lines of 1.2 x size plus 8 gaps of 0.3 x size in 378 pt less the insets:
    # 26 pt needs 9 * 31.2 + 8 * 7.8 + 7.2 = 350.4 pt of the 378: it keeps its size, and
    # fills more than three quarters of the box, so it neither grows nor moves
    assert (found["body"].size, found["body"].anchor) == (26, None)
    more = body + body[:3]
    found = texts(SlideContent(4, "bullets", nb("Takk"), body=more))
    size = found["body"].size
    assert 14 <= size < 26
    height = CONTENT.height / EMU_PER_PT
    width = CONTENT.width / EMU_PER_PT
    assert text_height_pt(more, size, width, True) <= height
    assert text_height_pt(more, size + 1, width, True) > height


def test_a_short_bullet_list_is_set_larger_and_centred_a_long_one_is_not():
    width, height = CONTENT.width / EMU_PER_PT, CONTENT.height / EMU_PER_PT
    three = [Line(nb("Studere reformtiltak")), Line(nb("Identifisere lærdommer")),
             Line(nb("Sentralforvaltningen, helse, NAV"))]
    # at 26 pt: 3 * 31.2 + 2 * 7.8 + 7.2 = 116.4 pt of 378, under three quarters: it grows
    # to the bound, 30 pt (3 * 36 + 2 * 9 + 7.2 = 133.2 pt), still short: centred
    assert text_height_pt(three, 26, width, True) == pytest.approx(116.4)
    body = texts(SlideContent(2, "bullets", nb("Kort"), body=three))["body"]
    assert (body.size, body.normal, body.anchor, body.box) == (30, 26, "middle", CONTENT)
    # seven lines fill 7 * 31.2 + 6 * 7.8 + 7.2 = 272.4 pt (0.72): they grow, to 30 pt
    # (7 * 36 + 6 * 9 + 7.2 = 313.2 pt, 0.83), and then fill the box from the top
    seven = [Line(nb(f"Punkt {i}")) for i in range(7)]
    body = texts(SlideContent(2, "bullets", nb("Sju"), body=seven))["body"]
    assert (body.size, body.anchor) == (30, None)
    assert text_height_pt(seven, 30, width, True) <= height
    # eight lines fill 8 * 31.2 + 7 * 7.8 + 7.2 = 311.4 pt (0.82) at 26 pt: unchanged
    eight = [Line(nb(f"Punkt {i}")) for i in range(8)]
    body = texts(SlideContent(2, "bullets", nb("Åtte"), body=eight))["body"]
    assert (body.size, body.anchor) == (26, None)


def test_the_closing_slide_centres_its_title_and_lines_on_the_title_slides_boxes():
    body = [Line(nb("Landrapporter og publikasjoner")), Line(nb("www.cocops.eu"), level=1)]
    slide = SlideContent(20, "closing", nb("Mer informasjon"), body=body,
                         footer_text=nb("Kilde: x"))
    laid = lay_out(slide, GEOMETRY)
    assert laid.template_layout == "Title Slide"
    found = {e.role: e for e in laid.texts()}
    assert list(found) == ["title", "body", "footer", "slide-number"]
    title, lines = found["title"], found["body"]
    assert (title.box, title.size, title.align, title.anchor, title.colour) == (
        GEOMETRY.cover_title, 40, "center", "bottom", "#0B3C5D")
    # the lines: one level, no bullet marks, muted, centred, from the subtitle's top
    # down to the footer's space
    assert [(line.text, line.level) for line in lines.lines] == [
        ("Landrapporter og publikasjoner", 0), ("www.cocops.eu", 0)]
    assert (lines.placeholder, lines.bullets, lines.size, lines.align, lines.colour) == (
        1, False, 24, "center", "#5B6472")
    assert lines.box == Box(inches(0.6), inches(3.9), inches(12.133),
                            H - inches(0.95) - inches(3.9))
    assert found["footer"].box == FOOTER


def test_a_closing_slide_with_many_lines_takes_the_content_area_still_centred():
    body = [Line(nb(f"Kontakt nummer {i}: navn@example.org")) for i in range(12)]
    laid = lay_out(SlideContent(20, "closing", nb("Kontakt"), body=body), GEOMETRY)
    assert laid.template_layout == "Title and Content"
    found = {e.role: e for e in laid.texts()}
    title, lines = found["title"], found["body"]
    assert (title.box, title.size, title.align) == (GEOMETRY.title, 32, "center")
    assert (lines.box, lines.align, lines.anchor, lines.bullets) == (
        CONTENT, "center", "middle", False)
    assert lines.size < 24 and laid.misfits == []


def test_two_columns_with_a_chart_on_the_right():
    chart = chart_content()
    slide = SlideContent(5, "two_column", nb("Tekst og diagram"),
                         body=[Line(nb("N = 120"))], chart=chart, chart_column="right")
    laid = lay_out(slide, GEOMETRY)
    assert laid.template_layout == "Two Content"
    assert laid.dropped_placeholders == (2,)  # the right column's placeholder
    body = laid.elements[1]
    assert (body.role, body.placeholder, body.box, body.size) == (
        "body", 1, GEOMETRY.left_column, 24)
    (element,) = [e for e in laid.elements if isinstance(e, ChartElement)]
    right = GEOMETRY.right_column
    width, height = right.width // EMU_PER_PX, right.height // EMU_PER_PX
    assert (width, height) == (563, 504)
    assert element.box == Box(right.left, right.top, width * EMU_PER_PX, height * EMU_PER_PX)
    assert (chart.data.width_px, chart.data.height_px) == (563, 504)  # for the renderers


def test_chart_slide_puts_the_chart_under_its_caption():
    chart = chart_content()
    slide = SlideContent(6, "chart", nb("Samordningskvalitet"), chart=chart,
                         caption=nb("Hvordan vil du beskrive samordningen?"))
    laid = lay_out(slide, GEOMETRY)
    caption = laid.elements[1]
    assert (caption.role, caption.size, caption.italic) == ("caption", 16, True)
    assert caption.box == Box(CONTENT.left, CONTENT.top, CONTENT.width, inches(0.75))
    (element,) = [e for e in laid.elements if isinstance(e, ChartElement)]
    assert (chart.data.width_px, chart.data.height_px) == (1164, 432)
    assert element.box == Box(CONTENT.left, CONTENT.top + inches(0.75), 1164 * EMU_PER_PX,
                              432 * EMU_PER_PX)


def test_image_slide_centres_the_picture_in_its_proportions(tmp_path):
    path = tmp_path / "wide.png"
    Image.new("RGB", (400, 100)).save(path)
    slide = SlideContent(7, "image", nb("Et bilde"), image=path, caption=nb("Et testbilde"))
    (picture,) = [e for e in lay_out(slide, GEOMETRY).elements
                  if isinstance(e, PictureElement)]
    area = GEOMETRY.chart_box("full", True)
    assert picture.box.width == area.width  # 4:1 is wider than the area: full width
    assert picture.box.height == area.width // 4
    assert picture.box.top == area.top + (area.height - area.width // 4) // 2
    assert picture.alt_text == nb("Et testbilde")


def _table(rows: int, label: str = "Intern vertikal") -> TableContent:
    header = [nb(t) for t in ("Spørsmål", "Norge", "Alle", "N Norge", "N Alle")]
    return TableContent(header=header, rows=[[nb(label), nb("62 %"), nb("55 %"), nb("120"),
                                              nb("2 400")]] * rows)


def test_table_slide_rows_columns_and_size():
    slide = SlideContent(8, "table", nb("I tall"), table=_table(5), caption=nb("Spørsmål"))
    laid = lay_out(slide, GEOMETRY)
    (table,) = [e for e in laid.elements if isinstance(e, TableElement)]
    area = GEOMETRY.chart_box("full", True)
    assert table.row_height == inches(0.5)
    assert table.box == Box(area.left, area.top, area.width, 6 * inches(0.5))
    half = int(area.width * 0.5)
    assert table.column_widths == (half, *[(area.width - half) // 4] * 4)
    assert table.size == 16 and table.rows[0][0].bold and not table.rows[1][0].bold
    assert laid.misfits == []


def test_a_table_of_low_rows_is_set_smaller_and_one_that_cannot_fit_is_a_misfit():
    area = GEOMETRY.chart_box("full", True)
    slide = SlideContent(9, "table", nb("I tall"), table=_table(11), caption=nb("Spørsmål"))
    (table,) = [e for e in lay_out(slide, GEOMETRY).elements if isinstance(e, TableElement)]
    assert table.row_height == area.height // 12 and table.size == 14
    long_label = "Samarbeid mellom offentlige aktører på tvers av sektorer og nivåer " * 3
    slide = SlideContent(9, "table", nb("I tall"), table=_table(11, long_label),
                         caption=nb("Spørsmål"))
    laid = lay_out(slide, GEOMETRY)
    assert laid.misfits == [Misfit("battery", "table", 14)]


def test_a_long_title_shrinks_to_fit():
    found = texts(SlideContent(10, "chart", nb(LONG_150)))
    assert found["title"].size == 24  # two lines at 24 pt fit the title's 72 pt
    width, height = GEOMETRY.title.width / EMU_PER_PT, GEOMETRY.title.height / EMU_PER_PT
    title = [Line(nb(LONG_150), bold=True)]
    assert text_height_pt(title, 24, width, False) <= height
    assert text_height_pt(title, 25, width, False) > height
    assert texts(SlideContent(10, "title", nb(LONG_150)))["title"].size == 34


def test_a_570_character_title_shrinks_on_a_section_slide_and_does_not_fit_a_chart_slide():
    section = lay_out(SlideContent(11, "section", nb(LONG_570)), GEOMETRY)
    assert section.misfits == [] and 14 <= section.texts()[0].size < 36
    laid = lay_out(SlideContent(11, "chart", nb(LONG_570)), GEOMETRY)
    assert laid.misfits == [Misfit("title", "title", 14)]
    assert laid.texts()[0].size == 14  # drawn at the minimum, and reported


def test_subtitles_captions_and_footnotes_shrink_then_do_not_fit():
    found = texts(SlideContent(12, "title", nb("T"), subtitle=nb(LONG_150 * 2)))
    assert 14 <= found["subtitle"].size < 24
    caption = nb("Hvor godt samordnes arbeidet? " * 8)  # 240 characters: three lines at 16
    found = texts(SlideContent(12, "chart", nb("T"), caption=caption))
    assert 10 <= found["caption"].size < 16
    laid = lay_out(SlideContent(12, "chart", nb("T"), caption=nb(LONG_570 * 2)), GEOMETRY)
    assert laid.misfits == [Misfit("caption", "caption", 10)]
    laid = lay_out(SlideContent(12, "bullets", nb("T"), footnote=nb(LONG_570)), GEOMETRY)
    assert laid.misfits == [Misfit("footnote", "footnote", 10)]
    laid = lay_out(SlideContent(12, "bullets", nb("T"), footer_text=nb(LONG_150 * 2)),
                   GEOMETRY)  # a generated footer grows into more lines ...
    (footer,) = [t for t in laid.texts() if t.role == "footer"]
    assert laid.misfits == [] and footer.box.height > inches(0.35)
    laid = lay_out(SlideContent(12, "bullets", nb("T"), footer_text=nb(LONG_570)), GEOMETRY)
    assert laid.misfits == []  # ... or goes to the speaker notes
    assert not [t for t in laid.texts() if t.role == "footer"] and laid.notes


def test_a_word_longer_than_the_line_breaks_and_is_measured_so():
    laid = lay_out(SlideContent(13, "chart", nb("x" * 570)), GEOMETRY)
    assert laid.misfits == [Misfit("title", "title", 14)]


def test_a_long_generated_footer_grows_into_lines_then_goes_to_the_notes(tmp_path):
    """Significance with Holm's correction and the source: a table slide's footer
    takes two lines below the table instead of stopping the build; a footer longer
    than three lines goes whole to the speaker notes."""
    from generator.run.inputs import load_inputs
    from generator.run.options import BuildOptions

    deck = tmp_path / "holm.yaml"
    deck.write_text(f"extends: {(FIXTURES / 'statistics.yaml').as_posix()}\n"
                    "deck:\n  correction: holm\n", encoding="utf-8")
    prepared = load_inputs(deck, BuildOptions(check_only=True)).prepared
    table = prepared.layouts[-1]
    (footer,) = [e for e in table.elements if getattr(e, "role", "") == "footer"]
    text = " ".join(span.text for line in footer.lines for span in line.phrase.spans)
    assert "Holm" in text and "Kilde" in text
    assert footer.box.height > inches(0.35)  # grown: two lines
    assert footer.box.top + footer.box.height == inches(7.5 - 0.15)  # same bottom edge
    assert footer.box.top >= inches(1.5 + 5.25)  # below the content area

    deck.write_text(f"extends: {(FIXTURES / 'statistics.yaml').as_posix()}\n"
                    "deck:\n  correction: holm\n  footer:\n    text: \""
                    + "Lang fotnote med mange ord. " * 12 + "\"\n", encoding="utf-8")
    prepared = load_inputs(deck, BuildOptions(check_only=True)).prepared
    table = prepared.layouts[-1]
    assert not [e for e in table.elements if getattr(e, "role", "") == "footer"]
    notes = " ".join(span.text for line in table.notes for span in line.phrase.spans)
    assert "Lang fotnote" in notes and "Holm" in notes
