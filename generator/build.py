"""Runs the stages in order: load and check everything, render charts, write the deck.

Everything that can fail on user input fails before the first chart is
rendered, with every problem reported at once. The .pptx is written to a
temporary file beside the target and renamed into place only when complete,
so a failed build never damages the previous deck.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from pptx.presentation import Presentation

from generator.catalogue import (
    Skeleton,
    UserCatalogue,
    catalogue_language_problem,
    load_user_catalogue,
    parse_existing,
    skeleton_text,
)
from generator.chartdata import ChartData
from generator.codebook import Codebook, load_codebook
from generator.content import SlideContent
from generator.deck import Deck, DeckSettings, load_deck, read_deck
from generator.errors import BrowserError, InputError, Problem
from generator.i18n import DeckLocale
from generator.identity import assign_keys
from generator.phrase import same_language
from generator.plan import Planner, language_report
from generator.pptx_writer import FontPlan, geometry, open_template, plan_fonts, write_deck
from generator.render import ChartRenderer, RenderJob, RenderStats
from generator.survey import Survey, load_survey
from generator.theme import DEFAULT_THEME
from generator.update import (
    PreviousDeck,
    UpdateReport,
    follow_chart_kinds,
    keep_backup,
    merge,
    open_previous,
)
from generator.yamlsource import SourceMap

if TYPE_CHECKING:
    from plotly.graph_objects import Figure


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    country: str | None = None
    language: str | None = None
    all_countries: bool = False
    output: Path | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    check_only: bool = False
    charts: str | None = None  # image | native: overrides the deck's setting
    render_timeout: float = 60.0
    max_data_mb: float | None = None  # overrides the deck's max_data_mb
    browser_start_timeout: float = 20.0
    strict: bool = False  # text not in the deck's language is an error, not a warning
    update_path: Path | None = None  # refresh this edited deck in place (update.py)
    figures: bool = False  # write <deck>.figures.csv beside each deck
    report: bool = False  # write one HTML quality report for the build


@dataclass
class BuildResult:
    """What a build made, for the summary line, tests and benchmarks."""

    outputs: list[Path]
    slides: int
    charts: int
    render: RenderStats
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    extras: list[Path] = field(default_factory=list)  # figures exports and the report
    update: UpdateReport | None = None  # what --update changed and kept

    @property
    def output(self) -> Path | None:
        """The deck written, when the build made one."""
        return self.outputs[0] if len(self.outputs) == 1 else None


@dataclass
class PreparedDeck:
    """One deck checked and laid out, waiting only for its chart images."""

    slides: list[SlideContent]
    plans: dict[int, FontPlan]
    prs: Presentation
    builtin: bool
    locale: DeckLocale
    title: str
    target: Path
    warnings: list[str]

    @property
    def charted(self) -> list[SlideContent]:
        return [s for s in self.slides if s.chart is not None]


class _Clock:
    """Seconds spent per stage, for the benchmark's breakdown."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def apply_options(deck: Deck, options: BuildOptions, country: str | None = None) -> Deck:
    """The deck with command-line overrides of country and language applied."""
    updates = {}
    if country or options.country:
        updates["country"] = (country or options.country or "").upper()
    if options.language:
        updates["language"] = options.language
    if not updates:
        return deck
    return deck.model_copy(update={"deck": deck.deck.model_copy(update=updates)})


def output_path(deck: Deck, options: BuildOptions) -> Path:
    """Where the deck goes: ``--output``, else the `output` pattern filled in."""
    if options.update_path is not None:
        return options.update_path
    if options.output is not None and not options.all_countries:
        return options.output
    settings = deck.deck
    return Path(settings.output.format(country=settings.country, language=settings.language))


def load_catalogue(settings: DeckSettings, source: SourceMap,
                   codebook: Codebook) -> UserCatalogue | None:
    """The deck's own catalogue, checked against the codebook; None if it names none."""
    if settings.catalogue is None:
        return None
    if not settings.catalogue.is_file():
        raise InputError(source.problem(("deck", "catalogue"), "catalogue not found: "
                                        f"{settings.catalogue}", "the path is relative to "
                                        "the deck file; write one with --write-catalogue"))
    catalogue = load_user_catalogue(settings.catalogue)
    problems = catalogue.check(codebook)
    if problems:
        raise InputError(*problems)
    return catalogue


def prepare(deck: Deck, source: SourceMap, survey: Survey, options: BuildOptions,
            catalogue: UserCatalogue | None = None) -> PreparedDeck:
    """Check one deck against the data and lay it out; every problem at once."""
    settings = deck.deck
    try:
        locale = DeckLocale(settings.language, settings.country, catalogue)
    except InputError as exc:
        problem = exc.problems[0]
        raise InputError(source.problem(("deck", "language"), problem.message,
                                        problem.hint)) from None
    mismatch = catalogue and catalogue_language_problem(catalogue, settings.language, source)
    if mismatch:
        raise InputError(mismatch)
    prs, builtin = open_template(settings.template)
    planner = Planner(deck=deck, source=source, survey=survey, locale=locale,
                      geometry=geometry(prs),
                      country_from_command_line=bool(options.country or options.all_countries))
    slides = planner.plan()
    title = planner.text(settings.title, ("deck", "title"), checked=False) or ""
    report = language_report(planner, slides)
    if options.strict:
        planner.problems += report
    plans, fit_problems = plan_fonts(slides, prs) if not planner.problems else ({}, [])
    if planner.problems or fit_problems:
        raise InputError(*planner.problems, *fit_problems)
    warnings = _fallback_warnings(planner, locale) + (
        [] if options.strict else [str(p) for p in report])
    return PreparedDeck(slides, plans, prs, builtin, locale, str(title),
                        output_path(deck, options), warnings)


@dataclass
class Inputs:
    """The deck, its source map and the survey data, all checked, and the deck laid
    out for its own country."""

    deck: Deck
    source: SourceMap
    survey: Survey
    prepared: PreparedDeck
    catalogue: UserCatalogue | None = None


def load_inputs(deck_file: Path, options: BuildOptions, clock: _Clock | None = None) -> Inputs:
    """Read and check the deck file, the codebook and the data, and the slides against
    them: every problem of every stage at once.

    A stage runs whenever what it needs is sound; where an earlier problem makes it
    meaningless, the error says it was left out (``data not checked: fix the
    codebook first``).
    """
    clock = clock or _Clock()
    problems: list[Problem] = []
    notes: list[str] = []
    try:
        reading = read_deck(deck_file)
    except InputError as exc:  # YAML that does not parse: nothing else can be found
        raise InputError(*exc.problems,
                         notes=("codebook and data not checked: fix the deck file first",)
                         ) from None
    problems += reading.problems
    settings = reading.settings
    codebook = survey = None
    if settings is None:
        notes.append("codebook and data not checked: fix the deck's settings first")
    else:
        try:
            codebook, codebook_source = load_codebook(settings.codebook)
        except InputError as exc:
            problems += exc.problems
            notes.append("data not checked: fix the codebook first")
    catalogue = None
    if codebook is not None:
        try:
            catalogue = load_catalogue(settings, reading.source, codebook)
        except InputError as exc:
            problems += exc.problems
    clock.lap("load deck and codebook")
    if codebook is not None:
        try:
            survey = load_survey(settings.data, codebook, codebook_source,
                                 languages=[options.language or settings.language],
                                 extra_columns=[settings.weight] if settings.weight else [],
                                 max_mb=options.max_data_mb or settings.max_data_mb)
        except InputError as exc:
            problems += exc.problems
    clock.lap("load data")
    prepared = None
    if reading.deck is not None and survey is not None:
        try:  # the deck's own country (other countries' decks are prepared by build())
            prepared = prepare(apply_options(reading.deck, options), reading.source, survey,
                               options, catalogue)
        except InputError as exc:
            problems += exc.problems
    elif settings is not None:
        fix = "the deck file" if reading.deck is None else (
            "the codebook" if codebook is None else "the data")
        notes.append(f"slides not checked against the data: fix {fix} first")
    if problems:
        raise InputError(*problems, notes=tuple(notes))
    return Inputs(reading.deck, reading.source, survey, prepared, catalogue)


def build(deck_file: Path, options: BuildOptions = BuildOptions(),
          on_progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build (or with `check_only`, only check) the deck described by `deck_file`.

    With `all_countries`, one deck per country in the data: the data are read
    once and every chart of every deck goes through one browser.
    """
    clock = _Clock()
    inputs = load_inputs(deck_file, options, clock)
    deck, source, survey = inputs.deck, inputs.source, inputs.survey
    settings = deck.deck
    if options.all_countries:
        if options.output is not None:
            raise InputError(Problem("--output names one file; --all-countries writes one deck "
                                     "per country", hint="leave out --output: the deck's "
                                     "'output' pattern names each file"))
        if "{country}" not in settings.output:
            raise InputError(source.problem(
                ("deck", "output"), "--all-countries needs {country} in the output path",
                "e.g. output/deck_{country}_{language}.pptx"))
        countries = survey.countries()
    else:
        countries = [options.country or settings.country]
    first = apply_options(deck, options).deck.country
    prepared = [inputs.prepared if country == first else
                prepare(apply_options(deck, options, country), source, survey, options,
                        inputs.catalogue)
                for country in countries]
    previous = _open_previous(deck_file, options, prepared) if options.update_path else None
    clock.lap("indicators and layout")
    warnings = list(dict.fromkeys(w for p in prepared for w in p.warnings))
    slides = sum(len(p.slides) for p in prepared)
    charted = [(p, s) for p in prepared for s in p.charted]
    if options.check_only:
        return BuildResult([], slides, len(charted), RenderStats(), warnings, clock.seconds)

    for p in prepared:
        _check_writable(p.target)
    cache_dir = options.cache_dir or settings.cache_dir or prepared[0].target.parent / ".cache"
    renderer = ChartRenderer(cache_dir=cache_dir if options.use_cache else None,
                             timeout=options.render_timeout,
                             start_timeout=options.browser_start_timeout,
                             on_progress=on_progress)
    warnings += _choose_chart_renderers(charted, options.charts or settings.charts, renderer)
    if previous is not None and options.charts is None:
        follow_chart_kinds(prepared[0].charted, previous.manifest)
    pictured = [(p, s) for p, s in charted if not s.chart.native]
    jobs = [RenderJob(functools.partial(_figure, s.chart.data, p.locale), s.chart.data.width_px,
                      s.chart.data.height_px, s.label,
                      source_key=figure_source_key(s.chart.data, p.locale, renderer.scale))
            for p, s in pictured]
    clock.lap("figures")
    pngs = dict(zip([id(s) for _, s in pictured], renderer.render(jobs), strict=True))
    clock.lap("rendering")
    report: UpdateReport | None = None
    for p in prepared:
        images = {s.number: pngs[id(s)] for s in p.charted if id(s) in pngs}
        data = write_deck(p.slides, p.prs, p.builtin, images, p.plans, locale=p.locale,
                          title=p.title, author=settings.author,
                          show_numbers=settings.footer.slide_numbers,
                          deck_file=deck_file.name)
        if previous is not None:
            data, report = merge(previous, data, p.slides)
            report.backup = keep_backup(p.target)
            warnings += report.warnings
        save_atomically(data, p.target)
    extras = write_figures_and_report(prepared, deck, source, deck_file, options,
                                      renderer.stats, len(charted) - len(pictured),
                                      survey.codebook.dataset.synthetic)
    clock.lap("writing")
    return BuildResult([p.target for p in prepared], slides, len(charted), renderer.stats,
                       warnings, clock.seconds, extras, update=report)


def write_figures_and_report(prepared: list[PreparedDeck], deck: Deck, source: SourceMap,
                             deck_file: Path, options: BuildOptions, stats: RenderStats,
                             native: int, synthetic: bool) -> list[Path]:
    """``--figures``: ``<deck>.figures.csv`` beside each deck; ``--report``: one HTML page
    beside them (``<deck>.report.html``, or ``<deck file>.report.html`` for several)."""
    from generator import figures, report

    written = []
    settings = deck.deck
    rows = {id(p): figures.figure_rows(p.slides, p.locale.country or "", settings.compare_with)
            for p in prepared}
    if options.figures:
        for p in prepared:
            target = p.target.with_suffix(".figures.csv")
            save_atomically(figures.figures_csv(rows[id(p)]), target)
            written.append(target)
    if options.report:
        stem = prepared[0].target.stem if len(prepared) == 1 else deck_file.stem
        target = prepared[0].target.parent / f"{stem}.report.html"
        html = report.build_report(prepared, rows, deck, source, stats, native, synthetic)
        save_atomically(html.encode("utf-8"), target)
        written.append(target)
    return written


def _open_previous(deck_file: Path, options: BuildOptions,
                   prepared: list[PreparedDeck]) -> PreviousDeck:
    """The deck `--update` refreshes, checked to be this deck file's; its slides' keys
    given to the new build's slides."""
    if options.all_countries or options.output is not None:
        raise InputError(Problem("--update rewrites the deck it names; it takes neither "
                                 "--output nor --all-countries", hint="leave those out"))
    assert options.update_path is not None
    deck = prepared[0]
    previous = open_previous(options.update_path, deck_file, deck.locale.country or "",
                             deck.locale.code)
    assign_keys(deck.slides, previous.manifest)
    return previous


def _figure(data: ChartData, locale: DeckLocale) -> Figure:
    from generator.charts import make_figure  # Plotly loads only when a figure is made

    return make_figure(data, locale, DEFAULT_THEME)


@functools.cache
def _drawing_code_digest() -> str:
    """Hash of the code and files a figure depends on, besides its data."""
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([folder / "charts.py", folder / "chartdata.py", folder / "theme.py",
                        folder / "i18n.py", folder / "assets" / "plotly-basic.min.js",
                        *(folder / "locales").glob("*.yaml")]):
        digest.update(path.name.encode() + path.read_bytes())
    for package in ("plotly", "kaleido", "babel"):
        digest.update(f"{package} {version(package)}".encode())
    return digest.hexdigest()


def figure_source_key(data: ChartData, locale: DeckLocale, scale: float) -> str:
    """Hash of everything a chart's figure is made from: its data and labels, the
    locale, the size, and the drawing code. Equal keys make equal figures, so a
    cached chart needs no figure made (nor Plotly loaded) to be found again."""
    fields = {name: getattr(data, name) for name in data.__dataclass_fields__}
    fields["table"] = data.table.to_json(orient="split", double_precision=15)
    payload = json.dumps({"data": fields, "locale": [locale.code, locale.tag],
                          "scale": scale, "code": _drawing_code_digest()},
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _choose_chart_renderers(charted: list, deck_choice: str | None,
                            renderer: ChartRenderer) -> list[str]:
    """Mark each chart image or native; returns the warning when native stands in.

    A chart asked for as ``image`` (by its slide, the deck or ``--charts``)
    needs a browser and stops the build without one. Where nobody asked, a
    machine without a browser gets native charts and one line saying so.
    """
    for _, slide in charted:
        slide.chart.native = (slide.chart.requested or deck_choice) == "native"
    unasked = [s for _, s in charted if (s.chart.requested or deck_choice) is None]
    if not unasked:
        return []
    try:
        renderer.find_browser()
    except BrowserError:
        for slide in unasked:
            slide.chart.native = True
        return [f"no Chromium or Chrome found: {len(unasked)} chart(s) drawn as native "
                "PowerPoint charts (install Chromium, or set charts: native to silence this)"]
    return []


def _fallback_warnings(planner: Planner, locale: DeckLocale) -> list[str]:
    """One line for all generated labels and codebook wording that fell back to English."""
    messages, wording = sorted(locale.fell_back), planner.label_fallbacks
    if not messages and not wording:
        return []
    listed = ", ".join(messages) if len(messages) <= 12 else ", ".join(messages[:12]) + ", …"
    return [f"no '{locale.code}' wording for {len(messages) + len(wording)} label(s), "
            f"English used: {len(messages)} generated label(s) ({listed}) and "
            f"{len(wording)} codebook wording(s) (write them all with --language "
            f"{locale.code} --write-catalogue FILE, fill it in and set deck: "
            "{catalogue: FILE})"]


def write_catalogue(deck_file: Path, options: BuildOptions, target: Path) -> Skeleton:
    """Write the catalogue skeleton for the deck's language (or ``--language``) to `target`:
    every generated label and codebook wording still missing for it. Translations
    already in `target` (or in the deck's catalogue) are kept."""
    deck, source = load_deck(deck_file)
    deck = apply_options(deck, options)
    language = deck.deck.language
    try:
        DeckLocale(language)
    except InputError as exc:
        raise InputError(source.problem(("deck", "language"), exc.problems[0].message,
                                        exc.problems[0].hint)) from None
    codebook, _ = load_codebook(deck.deck.codebook)
    existing = parse_existing(target)
    if existing is None and deck.deck.catalogue is not None and deck.deck.catalogue.is_file():
        existing = load_user_catalogue(deck.deck.catalogue)
    if existing is not None and not same_language(existing.language, language):
        existing = None
    base_language = next(iter(source.contexts.values())).language
    text, counts = skeleton_text(language, codebook, base_language, deck_file.name, existing)
    _check_writable(target)
    save_atomically(text.encode("utf-8"), target)
    return counts


def _check_writable(target: Path) -> None:
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Problem(f"cannot create the output folder: {exc.strerror}",
                                 file=folder, hint="choose another 'output:' path")) from None
    if not os.access(folder, os.W_OK):
        raise InputError(Problem("the output folder is not writable", file=folder,
                                 hint="choose another 'output:' path or fix its permissions"))


def save_atomically(data: bytes, target: Path) -> None:
    """Write `data` to `target` through a temporary file in the same folder."""
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}.",
                                         suffix=".tmp", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except PermissionError:
        raise InputError(Problem(
            "cannot replace the deck: the file is locked or read-only", file=target,
            hint="close it in PowerPoint (or another program) and build again; "
                 "the previous deck is unchanged")) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot write the deck: {exc.strerror}", file=target,
                                 hint="the previous deck is unchanged")) from None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
