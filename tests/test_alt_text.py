"""A chart's alt text ends with the chart's source line, so that a reader who hears the
deck (the .pptx's alt text, the PDF's Figure /Alt made from it, the HTML's label) hears
that the shipped data are synthetic; the line keeps the language it is written in."""

from __future__ import annotations

from html import unescape

import pytest
from conftest import ROOT
from pptx import Presentation
from small_project import replace_in, write_project
from test_association import planned

from generator.charts.data import chart_notes
from generator.cli import main
from generator.i18n.phrase import Span

NB_SOURCE = ("Kilde: Syntetiske demodata etter mønster av COCOPS-undersøkelsen 2012–2013 "
             "(ikke ekte svar)")
EN_SOURCE = ("Synthetic demo data modelled on the COCOPS Executive Survey 2012–2013 "
             "(not real responses)")


@pytest.fixture(scope="module")
def norwegian():
    return planned(ROOT / "slides.yaml")


def test_every_chart_of_the_shipped_deck_says_its_data_are_synthetic(norwegian):
    charts = [s.chart for s in norwegian.slides if s.chart is not None]
    assert len(charts) == 9  # the association slide's coefficient chart among them
    for chart in charts:
        alt = chart.alt_text.text
        assert alt.endswith(f". {NB_SOURCE}."), alt[-200:]
        # the same words as the line under the chart
        assert chart_notes(chart.data, norwegian.locale)[-1] == NB_SOURCE
    quality = next(s for s in norwegian.slides if s.id == "samordningskvalitet-prosent")
    # each sentence ends with a full stop: the values, the tests, the source
    assert quality.chart.alt_text.text.endswith(
        "Intern horisontal 33\u00a0%. Signifikant høyere enn de andre landene: Intern vertikal og "
        "Intern horisontal. Signifikant lavere enn de andre landene: Ekstern horisontal. "
        f"{NB_SOURCE}.")


def danish_project(folder):
    """The small project in Danish, its catalogue the shipped Danish one without the
    data set's source: the codebook's English source is quoted in the Danish "Kilde:"."""
    write_project(folder, ("NO", "DK"))
    replace_in(folder / "deck.yaml", "language: nb", "language: da\n  catalogue: da.yaml")
    catalogue = (ROOT / "examples" / "da.catalogue.yaml").read_text(encoding="utf-8")
    entry = ('  "dataset.source": "Syntetiske demodata efter mønster af COCOPS-undersøgelsen '
             '2012–2013 (ikke rigtige svar)"\n')
    assert entry in catalogue
    (folder / "da.yaml").write_text(catalogue.replace(entry, ""), encoding="utf-8")
    return folder / "deck.yaml"


def test_a_source_line_in_another_language_keeps_its_tag_in_the_alt_text(tmp_path):
    danish = planned(danish_project(tmp_path))
    tag = danish.locale.tag
    assert tag == "da-DK"
    chart = next(s for s in danish.slides if s.id == "quality").chart
    assert chart.alt_text.text.startswith("Diagram: Samordningskvalitet.")
    *_, before, source = chart.alt_text.spans
    assert source == Span(f"{EN_SOURCE}.", "en-US")
    assert before.lang == tag and before.text.endswith("\u00a0%. Kilde: ")


def test_a_filtered_chart_says_who_is_counted_then_the_source(tmp_path):
    """A chart without a caption (a column of a two-column slide) says under it who is
    counted and the source; its alt text says both, as sentences."""
    folder = write_project(tmp_path, ("NO", "DK"))
    replace_in(folder / "deck.yaml", "  - type: chart\n    id: quality\n",
               "  - type: two_column\n    id: columns\n    title: Samordning i to kolonner\n"
               "    left: {bullets: [Tekst]}\n    right:\n"
               "      filter: {policy_field: 2}\n      battery: coordination_quality\n"
               "      indicator: pct_range\n      range: [5, 7]\n  - type: chart\n"
               "    id: quality\n")
    prepared = planned(folder / "deck.yaml")
    chart = next(s for s in prepared.slides if s.id == "columns").chart
    note = chart_notes(chart.data, prepared.locale)[-1]
    included, source = note.split("   ·   ")
    assert source == NB_SOURCE and included
    assert chart.alt_text.text.endswith(f". {included}. {NB_SOURCE}.")


def test_every_output_carries_the_source_line_in_the_alt_text(tmp_path):
    """The .pptx's native chart's descr, the HTML chart's label; the HTML also gives the
    line after the chart, tagged with its language (an attribute cannot)."""
    assert main([str(danish_project(tmp_path)), "--charts", "native", "--html"]) == 0
    deck = tmp_path / "out" / "deck_NO.pptx"
    prs = Presentation(str(deck))
    descr = [shape._element.xpath(".//p:cNvPr/@descr")[0]
             for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert len(descr) == 1 and descr[0].endswith(f" Kilde: {EN_SOURCE}.")
    page = deck.with_suffix(".html").read_text(encoding="utf-8")
    label = unescape(page.split('aria-label="')[1].split('"')[0])
    assert label == descr[0]
    assert f'<p lang="da-DK">Kilde: <span lang="en-US">{EN_SOURCE}</span></p>' in page
