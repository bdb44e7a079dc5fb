"""End-to-end builds: YAML -> pandas -> Plotly -> Kaleido/Chromium -> python-pptx."""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import FIXTURES, ROOT
from deck_summary import summarise
from pptx import Presentation
from pptx.oxml.ns import qn

from generator.run.build import build
from generator.run.options import BuildOptions
from generator.run.session import BuildSession

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


def test_every_text_run_is_tagged_norwegian_but_the_declared_english_titles_and_terms(
        built_decks):
    """English where slides.yaml says so (``title_language: en``, ``[…]{lang=en}``),
    Norwegian everywhere else."""
    prs = Presentation(built_decks["NO_nb"])
    english: dict[int, list[str]] = {}
    for number, slide in enumerate(prs.slides, 1):
        for run in slide._element.iter(qn("a:r")):
            lang = run.find(qn("a:rPr")).get("lang")
            assert lang in ("nb-NO", "en-US"), (number, run.findtext(qn("a:t")))
            if lang == "en-US":
                english.setdefault(number, []).append(run.findtext(qn("a:t")))
    assert english == {
        1: ["COCOPS: Coordinating for cohesion in the public sector*"],
        2: ["Work Package 5: Emerging coordination practices in public management in Europe",
            "wicked problems"],
        3: ["whole of government", "Wicked problems"],  # the marks «» are Norwegian
        4: ["any joint activity by two or more agencies that is intended to increase public "
            "value by their working together rather than separately"],
        6: ["Online community of practice", "Policy brief"],
    }


def test_survey_slide_quotes_computed_figures(built_decks):
    summary = summarise(built_decks["NO_nb"])
    slide = next(s for s in summary["slides"] if s["title"] == "COCOPS survey")
    texts = [p[1] for shape in slide["shapes"] for p in shape.get("paragraphs", [])]
    # no line breaks inside a figure, nor between a label and its figure
    assert "N = 7\u00a0749 (Norge:\u00a0436)" in texts
    assert "Svarprosent:\u00a027\u00a0% (Norge:\u00a034\u00a0%)" in texts
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
    assert (cold.charts, cold.render.rendered, cold.render.browser_starts) == (9, 9, 1)
    assert (warm.render.rendered, warm.render.cache_hits, warm.render.browser_starts) == (0, 9, 0)


@pytest.mark.parametrize("one_build", [True, False])
def test_a_one_build_session_closes_the_browser_before_writing(tmp_path, browser, one_build):
    """The command line's session (one build) starts closing the browser once the last
    chart is drawn, so the close overlaps the writing; a kept session (watch) keeps it."""
    session = BuildSession(one_build=one_build)
    open_while_writing = []
    try:
        build(FIXTURES / "three_slides.yaml",
              BuildOptions(output=tmp_path / "a.pptx", cache_dir=tmp_path / "cache"),
              session=session,
              on_deck=lambda _: open_while_writing.append(session.renderer.started))
        assert open_while_writing == [not one_build]
        assert session.renderer.stats.rendered == 1
    finally:
        session.close()


def test_check_only_renders_nothing(tmp_path):
    result = build(ROOT / "slides.yaml",
                   BuildOptions(output=tmp_path / "deck.pptx", check_only=True))
    assert (result.slides, result.charts, result.render.browser_starts) == (20, 9, 0)
    assert not (tmp_path / "deck.pptx").exists()


@pytest.mark.parametrize("argv", [["--check"]])
def test_cli_check_exits_zero(argv, capsys):
    from generator.cli import main

    assert main([str(ROOT / "slides.yaml"), *argv]) == 0
    assert "OK (20 slides, 9 charts)" in capsys.readouterr().err


def test_every_slide_kind(tmp_path, browser):
    """Section, native table, likert, two columns with a chart, image, closing."""
    from generator.i18n.locale import DeckLocale
    from generator.survey.codebook import load_codebook
    from generator.survey.dataset import load_survey
    from generator.survey.indicators import Request, comparison_table

    result = build(FIXTURES / "all_kinds.yaml",
                   BuildOptions(output=tmp_path / "kinds.pptx", cache_dir=tmp_path / "c"))
    slides = summarise(result.output)["slides"]
    assert [s["layout"] for s in slides] == [
        "Title Slide", "Section Header", "Title Only", "Title Only", "Two Content",
        "Title Only", "Title Slide"]  # the closing slide: centred on the title's layout
    assert slides[0]["shapes"][1]["paragraphs"] == [[0, "Norge, 2012–2013"]]

    codebook, source = load_codebook(ROOT / "data" / "codebook.yaml")
    survey = load_survey(ROOT / "data" / "cocops_synthetic.csv", codebook, source)
    battery = codebook.batteries["coordination_quality"]
    expected = comparison_table(
        survey.frame, "country", "NO", "others",
        Request("pct_range", {k: i.column for k, i in battery.items.items()},
                codebook.scales["quality7"], (5, 7)))
    locale = DeckLocale("nb")
    table = next(s["table"] for s in slides[2]["shapes"] if "table" in s)
    assert table[0] == ["Spørsmål", "Norge", "Andre land", "N Norge", "N Andre land"]
    assert [row[0] for row in table[1:]] == [
        "Intern vertikal", "Ekstern vertikal (oppad)", "Ekstern vertikal (nedad)",
        "Ekstern horisontal", "Intern horisontal"]
    for row, item in zip(table[1:], battery.items, strict=True):
        values = expected[expected["item"] == item].set_index("group")
        assert row[1:] == [locale.percent(values.loc["country", "value"]),
                           locale.percent(values.loc["comparison", "value"]),
                           locale.integer(int(values.loc["country", "n"])),
                           locale.integer(int(values.loc["comparison", "n"]))]
    assert table[1][1] == "62\u00a0%"  # the reference deck's Norway bar

    likert_alt = next(s["alt_text"] for s in slides[3]["shapes"] if "alt_text" in s)
    assert "Kan ikke vurdere" in likert_alt and "1 = Svært dårlig" in likert_alt
    two_column = slides[4]["shapes"]
    assert [0, "N = 436 ledere i Norge"] in two_column[1]["paragraphs"]
    chart = next(s for s in two_column if "picture_px" in s)
    assert chart["picture_px"][0] < 1300  # a half-width chart, rendered at 2x
    image = next(s for s in slides[5]["shapes"] if "picture_px" in s)
    assert image["picture_px"] == [640, 360] and image["alt_text"] == "Et testbilde"
    assert slides[6]["notes"] == "Spørsmål?"
    footer = [p[1] for s in slides[6]["shapes"] for p in s.get("paragraphs", [])]
    assert "Testkonferanse 2026" in footer and "7" in footer


def test_a_user_template_supplies_size_layouts_and_styles(tmp_path, browser):
    from pptx import Presentation

    template = Presentation()  # python-pptx's own 4:3 default, as a user's .pptx
    template.slides.add_slide(template.slide_layouts[0])  # its own slides are not kept
    template.save(str(tmp_path / "house.pptx"))
    deck = tmp_path / "deck.yaml"
    deck.write_text((FIXTURES / "three_slides.yaml").read_text(encoding="utf-8")
                    .replace("../../data/", f"{ROOT}/data/")
                    .replace("  compare_with: all", "  compare_with: all\n  template: house.pptx"),
                    encoding="utf-8")
    result = build(deck, BuildOptions(output=tmp_path / "deck.pptx", cache_dir=tmp_path / "c"))
    summary = summarise(result.output)
    assert summary["slide_size_in"] == [10.0, 7.5]
    assert len(summary["slides"]) == 3
    picture = next(s for s in summary["slides"][2]["shapes"] if "picture_px" in s)
    # the template's content placeholder: 9 in x 4.95 in, less the 0.75 in caption
    assert picture["picture_px"] == [2 * 864, 2 * 403]


def test_a_warm_rebuild_does_not_even_load_plotly(tmp_path, browser):
    import subprocess
    import sys

    options = f"BuildOptions(output=Path({str(tmp_path / 'd.pptx')!r}), " \
              f"cache_dir=Path({str(tmp_path / 'c')!r}))"
    script = ("import sys; from pathlib import Path; "
              "from generator.run.build import BuildOptions, build; "
              f"r = build(Path({str(ROOT / 'slides.yaml')!r}), {options}); "
              "print(r.render.rendered, r.render.cache_hits, "
              "'plotly.graph_objects' in sys.modules)")
    cold = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    warm = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert cold.stdout.split() == ["9", "0", "True"]
    assert warm.stdout.split() == ["0", "9", "False"]


def test_builds_in_one_process_read_the_same_files_once(tmp_path, monkeypatch):
    import generator.run.inputs as build_module

    data = tmp_path / "data.csv"
    data.write_bytes((ROOT / "data" / "cocops_synthetic.csv").read_bytes())
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"extends: {ROOT / 'slides.yaml'}\ndeck:\n  data: {data}\n",
                    encoding="utf-8")
    reads: list[str] = []
    real_load = build_module.load_survey
    monkeypatch.setattr(build_module, "load_survey",
                        lambda path, *a, **k: reads.append(path.name) or real_load(path, *a, **k))
    monkeypatch.setattr(build_module, "SHARED_INPUTS", build_module.InputCache(size=2))
    check = BuildOptions(check_only=True)
    build(deck, check)
    build(deck, check)  # a new session, the same process: nothing read again
    assert reads == ["data.csv"]
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("\n", "\r\n"), encoding="utf-8")  # the same rows, new bytes
    build(deck, check)
    assert reads == ["data.csv", "data.csv"]
    for name in ("other.csv", "third.csv"):  # a second and a third file: the oldest goes
        other = tmp_path / name
        other.write_text(text, encoding="utf-8")
        other_deck = tmp_path / f"{name}.yaml"
        other_deck.write_text(f"extends: {ROOT / 'slides.yaml'}\ndeck:\n  data: {other}\n",
                              encoding="utf-8")
        build(other_deck, check)
    build(deck, check)  # pushed out by the third
    assert reads == ["data.csv", "data.csv", "other.csv", "third.csv", "data.csv"]
    assert len(build_module.SHARED_INPUTS) == 2


def test_the_process_keeps_one_data_file_and_lets_it_go_before_reading_another(
        tmp_path, monkeypatch):
    import generator.run.inputs as build_module

    cache = build_module.InputCache()
    monkeypatch.setattr(build_module, "SHARED_INPUTS", cache)
    kept_while_reading: list[int] = []
    real_load = build_module.load_survey
    monkeypatch.setattr(build_module, "load_survey", lambda *a, **k: kept_while_reading.append(
        len(cache)) or real_load(*a, **k))
    decks = []
    for name in ("one", "two"):
        data = tmp_path / f"{name}.csv"
        data.write_bytes((ROOT / "data" / "cocops_synthetic.csv").read_bytes())
        decks.append(tmp_path / f"{name}.yaml")
        decks[-1].write_text(f"extends: {ROOT / 'slides.yaml'}\ndeck:\n  data: {data}\n",
                             encoding="utf-8")
    for deck in (*decks, decks[0]):
        build(deck, BuildOptions(check_only=True))
    assert kept_while_reading == [0, 0, 0]  # each read with nothing else held
    assert len(cache) == 1
