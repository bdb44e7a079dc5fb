"""End-to-end builds: YAML -> pandas -> Plotly -> Kaleido/Chromium -> python-pptx."""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import FIXTURES, ROOT
from deck_summary import summarise

from generator.build import BuildOptions, build

EXPECTED = ROOT / "tests" / "expected"


def test_walking_skeleton_deck_has_its_three_slides(built_decks):
    summary = summarise(built_decks["three"])
    assert summary["slide_size_in"] == [13.333, 7.5]
    titles = [s["title"] for s in summary["slides"]]
    assert titles == ["COCOPS: Coordinating for cohesion in the public sector*", "Samordning",
                      "Samordningskvalitet"]
    title_texts = [p[1] for shape in summary["slides"][0]["shapes"]
                   for p in shape.get("paragraphs", [])]
    assert "Betydningen av NPM-reformer i offentlig sektor" in title_texts
    assert any(t.startswith("*COCOPS-prosjektet er finansiert av EUs 7ende rammeprogram")
               for t in title_texts)
    bullets = summary["slides"][1]["shapes"][1]["paragraphs"]
    assert [0, "«Wicked problems»"] in bullets
    assert [1, "Komplekse, tvetydige, preget av usikkerhet og konflikt"] in bullets
    pictures = [s for s in summary["slides"][2]["shapes"] if "picture_px" in s]
    assert len(pictures) == 1
    # the chart box is 12.133 in x (5.25 - 0.75) in at 96 dpi, rendered at scale 2
    assert pictures[0]["picture_px"] == [2 * 1164, 2 * 432]


def _chart_values(alt_text: str, series: str) -> list[int]:
    part = alt_text.split(f"{series}: ")[1].split(";")[0]
    return [int(v) for v in re.findall(r"(\d+)\u00a0%", part)]


def test_coordination_quality_matches_the_reference_deck(built_decks):
    """The reference deck's bars (Norge, Alle), within one percentage point."""
    summary = summarise(built_decks["three"])
    alt = next(s["alt_text"] for s in summary["slides"][2]["shapes"] if "alt_text" in s)
    norway, everyone = _chart_values(alt, "Norge"), _chart_values(alt, "Alle")
    for got, expected in zip(norway, [62, 45, 32, 39, 41], strict=True):
        assert abs(got - expected) <= 1
    for got, expected in zip(everyone, [55, 43, 36, 47, 33], strict=True):
        assert abs(got - expected) <= 1


def test_norwegian_deck_matches_its_expected_summary(built_decks):
    """Layouts, texts, notes, shapes, picture sizes, alt texts and language tags.

    After an intended change, regenerate with UPDATE_EXPECTED=1 and review the diff.
    """
    summary = summarise(built_decks["NO_nb"])
    expected_file = EXPECTED / "cocops_NO_nb.json"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert len(summary["slides"]) == 20
    for got, want in zip(summary["slides"], expected["slides"], strict=True):
        assert got == want, f"slide {want['number']} ({want['title']}) differs"
    assert summary == expected


def test_every_text_run_is_tagged_norwegian(built_decks):
    summary = summarise(built_decks["NO_nb"])
    assert {lang for s in summary["slides"] for lang in s["languages"]} == {"nb-NO"}


def test_survey_slide_quotes_computed_figures(built_decks):
    summary = summarise(built_decks["NO_nb"])
    slide = next(s for s in summary["slides"] if s["title"] == "COCOPS survey")
    texts = [p[1] for shape in slide["shapes"] for p in shape.get("paragraphs", [])]
    assert "N = 7\u00a0749 (Norge: 436)" in texts
    assert "Svarprosent: 27\u00a0% (Norge: 34\u00a0%)" in texts
    assert "16 europeiske land, 2012–2013" in texts


def test_building_twice_gives_identical_bytes(tmp_path, browser):
    cache = tmp_path / "cache"
    first = build(FIXTURES / "three_slides.yaml",
                  BuildOptions(output=tmp_path / "a.pptx", cache_dir=cache))
    second = build(FIXTURES / "three_slides.yaml",
                   BuildOptions(output=tmp_path / "b.pptx", cache_dir=cache, use_cache=False))
    assert second.render.rendered == 1
    assert first.output.read_bytes() == second.output.read_bytes()


def test_second_build_serves_every_chart_from_the_cache(tmp_path, browser):
    options = BuildOptions(output=tmp_path / "deck.pptx", cache_dir=tmp_path / "cache")
    cold = build(ROOT / "slides.yaml", options)
    warm = build(ROOT / "slides.yaml", options)
    assert (cold.charts, cold.render.rendered, cold.render.browser_starts) == (8, 8, 1)
    assert (warm.render.rendered, warm.render.cache_hits, warm.render.browser_starts) == (0, 8, 0)


def test_check_only_renders_nothing(tmp_path):
    result = build(ROOT / "slides.yaml",
                   BuildOptions(output=tmp_path / "deck.pptx", check_only=True))
    assert (result.slides, result.charts, result.render.browser_starts) == (20, 8, 0)
    assert not (tmp_path / "deck.pptx").exists()


@pytest.mark.parametrize("argv", [["--check"]])
def test_cli_check_exits_zero(argv, capsys):
    from generator.cli import main

    assert main([str(ROOT / "slides.yaml"), *argv]) == 0
    assert "OK (20 slides, 8 charts)" in capsys.readouterr().err
