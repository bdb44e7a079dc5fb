"""The quality report: one HTML page on what a build's decks show and how to rebuild them.

Per deck: suppressed and small-base values, significant differences, texts not
in the deck's language, text set smaller to fit, the labels that fell back
to English, and the accessibility checks' findings (`accessibility`); for the build:
chart cache use and the SHA-256 of every input file.
Like the figures export, a view of what the plan holds (`figures.figure_rows`).
The page is rendered by Jinja2 with autoescaping, so deck text shows as text.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from generator import __version__
from generator.layout.elements import SlideLayout
from generator.plan.content import SlideContent


@dataclass
class DeckQuality:
    """What the report says about one deck."""

    name: str
    country: str
    language: str
    slides: int
    figures: list[dict]
    other_language: list[tuple[int, str, str, str]]  # slide number, where, text, language
    shrunk: list[tuple[int, str, str, float, float]]  # number, title, box, size, normal size
    warnings: list[str] = field(default_factory=list)
    accessibility: list = field(default_factory=list)  # `accessibility.Finding`s

    @property
    def suppressed(self) -> list[dict]:
        return [r for r in self.figures if r["suppressed"]]

    @property
    def small_base(self) -> list[dict]:
        return [r for r in self.figures if r["small_base"] and not r["suppressed"]]

    @property
    def significant(self) -> list[dict]:
        return [r for r in self.figures if r["significant"]]

    @property
    def tested(self) -> int:
        return sum(1 for r in self.figures if r["p_value"] != "")


def sha256(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def other_language_texts(slides: Sequence[SlideContent], deck_tag: str
                         ) -> list[tuple[int, str, str, str]]:
    """Texts in another language than the deck's: slide number, which text, the text, its
    language tag. Reads the language every text carries (`Phrase` spans)."""
    found = []
    for slide in slides:
        texts = [("title", slide.title), ("subtitle", slide.subtitle),
                 ("caption", slide.caption), ("footnote", slide.footnote),
                 ("notes", slide.notes)]
        texts += [("body", line.phrase) for line in slide.body]
        texts += [("right column", line.phrase) for line in slide.right_body or []]
        for where, phrase in texts:
            for span in phrase.spans if phrase is not None else ():
                if span.lang != deck_tag and any(c.isalpha() for c in span.text):
                    found.append((slide.number, where, span.text, span.lang))
    return found


def shrunk_texts(slides: Sequence[SlideContent], layouts: Sequence[SlideLayout]
                 ) -> list[tuple[int, str, str, float, float]]:
    """Texts set smaller than normal to fit their box: slide number, title, the text's
    role (title, body, caption, …), size chosen, normal size."""
    return [(slide.number, slide.title.text, text.role, text.size, text.normal)
            for slide, laid in zip(slides, layouts, strict=True)
            for text in laid.texts() if text.size < text.normal and text.lines]


PAGE = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Quality report: {{ decks | map(attribute="name") | join(", ") }}</title>
<style>
body { font-family: Arial, "Liberation Sans", sans-serif; margin: 2em; color: #1F2937;
       max-width: 70em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 2em; color: #0B3C5D; }
h3 { font-size: 1.05em; margin-bottom: .3em; }
table { border-collapse: collapse; margin: .3em 0 1em; font-size: .9em; }
th, td { border: 1px solid #E3E6EA; padding: .25em .6em; text-align: left; }
th { background: #F3F4F6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: #5B6472; font-style: italic; } code { font-size: .9em; }
.summary td { border: none; padding: .1em 1em .1em 0; }
</style>
</head>
<body>
<h1>Quality report</h1>
<p>{{ decks | length }} deck(s), built by survey-deck-generator {{ version }}.
{% if synthetic %}<strong>The data are synthetic demo data.</strong>{% endif %}</p>
<table class="summary">
<tr><td>Charts</td><td>{{ charts }} ({{ rendered }} rendered, {{ cache_hits }} from the cache,
{{ native }} native)</td></tr>
</table>
<h3>Input files (SHA-256): rebuild from these to get the same numbers</h3>
<table>
<tr><th>file</th><th>role</th><th>SHA-256</th></tr>
{% for path, role, digest in hashes %}
<tr><td><code>{{ path }}</code></td><td>{{ role }}</td><td><code>{{ digest }}</code></td></tr>
{% endfor %}
</table>
<h3>Decks</h3>
<table>
<tr><th>deck</th><th>figures</th><th>suppressed</th><th>small bases</th><th>significant</th>
<th>other language</th><th>shrunk</th><th>accessibility</th></tr>
{% for deck in decks %}
<tr><td><a href="#{{ deck.country }}">{{ deck.name }}</a></td>
<td class="num">{{ deck.figures | length }}</td><td class="num">{{ deck.suppressed | length }}</td>
<td class="num">{{ deck.small_base | length }}</td>
<td class="num">{{ deck.significant | length }} of {{ deck.tested }}</td>
<td class="num">{{ deck.other_language | length }}</td>
<td class="num">{{ deck.shrunk | length }}</td>
<td class="num">{{ deck.accessibility | length }}</td></tr>
{% endfor %}
</table>
{% for deck in decks %}
<h2 id="{{ deck.country }}">{{ deck.name }}</h2>
<p>Country {{ deck.country }}, language {{ deck.language }}, {{ deck.slides }} slides,
{{ deck.figures | length }} figures shown, {{ deck.tested }} tested.</p>
<h3>Suppressed values (base below min_base)</h3>
{{ figure_table(deck.suppressed) }}
<h3>Small bases (shown with *)</h3>
{{ figure_table(deck.small_base) }}
<h3>Significant differences from the other countries</h3>
{{ figure_table(deck.significant, True) }}
<h3>Texts not in the deck's language</h3>
{% if deck.other_language %}
<table><tr><th>slide</th><th>text</th><th></th><th>language</th></tr>
{% for number, where, text, language in deck.other_language %}
<tr><td class="num">{{ number }}</td><td>{{ where }}</td><td>{{ text }}</td>
<td>{{ language }}</td></tr>
{% endfor %}</table>
{% else %}<p class="none">none tagged</p>{% endif %}
{% for warning in deck.warnings %}<p>{{ warning }}</p>{% endfor %}
<h3>Text set smaller to fit</h3>
{% if deck.shrunk %}
<table><tr><th>slide</th><th>title</th><th>box</th><th>size (pt)</th><th>normal (pt)</th></tr>
{% for number, title, box, size, usual in deck.shrunk %}
<tr><td class="num">{{ number }}</td><td>{{ title }}</td><td>{{ box }}</td>
<td class="num">{{ size }}</td><td class="num">{{ usual }}</td></tr>
{% endfor %}</table>
{% else %}<p class="none">none</p>{% endif %}
<h3>Accessibility: PowerPoint's checks</h3>
<p>A title on every slide, none twice, first in reading order; alt text on every picture,
chart and table; a header row on tables; text contrast at least 4.5:1; chart colours at
least 3:1 against the background.</p>
{% if deck.accessibility %}
<table><tr><th>slide</th><th>check</th><th>finding</th></tr>
{% for finding in deck.accessibility %}
<tr><td class="num">{{ finding.slide }}</td><td>{{ finding.rule }}</td>
<td>{{ finding.message }}</td></tr>
{% endfor %}</table>
{% else %}<p class="none">all passed</p>{% endif %}
{% endfor %}
</body>
</html>
""")

FIGURE_TABLE = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
{% if rows %}
<table><tr><th>slide</th><th>item</th><th>group</th><th>value</th><th>n</th>
{% if with_p %}<th>interval</th><th>p</th>{% endif %}</tr>
{% for r in rows %}
<tr><td>{{ r.slide or r.slide_number }}</td><td>{{ r.item }}{% if r.point != "" %}
 ({{ r.point }}){% endif %}</td><td>{{ r.group }}{% if r.respondents %}
 ({{ r.respondents }}){% endif %}</td>
<td class="num">{{ fmt(r.value, r.kind) }}
{%- if r.kind == "percent" and r.value != "" %} %{% endif %}</td>
<td class="num">{{ r.n }}</td>
{% if with_p %}<td class="num">{% if r.ci_low != "" %}{{ fmt(r.ci_low, r.kind) }}–{{
 fmt(r.ci_high, r.kind) }}{% endif %}</td><td class="num">{{ p(r.p_value) }}</td>{% endif %}</tr>
{% endfor %}</table>
{% else %}<p class="none">none</p>{% endif %}
""")


def _fmt(value: object, kind: str = "percent") -> str:
    if value == "":
        return ""
    return f"{float(value):.2f}" if kind == "mean" else f"{float(value):.1f}"


def _p(value: object) -> str:
    return "" if value == "" else "< 0.0001" if float(value) < 0.0001 else f"{float(value):.4f}"


def _figure_table(rows: list[dict], with_p: bool = False):
    from markupsafe import Markup

    return Markup(FIGURE_TABLE.render(rows=rows, with_p=with_p, fmt=_fmt, p=_p))


def report_html(decks: Sequence[DeckQuality], hashes: Iterable[tuple[str, str, str]], *,
                charts: int, rendered: int, cache_hits: int, native: int,
                synthetic: bool) -> str:
    """The report page for the decks of one build."""
    return PAGE.render(decks=decks, hashes=list(hashes), charts=charts, rendered=rendered,
                       cache_hits=cache_hits, native=native, synthetic=synthetic,
                       version=__version__, figure_table=_figure_table)


def build_report(prepared: Sequence, rows: dict[int, list[dict]], deck, source,
                 stats, native: int, synthetic: bool) -> str:
    """The report for one build's prepared decks (`run.results.PreparedDeck`), their figure
    rows (keyed by ``id`` of the prepared deck), the deck and its source map."""
    decks = [DeckQuality(
        name=p.target.name, country=p.locale.country or "", language=p.locale.code,
        slides=len(p.slides), figures=rows[id(p)],
        other_language=other_language_texts(p.slides, p.locale.tag),
        shrunk=shrunk_texts(p.slides, p.layouts), warnings=list(p.warnings),
        accessibility=list(p.findings))
        for p in prepared]
    settings = deck.deck
    files = [(path, "deck file") for path in dict.fromkeys(
        [source.file, *(mark[0] for mark in source.marks.values())])]
    files += [(settings.data, "data"), (settings.codebook, "codebook")]
    if settings.template is not None:
        files.append((settings.template, "template"))
    hashes = [(os.path.relpath(Path(path).resolve()), role, sha256(Path(path)))
              for path, role in files]
    charts = sum(1 for p in prepared for s in p.slides if s.chart is not None)
    return report_html(decks, hashes, charts=charts, rendered=stats.rendered,
                       cache_hits=stats.cache_hits, native=native, synthetic=synthetic)
