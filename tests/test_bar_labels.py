"""A dense bar chart's value labels are the bars': after the bar's end where the
comparison's mark lies across the bar, between the bar and the mark where the mark lies
beyond the bar and the label fits there, and in the bar's colour."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.charts.bar import draw
from generator.charts.data import ChartData
from generator.charts.figures import figure_spec
from generator.core.theme import DEFAULT_THEME
from generator.i18n.locale import DeckLocale
from generator.output.render.layoutcheck import LayoutChecker

NB = DeckLocale("nb", "NO")
# ten items (dense: more than eight); the three that matter first
COUNTRY = [4.4, 3.1, 5.2] + [5.0] * 7
COMPARISON = [5.2, 3.3, 4.6] + [4.9] * 7  # far beyond, just beyond, across the bar


def dense_chart() -> ChartData:
    items = [f"i{k}" for k in range(10)]
    rows = [{"group": group, "item": item, "value": value, "n": 400, "suppressed": False}
            for group, values in (("country", COUNTRY), ("comparison", COMPARISON))
            for item, value in zip(items, values, strict=True)]
    return ChartData(
        kind="bar", table=pd.DataFrame(rows),
        item_labels={item: f"Spørsmål {k}" for k, item in enumerate(items)},
        value_kind="mean", scale_points=(1, 2, 3, 4, 5, 6, 7), country_code="NO",
        country_label="Norge", comparison_label="Alle", source="Kilde: syntetiske data",
        min_base=30, width_px=1150, height_px=520, language="nb-NO")


def test_a_label_goes_between_its_bar_and_a_mark_beyond_it_where_it_fits():
    drawing = draw(dense_chart(), NB, DEFAULT_THEME)
    country, mark = drawing.series
    assert (country.group, mark.style) == ("country", "tick")
    assert country.labels[:3] == ("4,4", "3,1", "5,2")
    gap = country.label_at[2] - 5.2  # after the bar, past the mark across it
    assert gap > 0
    far, close, across = country.picture_label_at[:3]
    assert far == pytest.approx(4.4 + gap) and far < 5.2  # before the mark at 5.2
    assert close == pytest.approx(3.3 + gap)  # no room before 3.3: past the mark
    assert across == pytest.approx(5.2 + gap)
    # the native chart draws the comparison as a bar: its labels pass that bar
    assert country.label_at[:3] == pytest.approx((5.2 + gap, 3.3 + gap, 5.2 + gap))
    # in the bar's colour: the accent has 5.1:1 on white, readable as text
    assert country.label_colour == DEFAULT_THEME.accent
    spec = figure_spec(dense_chart(), NB, DEFAULT_THEME)
    labels = next(t for t in spec["data"] if t.get("mode") == "text")
    assert labels["x"][:3] == pytest.approx([far, close, across])
    assert labels["textfont"]["color"] == DEFAULT_THEME.accent


@pytest.mark.browser
def test_in_the_picture_the_label_ends_before_the_far_mark_and_nothing_collides(browser):
    spec = figure_spec(dense_chart(), NB, DEFAULT_THEME)
    with LayoutChecker(browser) as checker:
        parts = checker.parts(spec)
        assert checker.check(spec) == []
    values = [p for p in parts if p.kind == "value"]
    marks = sorted((p for p in parts if p.kind == "mark"), key=lambda p: p.y0)
    bars = sorted((p for p in parts if p.kind == "bar"), key=lambda p: p.y0)
    first = next(p for p in values if p.text == "4,4")
    row = (first.y0 + first.y1) / 2
    mark = next(m for m in marks if m.y0 <= row <= m.y1)
    bar = next(b for b in bars if b.y0 <= row <= b.y1)
    assert bar.x1 < first.x0 < first.x1 < mark.x0  # bar, label, then the mark
