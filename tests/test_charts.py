"""generator/charts/figures.py: the Plotly figures, read back as data (nothing is rendered)."""

from __future__ import annotations

import math

import pandas as pd

from generator.charts.data import ChartData
from generator.charts.figures import make_figure
from generator.charts.registry import KINDS
from generator.core.theme import DEFAULT_THEME as THEME
from generator.i18n.locale import DeckLocale
from generator.survey import indicators

NAN = float("nan")
NBSP = "\u00a0"
NB = DeckLocale("nb")
EN = DeckLocale("en")
POINTS = (1, 2, 3, 4, 5, 6, 7)


def pair_table(country: dict[str, float], comparison: dict[str, float], country_n: int = 120,
               comparison_n: int = 7749, min_base: int = 30) -> pd.DataFrame:
    """A `comparison_table`-shaped table: country and comparison row per item."""
    rows = []
    for item, value in country.items():
        for group, v, n in (("country", value, country_n),
                            ("comparison", comparison[item], comparison_n)):
            suppressed = math.isnan(v)
            rows.append({"group": group, "item": item, "point": None, "value": v,
                         "n": min_base - 1 if suppressed else n, "suppressed": suppressed})
    return pd.DataFrame(rows, columns=indicators.COLUMNS)


def chart_data(kind: str, table: pd.DataFrame, labels: dict[str, str] | None = None,
               **overrides) -> ChartData:
    fields = {
        "kind": kind, "table": table,
        "item_labels": labels or {i: i.title() for i in dict.fromkeys(table["item"])},
        "value_kind": "percent", "scale_points": POINTS, "country_code": "NO",
        "country_label": "Norge", "comparison_label": "Alle", "source": "Kilde: COCOPS test",
        "min_base": 30, "width_px": 1000, "height_px": 600,
    }
    fields.update(overrides)
    return ChartData(**fields)


def layout(fig) -> dict:
    return fig.to_plotly_json()["layout"]


def traces(fig) -> list[dict]:
    return fig.to_plotly_json()["data"]


def note(fig) -> str:
    (annotation,) = layout(fig)["annotations"]
    return annotation["text"]


# three short items: vertical bars
THREE = pair_table({"a": 62.0, "b": 40.0, "c": 55.0}, {"a": 50.0, "b": 70.0, "c": 45.0})
THREE_LABELS = {"a": "alpha", "b": "beta", "c": "gamma"}


# -- bar ----------------------------------------------------------------------------------


def test_bar_country_first_in_accent_then_comparison_in_neutral():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS), NB)
    country, comparison = traces(fig)
    assert (country["type"], comparison["type"]) == ("bar", "bar")
    assert country["marker"]["color"] == THEME.accent
    assert comparison["marker"]["color"] == THEME.neutral
    assert country["y"] == [62.0, 40.0, 55.0]
    assert comparison["y"] == [50.0, 70.0, 45.0]
    # labels capitalised, in the table's order
    assert country["x"] == comparison["x"] == ["Alpha", "Beta", "Gamma"]


def test_bar_value_labels_and_separators_follow_the_locale():
    nb = make_figure(chart_data("bar", THREE, THREE_LABELS), NB)
    assert traces(nb)[0]["text"] == [f"62{NBSP}%", f"40{NBSP}%", f"55{NBSP}%"]
    assert layout(nb)["separators"] == f",{NBSP}"
    en = make_figure(chart_data("bar", THREE, THREE_LABELS), EN)
    assert traces(en)[0]["text"] == ["62%", "40%", "55%"]
    assert traces(en)[1]["text"] == ["50%", "70%", "45%"]
    assert layout(en)["separators"] == ".,"


def test_bar_legend_carries_n_formatted_for_the_locale():
    nb = make_figure(chart_data("bar", THREE, THREE_LABELS), NB)
    assert [t["name"] for t in traces(nb)] == ["Norge (N = 120)", f"Alle (N = 7{NBSP}749)"]
    en = make_figure(chart_data("bar", THREE, THREE_LABELS, country_label="Norway",
                        comparison_label="All countries"), EN)
    assert [t["name"] for t in traces(en)] == ["Norway (N = 120)", "All countries (N = 7,749)"]


def test_bar_legend_shows_the_range_of_n_over_items():
    table = THREE.copy()
    table.loc[(table["group"] == "country") & (table["item"] == "b"), "n"] = 1500
    fig = make_figure(chart_data("bar", table, THREE_LABELS), NB)
    assert traces(fig)[0]["name"] == f"Norge (N = 120–1{NBSP}500)"


def test_bar_few_short_labels_are_vertical():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS), NB)
    assert all(t.get("orientation") != "h" for t in traces(fig))
    assert layout(fig)["yaxis"]["range"] == [0, 100]
    assert layout(fig)["xaxis"]["ticktext"] == ["Alpha", "Beta", "Gamma"]


def test_bar_long_label_turns_horizontal():
    # 1000 px / 3 bars leaves ~300 px under each: this label needs more than three lines there
    labels = {**THREE_LABELS, "b": "external vertical coordination with superior bodies in "
                                   "other policy areas and levels of government (upwards) "
                                   "when we face coordination problems"}
    fig = make_figure(chart_data("bar", THREE, labels), NB)
    country, comparison = traces(fig)
    assert country["orientation"] == comparison["orientation"] == "h"
    assert country["x"] == [62.0, 40.0, 55.0]
    assert layout(fig)["xaxis"]["range"] == [0, 100]
    assert layout(fig)["yaxis"]["autorange"] == "reversed"


def seven_items() -> pd.DataFrame:
    keys = list("abcdefg")
    return pair_table({k: 10.0 * (i + 1) for i, k in enumerate(keys)},
                      {k: 50.0 for k in keys})


def test_bar_more_than_six_items_turn_horizontal():
    fig = make_figure(chart_data("bar", seven_items()), NB)
    assert [t["orientation"] for t in traces(fig)] == ["h", "h"]
    assert [t["type"] for t in traces(fig)] == ["bar", "bar"]


def test_bar_orientation_can_be_forced():
    fig = make_figure(chart_data("bar", seven_items(), orientation="vertical"), NB)
    assert all(t.get("orientation") != "h" for t in traces(fig))
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS, orientation="horizontal"), NB)
    assert all(t.get("orientation") == "h" for t in traces(fig))


def test_bar_sort_by_country_value_descending():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS, sort="country"), NB)
    country, comparison = traces(fig)
    # country values a 62, b 40, c 55 -> a, c, b
    assert country["x"] == ["Alpha", "Gamma", "Beta"]
    assert country["y"] == [62.0, 55.0, 40.0]
    assert comparison["y"] == [50.0, 45.0, 70.0]


def test_bar_sort_puts_a_suppressed_value_last():
    table = pair_table({"a": NAN, "b": 40.0, "c": 55.0}, {"a": 50.0, "b": 70.0, "c": 45.0})
    fig = make_figure(chart_data("bar", table, THREE_LABELS, sort="country"), NB)
    assert traces(fig)[0]["x"] == ["Gamma", "Beta", "Alpha"]
    assert traces(fig)[0]["text"] == [f"55{NBSP}%", f"40{NBSP}%", "–"]


def test_bar_sort_by_comparison_value_descending():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS, sort="comparison"), NB)
    # comparison values a 50, b 70, c 45 -> b, a, c
    assert traces(fig)[1]["y"] == [70.0, 50.0, 45.0]
    assert traces(fig)[0]["x"] == ["Beta", "Alpha", "Gamma"]


def test_bar_more_than_eight_items_draws_the_comparison_as_markers():
    keys = list("abcdefghi")  # nine
    table = pair_table({k: 10.0 * (i + 1) for i, k in enumerate(keys)},
                       {k: 5.0 * (i + 1) for i, k in enumerate(keys)})
    fig = make_figure(chart_data("bar", table), NB)
    country, values, comparison = traces(fig)
    # value labels start right of the bar end or the marker, whichever is further right,
    # by one gap (a fixed width in pixels), so that they never touch the marker's line
    assert values["mode"] == "text"
    gaps = [x - 10.0 * (i + 1) for i, x in enumerate(values["x"])]
    assert max(gaps) - min(gaps) < 1e-9 and gaps[0] > 1.0  # 1 % of the axis is about 6 px here
    assert values["text"][0] == f"10{NBSP}%"
    assert "text" not in country
    assert country["type"] == "bar"
    assert country["orientation"] == "h"
    assert comparison["type"] == "scatter"
    assert comparison["mode"] == "markers"
    assert comparison["x"] == [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0]
    assert comparison["y"] == country["y"] == [k.title() for k in keys]
    assert comparison["name"] == f"Alle (N = 7{NBSP}749)"


def test_eight_items_are_still_two_bar_traces():
    keys = list("abcdefgh")
    table = pair_table({k: 50.0 for k in keys}, {k: 40.0 for k in keys})
    assert [t["type"] for t in traces(make_figure(chart_data("bar", table), NB))] == ["bar", "bar"]


def test_bar_of_means_uses_the_scale_as_axis_and_decimal_labels():
    table = pair_table({"a": 4.56, "b": 5.0}, {"a": 4.1, "b": 3.24})
    fig = make_figure(chart_data("bar", table, value_kind="mean"), NB)
    assert layout(fig)["yaxis"]["range"] == [1, 7]
    assert layout(fig)["yaxis"]["dtick"] == 1
    assert traces(fig)[0]["text"] == ["4,6", "5,0"]
    assert traces(fig)[1]["text"] == ["4,1", "3,2"]


def test_bar_suppressed_value_shows_a_dash_and_the_note_says_why():
    table = pair_table({"a": 62.0, "b": NAN, "c": 55.0}, {"a": 50.0, "b": 70.0, "c": 45.0})
    fig = make_figure(chart_data("bar", table, THREE_LABELS), NB)
    country = traces(fig)[0]
    assert country["text"] == [f"62{NBSP}%", "–", f"55{NBSP}%"]
    assert country["y"] == [62.0, 0, 55.0]
    # the suppressed row has n 29, the others 120
    assert country["name"] == "Norge (N = 29–120)"
    # "<" is escaped once for Plotly's pseudo-HTML
    assert note(fig).startswith("– n &lt; 30: ikke vist")
    en = make_figure(chart_data("bar", table, THREE_LABELS, min_base=50), EN)
    assert "n &lt; 50: not shown" in note(en)


def test_bar_without_suppression_has_no_suppression_note():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS), NB)
    assert note(fig) == "Kilde: COCOPS test"


def test_bar_source_line_is_in_the_annotation_below_the_plot():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS, source="Source: synthetic & demo"), EN)
    (annotation,) = layout(fig)["annotations"]
    assert annotation["text"] == "Source: synthetic &amp; demo"
    assert (annotation["xref"], annotation["yref"]) == ("paper", "paper")
    assert annotation["yanchor"] == "top"
    assert annotation["yshift"] < 0


def test_html_in_item_labels_is_escaped_not_run():
    evil = "<b>x</b><script>alert(1)</script>"
    labels = {**THREE_LABELS, "a": evil}
    fig = make_figure(chart_data("bar", THREE, labels), NB)
    ticks = layout(fig)["xaxis"]["ticktext"]  # short enough to stand under its bars
    assert ticks[0].replace("<br>", "") == (
        "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
    for tick in ticks:
        without_breaks = tick.replace("<br>", "")
        assert "<" not in without_breaks, tick
    assert all("<script" not in str(t["x"][0]) for t in traces(fig))


def test_html_in_legend_names_is_escaped():
    fig = make_figure(chart_data("bar", THREE, THREE_LABELS, country_label="<i>Norge</i>"), NB)
    assert traces(fig)[0]["name"] == "&lt;i&gt;Norge&lt;/i&gt; (N = 120)"


def test_bar_figure_size_and_registry():
    data = chart_data("bar", THREE, THREE_LABELS, width_px=900, height_px=500)
    fig = make_figure(data, NB)
    assert (layout(fig)["width"], layout(fig)["height"]) == (900, 500)
    assert set(KINDS) == {"bar", "ranking", "likert", "dotplot", "coefficients"}
    assert traces(fig)[0]["y"] == [62.0, 40.0, 55.0]


# -- ranking --------------------------------------------------------------------------------

RANKING = pd.DataFrame([
    {"group": "DE", "item": "a", "point": None, "value": 50.0, "n": 200, "suppressed": False},
    {"group": "DK", "item": "a", "point": None, "value": NAN, "n": 12, "suppressed": True},
    {"group": "NO", "item": "a", "point": None, "value": 62.0, "n": 120, "suppressed": False},
    {"group": "SE", "item": "a", "point": None, "value": 71.0, "n": 90, "suppressed": False},
    {"group": "comparison", "item": "a", "point": None, "value": 58.0, "n": 410,
     "suppressed": False},
], columns=indicators.COLUMNS)


def ranking_data(locale: DeckLocale, table: pd.DataFrame = RANKING, **overrides) -> ChartData:
    codes = ["DE", "DK", "NO", "SE"]
    return chart_data("ranking", table, {"a": "alpha"},
                      country_names={c: locale.country_name(c) for c in codes}, **overrides)


def test_ranking_one_bar_per_country_sorted_descending():
    fig = make_figure(ranking_data(NB), NB)
    bars = [t for t in traces(fig) if t["type"] == "bar"]
    assert len(bars) == 1
    (countries,) = bars
    # SE 71, NO 62, DE 50, DK suppressed last
    assert countries["y"] == ["Sverige", "Norge", "Tyskland", "Danmark"]
    assert countries["x"] == [71.0, 62.0, 50.0, 0]
    values = next(t for t in traces(fig) if t.get("mode") == "text")
    # right of the bar, or of the comparison line (58) where the bar ends before it, by
    # one gap clear of the line
    gaps = [x - end for x, end in zip(values["x"], [71.0, 62.0, 58.0, 58.0], strict=True)]
    assert max(gaps) - min(gaps) < 1e-9 and gaps[0] > 1.0
    assert values["text"] == [f"71{NBSP}%", f"62{NBSP}%", f"50{NBSP}%", "–"]
    assert countries["orientation"] == "h"


def test_ranking_highlights_the_decks_country():
    fig = make_figure(ranking_data(NB), NB)
    assert traces(fig)[0]["marker"]["color"] == [THEME.neutral, THEME.accent, THEME.neutral,
                                                 THEME.neutral]
    fig = make_figure(ranking_data(NB, country_code="DE"), NB)
    assert traces(fig)[0]["marker"]["color"] == [THEME.neutral, THEME.neutral, THEME.accent,
                                                 THEME.neutral]


def test_ranking_country_names_in_the_deck_language():
    de = DeckLocale("de")
    fig = make_figure(ranking_data(de), de)
    assert traces(fig)[0]["y"] == ["Schweden", "Norwegen", "Deutschland", "Dänemark"]


def test_ranking_comparison_is_a_vertical_line_at_its_value():
    fig = make_figure(ranking_data(NB), NB)
    (shape,) = layout(fig)["shapes"]
    assert shape["type"] == "line"
    assert shape["x0"] == shape["x1"] == 58.0
    assert shape["xref"] == "x"
    assert shape["line"]["color"] == THEME.reference
    # and a legend entry naming it, with the value in the locale's format
    legend = [t for t in traces(fig) if t.get("mode") == "lines"]
    assert [t["name"] for t in legend] == [f"Alle: 58{NBSP}%"]


def test_ranking_without_comparison_value_has_no_line():
    table = RANKING.copy()
    table.loc[table["group"] == "comparison", ["value", "suppressed"]] = [NAN, True]
    fig = make_figure(ranking_data(NB, table), NB)
    assert not layout(fig).get("shapes")
    assert [t.get("mode") for t in traces(fig)] == [None, "text"]


def test_ranking_notes_suppression_n_range_and_source():
    fig = make_figure(ranking_data(NB), NB)
    # countries' n: 12 (DK) to 200 (DE); the comparison's 410 is not a country
    assert note(fig) == "– n &lt; 30: ikke vist   ·   N = 12–200   ·   Kilde: COCOPS test"


def test_ranking_of_means_axis():
    table = RANKING.assign(value=[4.0, NAN, 5.5, 3.24, 4.5])
    fig = make_figure(ranking_data(EN, table, value_kind="mean"), EN)
    assert layout(fig)["xaxis"]["range"] == [1, 7]
    assert traces(fig)[1]["text"] == ["5.5", "4.0", "3.2", "–"]


# -- likert ---------------------------------------------------------------------------------

# item: shares of points 1..7 (country), then the share of code 8
DISTRIBUTIONS = {"a": ([5, 5, 10, 20, 30, 20, 10], 12.0),
                 "b": ([0, 0, 10, 10, 40, 30, 10], 4.0)}


def likert_table(non_answers: bool) -> pd.DataFrame:
    rows = []
    for item, (shares, share8) in DISTRIBUTIONS.items():
        for group, n in (("country", 100), ("comparison", 900)):
            points = [*zip(POINTS, shares, strict=True)]
            if non_answers:
                points.append((8, share8))
            rows += [{"group": group, "item": item, "point": p, "value": float(v), "n": n,
                      "suppressed": False} for p, v in points]
    return pd.DataFrame(rows, columns=indicators.COLUMNS)


POINT_LABELS = {1: "1 = Very poor", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6",
                7: "7 = Very good", 8: "Can't assess"}


def likert_fig(non_answers: bool = True, **overrides):
    data = chart_data("likert", likert_table(non_answers), {"a": "alpha", "b": "beta"},
                      point_labels=POINT_LABELS, **overrides)
    return make_figure(data, NB)


def test_likert_bars_per_point_with_diverging_colours_and_signs():
    fig = likert_fig(non_answers=False)
    on_scale = [t for t in traces(fig) if t.get("xaxis") in (None, "x")]
    by_name: dict[str, list[dict]] = {}
    for trace in on_scale:
        by_name.setdefault(trace["name"], []).append(trace)
    # stacked outwards from zero: the low side innermost first, then the high side
    assert list(by_name) == ["4", "3", "2", "1 = Very poor", "5", "6", "7 = Very good"]
    for i, point in enumerate(POINTS):
        for trace in by_name[POINT_LABELS[point]]:
            assert trace["marker"]["color"] == THEME.diverging[i], point
            assert trace["y"] == ["Alpha", "Beta"]  # capitalised, as in native charts
    # below the midpoint: negative; above: positive
    assert by_name["1 = Very poor"][0]["x"] == [-5.0, -0.0]
    assert by_name["2"][0]["x"] == [-5.0, -0.0]
    assert by_name["3"][0]["x"] == [-10.0, -10.0]
    assert by_name["5"][0]["x"] == [30.0, 40.0]
    assert by_name["6"][0]["x"] == [20.0, 30.0]
    assert by_name["7 = Very good"][0]["x"] == [10.0, 10.0]
    assert layout(fig)["barmode"] == "relative"


def test_likert_midpoint_is_split_in_two_halves():
    fig = likert_fig(non_answers=False)
    halves = [t for t in traces(fig) if t["name"] == "4"]
    # point 4: a 20 %, b 10 % -> -10 / +10 and -5 / +5; one legend entry
    assert [h["x"] for h in halves] == [[-10.0, -5.0], [10.0, 5.0]]
    assert [h["showlegend"] for h in halves] == [False, True]


def test_likert_text_inside_bars_only_for_large_shares():
    fig = likert_fig(non_answers=False)
    five = next(t for t in traces(fig) if t["name"] == "5")
    assert five["text"] == [f"30{NBSP}%", f"40{NBSP}%"]
    one = next(t for t in traces(fig) if t["name"] == "1 = Very poor")
    assert one["text"] == ["", ""]  # 5 % and 0 % are below 8 %


def test_likert_non_answers_in_their_own_panel():
    fig = likert_fig(non_answers=True)
    panel = [t for t in traces(fig) if t.get("xaxis") == "x2"]
    assert len(panel) == 1
    (cant,) = panel
    assert cant["name"] == "Can't assess"
    assert cant["x"] == [12.0, 4.0]
    assert cant["marker"]["color"] == THEME.non_answer
    assert layout(fig)["xaxis2"]["domain"] == [0.89, 1.0]
    assert layout(fig)["xaxis"]["domain"] == [0, 0.86]
    # eight traces for the seven points (the midpoint twice), then the panel
    assert len(traces(fig)) == 9


def test_likert_without_non_answers_has_no_panel():
    fig = likert_fig(non_answers=False)
    assert all(t.get("xaxis") in (None, "x") for t in traces(fig))
    assert "xaxis2" not in layout(fig)
    assert layout(fig)["xaxis"]["domain"] == [0, 1.0]
    assert len(traces(fig)) == 8


def test_likert_axis_labels_and_note():
    fig = likert_fig()
    axis = layout(fig)["xaxis"]
    assert axis["range"] == [-100, 100]
    assert axis["ticktext"] == [f"100{NBSP}%", f"50{NBSP}%", f"0{NBSP}%", f"50{NBSP}%",
                                f"100{NBSP}%"]
    assert note(fig) == "Norge: N = 100   ·   Kilde: COCOPS test"


def test_likert_escapes_item_labels():
    data = chart_data("likert", likert_table(False), {"a": "<b>x</b>", "b": "beta"},
                      point_labels=POINT_LABELS)
    fig = make_figure(data, NB)
    assert traces(fig)[0]["y"] == ["&lt;b&gt;x&lt;/b&gt;", "Beta"]


def test_likert_note_escapes_the_country_label_once():
    fig = likert_fig(country_label="Trinidad & Tobago")
    assert note(fig).startswith("Trinidad &amp; Tobago: N = 100")


# -- dot plot -------------------------------------------------------------------------------

def test_dotplot_two_dots_per_item_with_labels_on_their_outer_sides():
    fig = make_figure(chart_data("dotplot", THREE, THREE_LABELS), NB)
    country, country_labels, comparison, comparison_labels = traces(fig)
    assert (country["mode"], comparison["mode"]) == ("markers", "markers")
    assert (country_labels["mode"], comparison_labels["mode"]) == ("text", "text")
    assert country["y"] == comparison["y"] == ["Alpha", "Beta", "Gamma"]
    assert country["x"] == [62.0, 40.0, 55.0] and comparison["x"] == [50.0, 70.0, 45.0]
    assert country["marker"]["color"] == THEME.accent
    assert comparison["marker"]["color"] == THEME.neutral
    # the higher value's label to the right of its dot, the lower's to the left: a label
    # never lies over the other dot
    assert country_labels["textposition"] == ["middle right", "middle left", "middle right"]
    assert comparison_labels["textposition"] == ["middle left", "middle right", "middle left"]
    assert country_labels["text"] == [f"62{NBSP}%", f"40{NBSP}%", f"55{NBSP}%"]
    # each label starts beyond its dot (16 px across): right of 62, left of 40, ...
    ahead = [at - x for at, x in zip(country_labels["x"], country["x"], strict=True)]
    assert ahead[0] > 0 and ahead[1] < 0 and ahead[2] > 0
    assert min(abs(a) for a in ahead) > 8 * 100 / 1000  # half a dot, on a 0–100 axis
    assert country["name"] == "Norge (N = 120)"
    assert comparison["name"] == f"Alle (N = 7{NBSP}749)"
    assert layout(fig)["yaxis"]["autorange"] == "reversed"  # the first item on top


def test_dotplot_leaves_a_suppressed_value_out_and_says_why():
    table = pair_table({"a": NAN, "b": 40.0, "c": 55.0}, {"a": 50.0, "b": 70.0, "c": 45.0})
    fig = make_figure(chart_data("dotplot", table, THREE_LABELS), NB)
    country, labels, _, _ = traces(fig)
    assert country["x"][0] is None and labels["text"][0] == "–"
    assert labels["x"][0] is None  # no label drawn where there is no dot
    assert "30" in note(fig)  # the suppression note names min_base
