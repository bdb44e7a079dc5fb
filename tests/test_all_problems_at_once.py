"""One run reports the problems of every stage (deck file, variant, codebook, data,
slides), and says which checks it left out because an earlier problem made them
meaningless. Asserted through the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from small_project import replace_in, write_project

from generator.cli import main


@pytest.fixture
def project(tmp_path) -> Path:
    return write_project(tmp_path, ("NO", "DK"))


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")  # one message, one line


def check(deck: Path, capsys) -> tuple[int, list[str]]:
    """Exit status and the message lines (problems and notes), one per line."""
    status = main([str(deck), "--check"])
    return status, [line.strip() for line in capsys.readouterr().err.strip().splitlines()]


def test_a_wrong_column_no_longer_hides_the_country_problem(project, capsys):
    replace_in(project / "codebook.yaml", "column: q18_1", "column: q18_l")
    frame = pd.read_csv(project / "data.csv", dtype=str)
    frame.loc[frame["country"] == "DK", "country"] = "Danmrk"
    frame.to_csv(project / "data.csv", index=False)
    status, lines = check(project / "deck.yaml", capsys)
    assert status == 2
    assert lines[0].endswith("Cannot build " + str(project / "deck.yaml") + ": 2 problem(s)")
    assert "column 'q18_l' is not in the data file data.csv" in lines[1]
    assert re.search(r"column 'country' has \d+ value\(s\) that are neither ISO country codes "
                     r"nor country names CLDR knows, such as 'Danmrk'", lines[2])
    assert lines[3] == "(slides not checked against the data: fix the data first)"


def test_a_new_slide_without_after_no_longer_hides_a_typo_elsewhere(project, capsys):
    variant = project / "variant.yaml"
    variant.write_text(
        "extends: deck.yaml\n"
        "deck:\n  language: en\n"
        "remove: [frist]\n"
        "slides:\n"
        "  - id: context\n    type: bullets\n    title: Context\n    bullets: [Crisis]\n"
        "  - id: quality\n    title: Coordination quality\n    indicator: pct_rnage\n",
        encoding="utf-8")
    status, lines = check(variant, capsys)
    assert status == 2
    assert lines[1:] == [
        f"{variant}:4:10: remove[0]: no slide with id 'frist' (did you mean 'first'?)",
        f"{variant}:6:5: slides[0].id: no slide with id 'context' in the base (valid: first, "
        "quality; to add a slide, give 'after: <id>')",
        f"{variant}:12:5: slides[1].indicator: 'pct_rnage' is not a valid value (did you mean "
        "'pct_range'?)",
        "(slides not checked against the data: fix the deck file first)",
    ]


def test_deck_codebook_and_data_problems_in_one_run(project, capsys):
    replace_in(project / "deck.yaml", "    bullets: [", "    bulets: [")
    replace_in(project / "codebook.yaml", "  quality7:\n    points:", "  quality7:\n    pionts:")
    status, lines = check(project / "deck.yaml", capsys)
    assert status == 2
    assert "deck.yaml:12:5: slides[0].bulets: unknown key 'bulets'" in lines[1]
    assert any("codebook.yaml:" in line and "scales.quality7.pionts: unknown key 'pionts' "
               "(did you mean 'points'?)" in line for line in lines)
    assert lines[-2:] == ["(data not checked: fix the codebook first)",
                          "(slides not checked against the data: fix the deck file first)"]


def test_deck_problems_and_data_problems_together(project, capsys):
    replace_in(project / "deck.yaml", "title: Test deck", "title: Test deck\n  min_base: many")
    frame = pd.read_csv(project / "data.csv", dtype=str)
    frame.loc[5, "q18_3"] = "9"
    frame.to_csv(project / "data.csv", index=False)
    status, lines = check(project / "deck.yaml", capsys)
    assert status == 2
    assert "deck.yaml:3:" in lines[1] and "deck.min_base" in lines[1]
    assert ("codes not declared in scale quality7: 1 answer coded 9 in q18_3 (first at row 7 "
            f"(id {frame.loc[5, 'id']}) of data.csv) (add 9 to the scale's missing or "
            "non_answers)") in lines[2]
    assert lines[3] == "(slides not checked against the data: fix the deck file first)"


def test_slide_problems_come_with_a_valid_variant_problem(project, capsys):
    """A sound deck and data: the slides are checked, beside the variant's problem."""
    variant = project / "variant.yaml"
    variant.write_text("extends: deck.yaml\nremove: [nothing]\nslides:\n"
                       "  - id: quality\n    battery: coordination_qualty\n", encoding="utf-8")
    status, lines = check(variant, capsys)
    assert status == 2
    assert lines[1:] == [
        f"{variant}:2:10: remove[0]: no slide with id 'nothing' (valid: first, quality)",
        f"{variant}:5:5: slides[1].battery: no battery 'coordination_qualty' in the codebook "
        "(did you mean 'coordination_quality'?)",
    ]


def test_yaml_that_does_not_parse_says_what_was_not_checked(project, capsys):
    replace_in(project / "deck.yaml", "title: Samordning", "title: [Samordning")
    status, lines = check(project / "deck.yaml", capsys)
    assert status == 2
    assert "YAML syntax error" in lines[1]
    assert lines[-1] == "(codebook and data not checked: fix the deck file first)"
