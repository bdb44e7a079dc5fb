"""One test per validation rule: the message says what is wrong, where, and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from generator.core.errors import InputError
from generator.deckfile.deck import load_deck
from generator.run.build import build
from generator.run.options import BuildOptions

HEAD = f"""deck:
  title: Test deck
  country: NO
  language: nb
  data: {ROOT / 'data' / 'cocops_synthetic.csv'}
  codebook: {ROOT / 'data' / 'codebook.yaml'}
  output: out_{{country}}.pptx
slides:
"""  # the first slide starts on line 9


def _check(tmp_path: Path, slides: str, head: str = HEAD) -> list[str]:
    deck = tmp_path / "deck.yaml"
    deck.write_text(head + slides, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(deck, BuildOptions(check_only=True))
    return [str(p) for p in caught.value.problems]


CHART = """  - type: chart
    title: Kvalitet
    battery: coordination_quality
    indicator: pct_range
    range: [5, 7]
"""

CASES = [
    # (name, slides YAML, expected line, expected words)
    ("unknown slide key", "  - type: bullets\n    title: A\n    bulets: [x]\n", 11,
     ["slides[0].bulets", "unknown key 'bulets'", "did you mean 'bullets'?"]),
    ("unknown slide type", "  - type: bulets\n    title: A\n", 9,
     ["slides[0]", "unknown slide type 'bulets'", "did you mean 'bullets'?"]),
    ("missing title", "  - type: bullets\n    bullets: [x]\n", 9,
     ["slides[0].title", "required key 'title' is missing"]),
    ("wrong type", "  - type: bullets\n    title: A\n    bullets: 5\n", 11,
     ["slides[0].bullets", "bullets must be a list"]),
    ("bad chart kind", CHART + "    chart: pie\n", 14,
     ["slides[0].chart", "'pie' is not a valid value", "bar, dotplot, likert, ranking"]),
    ("misspelt indicator", CHART.replace("pct_range", "pct_rang"), 12,
     ["slides[0].indicator", "did you mean 'pct_range'?"]),
    ("range reversed", CHART.replace("[5, 7]", "[7, 5]"), 9,
     ["range must be [low, high]"]),
    ("bullets too deep", "  - type: bullets\n    title: A\n    bullets:\n      - a:\n"
     "          - b:\n              - c:\n                  - d\n", 14,
     ["slides[0].bullets[0].a[0].b[0].c", "nested deeper than 3 levels"]),
    ("battery not in codebook", CHART.replace("coordination_quality", "coordination_qualty"),
     11, ["slides[0].battery", "no battery 'coordination_qualty'",
          "did you mean 'coordination_quality'?"]),
    ("item not in battery", CHART + "    items: [internal_vertcal]\n", 14,
     ["slides[0].items[0]", "no item 'internal_vertcal'", "did you mean 'internal_vertical'?"]),
    ("range outside scale", CHART.replace("[5, 7]", "[5, 9]"), 13,
     ["slides[0].range[1]", "9 is not a point of the scale", "1–7"]),
    ("ranking item", CHART + "    chart: ranking\n    item: nothing\n", 15,
     ["slides[0].item", "no item 'nothing'"]),
    ("unknown placeholder", "  - type: bullets\n    title: A\n    bullets: ['{{ n.al }}']\n",
     11, ["unknown placeholder {{ n.al }}", "did you mean {{ n.all }}?"]),
    ("unsafe placeholder", "  - type: bullets\n    title: '{{ n.__class__ }}'\n", 10,
     ["slides[0].title", "unsafe"]),
    ("missing language", "  - type: bullets\n    title: {en: Only English}\n", 10,
     ["slides[0].title", "no text for the deck's language 'nb'", "en are given"]),
    ("image not found", "  - type: image\n    title: A\n    path: nowhere.png\n", 11,
     ["slides[0].path", "image not found", "relative to the deck file"]),
]


@pytest.mark.parametrize(("name", "slides", "line", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_rule_reports_message_and_line(tmp_path, name, slides, line, words):
    problems = _check(tmp_path, slides)
    assert len(problems) == 1, problems
    assert f"deck.yaml:{line}:" in problems[0]
    for word in words:
        assert word in problems[0]


@pytest.mark.parametrize(("setting", "line", "words"), [
    ("  langauge: nb\n", 8, ["deck.langauge", "did you mean 'language'?"]),
    ("  compare_with: al\n", 8, ["deck.compare_with", "did you mean 'all'?"]),
    ("  min_base: many\n", 8, ["deck.min_base", "valid integer", "'many'"]),
    ("  output: deck.ppt\n", 7, ["deck.output", "must end in .pptx"]),
])
def test_deck_settings_rules(tmp_path, setting, line, words):
    head = HEAD.replace("  output: out_{country}.pptx\n", "") if "output" in setting else HEAD
    head = head.replace("slides:\n", setting + "slides:\n")
    problems = _check(tmp_path, "  - type: bullets\n    title: A\n    bullets: [x]\n", head)
    assert f"deck.yaml:{line}:" in problems[0]
    for word in words:
        assert word in problems[0]


def test_unknown_country_lists_the_countries_in_the_data(tmp_path):
    head = HEAD.replace("country: NO", "country: SE")
    problems = _check(tmp_path, "  - type: bullets\n    title: A\n    bullets: [x]\n", head)
    assert "deck.yaml:3:" in problems[0]
    assert "country 'SE' is not in the data" in problems[0]
    assert "AT, DE, DK, EE, ES, FI, FR, GB, HU, IE, IS, IT, LT, NL, NO, PT" in problems[0]


def test_all_problems_are_reported_at_once(tmp_path):
    slides = ("  - type: bulets\n    title: A\n"
              "  - type: chart\n    title: B\n    battery: nope\n"
              "  - type: bullets\n    titel: C\n")
    problems = _check(tmp_path, slides)
    assert len(problems) == 3  # the unknown type, the missing title and the unknown key
    assert any("deck.yaml:9:" in p for p in problems)


def test_no_slides(tmp_path):
    problems = _check(tmp_path, "")
    assert "the deck has no slides" in problems[0]


@pytest.mark.parametrize(("text", "words"), [
    ("deck:\n  title: [unclosed\nslides: []\n", ["deck.yaml:3:", "YAML syntax error"]),
    ("deck:\n\ttitle: x\n", ["deck.yaml:2:", "tab", "spaces"]),
    ("deck: !!python/object/apply:os.system ['echo hi']\n",
     ["deck.yaml:1:", "YAML tag", "not allowed"]),
    ("deck:\n  title: a\n  title: b\n", ["deck.yaml:3:", "key 'title' appears twice"]),
    ("", ["deck.yaml", "the file is empty"]),
    ("- just\n- a list\n", ["deck.yaml:1:", "mapping of keys"]),
])
def test_yaml_level_problems(tmp_path, text, words):
    deck = tmp_path / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_deck(deck)
    message = str(caught.value)
    for word in words:
        assert word in message


def test_a_text_parsed_under_another_name_is_located_in_its_own_file(tmp_path, monkeypatch):
    from generator.deckfile import yamlsource

    text = "deck:\n  title: t\nslides:\n  - type: bullets\n    bullets:\n    - Parent\n" \
           "      - child\n"  # a slip: the child runs on to the parent's text
    first, second = tmp_path / "a.yaml", tmp_path / "copy" / "b.yaml"
    data, source = yamlsource.load_yaml_text(text, first)
    parses = []
    monkeypatch.setattr(yamlsource, "_parse_yaml_text",
                        lambda *args: parses.append(args) or pytest.fail("parsed again"))
    again, moved = yamlsource.load_yaml_text(text, second)
    assert parses == [] and again == data
    assert moved.file == second and moved.marks.keys() == source.marks.keys()
    assert {mark[0] for mark in moved.marks.values()} == {second}
    assert [mark[1:] for mark in moved.marks.values()] == [
        mark[1:] for mark in source.marks.values()]
    assert moved.locate(("slides", 0, "bullets", 0)) == (second, 6, 7)
    (slip,) = moved.slips
    assert (slip.file, slip.line) == (second, 6) and source.slips[0].file == first
    _, first_again = yamlsource.load_yaml_text(text, first)
    assert {mark[0] for mark in first_again.marks.values()} == {first}


def test_country_no_is_norway_not_false(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(HEAD.replace("country: NO", "country: no")
                    + "  - type: bullets\n    title: A\n    bullets: [x]\n", encoding="utf-8")
    loaded, _ = load_deck(deck)
    assert loaded.deck.country == "NO"


def test_paths_are_relative_to_the_deck_file(tmp_path):
    deck = tmp_path / "sub" / "deck.yaml"
    deck.parent.mkdir()
    deck.write_text("deck:\n  title: t\n  country: NO\n  data: d.csv\n  codebook: ../c.yaml\n"
                    "slides:\n  - type: image\n    title: i\n    path: pic.png\n",
                    encoding="utf-8")
    loaded, _ = load_deck(deck)
    assert loaded.deck.data == deck.parent / "d.csv"
    assert loaded.deck.codebook == deck.parent / "../c.yaml"
    assert loaded.slides[0].path == deck.parent / "pic.png"


def test_bullet_forms_and_the_slips_told_apart():
    from generator.deckfile.model import Bullet
    from generator.deckfile.validation import LocatedError
    from generator.slides.bullets import BulletsSlide

    slide = BulletsSlide.model_validate({"type": "bullets", "title": "A", "bullets": [
        "plain", {"nb": "norsk", "en": "English"}, {"text": "explicit"},
        {"text": "parent", "children": ["child"]}, {"Parent: with colon": ["child"]},
        {"nb": "bare norsk"}]})
    assert slide.bullets == (
        Bullet(text="plain"), Bullet(text={"nb": "norsk", "en": "English"}),
        Bullet(text="explicit"), Bullet(text="parent", children=(Bullet(text="child"),)),
        Bullet(text="Parent: with colon", children=(Bullet(text="child"),)),
        Bullet(text={"nb": "bare norsk"}))
    with pytest.raises(ValueError) as caught:
        BulletsSlide.model_validate({"type": "bullets", "title": "A", "bullets": [
            {"Kontekst": "finanskrisen"}, {"NB": "viktig"}, {"Parent": None}, "sibling",
            {"Kontekst": 2012}]})
    found = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(found, LocatedError)
    assert [(at, message.split(" so ")[0]) for at, message, _ in found.problems] == [
        ((0,), "this bullet contains ': '"), ((1,), "this bullet contains ': '"),
        ((2,), "the bullet 'Parent:' ends with ':' but no sub-bullets are indented under it,"),
        ((4,), "this bullet contains ': '")]
    assert found.problems[1][2] == 'quote the text: - "NB: viktig"'
    assert found.problems[3][2] == 'quote the text: - "Kontekst: 2012"'
