"""The chart cache's keys follow everything a picture is made of, and only that."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from generator.charts.data import ChartData
from generator.core.theme import DEFAULT_THEME
from generator.i18n.catalogue import UserCatalogue
from generator.i18n.locale import DeckLocale
from generator.output.render import chartcache
from generator.output.render.chartcache import chart_key

BROWSER = "/usr/bin/chromium"  # only named in the key; nothing is started


def _data(value: float = 62.0, **overrides) -> ChartData:
    table = pd.DataFrame({"item": ["a", "a"], "group": ["country", "comparison"],
                          "value": [value, 50.0], "n": [120, 7749],
                          "suppressed": [False, False]})
    fields = {"kind": "bar", "table": table, "item_labels": {"a": "alpha"},
              "value_kind": "percent", "scale_points": (1, 2, 3, 4, 5, 6, 7),
              "country_code": "NO", "country_label": "Norge", "comparison_label": "Alle",
              "source": "Kilde: COCOPS test", "min_base": 30, "width_px": 1000,
              "height_px": 600, **overrides}
    return ChartData(**fields)


def _key(data: ChartData | None = None, locale: DeckLocale | None = None,
         theme=DEFAULT_THEME, scale: float = 2.0, browser: str | None = BROWSER) -> str:
    return chart_key(data or _data(), locale or DeckLocale("nb", "NO"), theme, scale, browser)


def test_the_same_inputs_give_the_same_key():
    assert _key(_data()) == _key(_data())


def test_data_labels_and_size_each_change_the_key():
    key = _key()
    assert len({key, _key(_data(62.001)), _key(_data(item_labels={"a": "beta"})),
                _key(_data(width_px=999)), _key(_data(height_px=601)),
                _key(_data(kind="ranking"))}) == 6


def test_locale_language_country_and_catalogue_each_change_the_key(tmp_path):
    key = _key()
    catalogue = UserCatalogue(tmp_path / "nb.yaml", "nb", {"sig.note": "▲▼ annerledes"})
    other = UserCatalogue(tmp_path / "nb.yaml", "nb", {"sig.note": "▲▼ forskjellig"})
    keys = {key, _key(locale=DeckLocale("en", "NO")), _key(locale=DeckLocale("nb", "SE")),
            _key(locale=DeckLocale("nb", "NO", catalogue)),
            _key(locale=DeckLocale("nb", "NO", other))}
    assert len(keys) == 5


def test_theme_scale_and_browser_each_change_the_key(tmp_path):
    key = _key()
    other_browser = tmp_path / "chromium"
    other_browser.write_text("#!/bin/sh\n")
    keys = {key, _key(theme=dataclasses.replace(DEFAULT_THEME, accent="#000000")),
            _key(theme=dataclasses.replace(DEFAULT_THEME, chart_tick_px=20)),
            _key(scale=1.0), _key(browser=str(other_browser)), _key(browser=None)}
    assert len(keys) == 6


def test_the_key_is_the_same_in_another_process_which_loads_no_plotly():
    script = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_chartcache import _key
print(json.dumps([_key(), sorted(m for m in sys.modules if m.split('.')[0] == 'plotly')]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)
    key, plotly_modules = json.loads(done.stdout)
    assert key == _key()
    assert plotly_modules == []


def test_the_drawing_code_is_the_charts_package_and_what_it_imports():
    """Found by reading imports: an edit to any module that shapes a figure (the theme,
    the number formats) makes new keys, without a list of files kept by hand."""
    imported = chartcache._generator_imports(
        b"from generator.core.theme import Theme\nimport generator.i18n.locale\n"
        b"from . import data\nfrom ..layout import textfit\nimport pandas\n",
        "generator.charts.figures")
    assert set(imported) >= {"generator.core.theme", "generator.i18n.locale",
                             "generator.charts.data", "generator.layout.textfit"}
    assert "pandas" not in imported
    assert len(chartcache.drawing_code()) == 64


def test_the_renderer_is_named_by_versions_and_the_bundle_the_browser_loads():
    found = chartcache.renderer(BROWSER)
    assert set(found) == {"plotly", "kaleido", "choreographer", "plotly.js", "browser"}
    assert chartcache.plotly_js_bundle() == chartcache.BASIC_PLOTLY_JS
    assert found["browser"].startswith("chromium ")
