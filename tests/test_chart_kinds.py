"""Every chart kind, drawn both ways, shows the same thing.

Each kind of the registry is built from real planned chart data (the fixture
deck `chart_kinds.yaml`) as a Plotly figure, read back as data, and as a
native PowerPoint chart, saved, reopened and read back from the chart's XML.
The readers below know nothing of the shared drawing: they read what each
renderer put on the page (categories, values, value labels, N, colours) and
the two are compared with each other and with the indicator table.
"""

from __future__ import annotations

import dataclasses
import html
import io
import json
import math
import pkgutil
import re
import zipfile

import pytest
from conftest import FIXTURES
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

import generator.charts as charts_package
from generator.charts.figures import figure_spec, make_figure
from generator.charts.native import add_native_chart
from generator.charts.registry import KINDS
from generator.charts.spec import Kind
from generator.core.geometry import EMU_PER_PX, Box
from generator.core.theme import DEFAULT_THEME
from generator.deckfile.deck import load_deck
from generator.deckfile.model import ChartKind, ChartSpec
from generator.run.options import BuildOptions
from generator.run.prepare import prepare
from generator.run.targets import apply_options
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


# -- the registry ---------------------------------------------------------------------------

def test_the_schema_lists_exactly_the_registered_kinds():
    """A chart slide names the indicator kinds; association slides draw `coefficients`."""
    assert ChartKind.__args__ == tuple(KINDS)[:4] == ("bar", "ranking", "likert", "dotplot")
    assert tuple(KINDS)[4:] == ("coefficients",)
    schema = ChartSpec.model_json_schema()["properties"]["chart"]
    assert schema["enum"] == list(KINDS)[:4]


def test_every_kind_module_is_registered_and_complete():
    """A module of the charts package with a `KIND` is a chart kind: it must be in the
    registry, with a drawing and both renderers."""
    declared = {}
    for module in pkgutil.iter_modules(charts_package.__path__):
        loaded = __import__(f"generator.charts.{module.name}", fromlist=["KIND"])
        if isinstance(getattr(loaded, "KIND", None), Kind):
            declared[loaded.KIND.name] = loaded.KIND
    assert declared == KINDS
    for kind in KINDS.values():
        assert all(callable(f) for f in (kind.draw, kind.figure, kind.native)), kind.name


def test_a_kind_without_a_renderer_is_refused():
    with pytest.raises(TypeError, match="'pie' has no native"):
        Kind("pie", KINDS["bar"].draw, KINDS["bar"].figure, None, KINDS["bar"].label_px)


# -- both renderers -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def planned():
    """The chart data of each slide of the fixture deck, by slide id, and the locale."""
    deck, source = load_deck(FIXTURES / "chart_kinds.yaml")
    codebook, codebook_source = load_codebook(deck.deck.codebook)
    survey = load_survey(deck.deck.data, codebook, codebook_source)
    prepared = prepare(apply_options(deck, BuildOptions()), source, survey, BuildOptions())
    return {s.id: s.chart.data for s in prepared.charted}, prepared.locale


def test_the_fixture_deck_has_every_kind(planned):
    charts, _ = planned
    assert {d.kind for d in charts.values()} == set(KINDS)


def test_one_item_label_size_per_kind_in_a_deck(planned):
    """Each kind's cheap `label_px` is the size its drawing gives; a deck's charts of a
    kind all take the smallest any of them needs."""
    from generator.core.theme import DEFAULT_THEME

    charts, locale = planned
    drawn = {key: KINDS[d.kind].draw(d, locale, DEFAULT_THEME).category_px
             for key, d in charts.items()}
    for key, data in charts.items():
        alone = dataclasses.replace(data, label_px=None)
        assert KINDS[data.kind].label_px(data, DEFAULT_THEME) == drawn[key]
        assert KINDS[data.kind].label_px(alone, DEFAULT_THEME) >= drawn[key]
    bars = ("bar-vertical", "bar-dense", "bar-intervals")
    alone = [KINDS["bar"].label_px(dataclasses.replace(charts[key], label_px=None),
                                   DEFAULT_THEME) for key in bars]
    assert {drawn[key] for key in bars} == {min(alone)}


@pytest.mark.parametrize("slide", ["bar-vertical", "bar-dense", "bar-intervals", "ranking",
                                   "likert", "dotplot", "coefficients"])
def test_every_kinds_figure_spec_passes_plotlys_validators(planned, slide):
    """The figures are made from plain specs without Plotly checking each property
    (for speed); here Plotly's validators check them, and the figure must not change."""
    import plotly.graph_objects as go

    charts, locale = planned
    spec = figure_spec(charts[slide], locale)
    checked = go.Figure(spec)  # raises on a property Plotly does not know or a bad value
    assert json.loads(checked.to_json()) == json.loads(make_figure(charts[slide],
                                                                    locale).to_json())
    assert checked.data and checked.layout.width == charts[slide].width_px


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<br>", " ", str(text)))


def _listed(value, count: int) -> list:
    return list(value) if isinstance(value, list | tuple) else [value] * count


def read_figure(fig) -> dict:
    """What a Plotly figure shows: categories, series (name, values, colours, labels),
    the reference line, notes and the font sizes of its text."""
    spec = json.loads(fig.to_json())
    layout, traces = spec["layout"], spec["data"]
    horizontal = layout.get("yaxis", {}).get("autorange") == "reversed"
    axis = layout["yaxis"] if horizontal else layout["xaxis"]
    categories = [_plain(c) for c in axis.get("ticktext") or traces[0]["y" if horizontal else "x"]]
    series, apart = [], []
    for k, trace in enumerate(traces):
        if trace.get("mode") == "text" or trace.get("x") == [None]:
            continue
        values = trace["x"] if horizontal else trace["y"]
        labels = trace.get("text")
        following = traces[k + 1] if k + 1 < len(traces) else {}
        if labels is None and following.get("mode") == "text":
            labels = following["text"]  # value labels drawn beside the bars
        marker = trace.get("marker", {})
        colour = marker.get("color") or marker.get("line", {}).get("color")
        one = {"name": _plain(trace.get("name", "")), "values": list(values),
               "colours": _listed(colour, len(values)),
               "labels": [_plain(t) for t in labels] if labels else [""] * len(values)}
        (apart if trace.get("xaxis") == "x2" else series).append(one)
    reference = [s for s in layout.get("shapes", []) if s.get("type") == "line"]
    fonts = [axis["tickfont"]["size"]]
    fonts += [t["textfont"]["size"] for t in traces if "textfont" in t]
    return {"categories": categories, "series": series, "apart": apart,
            "reference": reference[0]["x0"] if reference else None,
            "note": _plain(layout["annotations"][0]["text"]), "fonts": fonts}


def _fill(element) -> str | None:
    found = element.xpath("./c:spPr/a:solidFill/a:srgbClr/@val", namespaces=NS)
    return "#" + found[0] if found else None


def read_native(data, locale) -> tuple[dict, str]:
    """A native chart built for `data`, saved and reopened: what its XML shows, and the
    note line written under it."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = Box(Emu(0), Emu(914400), data.width_px * EMU_PER_PX, data.height_px * EMU_PER_PX)
    _, note = add_native_chart(slide, data, box, locale, data.language or "nb-NO",
                               "alt", "chart")
    saved = io.BytesIO()
    prs.save(saved)
    with zipfile.ZipFile(saved) as deck:
        (part,) = [n for n in deck.namelist() if n.startswith("ppt/charts/chart")]
        space = etree.fromstring(deck.read(part))
    scatter = bool(space.xpath(".//c:scatterChart", namespaces=NS))
    series = []
    for ser in space.xpath(".//c:ser", namespaces=NS):
        name = "".join(ser.xpath("./c:tx//c:v/text()", namespaces=NS))
        count = int(ser.xpath(f"./{'c:yVal' if scatter else 'c:val'}//c:ptCount/@val",
                              namespaces=NS)[0])
        values: list = [None] * count
        for pt in ser.xpath(f"./{'c:xVal' if scatter else 'c:val'}//c:pt", namespaces=NS):
            values[int(pt.get("idx"))] = float(pt.xpath("./c:v/text()", namespaces=NS)[0])
        rows = [None] * count
        if scatter:
            for pt in ser.xpath("./c:yVal//c:pt", namespaces=NS):
                rows[int(pt.get("idx"))] = float(pt.xpath("./c:v/text()", namespaces=NS)[0])
        colour = _fill(ser) or (ser.xpath("./c:marker/c:spPr/a:solidFill/a:srgbClr/@val",
                                          namespaces=NS) or [None])[0]
        colour = colour if colour is None or colour.startswith("#") else "#" + colour
        colours = [colour] * count
        for point in ser.xpath("./c:dPt", namespaces=NS):
            colours[int(point.xpath("./c:idx/@val", namespaces=NS)[0])] = _fill(point)
        labels = [""] * count
        for label in ser.xpath("./c:dLbls/c:dLbl", namespaces=NS):
            idx = int(label.xpath("./c:idx/@val", namespaces=NS)[0])
            labels[idx] = "\n".join(
                "".join(p.xpath(".//a:t/text()", namespaces=NS))
                for p in label.xpath("./c:tx/c:rich/a:p", namespaces=NS))
        interval = bool(ser.xpath("./c:marker/c:symbol[@val='none']", namespaces=NS)
                        and ser.xpath("./c:spPr/a:ln/a:solidFill", namespaces=NS))
        series.append({"name": name, "values": values, "colours": colours,
                       "labels": labels, "rows": rows, "interval": interval})
    categories = [] if scatter else [
        str(v) for v in space.xpath("(.//c:ser)[1]/c:cat//c:pt/c:v/text()", namespaces=NS)]
    if space.xpath(".//c:barDir[@val='bar'] and .//c:catAx/c:scaling/c:orientation"
                   "[@val='minMax']", namespaces=NS):
        # horizontal bars written bottom up: shown from the top, the last series first
        categories.reverse()
        series.reverse()
        for one in series:
            for key in ("values", "colours", "labels"):
                one[key].reverse()
    sizes = [int(s) / 100 for s in space.xpath(".//a:defRPr/@sz | .//a:rPr/@sz",
                                                 namespaces=NS)]
    skips = [(ax.xpath("./c:tickLblSkip/@val", namespaces=NS),
              ax.xpath("./c:txPr/a:bodyPr/@rot", namespaces=NS))
             for ax in space.xpath(".//c:catAx", namespaces=NS)]
    return {"categories": categories, "series": series, "scatter": scatter,
            "fonts": sizes, "skips": skips}, note.text


def _same(a, b) -> bool:
    a = 0.0 if a is None or (isinstance(a, float) and math.isnan(a)) else a
    b = 0.0 if b is None or (isinstance(b, float) and math.isnan(b)) else b
    return abs(a - b) < 1e-9


def _legend_n(names: list[str]) -> list[str]:
    return sorted(re.search(r"\(N = [^)]*\)", n).group(0) for n in names if "N =" in n)


@pytest.mark.parametrize("slide", ["bar-vertical", "bar-dense", "bar-intervals", "ranking",
                                   "likert", "dotplot", "coefficients"])
def test_picture_and_native_chart_show_the_same(planned, slide):
    charts, locale = planned
    data = charts[slide]
    picture = read_figure(make_figure(data, locale))
    native, native_note = read_native(data, locale)
    table = data.table

    # the same notes: N (where not in the legend), suppression, marks, source
    for line in picture["note"].split("   ·   "):
        assert " ".join(line.split()) in " ".join(native_note.split()), (slide, line)
    # no chart text below the theme's minimum (14 px = 10.5 pt), in either
    assert min(picture["fonts"]) >= 14, slide
    assert min(native["fonts"]) >= 10.5, slide
    # every item label shown: no skipping, and upright labels LibreOffice does not drop
    assert all(skip == (["1"], ["0"]) for skip in native["skips"]), slide

    if data.kind == "coefficients":  # a scatter: intervals, dots by colour, predictor labels
        *parts, names = [s for s in native["series"] if not s["interval"]]
        (shown,) = picture["series"]
        order = sorted(range(len(names["rows"])), key=lambda k: -names["rows"][k])
        assert picture["categories"] == [names["labels"][k].replace("\n", " ") for k in order]
        # the dots of both colours, each back on its row (from the top)
        dots = sorted(((row, value, label, one["colours"][0]) for one in parts
                       for row, value, label in zip(one["rows"], one["values"],
                                                    one["labels"], strict=True)),
                      reverse=True)
        assert all(_same(a, b) for a, b in zip(shown["values"], [d[1] for d in dots],
                                               strict=True))
        assert shown["labels"] == [d[2] for d in dots]
        assert shown["colours"] == [d[3] for d in dots]
        assert len({one["colours"][0] for one in parts}) == len(parts)  # a series per colour
        ranked = table.sort_values("value", ascending=False)
        # significant coefficients in the accent colour, the others grey
        assert shown["colours"] == [DEFAULT_THEME.accent if s else DEFAULT_THEME.neutral
                                    for s in ranked["significant"]]
        expected = ranked["value"].tolist()
        assert all(_same(a, b) for a, b in zip(shown["values"], expected, strict=True))
        assert [locale.signed(v) for v in expected] == shown["labels"]

    elif data.kind in ("bar", "dotplot"):
        if data.kind == "dotplot":  # a scatter: categories are the item-label series
            *dots, names = [s for s in native["series"] if not s["interval"]]
            order = sorted(range(len(names["rows"])), key=lambda k: -names["rows"][k])
            native["categories"] = [names["labels"][k].replace("\n", " ") for k in order]
            for one in dots:  # each dot back on its row
                row_of = {r: k for k, r in enumerate(sorted(names["rows"], reverse=True))}
                placed = [None] * len(order)
                labels = [""] * len(order)
                for value, row, label in zip(one["values"], one["rows"], one["labels"],
                                             strict=True):
                    placed[row_of[row]] = value
                    labels[row_of[row]] = label
                one.update(values=placed, labels=labels, colours=[one["colours"][0]] * len(
                    order))
            native["series"] = dots
        assert picture["categories"] == native["categories"], slide
        assert [s["name"] for s in picture["series"]] == [s["name"] for s in native["series"]]
        assert _legend_n([s["name"] for s in picture["series"]]) == _legend_n(
            [s["name"] for s in native["series"]])
        for shown, drawn, group in zip(picture["series"], native["series"],
                                       ("country", "comparison"), strict=True):
            assert all(_same(a, b) for a, b in zip(shown["values"], drawn["values"],
                                                   strict=True)), (slide, group)
            assert shown["colours"] == drawn["colours"], (slide, group)
            assert shown["labels"] == drawn["labels"], (slide, group)
            # and the numbers are the table's, in the order shown
            rows = table[table["group"] == group].set_index("item")
            by_label = {data.item_labels[i][:1].upper() + data.item_labels[i][1:]: i
                        for i in rows.index}
            expected = [rows.loc[by_label[c], "value"] for c in picture["categories"]]
            assert all(_same(a, b) for a, b in zip(shown["values"], expected, strict=True))
            assert [locale.value(v, data.value_kind) for v in expected] == [
                label.split(" ")[0] for label in shown["labels"]] or not any(shown["labels"])

    elif data.kind == "ranking":
        (shown,) = picture["series"]
        (drawn,) = native["series"]
        reference = table[table["group"] == "comparison"]["value"].iloc[0]
        at = native["categories"].index(data.comparison_label)
        assert _same(drawn["values"][at], reference) and _same(picture["reference"], reference)
        assert drawn["colours"][at] == "#D55E00"
        del drawn["values"][at], drawn["colours"][at], drawn["labels"][at]
        del native["categories"][at]
        assert picture["categories"] == native["categories"]
        assert all(_same(a, b) for a, b in zip(shown["values"], drawn["values"], strict=True))
        assert shown["colours"] == drawn["colours"]
        assert shown["labels"] == drawn["labels"]
        # named after what it shows (the item), not after the comparison group
        assert drawn["name"] == shown["name"] != data.comparison_label
        assert shown["colours"][picture["categories"].index(
            data.country_names[data.country_code])] == "#0072B2"

    else:  # likert: the same stacked segments, each the share of its scale point
        assert picture["categories"] == native["categories"]
        assert len(picture["series"]) == len(native["series"])
        for shown, drawn in zip(picture["series"], native["series"], strict=True):
            assert shown["name"] == drawn["name"]
            assert all(_same(a, b) for a, b in zip(shown["values"], drawn["values"],
                                                   strict=True))
            assert shown["colours"] == drawn["colours"]
            assert shown["labels"] == drawn["labels"]
        own = table[table["group"] == "country"]
        names = {data.point_labels.get(p, str(p)): p for p in data.scale_points}
        for k, category in enumerate(picture["categories"]):
            item = next(i for i in data.item_labels
                        if data.item_labels[i][:1].upper() + data.item_labels[i][1:] == category)
            for name, point in names.items():
                drawn_share = sum(abs(s["values"][k]) for s in native["series"]
                                  if s["name"] == name)
                share = own[(own["item"] == item) & (own["point"] == point)]["value"].iloc[0]
                assert _same(round(drawn_share, 9), round(share, 9)), (category, name)
        # non-answers: a panel in the picture, a note line under the native chart
        for apart in picture["apart"]:
            for category, label in zip(picture["categories"], apart["labels"], strict=True):
                assert f"{category} {label}" in native_note
