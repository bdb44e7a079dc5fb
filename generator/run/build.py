"""Runs the stages in order: load and check everything, render charts, write the deck.

Everything that can fail on user input fails before the first chart is
rendered, with every problem reported at once. The .pptx is written to a
temporary file beside the target and renamed into place only when complete,
so a failed build never damages the previous deck.

Many decks (``--all-countries``, ``--for-each``) are built in batches, so memory
stays flat over a long run; with ``jobs`` > 1 the batches go to worker processes
(`generator.run.jobs`). A `BuildSession` keeps what outlives one build in watch mode
and in a worker: parsed inputs (found again by the hash of their files) and an
open browser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import InputError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.deck import Deck, load_deck
from generator.deckfile.yamlsource import SourceMap
from generator.i18n.catalogue import (
    Skeleton,
    load_user_catalogue,
    parse_existing,
    skeleton_text,
)
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import same_language
from generator.output import writers
from generator.output.files import save_atomically
from generator.output.pptx import targets as targets_check
from generator.output.pptx.identity import assign_keys
from generator.output.pptx.update import (
    PreviousDeck,
    open_previous,
)
from generator.output.render.renderer import ChartRenderer
from generator.run import earlystart
from generator.run.options import BuildOptions, cache_folder
from generator.survey.codebook import load_codebook

if TYPE_CHECKING:
    pass

from generator.run.batches import build_targets, requested_outputs
from generator.run.inputs import load_inputs
from generator.run.results import BuildResult, Clock, PreparedDeck
from generator.run.session import BuildSession
from generator.run.targets import (
    apply_options,
    check_outputs,
    check_shard,
    deck_targets,
    pattern_problems,
    select_shard,
)


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
    clock = Clock()
    problems = pattern_problems(str(options.output), "--output") if options.output else []
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
    check_shard(len(every), options.shard)
    targets = select_shard(every, options.shard)
    check_outputs(deck, source, options, targets)
    if options.jobs > 1 and len(targets) > 1 and not options.report:
        from generator.run.jobs import build_in_parallel

        result = build_in_parallel(deck_file, options, targets, session, on_deck)
        result.seconds = {**clock.seconds, **result.seconds}
        return result
    return build_targets(deck, source, survey, options, targets, renderer, clock, on_deck,
                         remember=earlystart.deck_files(deck_file, source)[0],
                         first=inputs.prepared,
                         deck_file=deck_file, previous=previous, catalogue=inputs.catalogue,
                         slides=session.slides, close_browser_after=session.one_build)


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
