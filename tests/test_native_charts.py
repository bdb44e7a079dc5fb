"""Native, editable PowerPoint charts: the same numbers as the image charts, no browser."""

from __future__ import annotations

import math

import pytest
from conftest import FIXTURES, ROOT
from native_xml import NS, numbers, scatter_series, segments
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from generator.deckfile.deck import load_deck
from generator.run.build import build
from generator.run.options import BuildOptions
from generator.run.prepare import prepare
from generator.run.targets import apply_options
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey


def _planned_charts(deck_file):
    """The chart data the planner computed for each slide number, as the writer gets it."""
    deck, source = load_deck(deck_file)
    codebook, codebook_source = load_codebook(deck.deck.codebook)
    survey = load_survey(deck.deck.data, codebook, codebook_source)
    prepared = prepare(apply_options(deck, BuildOptions()), source, survey, BuildOptions())
    return {s.number: s.chart.data for s in prepared.charted}


def _native_charts(path):
    prs = Presentation(str(path))
    return {number: next(sh.chart for sh in slide.shapes if sh.has_chart)
            for number, slide in enumerate(prs.slides, start=1)
            if any(sh.has_chart for sh in slide.shapes)}


def _close(a, b) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) < 1e-9


@pytest.fixture(scope="module")
def native_deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("native")
    result = build(ROOT / "slides.yaml", BuildOptions(output=out / "native.pptx", charts="native"))
    assert (result.render.browser_starts, result.render.rendered) == (0, 0)
    return result.output


def _label_to_item(data) -> dict[str, str]:
    return {data.item_labels[i][:1].upper() + data.item_labels[i][1:]: i
            for i in data.item_labels}


def _check_bar(number, data, chart) -> None:
    """One series per group, each value the table's for its category; horizontal bars
    are written bottom up (categories from the bottom, the country's series last)."""
    table = data.table
    labels = _label_to_item(data)
    categories = list(chart.plots[0].categories)
    series = list(chart.plots[0].series)
    if chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED:
        assert not chart.category_axis.reverse_order, number
        categories, series = categories[::-1], series[::-1]
    assert series[0].name.startswith(data.country_label + " ("), number
    for one, group in zip(series, ("country", "comparison"), strict=True):
        rows = table[table["group"] == group].set_index("item")
        values = list(one.values)
        if chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED:
            values.reverse()
        for category, value in zip(categories, values, strict=True):
            assert _close(value, rows.loc[labels[category], "value"]), (number, category)


def _check_ranking(number, data, chart) -> None:
    """Every country plus the comparison, highest first."""
    table = data.table
    values = list(chart.plots[0].series[0].values)
    assert values == sorted(values, reverse=True)
    names = list(chart.plots[0].categories)
    by_name = {data.country_names.get(g, g): v for g, v in zip(
        table["group"], table["value"], strict=True) if g != "comparison"}
    by_name[data.comparison_label] = table[table["group"] == "comparison"]["value"].iloc[0]
    assert len(names) == len(by_name)
    for name, value in zip(names, values, strict=True):
        assert _close(value, by_name[name]), (number, name)


def _check_likert(number, data, chart) -> None:
    """Each scale point's segments (the midpoint's two halves together) hold its share;
    those below the midpoint extend left (negative), those above right."""
    own = data.table[data.table["group"] == "country"]
    labels = _label_to_item(data)
    categories = list(chart.plots[0].categories)
    assert set(categories) == set(labels)  # capitalised item labels, every item
    middle = (len(data.scale_points) - 1) / 2
    series = list(chart.plots[0].series)
    for index, point in enumerate(data.scale_points):
        name = data.point_labels.get(point, str(point))
        parts = [list(s.values) for s in series if s.name == name]
        assert len(parts) == (2 if index == middle else 1), (number, name)
        for k, category in enumerate(categories):
            share = own[(own["item"] == labels[category]) & (own["point"] == point)]["value"]
            assert _close(round(sum(abs(p[k]) for p in parts), 9), round(share.iloc[0], 9))
            if index < middle:
                assert all(p[k] <= 0 for p in parts)
            elif index > middle:
                assert all(p[k] >= 0 for p in parts)


def _check_dotplot(number, data, chart) -> None:
    """A scatter: the country's and the comparison's dots at the table's values, one row
    per item, named by the item-label series."""
    lines, dots, names = scatter_series(chart)
    assert len(dots) == 2 and lines == []  # the shipped deck has no intervals
    rows = numbers(names, "c:yVal")
    texts = [" ".join("".join(p.xpath(".//a:t/text()", namespaces=NS))
                      for p in label.xpath("./c:tx/c:rich/a:p", namespaces=NS))
             for label in names.xpath("./c:dLbls/c:dLbl", namespaces=NS)]
    item_of_row = dict(zip(rows, (_label_to_item(data)[t] for t in texts), strict=True))
    for ser, group in zip(dots, ("country", "comparison"), strict=True):
        table = data.table[data.table["group"] == group].set_index("item")
        for x, y in zip(numbers(ser, "c:xVal"), numbers(ser, "c:yVal"), strict=True):
            assert _close(x, table.loc[item_of_row[y], "value"]), (number, group, y)


def _check_coefficients(number, data, chart) -> None:
    """A scatter: one dot per predictor at its coefficient, largest first from the top,
    the significant ones a series of their own; lines from each dot's edge to the
    table's interval ends."""
    lines, dots, _ = scatter_series(chart)
    table = data.table.sort_values("value", ascending=False)
    placed = sorted(((y, x, k) for k, ser in enumerate(dots) for x, y in zip(
        numbers(ser, "c:xVal"), numbers(ser, "c:yVal"), strict=True)), reverse=True)
    assert [y for y, _, _ in placed] == [float(len(table) - k) for k in range(len(table))]
    assert all(_close(x, v) for (_, x, _), v in zip(placed, table["value"], strict=True))
    significant = [k for (_, _, k), s in zip(placed, table["significant"], strict=True) if s]
    assert len(set(significant)) <= 1 and len(dots) == 1 + (0 < len(significant) < len(table))
    ends: dict[float, list[float]] = {}
    for start, end in (segment for line in lines for segment in segments(line)):
        if start[1] == end[1]:  # the line along a row (caps are across it)
            ends.setdefault(round(end[1], 9), []).append(end[0])
    for (y, _, _), low, high in zip(placed, table["ci_low"], table["ci_high"], strict=True):
        assert all(_close(a, b) for a, b in zip(sorted(ends[round(y, 9)]), [low, high],
                                               strict=True)), (number, y)


CHECKS = {"bar": _check_bar, "ranking": _check_ranking, "likert": _check_likert,
          "dotplot": _check_dotplot, "coefficients": _check_coefficients}


def test_every_chart_kind_has_a_native_check():
    from generator.charts.registry import KINDS

    assert set(CHECKS) == set(KINDS)


def test_native_charts_hold_the_indicator_tables(native_deck):
    planned = _planned_charts(ROOT / "slides.yaml")
    charts = _native_charts(native_deck)
    assert sorted(charts) == sorted(planned) == [9, 10, 11, 12, 13, 14, 15, 16, 17]
    for number, data in planned.items():
        CHECKS[data.kind](number, data, charts[number])


def test_native_charts_of_every_kind_hold_the_indicator_tables(tmp_path):
    deck = FIXTURES / "chart_kinds.yaml"
    result = build(deck, BuildOptions(output=tmp_path / "kinds.pptx", charts="native"))
    planned = _planned_charts(deck)
    charts = _native_charts(result.output)
    assert {d.kind for d in planned.values()} == set(CHECKS)
    for number, data in planned.items():
        CHECKS[data.kind](number, data, charts[number])


def test_native_value_labels_use_the_decks_number_format(native_deck):
    chart = _native_charts(native_deck)[15]  # coordination quality, % answering 5-7
    labels = [p.data_label.text_frame.text for p in chart.plots[0].series[0].points]
    assert labels[0] == "62\u00a0% \u25b2"  # tested: significantly higher
    mean_chart = _native_charts(native_deck)[16]
    assert "," in mean_chart.plots[0].series[0].points[0].data_label.text_frame.text


def test_no_browser_gives_a_complete_deck_with_native_charts(tmp_path, monkeypatch, capsys):
    from generator.cli import main
    from generator.output.render import renderer as render

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(render, "installed_browser", lambda: None)
    status = main([str(FIXTURES / "all_kinds.yaml"), "--output", str(tmp_path / "d.pptx")])
    err = " ".join(capsys.readouterr().err.split())
    assert status == 0
    assert "no Chromium or Chrome found: 2 chart(s) drawn as native PowerPoint charts" in err
    prs = Presentation(str(tmp_path / "d.pptx"))
    assert len(prs.slides) == 7
    assert sum(sh.has_chart for s in prs.slides for sh in s.shapes) == 2
    frame = next(sh for sh in prs.slides[3].shapes if sh.has_chart)
    assert frame._element.nvGraphicFramePr.cNvPr.get("descr").startswith("Diagram: Fordeling")


def test_a_slide_can_ask_for_a_native_chart(tmp_path, browser):
    deck = tmp_path / "deck.yaml"
    text = (FIXTURES / "all_kinds.yaml").read_text(encoding="utf-8").replace(
        "    chart: likert\n", "    chart: likert\n    charts: native\n").replace(
        "../../data/", f"{ROOT}/data/").replace("path: picture.png",
                                                f"path: {FIXTURES}/picture.png")
    deck.write_text(text, encoding="utf-8")
    result = build(deck, BuildOptions(output=tmp_path / "d.pptx", cache_dir=tmp_path / "c"))
    assert result.render.rendered == 1  # the other chart stays an image
    prs = Presentation(str(result.output))
    assert any(sh.has_chart for sh in prs.slides[3].shapes)
    assert not any(sh.has_chart for sh in prs.slides[4].shapes)


def test_native_charts_build_to_the_same_bytes_at_another_time(native_deck, tmp_path):
    """The workbook inside each native chart records when it was made; a later build of
    the same deck must still give the same bytes."""
    import time
    import zipfile

    time.sleep(1.1)  # xlsxwriter stamps whole seconds
    again = build(ROOT / "slides.yaml", BuildOptions(output=tmp_path / "again.pptx",
                                                     charts="native")).output
    with zipfile.ZipFile(native_deck) as deck:
        workbooks = [n for n in deck.namelist() if n.endswith(".xlsx")]
    assert len(workbooks) == 9
    assert again.read_bytes() == native_deck.read_bytes()
