"""Significance, intervals, filter, by, warn_base, captions, figures export and report,
end to end on a hand-made data set small enough to check by hand.

The data: 8 executives in Norway and 8 in Sweden, item A and B on a 0–10 scale
(99 = "don't know"), level (1 top, 2 second) and policy field (1 central, 2 health).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from generator.deckfile.deck import load_deck
from generator.run.build import build
from generator.run.options import BuildOptions
from generator.run.prepare import prepare
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey

CODEBOOK = """\
dataset:
  name: {en: Hand-made test data}
  source: {en: Hand-made test data, nb: Håndlagde testdata}
  synthetic: true
  fieldwork: "2024"
  country_column: country
background:
  level:
    column: level
    label: {en: Hierarchical level, nb: Hierarkisk nivå}
    values:
      1: {en: Top level, nb: Øverste nivå}
      2: {en: Second level, nb: Andre nivå}
  policy_field:
    column: field
    label: {en: Policy field, nb: Politikkområde}
    values:
      1: {en: Central government, nb: Sentralforvaltning}
      2: {en: Health, nb: Helse}
scales:
  eleven:
    points: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    labels:
      0: {en: Not at all, nb: Ikke i det hele tatt}
      10: {en: Completely, nb: Fullt og helt}
    non_answers:
      99: {en: Don't know, nb: Vet ikke}
batteries:
  trust:
    question: {en: How much do you trust …, nb: Hvor stor tillit har du til …}
    scale: eleven
    items:
      a: {column: qa, label: {en: Item A, nb: Spørsmål A}}
      b: {column: qb, label: {en: Item B, nb: Spørsmål B}}
"""

# country, level, field, qa, qb
ROWS = [
    ("NO", 1, 1, 10, 5), ("NO", 1, 2, 8, 5), ("NO", 1, 1, 9, 99), ("NO", 2, 2, 7, 6),
    ("NO", 2, 1, 6, 4), ("NO", 2, 2, 8, None), ("NO", 2, 1, 9, 3), ("NO", 2, 2, 10, 2),
    ("SE", 1, 1, 2, 5), ("SE", 1, 2, 3, 6), ("SE", 1, 1, 4, 4), ("SE", 2, 2, 5, 5),
    ("SE", 2, 1, 3, 6), ("SE", 2, 2, 2, 7), ("SE", 2, 1, 4, 5), ("SE", 2, 2, 3, 99),
]

DECK = """\
deck:
  title: Test
  country: NO
  language: nb
  compare_with: all
  data: data.csv
  codebook: codebook.yaml
  output: out/test_{country}_{language}.pptx
  min_base: 2
  warn_base: 4
  significance: 0.05
  ci: 0.95
  charts: native
slides:
  - type: bullets
    id: intro
    title: Om undersøkelsen
    bullets: ["N = {{ n.all }} ({{ country_name }}: {{ n.country }})"]
  - type: chart
    id: trust
    title: Tillit
    battery: trust
    indicator: mean
    chart: bar
  - type: chart
    id: by-level
    title: Tillit etter nivå
    battery: trust
    items: [a]
    indicator: mean
    chart: bar
    by: level
  - type: chart
    id: health
    title: Tillit i helse
    battery: trust
    items: [a]
    indicator: mean
    chart: bar
    filter: {policy_field: 2}
    significance: false
  - type: table
    id: table
    title: Tillit i tabell
    battery: trust
    indicator: mean
"""


@pytest.fixture
def deck_folder(tmp_path: Path) -> Path:
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    lines = ["country,level,field,qa,qb"] + [
        ",".join("" if v is None else str(v) for v in row) for row in ROWS]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(DECK, encoding="utf-8")
    return tmp_path


def _prepared(folder: Path):
    deck, source = load_deck(folder / "deck.yaml")
    codebook, codebook_source = load_codebook(deck.deck.codebook)
    survey = load_survey(deck.deck.data, codebook, codebook_source)
    return prepare(deck, source, survey, BuildOptions())


def _rows(table, group: str) -> dict:
    return {r["item"]: r for _, r in table[table["group"] == group].iterrows()}


def test_captions_state_the_real_end_points_the_base_and_who_is_included(deck_folder):
    slides = _prepared(deck_folder).slides
    assert slides[1].caption.text == (
        "Hvor stor tillit har du til … Gjennomsnitt (0 = ikke i det hele tatt, "
        "10 = fullt og helt). Grunnlag: gyldige svar; «vet ikke» holdt utenfor.")
    assert slides[3].caption.text.endswith("holdt utenfor. Respondenter: helse (politikkområde).")


def test_means_and_welch_test_of_the_country_against_the_rest(deck_folder):
    from scipy import stats as scipy_stats

    table = _prepared(deck_folder).slides[1].chart.data.table
    country = _rows(table, "country")
    # qa, Norway: (10 + 8 + 9 + 7 + 6 + 8 + 9 + 10) / 8 = 8.375; all: (67 + 26) / 16 = 5.8125
    assert country["a"]["value"] == pytest.approx(8.375) and country["a"]["n"] == 8
    assert _rows(table, "comparison")["a"]["value"] == pytest.approx(93 / 16)
    # qb, Norway: 99 ("don't know") and the empty cell left out: (5+5+6+4+3+2) / 6
    assert country["b"]["value"] == pytest.approx(25 / 6) and country["b"]["n"] == 6
    expected = scipy_stats.ttest_ind([10, 8, 9, 7, 6, 8, 9, 10], [2, 3, 4, 5, 3, 2, 4, 3],
                                     equal_var=False)
    assert country["a"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert bool(country["a"]["significant"]) and country["a"]["direction"] == 1
    # qb: Norway 4.17 against Sweden 5.43 (38 / 7): p = 0.13, not significant
    expected_b = scipy_stats.ttest_ind([5, 5, 6, 4, 3, 2], [5, 6, 4, 5, 6, 7, 5],
                                       equal_var=False)
    assert country["b"]["p_value"] == pytest.approx(expected_b.pvalue, rel=1e-9)
    assert expected_b.pvalue > 0.05 and not country["b"]["significant"]


def test_by_level_gives_one_bar_per_level_with_its_n_and_small_base_mark(deck_folder):
    from scipy import stats as scipy_stats

    data = _prepared(deck_folder).slides[2].chart.data
    assert data.series == (("by=1", "Øverste nivå"), ("by=2", "Andre nivå"))
    top, second = (data.table[data.table["group"] == g].iloc[0] for g in ("by=1", "by=2"))
    # top level: 10, 8, 9 -> 9.0, n = 3 (below warn_base 4: marked); second: 40 / 5 = 8.0
    assert (top["value"], top["n"], bool(top["small_base"])) == (pytest.approx(9.0), 3, True)
    assert (second["value"], second["n"], bool(second["small_base"])) == (
        pytest.approx(8.0), 5, False)
    # each level is tested against the same level in Sweden: 8.0 vs (5+3+2+4+3)/5 = 3.4
    expected = scipy_stats.ttest_ind([7, 6, 8, 9, 10], [5, 3, 2, 4, 3], equal_var=False)
    assert second["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)


def test_filter_keeps_only_the_chosen_respondents_and_significance_can_be_off(deck_folder):
    data = _prepared(deck_folder).slides[3].chart.data
    country, everyone = (data.table[data.table["group"] == g].iloc[0]
                         for g in ("country", "comparison"))
    # health only: Norway 8, 7, 8, 10 -> 8.25 (n 4); all health: (33 + 13) / 8 = 5.75
    assert (country["value"], country["n"]) == (pytest.approx(8.25), 4)
    assert (everyone["value"], everyone["n"]) == (pytest.approx(5.75), 8)
    assert data.significance is None and math.isnan(country["p_value"])
    assert not data.table["significant"].any()
    assert not math.isnan(country["ci_low"])  # intervals still on (deck's ci)


def test_native_chart_has_marks_error_bars_and_notes(deck_folder):
    from scipy import stats as scipy_stats

    result = build(deck_folder / "deck.yaml", BuildOptions(figures=True, report=True))
    prs = Presentation(str(result.output))
    chart = next(s for s in prs.slides[1].shapes if s.has_chart).chart
    country = chart.plots[0].series[0]
    labels = [p.data_label.text_frame.text for p in country.points]
    assert labels == ["8,4 ▲", "4,2"]
    bars = country._element.find(qn("c:errBars"))
    assert bars.find(qn("c:errValType")).get("val") == "cust"
    plus = [float(v.text) for v in bars.find(qn("c:plus")).iter(qn("c:v"))]
    half = scipy_stats.t.ppf(0.975, 7) * scipy_stats.tstd([10, 8, 9, 7, 6, 8, 9, 10]) / 8**0.5
    assert plus[0] == pytest.approx(half)
    notes = [s.text_frame.text.replace("\u00a0", " ") for s in prs.slides[1].shapes
             if s.has_text_frame]
    assert any("▲▼ signifikant høyere/lavere enn de andre landene, p < 0,05" in n
               for n in notes)
    assert any("Streker: 95 % konfidensintervall" in n for n in notes)
    alt = next(s for s in prs.slides[1].shapes if s.has_chart)._element.xpath(
        ".//p:cNvPr")[0].get("descr")
    assert alt.endswith("Spørsmål B 4,8. Signifikant høyere enn de andre landene: Spørsmål A. "
                        "Kilde: Håndlagde testdata.")
    by_chart = next(s for s in prs.slides[2].shapes if s.has_chart).chart
    assert [s.name for s in by_chart.plots[0].series] == ["Øverste nivå (N = 3)",
                                                          "Andre nivå (N = 5)"]
    # top level: 9.0 against Sweden's top level (2 + 3 + 4) / 3 = 3.0, n = 3: higher and small
    assert by_chart.plots[0].series[0].points[0].data_label.text_frame.text == "9,0 ▲*"


def test_figures_export_lists_every_number_in_order_with_provenance(deck_folder):
    result = build(deck_folder / "deck.yaml", BuildOptions(figures=True))
    target = deck_folder / "out" / "test_NO_nb.figures.csv"
    assert target in result.extras
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["slide"], r["item"], r["group"]) for r in rows[:6]] == [
        ("intro", "n.all", "all"), ("intro", "n.country", "NO"),
        ("trust", "a", "NO"), ("trust", "a", "all"), ("trust", "b", "NO"), ("trust", "b", "all")]
    assert rows[0]["value"] == "16.0" and rows[1]["n"] == "8"
    trust_a = rows[2]
    assert float(trust_a["value"]) == pytest.approx(8.375) and trust_a["n"] == "8"
    assert trust_a["significant"] == "True" and float(trust_a["p_value"]) < 0.05
    assert float(trust_a["ci_low"]) < 8.375 < float(trust_a["ci_high"])
    assert rows[3]["p_value"] == ""  # the comparison is not tested
    level = [r for r in rows if r["slide"] == "by-level"]
    assert [(r["group"], r["n"], r["small_base"]) for r in level] == [
        ("NO:level=1", "3", "True"), ("NO:level=2", "5", "False")]
    health = [r for r in rows if r["slide"] == "health"]
    assert [r["respondents"] for r in health] == ["policy_field=2"] * 2
    assert [r["p_value"] for r in health] == ["", ""]
    table = [r for r in rows if r["slide"] == "table"]
    assert [(r["item"], r["group"], r["kind"]) for r in table] == [
        ("a", "NO", "mean"), ("a", "all", "mean"), ("b", "NO", "mean"), ("b", "all", "mean")]


def test_report_lists_small_bases_significance_and_input_hashes(deck_folder):
    import hashlib

    result = build(deck_folder / "deck.yaml", BuildOptions(report=True))
    page = (deck_folder / "out" / "test_NO_nb.report.html").read_text(encoding="utf-8")
    assert result.extras == [deck_folder / "out" / "test_NO_nb.report.html"]
    for name in ("deck.yaml", "data.csv", "codebook.yaml"):
        assert hashlib.sha256((deck_folder / name).read_bytes()).hexdigest() in page
    small = page.split("Small bases")[1].split("Significant differences")[0]
    assert small.count("<tr>") == 1 + 1  # header + the top level (n = 3)
    assert "NO:level=1" in small
    significant = page.split("Significant differences")[1].split("Texts not in")[0]
    assert "<td>trust</td><td>a</td><td>NO</td>" in significant.replace("\n", "")
    assert "The data are synthetic demo data." in page


def test_report_escapes_deck_text(deck_folder):
    deck = (deck_folder / "deck.yaml").read_text(encoding="utf-8")
    (deck_folder / "deck.yaml").write_text(
        deck.replace("title: Tillit\n", "title: \"<script>alert(1)</script>\"\n"
                     "    title_language: en\n"), encoding="utf-8")
    build(deck_folder / "deck.yaml", BuildOptions(report=True))
    page = (deck_folder / "out" / "test_NO_nb.report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_image_chart_figure_has_marks_and_error_bars(deck_folder):
    from scipy import stats as scipy_stats

    from generator.charts.figures import make_figure

    prepared = _prepared(deck_folder)
    figure = json.loads(make_figure(prepared.slides[1].chart.data, prepared.locale).to_json())
    country = figure["data"][0]
    assert country["text"] == ["8,4 ▲", "4,2"]
    assert country["error_y"]["type"] == "data" and country["error_y"]["visible"] is True
    half = scipy_stats.t.ppf(0.975, 7) * scipy_stats.tstd([10, 8, 9, 7, 6, 8, 9, 10]) / 8**0.5
    assert country["error_y"]["array"][0] == pytest.approx(half)
    assert country["error_y"]["arrayminus"][0] == pytest.approx(half)
    note = figure["layout"]["annotations"][0]["text"]
    assert "▲▼ signifikant høyere/lavere enn de andre landene, p &lt; 0,05" in note


def test_bad_filter_and_by_are_reported_with_their_place(deck_folder):
    from generator.core.errors import InputError

    deck = (deck_folder / "deck.yaml").read_text(encoding="utf-8")
    deck = deck.replace("by: level", "by: levle").replace("{policy_field: 2}",
                                                          "{policy_field: 7}")
    (deck_folder / "deck.yaml").write_text(deck, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(deck_folder / "deck.yaml", BuildOptions(check_only=True))
    messages = sorted(str(p) for p in caught.value.problems)
    assert any("no background variable 'levle'" in m and "level" in m for m in messages)
    assert any("7: not a value of 'policy_field'" in m for m in messages)


def test_significance_off_by_default_leaves_the_numbers(deck_folder):
    deck = (deck_folder / "deck.yaml").read_text(encoding="utf-8")
    deck = deck.replace("  significance: 0.05\n  ci: 0.95\n", "")
    (deck_folder / "deck.yaml").write_text(deck, encoding="utf-8")
    data = _prepared(deck_folder).slides[1].chart.data
    assert data.significance is None and data.ci is None
    assert data.table["p_value"].isna().all() and data.table["ci_low"].isna().all()
    assert _rows(data.table, "country")["a"]["value"] == pytest.approx(8.375)


def test_correction_is_named_in_the_note_and_by_needs_a_bar_chart(deck_folder):
    from scipy import stats as scipy_stats

    deck = (deck_folder / "deck.yaml").read_text(encoding="utf-8")
    (deck_folder / "deck.yaml").write_text(
        deck.replace("  ci: 0.95\n", "  ci: 0.95\n  correction: bh\n"), encoding="utf-8")
    from generator.charts.data import chart_notes

    prepared = _prepared(deck_folder)
    notes = chart_notes(prepared.slides[1].chart.data, prepared.locale)
    assert notes[0] == ("▲▼ signifikant høyere/lavere enn de andre landene, p < 0,05 "
                        "(Benjamini–Hochberg-justert)")
    # two items tested: BH multiplies the smaller p by 2 / 1, the larger by 2 / 2
    table = prepared.slides[1].chart.data.table
    raw = [scipy_stats.ttest_ind(a, b, equal_var=False).pvalue for a, b in (
        ([10, 8, 9, 7, 6, 8, 9, 10], [2, 3, 4, 5, 3, 2, 4, 3]),
        ([5, 5, 6, 4, 3, 2], [5, 6, 4, 5, 6, 7, 5]))]
    assert list(table[table["group"] == "country"]["p_value"]) == [
        pytest.approx(min(1.0, 2 * raw[0])), pytest.approx(raw[1])]

    from generator.core.errors import InputError

    (deck_folder / "deck.yaml").write_text(deck.replace("    chart: bar\n    by: level",
                                                        "    chart: ranking\n    by: level"),
                                           encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(deck_folder / "deck.yaml", BuildOptions(check_only=True))
    assert [p.message for p in caught.value.problems] == ["by: draws bar charts only"]


def test_image_by_chart_has_one_coloured_series_per_level_with_its_n(deck_folder):
    from generator.charts.figures import make_figure
    from generator.core.theme import DEFAULT_THEME

    prepared = _prepared(deck_folder)
    figure = json.loads(make_figure(prepared.slides[2].chart.data, prepared.locale).to_json())
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["Øverste nivå (N = 3)", "Andre nivå (N = 5)"]
    assert [t["marker"]["color"] for t in bars] == list(DEFAULT_THEME.series[:2])
    assert [t["text"] for t in bars] == [["9,0 ▲*"], ["8,0 ▲"]]


def test_coordination_quality_on_the_shipped_data_marks_three_items(tmp_path):
    """tests/fixtures/statistics.yaml: the shipped data, significance 0.05 and 95 %
    intervals. Norway 62 % ▲ 55 %, 39 % ▼ 47 %, 41 % ▲ 33 % (see test_significance)."""
    from conftest import FIXTURES

    result = build(FIXTURES / "statistics.yaml",
                   BuildOptions(output=tmp_path / "statistics.pptx", charts="native"))
    prs = Presentation(str(result.output))
    chart = next(s for s in prs.slides[0].shapes if s.has_chart).chart
    norway, everyone = chart.plots[0].series
    texts = [p.data_label.text_frame.text.replace("\u00a0", " ") for p in norway.points]
    assert texts == ["62 % ▲", "45 %", "32 %", "39 % ▼", "41 % ▲"]
    for series in (norway, everyone):
        minus = series._element.find(qn("c:errBars")).find(qn("c:minus"))
        assert len(list(minus.iter(qn("c:v")))) == 5
    level = next(s for s in prs.slides[2].shapes if s.has_chart).chart
    assert [s.name.split(" (")[0] for s in level.plots[0].series] == [
        "Øverste nivå", "Andre nivå", "Tredje nivå"]
