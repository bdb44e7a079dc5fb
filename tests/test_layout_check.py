"""The layout check of image charts: the collision rules on hand-made boxes, the check
in the browser on a figure known to collide, and every image chart of the shipped
deck, the examples and the fixtures (as they are, and with significance, Holm's
correction and intervals) drawn clear of collisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.charts.figures import figure_spec
from generator.cli import main
from generator.core.theme import DEFAULT_THEME
from generator.output.render.layoutcheck import LayoutChecker, Part, collisions
from generator.run.inputs import load_inputs
from generator.run.options import BuildOptions
from tests.conftest import FIXTURES, ROOT

DECKS = [ROOT / "slides.yaml", *sorted((ROOT / "examples").glob("*_*.yaml")),
         FIXTURES / "chart_kinds.yaml", FIXTURES / "all_kinds.yaml",
         FIXTURES / "statistics.yaml"]
STATISTICS = "deck:\n  significance: 0.05\n  correction: holm\n  ci: 0.95\n"


def text(kind: str, label: str, x0: float, y0: float, x1: float, y1: float) -> Part:
    return Part(kind, label, x0, y0, x1, y1)


def test_collisions_named_one_sentence_each():
    parts = [
        text("tick", "Åpenhet", 0, 10, 80, 30),
        text("tick", "Kvalitet", 0, 28, 60, 48),  # 2 px over the one above
        text("bar", "", 82, 10, 300, 30),  # 2 px right of its item label: too close
        text("value", "5,8", 310, 10, 340, 30),
        text("interval", "", 290, 15, 320, 25),  # through "5,8"
        text("value", "4,1", 200, 40, 260, 60),  # inside its bar: fine
        text("bar", "", 100, 38, 280, 62),
        text("value", "3,0", 270, 64, 300, 84),  # across the next bar's end
        text("bar", "", 100, 62, 285, 86),
        text("legend", "", 300, 0, 400, 12),  # over "5,8"
        text("legend text", "Norge", 305, 1, 350, 11),
        text("note", "Kilde", 380, 90, 420, 100),  # past the right edge
    ]
    found = collisions(parts, width=400, height=100)
    assert found == [
        "tick 'Åpenhet' overlaps tick 'Kvalitet'",
        "note 'Kilde' is cut by the picture's edge",
        "tick 'Åpenhet' touches a bar",
        "interval crosses value '5,8'",
        "value '3,0' lies across a bar's edge",
        "value '5,8' is under the legend",
    ]


def test_parts_apart_do_not_collide():
    parts = [text("tick", "A", 0, 0, 50, 20), text("tick", "B", 0, 20.5, 50, 40),
             text("bar", "", 60, 0, 200, 20), text("value", "5", 205, 0, 220, 20),
             text("mark", "", 240, 0, 260, 20), text("legend", "", 0, -30, 100, -5)]
    assert collisions(parts, width=300, height=40) == []


@pytest.mark.browser
def test_check_finds_what_a_reader_sees(browser):
    """A dot plot as drawn before its labels moved beyond the intervals: each label
    beside its dot, and a wide interval through it."""
    spec = {"data": [{"type": "scatter", "y": ["A", "B"], "x": [5.0, 4.0],
                      "mode": "markers+text", "text": ["5,0 ▲", "4,0"],
                      "textposition": "middle right", "marker": {"size": 16},
                      "textfont": {"size": 19},
                      "error_x": {"type": "data", "array": [0.6, 0.6], "visible": True}}],
            "layout": {"width": 600, "height": 300, "xaxis": {"range": [1, 7]},
                       "showlegend": False}}
    with LayoutChecker(browser) as checker:
        parts = checker.parts(spec)
        found = checker.check(spec)
    assert {p.kind for p in parts} >= {"tick", "value", "mark", "interval"}
    assert "interval crosses value '5,0 ▲'" in found
    assert "interval crosses value '4,0'" in found


@pytest.mark.browser
def test_every_image_chart_is_clear(browser, tmp_path):
    decks = list(DECKS)
    for deck in DECKS:  # each also with significance, Holm's correction and intervals
        variant = tmp_path / f"{deck.stem}_statistics.yaml"
        variant.write_text(f"extends: {deck.as_posix()}\n{STATISTICS}", encoding="utf-8")
        decks.append(variant)
    checked, found = 0, {}
    with LayoutChecker(browser) as checker:
        for deck in decks:
            prepared = load_inputs(deck, BuildOptions(check_only=True)).prepared
            for slide in prepared.charted:
                spec = figure_spec(slide.chart.data, prepared.locale, DEFAULT_THEME)
                checked += 1
                if sentences := checker.check(spec):
                    found[f"{deck.name} {slide.label}"] = sentences
    assert checked >= 60
    assert found == {}


@pytest.mark.browser
def test_check_layout_on_the_command_line(browser, tmp_path, capsys):
    deck = tmp_path / "dots.yaml"
    deck.write_text(f"extends: {(FIXTURES / 'chart_kinds.yaml').as_posix()}\n{STATISTICS}",
                    encoding="utf-8")
    assert main([str(deck), "--check-layout"]) == 0, capsys.readouterr().err
    assert "OK (7 slides, 7 charts)" in capsys.readouterr().err
    assert not list(Path(tmp_path).glob("*.pptx"))
