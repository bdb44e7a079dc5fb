"""``--html``: one self-contained page per deck, checked as markup and in real Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_page import Page
from conftest import FIXTURES

from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span
from generator.layout.textfit import Line
from generator.output.figures import figure_rows
from generator.output.html import (
    BASIC_PLOTLY_JS,
    BASIC_TRACES,
    bullet_tree,
    deck_html,
    plotly_bundle,
)
from generator.plan.content import SlideContent, TableContent
from generator.run.build import build
from generator.run.options import BuildOptions

NB = "nb-NO"
TEXT_TAGS = {"h1", "h2", "p", "li", "th", "td", "aside"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each text element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parsed(page: str) -> Elements:
    elements = Elements()
    elements.feed(page)
    return elements


def resource_urls(page: str) -> list[str]:
    """Every URL the page would load: src/srcset of any element, href of <link>, url() in
    styles (a link a reader may follow, <a href>, loads nothing)."""
    elements = parsed(page)
    urls = [value for tag, attrs in elements.tags for name, value in attrs.items()
            if value and (name in ("src", "srcset", "poster", "data")
                          or (name == "href" and tag in ("link", "base")))]
    styles = re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.S)
    urls += [u for style in styles for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", style)]
    return urls


def test_bullet_levels_nest_under_the_bullet_before_them():
    lines = [Line(Phrase.of(t, NB), level) for t, level in
             [("a", 0), ("a1", 1), ("a1x", 2), ("a2", 1), ("b", 0), ("c", 0), ("c1", 1)]]
    tree = bullet_tree(lines)

    def shape(nodes):
        return [(n.line.text, shape(n.children)) for n in nodes]

    assert shape(tree) == [("a", [("a1", [("a1x", [])]), ("a2", [])]), ("b", []),
                           ("c", [("c1", [])])]


def _hand_made_slides() -> list[SlideContent]:
    mixed = Phrase((Span("Metoden heter ", NB), Span("whole of government", "en-GB"),
                    Span(" i Norge", NB)))
    return [
        SlideContent(1, "title", Phrase.of("Coordinating for cohesion", "en-GB"),
                     subtitle=Phrase.of("Første linje\nAndre linje", NB)),
        SlideContent(2, "bullets", Phrase.of("Samordning <script>alert(1)</script>", NB),
                     body=[Line(mixed, 0), Line(Phrase.of("Underpunkt", NB), 1),
                           Line(Phrase.of("Se www.cocops.eu", NB), 0)],
                     notes=Phrase.of("Husk å si dette", NB),
                     footer_text=Phrase.of("Kilde: syntetiske data (ikke ekte svar)", NB)),
        SlideContent(3, "table", Phrase.of("Tabell", NB),
                     table=TableContent([Phrase.of("Påstand", NB), Phrase.of("Norge", NB)],
                                        [[Phrase.of("Intern vertikal", NB),
                                          Phrase.of("62 %", NB)]])),
    ]


def test_page_of_hand_made_slides_has_a_section_each_with_the_texts_and_their_languages():
    page = deck_html(_hand_made_slides(), DeckLocale("nb", "NO"), "Tittel")
    elements = parsed(page)
    sections = [a for tag, a in elements.tags if tag == "section"]
    assert [s["id"] for s in sections] == ["slide-1", "slide-2", "slide-3"]
    assert ('html', {"lang": "nb-NO"}) in elements.tags
    # the English title is tagged English; the Norwegian sentence quoting English tags the
    # quote alone
    assert re.search(r'<h1 lang="en-GB" id="slide-1-title">Coordinating for cohesion</h1>',
                     page)
    assert ('<li lang="nb-NO" class="level-0">Metoden heter <span lang="en-GB">whole of '
            'government</span> i Norge') in page
    # levels: the sub-bullet is a list inside the first bullet
    assert re.search(r'i Norge<ul>\s*<li lang="nb-NO" class="level-1">Underpunkt</li>', page)
    # every text element says its language
    untagged = [(tag, a) for tag, a in elements.tags if tag in TEXT_TAGS and "lang" not in a]
    assert untagged == []
    # deck text shows as text, never runs
    assert "<script>alert" not in page
    assert "Samordning &lt;script&gt;alert(1)&lt;/script&gt;" in page
    # a web address is a link; the synthetic-data source line and the notes are there
    assert '<a href="https://www.cocops.eu">www.cocops.eu</a>' in page
    assert '<p lang="nb-NO" class="source">Kilde: syntetiske data (ikke ekte svar)</p>' in page
    assert re.search(r'<aside class="notes" lang="nb-NO">\s*<p lang="nb-NO">Husk å si dette',
                     page)
    assert '<th lang="nb-NO" scope="row">Intern vertikal</th><td lang="nb-NO">62 %</td>' in page
    assert page.count('<p lang="nb-NO" class="subtitle">') == 2  # a paragraph per line
    # no chart: no plotly.js; nothing to load
    assert "plotly.js (basic" not in page
    assert resource_urls(page) == []


def test_pictures_are_inlined_as_data_uris():
    slide = SlideContent(1, "image", Phrase.of("Et bilde", NB),
                         caption=Phrase.of("Et testbilde", NB), image=FIXTURES / "picture.png")
    page = deck_html([slide], DeckLocale("nb", "NO"), "Bilde")
    [img] = [a for tag, a in parsed(page).tags if tag == "img"]
    assert img["src"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert img["alt"] == "Et testbilde" and img["lang"] == NB
    assert resource_urls(page) == [img["src"]]


def test_the_basic_plotly_bundle_is_inlined_only_for_the_traces_it_draws():
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"',
                                BASIC_PLOTLY_JS.read_text(encoding="utf-8")))
    assert registered == BASIC_TRACES == {"bar", "scatter", "pie"}
    assert "plotly.js (basic - minified)" in plotly_bundle(basic=True)[:200]
    full = plotly_bundle(basic=False)  # charts with other traces get plotly.py's full bundle
    assert "plotly.js (basic" not in full[:400] and 'name:"heatmap"' in full
    assert "</script" not in plotly_bundle(basic=True) + full


# -- in Chromium -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def all_kinds_html(tmp_path_factory, browser) -> tuple[Path, object]:
    """The deck of every slide kind, built with --html (and the build's result)."""
    out = tmp_path_factory.mktemp("html")
    with pytest.MonkeyPatch.context() as patch:  # made before the test lifts the stand-ins
        patch.setenv("BROWSER_PATH", browser)
        result = build(FIXTURES / "all_kinds.yaml",
                       BuildOptions(output=out / "all_kinds.pptx", cache_dir=out / "cache",
                                    outputs=("html",)))
    return out / "all_kinds.html", result


def test_html_is_written_beside_the_deck_with_its_name(all_kinds_html):
    page, result = all_kinds_html
    assert page.is_file() and result.extras == [page]
    assert page.with_suffix(".pptx") == result.output


def test_page_loads_nothing_from_the_network(all_kinds_html, browser):
    page, _ = all_kinds_html
    text = page.read_text(encoding="utf-8")
    assert all(url.startswith("data:") for url in resource_urls(text))
    assert "default-src 'none'" in text  # and the browser is told to load nothing else
    with Page(browser, page) as opened:
        assert opened.evaluate("document.querySelectorAll('.chart .main-svg').length") > 0
        requests = opened.requests
    assert requests[0] == page.resolve().as_uri()
    assert all(url.startswith("data:") for url in requests[1:]), requests


def test_charts_render_in_chromium_with_the_decks_values(all_kinds_html, browser):
    page, result = all_kinds_html
    with Page(browser, page) as opened:
        sections = opened.evaluate("document.querySelectorAll('main > section').length")
        charts = opened.evaluate(
            "Array.from(document.querySelectorAll('.chart[data-figure]')).map(c => [c.id, "
            "c.querySelectorAll('svg.main-svg g.point').length, c.getAttribute('aria-label')])")
        labels = opened.evaluate(
            "Array.from(document.querySelectorAll('#chart-5 .bartext')).map(t => t.textContent)")
        traces = opened.evaluate(
            "Array.from(document.querySelectorAll('.chart[data-figure]'))"
            ".flatMap(c => c.data.map(t => t.type))")
    assert sections == result.slides == 7
    assert [c[0] for c in charts] == ["chart-4", "chart-5"]
    assert all(bars > 0 for _, bars, _ in charts)
    assert charts[1][2].startswith("Diagram: Tekst og diagram")
    # the two-column chart draws the plan's four shares (as the figures export holds them)
    assert len(labels) == 4
    expected = sorted(f"{round(row['value'])}\xa0%" for row in _plan_rows(slide=5))
    assert sorted(labels) == expected
    assert set(traces) <= BASIC_TRACES


def _plan_rows(slide: int) -> list[dict]:
    """The shares the plan computed for a slide's chart (the figures export's rows)."""
    from generator.run.inputs import load_inputs

    inputs = load_inputs(FIXTURES / "all_kinds.yaml", BuildOptions())
    rows = figure_rows(inputs.prepared.slides, "NO", "others")
    return [r for r in rows if r["slide_number"] == slide and r["kind"] == "percent"]


def test_keys_move_between_slides(all_kinds_html, browser):
    page, _ = all_kinds_html
    with Page(browser, page, width=1280, height=720) as opened:
        def at() -> tuple[str, bool]:
            return opened.evaluate(
                "[location.hash, Math.abs(window.scrollY - document.querySelector("
                "location.hash || '#slide-1').offsetTop) < 2]")

        visited = []
        for key in ["ArrowRight", "ArrowDown", "PageDown", "ArrowLeft", "PageUp", "End",
                    "ArrowRight", "ArrowUp", "Home", "ArrowLeft"]:
            opened.press(key)
            hash_, in_view = at()
            assert in_view, (key, hash_)
            visited.append(hash_)
    assert visited == ["#slide-2", "#slide-3", "#slide-4", "#slide-3", "#slide-2", "#slide-7",
                       "#slide-7", "#slide-6", "#slide-1", "#slide-1"]


def test_printed_each_slide_is_one_page(all_kinds_html, browser, tmp_path):
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    page, result = all_kinds_html
    pdf = tmp_path / "printed.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", "--virtual-time-budget=5000",
                    f"--print-to-pdf={pdf}", page.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, flags=re.M).group(1) == str(result.slides)
    text = subprocess.run(["pdftotext", "-f", "5", "-l", "5", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Tekst og diagram" in text and "72 %" in text.replace("\xa0", " ")


def test_chart_labels_in_another_language_are_tagged_with_it(browser, tmp_path):
    """A French deck without a French catalogue: the codebook's English item labels and
    comparison name are tagged English inside the French page, once Plotly drew them."""
    build(FIXTURES / "three_slides.yaml",
          BuildOptions(output=tmp_path / "fr.pptx", language="fr", charts="native",
                       outputs=("html",)))
    with Page(browser, tmp_path / "fr.html") as opened:
        page_lang = opened.evaluate("document.documentElement.lang")
        labels = dict(opened.evaluate(
            "Array.from(document.querySelectorAll('#chart-3 svg text'))"
            ".map(t => [t.textContent, t.getAttribute('lang')])"))
    assert page_lang == "fr-FR"
    assert labels["Internal vertical"] == "en-US"
    assert labels["External horizontal"] == "en-US"
    assert next(v for k, v in labels.items() if k.startswith("All countries (N")) == "en-US"
    assert next(v for k, v in labels.items() if k.startswith("Norvège (N")) is None  # French
