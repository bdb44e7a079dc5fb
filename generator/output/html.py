"""``--html``: the deck as one self-contained web page, written beside the deck.

One ``<section>`` per slide with the deck's texts (titles, bullets with their
levels, captions, tables, footnotes, source lines, notes as ``<aside>``), every
element tagged with the language its text is in (`Phrase` spans), the charts as
interactive Plotly figures (the same figures the pictures are made from) with
their alt text, each followed by its numbers as a table that screen readers read
and the page does not show (`charttable`), pictures as data URIs, and plotly.js
inline: the page loads nothing from anywhere and opens from disk. A
Content-Security-Policy says so to the browser too. Arrow keys, PageUp/PageDown,
Home and End move between slides; printed, each slide is a page. Rendered by
Jinja2 with autoescaping, so deck text shows as text. No violation of axe-core's
WCAG 2.1 A/AA rules (tests/test_html_accessibility.py).
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from markupsafe import Markup, escape

from generator import __version__
from generator.core.theme import DEFAULT_THEME, Theme
from generator.i18n.phrase import Phrase
from generator.layout.textfit import Line
from generator.output.charttable import numbers_table
from generator.output.files import save_atomically
from generator.plan.content import SlideContent

if TYPE_CHECKING:
    from generator.core.errors import Problem
    from generator.i18n.locale import DeckLocale
    from generator.output.writers import FinishedDeck

BASIC_PLOTLY_JS = Path(__file__).resolve().parents[1] / "assets" / "plotly-basic.min.js"
BASIC_TRACES = frozenset({"bar", "scatter", "pie"})  # what the basic bundle can draw
URL = re.compile(r"(https?://\S+|www\.\S+)")
CONTENT_PX = 1164  # the width of a slide's content (12.13 in at 96 dpi) without charts


@dataclass
class Bullet:
    """A bullet and the bullets one level below it."""

    line: Line
    children: list[Bullet] = field(default_factory=list)


def bullet_tree(lines: Sequence[Line]) -> list[Bullet]:
    """The flat, levelled lines of a slide body as nested bullets (a line deeper than
    the one before it is that line's child)."""
    roots: list[Bullet] = []
    stack: list[Bullet] = []
    for line in lines:
        node = Bullet(line)
        while stack and stack[-1].line.level >= line.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def language_of(phrase: Phrase | None, default: str) -> str:
    """The element's ``lang``: the one language the phrase's words are in, else `default`
    (the deck's), with the spans in other languages tagged inside it."""
    languages = phrase.languages if phrase is not None else set()
    return next(iter(languages)) if len(languages) == 1 else default


def _text(text: str) -> Markup:
    """Escaped text with its line breaks as ``<br>`` and its web addresses as links."""
    parts = []
    for i, part in enumerate(URL.split(text)):
        if i % 2:
            href = part if part.startswith("http") else f"https://{part}"
            parts.append(Markup('<a href="{}">{}</a>').format(href, part))
        else:
            parts.append(escape(part))
    return Markup("<br>").join(Markup("").join(parts).split("\n"))


def spans(phrase: Phrase | None, outer: str) -> Markup:
    """The phrase as HTML inside an element tagged `outer`: each span in another
    language wrapped in ``<span lang=…>``."""
    if phrase is None:
        return Markup("")
    out = []
    for span in phrase.merged().spans:
        if span.lang != outer and any(c.isalpha() for c in span.text):
            out.append(Markup('<span lang="{}">{}</span>').format(span.lang, _text(span.text)))
        else:
            out.append(_text(span.text))
    return Markup("").join(out)


def data_uri(path: Path) -> str:
    """The file as a ``data:`` URI, so the page needs nothing beside it."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def script_json(value: object) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``<`` that could end it."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace("\u2028", "\\u2028")
                  .replace("\u2029", "\\u2029"))


def figure_json(slide: SlideContent, locale: DeckLocale, theme: Theme) -> tuple[str, set[str]]:
    """The slide's chart as Plotly JSON, at the picture's size (so it fits the slide, on
    screen and printed), and the trace types it uses."""
    from generator.charts.figures import make_figure  # Plotly loads only for charts

    assert slide.chart is not None
    figure = make_figure(slide.chart.data, locale, theme)
    return figure.to_json(), {trace.type for trace in figure.data}


def chart_languages(slide: SlideContent) -> dict[str, str]:
    """The chart's labels that are in one language other than the deck's, with its tag:
    the page tags the chart's text elements showing them once Plotly has drawn them."""
    assert slide.chart is not None
    data = slide.chart.data
    return {text: next(iter(phrase.languages)) for text, phrase in data.phrases.items()
            if len(phrase.languages) == 1 and phrase.languages != {data.language}}


@cache
def plotly_bundle(basic: bool) -> str:
    """plotly.js to inline: the shipped basic bundle (bar, scatter, pie) when it is the
    version plotly.py draws with and the charts need no other trace, else plotly.py's
    full bundle."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    if basic:
        text = BASIC_PLOTLY_JS.read_text(encoding="utf-8")
        found = re.search(r"v(\d+\.\d+\.\d+)", text[:200])
        if found and found.group(1) == get_plotlyjs_version():
            return text.replace("</script", "<\\/script")
    return get_plotlyjs().replace("</script", "<\\/script")


@cache
def _template():
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters["spans"] = spans
    environment.globals["language_of"] = language_of
    source = resources.files("generator.output").joinpath("deck.html.j2")
    return environment.from_string(source.read_text(encoding="utf-8"))


def deck_html(slides: Sequence[SlideContent], locale: DeckLocale, title: str, *,
              show_numbers: bool = True, theme: Theme = DEFAULT_THEME) -> str:
    """The whole page: every slide a section, plotly.js and the charts inline."""
    figures: dict[int, Markup] = {}
    traces: set[str] = set()
    for slide in slides:
        if slide.chart is not None:
            text, kinds = figure_json(slide, locale, theme)
            figures[slide.number] = script_json(text)
            traces |= kinds
    return _template().render(
        slides=slides, lang=locale.tag, title=title, figures=figures,
        trees={s.number: (bullet_tree(s.body), bullet_tree(s.right_body or []))
               for s in slides},
        images={s.number: data_uri(s.image) for s in slides if s.image is not None},
        chart_languages={s.number: chart_languages(s) for s in slides if s.chart is not None},
        tables={s.number: numbers_table(s.chart.data, locale) for s in slides
                if s.chart is not None},
        plotly=Markup(plotly_bundle(traces <= BASIC_TRACES)) if figures else None,
        show_numbers=show_numbers, total=len(slides), theme=theme, version=__version__,
        content_px=max((s.chart.data.width_px for s in slides if s.chart is not None),
                       default=CONTENT_PX))


class HtmlWriter:
    """``--html``: ``<deck>.html`` beside each deck, one self-contained page."""

    suffix = ".html"

    def missing(self) -> Problem | None:
        return None

    def write(self, decks: Sequence[FinishedDeck]) -> list[Path]:
        written = []
        for deck in decks:
            target = deck.beside(self.suffix)
            page = deck_html(deck.slides, deck.locale, deck.title,
                             show_numbers=deck.show_numbers)
            save_atomically(page.encode("utf-8"), target)
            written.append(target)
        return written
