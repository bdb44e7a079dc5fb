"""Native charts look alike in PowerPoint and LibreOffice: intervals drawn, each colour
its own, the country first in every legend.

LibreOffice draws no custom error bars along a scatter's horizontal axis and draws
every marker of a series in the series' colour, so the row charts (dot plot,
coefficients) draw intervals as line series and keep one series per colour; it lists a
horizontal bar chart's legend in the file's series order reversed, so horizontal bars
are written bottom up. The XML tests check what is written; the `office` test checks
what LibreOffice draws (its PDF's words and vector paths).
"""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import ROOT, office_convert
from native_xml import NS, numbers, scatter_series, segments
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from generator.charts.registry import KINDS
from generator.cli import main
from generator.core.theme import DEFAULT_THEME
from generator.deckfile.deck import load_deck
from generator.run.build import build
from generator.run.options import BuildOptions
from generator.run.prepare import prepare
from generator.run.targets import apply_options
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey

DECK = """\
deck:
  title: Intervaller
  country: NO
  language: nb
  compare_with: all
  data: {root}/data/cocops_synthetic.csv
  codebook: {root}/data/codebook.yaml
  output: intervals.pptx
  charts: native
  significance: 0.05
  ci: 0.95
slides:
  - type: chart
    id: dots
    title: Prikkdiagram med intervaller
    battery: performance
    indicator: mean
    chart: dotplot
    sort: country
  - type: chart
    id: bars
    title: Liggende søyler
    battery: reform_trends
    indicator: mean
    chart: bar
    orientation: horizontal
  - type: association
    id: coefficients
    title: Sammenheng
    outcome: coordination_quality
    predictors: [coordination_practice, coordination_importance]
    findings: notes
"""


def _planned(deck_file):
    deck, source = load_deck(deck_file)
    codebook, codebook_source = load_codebook(deck.deck.codebook)
    survey = load_survey(deck.deck.data, codebook, codebook_source)
    prepared = prepare(apply_options(deck, BuildOptions()), source, survey, BuildOptions())
    return {s.number: s.chart.data for s in prepared.charted}, prepared.locale


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    """The deck file, its native build, the charts' data by slide number and the locale."""
    folder = tmp_path_factory.mktemp("intervals")
    deck_file = folder / "intervals.yaml"
    deck_file.write_text(DECK.format(root=ROOT), encoding="utf-8")
    built = build(deck_file, BuildOptions()).output
    planned, locale = _planned(deck_file)
    return deck_file, built, planned, locale


def _frame(path, number: int):
    return _frame_in(Presentation(str(path)), number)


def _dot_radius(frame) -> float:
    """A dot's radius in the value axis's units, from the chart as written: the marker's
    size, the chart's width and the plot's share of it, the axis's range."""
    space = frame.chart._chartSpace
    size = float(space.xpath(".//c:ser/c:marker[c:symbol/@val='circle']/c:size/@val")[0])
    share = float(space.xpath(".//c:plotArea/c:layout/c:manualLayout/c:w/@val")[0])
    axis = space.xpath(".//c:valAx")[0]
    low = float(axis.xpath("./c:scaling/c:min/@val")[0])
    high = float(axis.xpath("./c:scaling/c:max/@val")[0])
    return size / 2 / (Emu(frame.width).pt * share) * (high - low)


def test_a_native_dot_plots_intervals_run_from_each_dot_to_the_intervals_ends(deck):
    _, built, planned, _ = deck
    data, frame = planned[1], _frame(built, 1)
    lines, dots, names = scatter_series(frame.chart)
    radius = _dot_radius(frame)
    # Norway (n ≈ 400) reaches past its dots on both sides on all 13 items; the
    # comparison's intervals (n ≈ 7 200) hide under its dots: no line series for them
    assert len(lines) == 1 and len(dots) == 2
    item_of_row = dict(zip(numbers(names, "c:yVal"), (
        "".join(label.xpath(".//a:t/text()", namespaces=NS))
        for label in names.xpath("./c:dLbls/c:dLbl", namespaces=NS)), strict=True))
    by_label = {data.item_labels[i][:1].upper() + data.item_labels[i][1:]: i
                for i in data.item_labels}
    rows = data.table[data.table["group"] == "country"].set_index("item")
    along, caps = {}, []
    for start, end in segments(lines[0]):
        if start[1] == end[1]:
            along.setdefault(start[1], []).append((start[0], end[0]))
        else:
            caps.append((end[0], start[1], end[1]))
    assert len(along) == 13 and len(caps) == 26
    for row, parts in along.items():
        table_row = rows.loc[by_label[item_of_row[row]]]
        value, low, high = table_row["value"], table_row["ci_low"], table_row["ci_high"]
        assert high - value > radius and value - low > radius
        assert [x for part in sorted(parts) for x in part] == pytest.approx(
            [value - radius, low, value + radius, high])
        # a cap across each end, as tall above the row as below it
        ends = [(x, a, b) for x, a, b in caps if (a + b) / 2 == pytest.approx(row)]
        assert sorted(x for x, _, _ in ends) == pytest.approx([low, high])
        assert all(0 < b - a < 0.5 for _, a, b in ends)
    # only the dots are in the legend: the line and the item labels are left out
    hidden = frame.chart._chartSpace.xpath(".//c:legendEntry[c:delete/@val='1']/c:idx/@val")
    assert sorted(int(i) for i in hidden) == [0, 3]


def test_a_value_label_beside_a_dot_starts_past_its_interval(deck):
    _, built, _, _ = deck
    frame = _frame(built, 1)
    _, (country, comparison), _ = scatter_series(frame.chart)
    # every Norwegian mean is higher here: its labels sit right of its dots, moved right
    # by at least the interval's reach past the dot; the comparison's stay in place
    shifts = [float(x) for x in country.xpath(
        "./c:dLbls/c:dLbl/c:layout/c:manualLayout/c:x/@val", namespaces=NS)]
    assert len(shifts) == 13 and all(s > 0 for s in shifts)
    assert not comparison.xpath("./c:dLbls/c:dLbl/c:layout", namespaces=NS)


def test_native_coefficients_are_two_series_of_dots_in_their_colours(deck):
    _, built, planned, _ = deck
    data, frame = planned[3], _frame(built, 3)
    lines, dots, _ = scatter_series(frame.chart)
    colours = [dot.xpath("./c:marker/c:spPr/a:solidFill/*/@val", namespaces=NS)
               for dot in dots]
    # six predictors significant at 5 %, one not (see the association tests' table)
    assert int(data.table["significant"].sum()) == 6
    assert [len(numbers(dot, "c:xVal")) for dot in dots] == [6, 1]
    assert colours == [[c.lstrip("#").upper()] for c in (DEFAULT_THEME.accent,
                                                          DEFAULT_THEME.neutral)]
    assert not frame.chart._chartSpace.xpath(".//c:dPt")  # no point coloured on its own
    assert not frame.chart._chartSpace.xpath(".//c:errBars")
    assert len(lines) == 2


def test_horizontal_native_bars_are_written_bottom_up_with_the_country_last(deck):
    _, built, planned, locale = deck
    data, chart = planned[2], _frame(built, 2).chart
    drawing = KINDS["bar"].draw(data, locale, DEFAULT_THEME)
    space = chart._chartSpace
    assert space.xpath(".//c:barDir/@val") == ["bar"]
    assert space.xpath(".//c:catAx/c:scaling/c:orientation/@val") == ["minMax"]
    assert space.xpath(".//c:valAx/c:crosses/@val") == ["autoZero"]
    assert list(chart.plots[0].categories) == list(reversed(drawing.categories))
    names = [s.name.split(" (")[0] for s in chart.plots[0].series]
    assert names == [data.comparison_label, data.country_label] == ["Alle", "Norge"]
    country = chart.plots[0].series[1]
    shown = next(s for s in drawing.series if s.group == "country")
    assert list(country.values) == pytest.approx(list(reversed(shown.values)))
    texts = [p.data_label.text_frame.text for p in country.points]
    assert texts == list(reversed(shown.labels))
    plus = [float(v) for v in country._element.xpath("./c:errBars/c:plus//c:v/text()")]
    assert plus == pytest.approx(list(reversed(shown.plus)))
    assert not space.xpath(".//c:legendEntry")


def test_a_dense_bars_value_labels_move_past_the_interval_and_the_comparison(deck):
    """15 items: the comparison is a bar without labels; each country label moves from
    its bar's end past the further of its interval's end and the comparison's bar."""
    _, built, _, _ = deck
    chart = _frame(built, 2).chart
    space = chart._chartSpace
    share = float(space.xpath(".//c:plotArea/c:layout/c:manualLayout/c:w/@val")[0])
    low = float(space.xpath(".//c:valAx/c:scaling/c:min/@val")[0])
    high = float(space.xpath(".//c:valAx/c:scaling/c:max/@val")[0])
    comparison, country = chart.plots[0].series
    plus = [float(v) for v in country._element.xpath("./c:errBars/c:plus//c:v/text()")]
    moved = {}
    for label in country._element.xpath("./c:dLbls/c:dLbl"):
        x = label.xpath("./c:layout/c:manualLayout/c:x/@val")
        moved[int(label.xpath("./c:idx/@val")[0])] = float(x[0]) if x else 0.0
    assert len(moved) == 15
    for k, (value, other) in enumerate(zip(country.values, comparison.values, strict=True)):
        beyond = max(plus[k], other - value)  # from the bar's end to the furthest end
        assert moved[k] * (high - low) / share == pytest.approx(beyond, abs=1e-3), k


def test_an_update_draws_a_dot_plots_intervals_as_a_fresh_build(deck, tmp_path):
    """Intervals turned on: the chart has more series, so it is drawn anew; sorted
    anew: new data in place, the lines' gaps kept."""
    text = deck[0].read_text(encoding="utf-8")
    deck_file = tmp_path / "intervals.yaml"
    deck_file.write_text(text.replace("  ci: 0.95\n", ""), encoding="utf-8")
    target = build(deck_file, BuildOptions(output=tmp_path / "deck.pptx")).output
    for now in (text, text.replace("    sort: country\n", "    sort: none\n")):
        deck_file.write_text(now, encoding="utf-8")
        assert main([str(deck_file), "--update", str(target)]) == 0
        fresh = build(deck_file, BuildOptions(output=tmp_path / "fresh.pptx")).output
        (lines, dots, names), (fresh_lines, fresh_dots, fresh_names) = (
            scatter_series(_frame(path, 1).chart) for path in (target, fresh))
        for one, other in zip([*lines, *dots, names], [*fresh_lines, *fresh_dots, fresh_names],
                              strict=True):
            for tag in ("c:xVal", "c:yVal"):
                assert numbers(one, tag) == pytest.approx(numbers(other, tag))
        assert len(lines) == 1 and None in numbers(lines[0], "c:yVal")


def test_an_update_redraws_horizontal_bars_stored_top_down(deck, tmp_path, capsys):
    """A deck from before bars were stored bottom up (the country's series first, the
    axis reversed): new data in place would colour the comparison as the country, so
    the chart is drawn anew, as a fresh build draws it."""
    deck_file = tmp_path / "intervals.yaml"
    deck_file.write_text(deck[0].read_text(encoding="utf-8"), encoding="utf-8")
    target = build(deck_file, BuildOptions(output=tmp_path / "deck.pptx")).output
    prs = Presentation(str(target))
    chart = _frame_in(prs, 2).chart
    comparison, country = chart._chartSpace.xpath(".//c:barChart/c:ser")
    comparison.addprevious(country)  # the older order: the country first
    for index, ser in enumerate((country, comparison)):
        for tag in ("c:idx", "c:order"):
            ser.find(qn(tag)).set("val", str(index))
    chart.category_axis.reverse_order = True
    prs.save(str(target))
    deck_file.write_text(deck_file.read_text(encoding="utf-8").replace(
        "    orientation: horizontal\n", "    orientation: horizontal\n    sort: country\n"),
        encoding="utf-8")  # new order: the chart takes new data
    assert main([str(deck_file), "--update", str(target)]) == 0
    assert "bars: chart: drawn anew as chart" in " ".join(capsys.readouterr().err.split())
    fresh = build(deck_file, BuildOptions(output=tmp_path / "fresh.pptx")).output
    updated, expected = (_frame(path, 2).chart for path in (target, fresh))
    assert [s.name for s in updated.plots[0].series] == [
        s.name for s in expected.plots[0].series]
    assert not updated.category_axis.reverse_order


def _frame_in(prs, number: int):
    return next(shape for shape in prs.slides[number - 1].shapes if shape.has_chart)


# -- as LibreOffice draws them ----------------------------------------------------------

def _legend_words(pdf, page: int, words: tuple[str, ...]) -> list[str]:
    """`words` in the order they stand on the first line where any of them is found
    (a chart's legend), read from the PDF's text with positions."""
    found = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox",
                            str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    placed = [(float(y), float(x), word) for x, y, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', found)
        if word in words]
    line = min(y for y, _, _ in placed)
    return [word for y, _, word in sorted(placed, key=lambda p: p[1]) if y == line]


def _paths(pdf, page: int, folder) -> list[tuple[str, str, str]]:
    """The vector paths LibreOffice drew on `page`: (fill, stroke, path data)."""
    svg = folder / f"page{page}.svg"
    subprocess.run(["pdftocairo", "-svg", "-f", str(page), "-l", str(page), str(pdf),
                    str(svg)], check=True, capture_output=True)
    paths = []
    for style, data in re.findall(r'<path style="([^"]*)" d="([^"]*)"',
                                  svg.read_text(encoding="utf-8")):
        fill = re.search(r"fill:rgb\(([^)]*)\)", style)
        stroke = re.search(r"stroke:rgb\(([^)]*)\)", style)
        paths.append((_hex(fill.group(1)) if fill else "", _hex(stroke.group(1))
                      if stroke else "", data))
    return paths


def _hex(percentages: str) -> str:
    return "#" + "".join(f"{round(float(p.rstrip('%')) * 2.55):02X}"
                         for p in percentages.split(","))


@pytest.mark.office
def test_libreoffice_draws_the_intervals_colours_and_legends_as_written(deck, office,
                                                                         tmp_path):
    _, built, _, _ = deck
    pdf = office_convert(office, built, "pdf", tmp_path)
    # the country first in the legend: dots (a scatter) and horizontal bars alike
    assert _legend_words(pdf, 1, ("Norge", "Alle")) == ["Norge", "Alle"]
    assert _legend_words(pdf, 2, ("Norge", "Alle")) == ["Norge", "Alle"]
    # the dot plot's intervals: a horizontal line in the text colour for each whisker
    # written (26: both sides of 13 Norwegian dots), and a cap across each end
    lines, _, _ = scatter_series(_frame(built, 1).chart)
    written = [s for s in segments(lines[0]) if s[0][1] == s[1][1]]
    drawn = [d for _, stroke, d in _paths(pdf, 1, tmp_path) if stroke == DEFAULT_THEME.text
             and re.fullmatch(r"M ([\d.]+) ([\d.]+) L ([\d.]+) \2 ", d)]
    assert len(drawn) == len(written) == 26
    # the coefficients: six dots in the accent colour, one grey, with their lines
    fills = [fill for fill, _, _ in _paths(pdf, 3, tmp_path)]
    assert (fills.count(DEFAULT_THEME.accent), fills.count(DEFAULT_THEME.neutral)) == (6, 1)
    whiskers = [d for _, stroke, d in _paths(pdf, 3, tmp_path) if stroke == DEFAULT_THEME.text
                and re.fullmatch(r"M ([\d.]+) ([\d.]+) L ([\d.]+) \2 ", d)]
    assert len(whiskers) == 14  # both sides of seven dots
