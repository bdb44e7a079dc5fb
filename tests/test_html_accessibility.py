"""``--html`` for every reader: axe-core's WCAG 2.1 A/AA rules in real Chromium, and each
chart's numbers as a table."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_page import Page
from conftest import FIXTURES, ROOT

from generator.output.charttable import numbers_table
from generator.output.figures import figure_rows
from generator.run.build import build
from generator.run.inputs import load_inputs
from generator.run.options import BuildOptions

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(browser: str, page: Path) -> list[tuple[str, str, list[str]]]:
    """axe-core's WCAG 2.1 A/AA violations on `page`: rule, impact, the elements."""
    with Page(browser, page) as opened:
        opened.evaluate(AXE.read_text(encoding="utf-8") + ";true")
        return [tuple(v) for v in opened.evaluate(
            f"axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG_21_AA}}}}})"
            ".then(r => r.violations.map(v => [v.id, v.impact,"
            " v.nodes.map(n => n.target.join(' '))]))")]


@pytest.mark.parametrize("deck", ["slides.yaml", "examples/uk_en.yaml"])
def test_axe_finds_nothing_on_the_shipped_decks_pages(deck, browser, tmp_path):
    build(ROOT / deck, BuildOptions(output=tmp_path / "deck.pptx", charts="native",
                                    outputs=("html",)))
    assert axe_violations(browser, tmp_path / "deck.html") == []


def test_axe_finds_a_button_inside_a_picture(browser, tmp_path):
    """What the charts had before: Plotly's buttons inside an element with role img."""
    page = tmp_path / "nested.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
                    '<main><div role="img" aria-label="A chart"><button>Zoom</button></div>'
                    '</main></body></html>', encoding="utf-8")
    assert axe_violations(browser, page) == [("nested-interactive", "serious",
                                             ["div"])]


def test_each_chart_is_followed_by_a_table_of_its_numbers_hidden_from_view(browser, tmp_path):
    build(ROOT / "slides.yaml", BuildOptions(output=tmp_path / "deck.pptx", charts="native",
                                             outputs=("html",)))
    with Page(browser, tmp_path / "deck.html") as opened:
        tables = opened.evaluate(
            "Array.from(document.querySelectorAll('.chart + script + .unseen > table')).map(t =>"
            " [t.id, t.caption.textContent, t.parentElement.getBoundingClientRect().width,"
            "  Array.from(t.rows[2].cells).map(c => c.textContent)])")
        headings = opened.evaluate(
            "Array.from(document.querySelectorAll('section.slide')).map(s =>"
            " s.querySelector('h1, h2').textContent)")
    assert [t[0] for t in tables] == [f"numbers-{n}" for n in range(9, 18)]
    assert tables[6][1] == "Samordningskvalitet: andel gode vurderinger"
    assert all(width <= 1 for _, _, width, _ in tables)  # read, not shown
    # slide 15's second item: Norway's share and base, then all countries'
    assert tables[6][3] == ["Ekstern vertikal (oppad)", "45\xa0%", "398", "43\xa0%",
                            "7\xa0036"]
    assert len(headings) == len(set(headings)) == 20  # a distinct heading per slide


def test_the_numbers_table_holds_every_value_the_figures_export_has():
    inputs = load_inputs(FIXTURES / "all_kinds.yaml", BuildOptions())
    slides, locale = inputs.prepared.slides, inputs.prepared.locale
    rows = figure_rows(slides, "NO", "others")
    likert = next(s for s in slides if s.chart is not None and s.chart.data.kind == "likert")
    table = numbers_table(likert.chart.data, locale)
    assert [h.text for h in table.header][:2] == ["", "1 = Svært dårlig"]
    assert table.header[-1].text == "N"
    shown = {(row[0].text, i): cell.text for row in table.rows
             for i, cell in enumerate(row[1:-1], 1)}
    expected = [r for r in rows if r["slide_number"] == likert.number]
    assert len(shown) == len(expected) > 0  # the country's shares, as the chart draws
    first = table.rows[0]
    assert first[0].text == "Intern vertikal"
    assert first[-1].text == "422"  # its base
    assert [c.text for c in first[1:-1]] == [
        locale.value(r["value"], "percent") for r in expected
        if r["item"] == "internal_vertical" and r["group"] == "NO"]
