"""Runs the stages in order: load and check everything, render charts, write the deck.

Everything that can fail on user input fails before the first chart is
rendered, with every problem reported at once. The .pptx is written to a
temporary file beside the target and renamed into place only when complete,
so a failed build never damages the previous deck.

Many decks (``--all-countries``, ``--for-each``) are built in batches, so memory
stays flat over a long run; with ``jobs`` > 1 the batches go to worker processes
(`generator.jobs`). A `BuildSession` keeps what outlives one build in watch mode
and in a worker: parsed inputs (found again by the hash of their files) and an
open browser.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import os
import string
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx.presentation import Presentation

from generator import earlystart, subgroups
from generator.charts.data import ChartData
from generator.charts.registry import one_label_size
from generator.deckfile.confine import Confinement
from generator.deckfile.deck import Deck, load_deck, read_deck
from generator.deckfile.model import DeckSettings
from generator.deckfile.yamlsource import SourceMap
from generator.errors import BrowserError, InputError, Problem, merge_decks
from generator.i18n.catalogue import (
    Skeleton,
    UserCatalogue,
    catalogue_language_problem,
    load_user_catalogue,
    parse_existing,
    skeleton_text,
)
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import same_language
from generator.layout.elements import SlideLayout
from generator.layout.theme import DEFAULT_THEME, Theme
from generator.options import BuildOptions, cache_folder
from generator.output import accessibility, writers
from generator.output import targets as targets_check
from generator.output.branding import contrast_warnings, open_branded
from generator.output.files import save_atomically
from generator.output.identity import assign_keys
from generator.output.layouts import LayoutChoice
from generator.output.pptx import write_deck
from generator.output.render import ChartRenderer, RenderJob, RenderStats
from generator.output.slidecache import SlideCache
from generator.output.template import BUILTIN_TEMPLATE, geometry
from generator.output.update import (
    PreviousDeck,
    UpdateReport,
    follow_chart_kinds,
    keep_backup,
    merge,
    open_previous,
)
from generator.output.writers import FinishedDeck, write_outputs
from generator.plan.content import SlideContent
from generator.plan.languages import language_report
from generator.plan.planner import Planner
from generator.plan.readas import misread_report
from generator.slides import lay_out_deck, plan_deck
from generator.survey.codebook import Codebook, load_codebook
from generator.survey.dataset import Survey, load_survey

if TYPE_CHECKING:
    from plotly.graph_objects import Figure


@dataclass
class BuildResult:
    """What a build made, for the summary line, tests and benchmarks."""

    outputs: list[Path]
    slides: int
    charts: int
    render: RenderStats
    warnings: list[str] = field(default_factory=list)
    notices: list[Problem | str] = field(default_factory=list)
    """The warnings before they are put in words: a many-deck run's parts merge these."""
    seconds: dict[str, float] = field(default_factory=dict)
    memory_mb: list[float] = field(default_factory=list)  # resident memory after each batch
    extras: list[Path] = field(default_factory=list)  # outputs beside the decks, the report
    update: UpdateReport | None = None  # what --update changed and kept
    notes: list[str] = field(default_factory=list)  # the template's layouts, and why

    @property
    def output(self) -> Path | None:
        """The deck written, when the build made one."""
        return self.outputs[0] if len(self.outputs) == 1 else None


@dataclass
class PreparedDeck:
    """One deck checked and laid out, waiting only for its chart images."""

    slides: list[SlideContent]
    layouts: list[SlideLayout]  # each slide's boxes and fitted sizes, in order
    prs: Presentation
    builtin: bool
    locale: DeckLocale
    title: str
    target: Path
    warnings: list[str | Problem]  # a Problem where it depends on the deck (`merge_decks`)
    focus: str | None = None  # a subgroup deck: its group, as the figures export names it
    compared: str | None = None  # ... and its comparison group
    template: str = BUILTIN_TEMPLATE  # the template's identity (`open_template`)
    chosen: dict[str, LayoutChoice] | None = None  # the template's layout of each role
    theme: Theme = DEFAULT_THEME
    notes: list[str] = field(default_factory=list)  # what --check says of the template
    findings: list[accessibility.Finding] = field(default_factory=list)  # accessibility

    @property
    def charted(self) -> list[SlideContent]:
        return [s for s in self.slides if s.chart is not None]


@dataclass(frozen=True)
class DeckTarget:
    """One deck of a run: a country and, with ``--for-each``, one subgroup of it."""

    country: str
    group: subgroups.Subgroup | None = None
    file_part: str | None = None  # the subgroup's {group} in the output name

    def __str__(self) -> str:
        return self.country if self.group is None else (
            f"{self.country} {self.group.key}={self.group.code}")


def _file_digest(path: Path, max_mb: float | None = None) -> str | None:
    """The SHA-256 of the file's bytes, read in blocks (a large file is never held
    whole); None for a file the loader will refuse unread (missing, unreadable, or
    over `max_mb` megabytes), so that it reports that."""
    try:
        if max_mb is not None and path.stat().st_size > max_mb * 1e6:
            return None
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


class InputCache:
    """The codebooks and data files parsed last, found again by the hash of their bytes
    (and what they were read for): at most `size` of each, the least recently used
    let go first, before a new one is read (one: a large data file is never held
    twice).

    A watch loop, a worker building many decks, or a program that builds several
    decks in one process reads a file only when its content changed; a saved but
    unchanged file costs one hash. What is kept is never changed by a build.
    """

    def __init__(self, size: int = 1) -> None:
        self.size = size
        self._lock = threading.Lock()  # builds may run in threads
        self._codebooks: OrderedDict[tuple, tuple[Codebook, SourceMap]] = OrderedDict()
        self._surveys: OrderedDict[tuple, Survey] = OrderedDict()

    def codebook(self, path: Path) -> tuple[Codebook, SourceMap]:
        key = (path, _file_digest(path))
        return self._kept(self._codebooks, key, lambda: load_codebook(path))

    def survey(self, path: Path, codebook: Codebook, codebook_source: SourceMap,
               languages: Sequence[str] = (), *, extra_columns: Sequence[str] = (),
               max_mb: float | None = None) -> Survey:
        key = (path, _file_digest(path, max_mb), codebook.model_dump_json(), tuple(languages),
               tuple(extra_columns), max_mb)
        return self._kept(self._surveys, key, lambda: load_survey(
            path, codebook, codebook_source, languages=languages,
            extra_columns=extra_columns, max_mb=max_mb))

    def __len__(self) -> int:
        """How many parsed data files are kept."""
        return len(self._surveys)

    def _kept(self, kept: OrderedDict, key: tuple, load: Callable[[], Any]) -> Any:
        """What `kept` holds under `key`, else what `load` returns (then kept). A file
        that cannot be hashed (its digest None) is always loaded, to report why."""
        with self._lock:
            if key[1] is not None and key in kept:
                kept.move_to_end(key)
                return kept[key]
            while len(kept) >= self.size:  # let the oldest go before the new one is read
                kept.popitem(last=False)
        value = load()
        if key[1] is not None:
            with self._lock:
                kept[key] = value
                while len(kept) > self.size:
                    kept.popitem(last=False)
        return value


SHARED_INPUTS = InputCache()
"""The process's parsed inputs: every build's, unless a session brings its own."""


@dataclass
class BuildSession:
    """What outlives one build: the slides drawn (`SlideCache`) and the browser, open
    until `close`; the parsed inputs are the process's (`SHARED_INPUTS`) unless given.

    `build` makes a throwaway one and closes it when done; the watch loop and the
    workers of a many-deck run keep one for all their builds.
    """

    inputs: InputCache = field(default_factory=lambda: SHARED_INPUTS)
    renderer: ChartRenderer | None = None
    """May be handed in already starting (`earlystart.start_browser_early`)."""
    slides: SlideCache = field(default_factory=SlideCache)
    one_build: bool = False
    """The session serves one build (the command line without ``--watch``): the browser
    starts closing once that build's last chart is drawn, while the deck is written."""
    _used: bool = False  # whether a build took the renderer already

    def renderer_for(self, cache_dir: Path | None, options: BuildOptions,
                     on_progress: Callable[[str, int, int], None] | None) -> ChartRenderer:
        """The session's renderer, made anew when the cache folder or timeouts change."""
        wanted = (cache_dir, options.render_timeout, options.browser_start_timeout)
        current = self.renderer
        if current is None or (current.cache_dir, current.timeout,
                               current.start_timeout) != wanted:
            self.close()
            current = self.renderer = ChartRenderer(
                cache_dir=cache_dir, timeout=options.render_timeout,
                start_timeout=options.browser_start_timeout, keep_open=True)
        elif self._used:
            current.new_build()  # each build reports its own statistics
        self._used = True
        current.on_progress = on_progress
        return current

    def close(self) -> None:
        """Close the browser, if one is open."""
        if self.renderer is not None:
            self.renderer.close()


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


OUTPUT_FIELDS = ("country", "language", "group")


def output_path(deck: Deck, options: BuildOptions, target: DeckTarget | None = None) -> Path:
    """Where the deck goes: the ``--output`` pattern, else the deck's `output`, filled in.

    ``{country}``, ``{language}`` and, for a subgroup deck, ``{group}`` are filled in;
    a subgroup deck whose pattern lacks ``{group}`` gets ``_<group>`` before ``.pptx``.
    """
    if options.update_path is not None:
        return options.update_path
    settings = deck.deck
    pattern = str(options.output) if options.output is not None else settings.output
    group = target.file_part if target is not None else None
    if group and "{group}" not in pattern:
        path = Path(pattern)
        pattern = str(path.with_name(f"{path.stem}_{{group}}{path.suffix}"))
    return Path(pattern.format(country=settings.country, language=settings.language,
                               group=group or ""))


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


def _pattern_problems(pattern: str, where: str) -> list[Problem]:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        return [Problem(f"{where}: {exc}", hint="write braces only around country, "
                                                "language or group, e.g. out/{country}.pptx")]
    unknown = sorted(fields - set(OUTPUT_FIELDS))
    if unknown:
        return [Problem(f"{where}: unknown field(s) " + ", ".join(f"{{{u}}}" for u in unknown),
                        hint="use {country}, {language} and {group} (a --for-each value)")]
    return []


def prepare(deck: Deck, source: SourceMap, survey: Survey, options: BuildOptions,
            catalogue: UserCatalogue | None = None, *, target: DeckTarget | None = None,
            view: subgroups.SubgroupSurvey | None = None) -> PreparedDeck:
    """Check one deck against the data and lay it out; every problem at once.

    For a subgroup deck (`target.group`), `view` is `subgroups.select`'s survey of
    the target's country.
    """
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
    branded = open_branded(settings, source)
    template = branded.template
    if target is not None and target.group is not None and view is not None:
        planner: Planner = subgroups.planner(deck, source, survey, view, target.group.code,
                                             catalogue)
        locale = planner.locale
    else:
        planner = Planner(deck=deck, source=source, survey=survey, locale=locale,
                          country_from_command_line=bool(
                              options.country or options.all_countries))
    slides = plan_deck(planner)
    title = planner.text(settings.title, ("deck", "title"), checked=False) or ""
    report = language_report(planner, slides)
    if options.check_only or options.strict:  # reading texts costs 0.15 s: not on a build
        report += misread_report(planner, slides)
    if options.strict:
        planner.problems += report
    layouts, fit_problems = lay_out_deck(
        slides, geometry(template), source, theme=branded.theme,
        show_numbers=settings.footer.slide_numbers) if not planner.problems else ([], [])
    if planner.problems or fit_problems:
        raise InputError(*planner.problems, *fit_problems)
    charted = [s.chart for s in slides if s.chart is not None]
    for chart, data in zip(charted, one_label_size([c.data for c in charted], DEFAULT_THEME),
                           strict=True):
        chart.data = data
    warnings = _fallback_warnings(planner, locale) + (
        [] if options.strict else report) + branded.warnings + \
        contrast_warnings(branded.low_contrast, slides)
    made = PreparedDeck(slides, layouts, template.prs, template.builtin, locale, str(title),
                        output_path(deck, options, target), warnings,
                        template=template.identity, chosen=template.layouts,
                        theme=branded.theme, notes=branded.notes)
    if target is not None and target.group is not None:
        made.focus = f"{settings.country}:{subgroups.member(target.group.key, target.group.code)}"
        made.compared = settings.country if settings.compare_with == "all" else (
            f"{settings.country}:{settings.compare_with}")
    return made


BATCH_DECKS = 8  # decks laid out, rendered and written together: memory stays flat


@dataclass
class Inputs:
    """The deck, its source map and the survey data, all checked, and the deck laid
    out for its own country."""

    deck: Deck
    source: SourceMap
    survey: Survey
    prepared: PreparedDeck | None  # None when not asked for (`load_inputs`'s `lay_out`)
    catalogue: UserCatalogue | None = None


def load_inputs(deck_file: Path, options: BuildOptions, clock: _Clock | None = None,
                cache: InputCache | None = None,
                on_read: Callable[[Deck, SourceMap], None] | None = None,
                lay_out: bool = True) -> Inputs:
    """Read and check the deck file, the codebook and the data, and (with `lay_out`)
    the slides against them: every problem of every stage at once.

    A stage runs whenever what it needs is sound; where an earlier problem makes it
    meaningless, the error says it was left out (``data not checked: fix the
    codebook first``).
    """
    clock = clock or _Clock()
    problems: list[Problem] = []
    notes: list[str] = []
    try:
        reading = read_deck(deck_file, Confinement.of(deck_file, options.allowed_paths))
    except InputError as exc:  # YAML that does not parse: nothing else can be found
        raise InputError(*exc.problems,
                         notes=("codebook and data not checked: fix the deck file first",)
                         ) from None
    problems += reading.problems
    settings = reading.settings
    cache = cache or SHARED_INPUTS
    if reading.deck is not None and not problems and on_read is not None:
        on_read(reading.deck, reading.source)
    codebook = survey = None
    if settings is None:
        notes.append("codebook and data not checked: fix the deck's settings first")
    else:
        try:
            codebook, codebook_source = cache.codebook(settings.codebook)
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
            survey = cache.survey(settings.data, codebook, codebook_source,
                                  languages=[options.language or settings.language],
                                  extra_columns=[settings.weight] if settings.weight else [],
                                  max_mb=options.max_data_mb or settings.max_data_mb)
        except InputError as exc:
            problems += exc.problems
    clock.lap("load data")
    prepared = None
    if reading.deck is not None and survey is not None and lay_out:
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
          on_progress: Callable[[str, int, int], None] | None = None,
          session: BuildSession | None = None,
          on_deck: Callable[[Path], None] | None = None) -> BuildResult:
    """Build (or with `check_only`, only check) the deck described by `deck_file`.

    With `all_countries` (one deck per country in the data) and `for_each` (one
    per value of a background variable) many decks: the data are read once, and
    the decks are built in batches through one browser, or with `jobs` > 1 split
    over worker processes. `shard` keeps one part of them. `session` (watch mode)
    keeps parsed inputs and the browser between builds; `on_deck` hears of every
    deck written.
    """
    own_session = session is None
    session = session or BuildSession(one_build=True)
    try:
        return _build(deck_file, options, on_progress, session, on_deck)
    finally:
        if own_session:
            session.close()


def _build(deck_file: Path, options: BuildOptions,
           on_progress: Callable[[str, int, int], None] | None, session: BuildSession,
           on_deck: Callable[[Path], None] | None) -> BuildResult:
    clock = _Clock()
    problems = _pattern_problems(str(options.output), "--output") if options.output else []
    problems += writers.missing(requested_outputs(options))
    if problems:
        raise InputError(*problems)
    many = options.many
    started: list[ChartRenderer] = []

    def start_browser(deck: Deck, source: SourceMap) -> None:
        """Once the deck is read: start the browser while the data load and layout run."""
        renderer = session.renderer_for(cache_folder(options, deck.deck.cache_dir), options,
                                        on_progress)
        if earlystart.worth_starting(renderer, earlystart.deck_files(deck_file, source),
                                     deck.deck.charts, options):
            renderer.start(tabs=2 if many else 1)
        started.append(renderer)

    # a run over worker processes lays out every deck there, its checks included: laid
    # out here first, the deck's own country held the workers back (a serial 0.3 s)
    parallel = options.many and options.jobs > 1 and not options.report
    inputs = load_inputs(deck_file, options, clock, cache=session.inputs,
                         on_read=start_browser, lay_out=not parallel)
    deck, source, survey = inputs.deck, inputs.source, inputs.survey
    renderer = started[0] if started else session.renderer_for(
        cache_folder(options, deck.deck.cache_dir), options, on_progress)
    previous = (_open_previous(deck_file, options, [inputs.prepared])
                if options.update_path else None)
    every = deck_targets(deck, source, survey, options)
    _check_shard(len(every), options.shard)
    targets = select_shard(every, options.shard)
    _check_outputs(deck, source, options, targets)
    if options.jobs > 1 and len(targets) > 1 and not options.report:
        from generator.jobs import build_in_parallel

        result = build_in_parallel(deck_file, options, targets, session, on_deck)
        result.seconds = {**clock.seconds, **result.seconds}
        return result
    return build_targets(deck, source, survey, options, targets, renderer, clock, on_deck,
                         remember=earlystart.deck_files(deck_file, source)[0],
                         first=inputs.prepared,
                         deck_file=deck_file, previous=previous, catalogue=inputs.catalogue,
                         slides=session.slides, close_browser_after=session.one_build)


def deck_targets(deck: Deck, source: SourceMap, survey: Survey,
                 options: BuildOptions) -> list[DeckTarget]:
    """Every deck the run makes, in order: per country, then per subgroup."""
    settings = deck.deck
    many_countries = options.all_countries
    if many_countries:
        pattern = str(options.output) if options.output is not None else settings.output
        if "{country}" not in pattern:
            if options.output is not None:
                raise InputError(Problem(
                    "--output names one file; --all-countries writes one deck per country",
                    hint="put {country} in it, e.g. -o 'out/deck_{country}.pptx', or leave it "
                         "out: the deck's 'output' pattern names each file"))
            raise InputError(source.problem(
                ("deck", "output"), "--all-countries needs {country} in the output path",
                "e.g. output/deck_{country}_{language}.pptx"))
        countries = survey.countries()
    else:
        countries = [(options.country or settings.country).upper()]
    if options.for_each is None:
        return [DeckTarget(country) for country in countries]
    language = options.language or settings.language
    targets = []
    for country in countries:
        groups = subgroups.subgroups(survey, options.for_each, country)
        names = subgroups.file_names(groups, language)
        targets += [DeckTarget(country, g, names[g.code]) for g in groups]
    return targets


def _check_outputs(deck: Deck, source: SourceMap, options: BuildOptions,
                   targets: Sequence[DeckTarget]) -> None:
    """One file per deck, and the deck file's own ``output:`` inside its tree."""
    paths = [(str(t), output_path(apply_options(deck, options, t.country), options, t))
             for t in targets]
    targets_check.check_distinct(paths, targets_check.named_by(source, options))
    if options.output is None and options.update_path is None:
        targets_check.check_inside([path for _, path in paths], source,
                                   Confinement.of(source.file, options.allowed_paths))


def _check_shard(decks: int, shard: tuple[int, int] | None) -> None:
    """More parts than decks leaves some parts empty: a CI matrix or array job set up for
    another run, said in every part rather than found as a missing deck later."""
    if shard is not None and shard[1] > decks:
        noun = "deck" if decks == 1 else "decks"
        raise InputError(Problem(
            f"--shard {shard[0]}/{shard[1]}: this run makes {decks} {noun}, fewer than the "
            f"{shard[1]} parts, so some parts would build nothing",
            hint=f"split it into at most {decks} parts (--shard I/{decks}), or leave "
                 "--shard out" if decks > 1 else "leave --shard out: one deck is not split"))


def select_shard(targets: Sequence[DeckTarget],
                 shard: tuple[int, int] | None) -> list[DeckTarget]:
    """The `shard` = (i, n)-th of n near-equal contiguous parts of `targets` (1-based);
    the parts of 1..n together hold every target once."""
    if shard is None:
        return list(targets)
    part, parts = shard
    if not 1 <= part <= parts:
        raise InputError(Problem(f"--shard {part}/{parts}: the part must be 1 to {parts}",
                                 hint="e.g. --shard 1/4 ... --shard 4/4"))
    start, stop = (len(targets) * (part - 1)) // parts, (len(targets) * part) // parts
    return list(targets[start:stop])


def _batches(targets: Sequence[DeckTarget], size: int) -> Iterator[Sequence[DeckTarget]]:
    for start in range(0, len(targets), size):
        yield targets[start:start + size]


def build_targets(deck: Deck, source: SourceMap, survey: Survey, options: BuildOptions,
                  targets: Sequence[DeckTarget], renderer: ChartRenderer,
                  clock: _Clock | None = None, on_deck: Callable[[Path], None] | None = None,
                  remember: str | None = None, first: PreparedDeck | None = None,
                  deck_file: Path | None = None,
                  previous: PreviousDeck | None = None,
                  catalogue: UserCatalogue | None = None,
                  slides: SlideCache | None = None,
                  close_browser_after: bool = False) -> BuildResult:
    """Lay out, render and write `targets` in batches of `BATCH_DECKS` through `renderer`.

    `first` is the deck of the deck's own country, laid out already by `load_inputs`;
    `slides` (a session's) gives back slides drawn before from the same inputs.
    ``--figures`` are written with each batch; ``--report`` keeps every deck's slides
    (not its presentation) for the one report at the end. After the first deck with
    problems nothing more is written, but the remaining decks are still checked, so
    every problem is reported at once. With `close_browser_after`, the browser starts
    closing once the last batch's charts are drawn.
    """
    clock = clock or _Clock()
    settings = deck.deck
    result = BuildResult([], 0, 0, renderer.stats)
    outputs = requested_outputs(options)
    warnings: dict[str | Problem, None] = {}  # in the order found, each once
    problems: list[Problem] = []
    views: dict[str, subgroups.SubgroupSurvey] = {}
    chart_keys: list[str] = []
    reported: list[PreparedDeck] = []
    native = 0
    batches = list(_batches(targets, BATCH_DECKS))
    for number, batch in enumerate(batches, 1):
        prepared = []
        for target in batch:
            if target.group is not None and target.country not in views:
                views.clear()  # one country's view at a time
                views[target.country] = subgroups.select(survey, target.country,
                                                         target.group.key)
            if (first is not None and target.group is None
                    and first.locale.country == target.country):
                prepared.append(first)
                first = None  # its presentation is written once
                continue
            try:
                prepared.append(prepare(apply_options(deck, options, target.country), source,
                                        survey, options, catalogue, target=target,
                                        view=views.get(target.country)))
            except InputError as exc:
                problems += [p for p in exc.problems if p not in problems]
        clock.lap("indicators and layout")
        result.slides += sum(len(p.slides) for p in prepared)
        result.charts += sum(len(p.charted) for p in prepared)
        warnings.update(dict.fromkeys(w for p in prepared for w in p.warnings))
        result.notes += [n for p in prepared for n in p.notes if n not in result.notes]
        if options.check_only and not problems:
            for p in prepared:
                p.findings = accessibility.check_unwritten(
                    p.slides, p.layouts, p.prs, p.builtin, p.locale, p.title, p.theme,
                    p.chosen)
                _accessible(p, deck_file or Path(settings.output), options, problems, warnings)
        if problems or options.check_only:
            if options.check_layout and not problems:
                problems += _layout_problems(prepared, options.charts or settings.charts,
                                             renderer)
            continue
        for p in prepared:
            targets_check.check_writable(p.target)
            targets_check.check_not_foreign(p.target, options.force,
                                            targets_check.named_by(source, options))
        charted = [(p, s) for p in prepared for s in p.charted]
        warnings.update(dict.fromkeys(_choose_chart_renderers(
            charted, options.charts or settings.charts, renderer)))
        if previous is not None and options.charts is None:  # --update: one deck
            follow_chart_kinds(prepared[0].charted, previous.manifest)
        pictured = [(p, s) for p, s in charted if not s.chart.native]
        jobs = [RenderJob(functools.partial(_figure, s.chart.data, p.locale, p.theme),
                          s.chart.data.width_px, s.chart.data.height_px, s.label,
                          key=renderer.chart_key(s.chart.data, p.locale, p.theme))
                for p, s in pictured]
        chart_keys += [job.key for job in jobs if job.key]
        clock.lap("figures")
        pngs = dict(zip([id(s) for _, s in pictured], renderer.render(jobs), strict=True))
        if close_browser_after and number == len(batches):
            renderer.close_browser_soon()
        clock.lap("rendering")
        for p in prepared:
            images = {s.number: pngs[id(s)] for s in p.charted if id(s) in pngs}
            data = write_deck(p.slides, p.layouts, p.prs, p.builtin, images, locale=p.locale,
                              title=p.title, author=settings.author,
                              deck_file=deck_file.name if deck_file else "",
                              template=p.template, cache=slides, theme=p.theme,
                              chosen=p.chosen)
            if options.strict or options.report:
                p.findings = accessibility.check_deck(p.prs, p.slides, p.locale, p.theme)
                if not _accessible(p, deck_file or Path(settings.output), options, problems,
                                   warnings):
                    continue  # --strict: not saved
            if previous is not None:
                data, result.update = merge(previous, data, p.slides)
                result.update.backup = keep_backup(p.target)
                warnings.update(dict.fromkeys(result.update.warnings))
            save_atomically(data, p.target)
            result.outputs.append(p.target)
            if on_deck is not None:
                on_deck(p.target)
        native += len(charted) - len(pictured)
        if outputs:
            result.extras += write_outputs(outputs, [_finished(p, settings) for p in prepared])
        if options.report:
            reported += [dataclasses.replace(p, prs=None) for p in prepared]
        clock.lap("writing")
        del prepared, charted, pictured, jobs, pngs
        p = None  # the batch's last deck, held by the loop above
        if number < len(batches):
            free_decks()
        result.memory_mb.append(resident_mb())
    if problems:
        raise InputError(*merge_decks(problems))
    if reported:
        result.extras += write_report(reported, deck, source,
                                      deck_file or Path(settings.output), renderer.stats,
                                      native, survey.codebook.dataset.synthetic)
    if remember and not options.check_only:
        renderer.remember(remember, chart_keys)
    result.notices = merge_decks(warnings)
    result.warnings = [str(w) for w in result.notices]
    result.seconds = clock.seconds
    return result


def _accessible(p: PreparedDeck, deck_file: Path, options: BuildOptions,
                problems: list[Problem], warnings: dict[str, None]) -> bool:
    """Whether the deck passed its accessibility checks; each finding a problem with
    ``--strict``, else a warning."""
    if options.strict:
        problems += accessibility.problems(p.findings, deck_file)
    else:
        warnings.update(dict.fromkeys(f"{p.target.name}: accessibility: {f}"
                                      for f in p.findings))
    return not (options.strict and p.findings)


def free_decks() -> None:
    """Free the decks just written, before more are made (about 50 ms).

    A deck is cycles of python-pptx objects holding its XML, memory the collector does
    not weigh; freed batch by batch, a many-deck run's memory stays flat however rarely
    the collector runs by itself (`collector.collect_less`)."""
    gc.collect()


def resident_mb() -> float:
    """This process's resident memory now, in MB (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def requested_outputs(options: BuildOptions) -> list[str]:
    """The outputs asked for beside each deck, by their `writers.OUTPUTS` names."""
    return (["figures"] if options.figures else []) + list(options.outputs)


def _finished(p: PreparedDeck, settings: DeckSettings) -> FinishedDeck:
    return FinishedDeck(p.slides, p.target, p.locale, p.title,
                        group=p.focus or p.locale.country or "",
                        compared=p.compared or settings.compare_with,
                        show_numbers=settings.footer.slide_numbers)


def write_report(prepared: list[PreparedDeck], deck: Deck, source: SourceMap,
                 deck_file: Path, stats: RenderStats, native: int,
                 synthetic: bool) -> list[Path]:
    """``--report``: one HTML page beside the decks (``<deck>.report.html``, or
    ``<deck file>.report.html`` for several); the file written."""
    from generator.output import figures, report

    settings = deck.deck
    rows = {id(p): figures.figure_rows(p.slides, p.focus or p.locale.country or "",
                                       p.compared or settings.compare_with)
            for p in prepared}
    stem = prepared[0].target.stem if len(prepared) == 1 else deck_file.stem
    target = prepared[0].target.parent / f"{stem}.report.html"
    html = report.build_report(prepared, rows, deck, source, stats, native, synthetic)
    save_atomically(html.encode("utf-8"), target)
    return [target]


def _open_previous(deck_file: Path, options: BuildOptions,
                   prepared: list[PreparedDeck]) -> PreviousDeck:
    """The deck `--update` refreshes, checked to be this deck file's; its slides' keys
    given to the new build's slides."""
    if options.all_countries or options.output is not None or options.for_each is not None:
        raise InputError(Problem("--update rewrites the deck it names; it takes neither "
                                 "--output nor --all-countries nor --for-each",
                                 hint="leave those out"))
    assert options.update_path is not None
    deck = prepared[0]
    previous = open_previous(options.update_path, deck_file, deck.locale.country or "",
                             deck.locale.code)
    assign_keys(deck.slides, previous.manifest)
    return previous


def _figure(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> Figure:
    from generator.charts.figures import make_figure  # Plotly loads only when a figure is made

    return make_figure(data, locale, theme)


def _layout_problems(prepared: Sequence[PreparedDeck], deck_choice: str | None,
                     renderer: ChartRenderer) -> list[Problem]:
    """``--check-layout``: the collisions in the decks' image charts (`layoutcheck`)."""
    from generator.charts.figures import figure_spec
    from generator.output import layoutcheck

    return layoutcheck.problems(
        [(s.label, functools.partial(figure_spec, s.chart.data, p.locale, DEFAULT_THEME))
         for p in prepared for s in p.charted
         if (s.chart.requested or deck_choice) != "native"], renderer.find_browser)


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
    deck, source = load_deck(deck_file, Confinement.of(deck_file, options.allowed_paths))
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
    targets_check.check_writable(target)
    save_atomically(text.encode("utf-8"), target)
    return counts
