"""Many decks on all cores: the decks of a run split over worker processes.

Each worker keeps one `BuildSession` (the parsed data and one browser) for all
the batches it builds, and closes its browser when the pool ends. The workers
share the chart cache: its files are written to a temporary name and renamed
into place (`render.picturecache.store`), so a reader sees a whole file or
none, and the cache checks every image it serves.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import util
from pathlib import Path

from generator.core.errors import InputError, Problem, merge_decks
from generator.deckfile.confine import Confinement
from generator.deckfile.deck import load_deck
from generator.output.render.renderer import RenderStats
from generator.run.batches import build_targets, free_decks
from generator.run.inputs import load_catalogue
from generator.run.options import BuildOptions, cache_folder
from generator.run.results import BATCH_DECKS, BuildResult, Clock, DeckTarget
from generator.run.session import BuildSession

_session: BuildSession | None = None  # the worker's own, made by `_start_worker`


@dataclass
class PartResult:
    """What one worker made of one part of the run (picklable)."""

    outputs: list[Path] = field(default_factory=list)
    slides: int = 0
    charts: int = 0
    render: RenderStats = field(default_factory=RenderStats)
    warnings: list[Problem | str] = field(default_factory=list)  # `BuildResult.notices`
    seconds: dict[str, float] = field(default_factory=dict)
    memory_mb: list[float] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    extras: list[Path] = field(default_factory=list)  # --figures exports


def parts(targets: Sequence[DeckTarget], jobs: int) -> list[list[DeckTarget]]:
    """`targets` in contiguous parts of at most `BATCH_DECKS`, at least two per worker
    where there are enough, so a worker that finishes early takes the next part."""
    size = max(1, min(BATCH_DECKS, -(-len(targets) // (2 * jobs))))
    return [list(targets[i:i + size]) for i in range(0, len(targets), size)]


def build_in_parallel(deck_file: Path, options: BuildOptions, targets: Sequence[DeckTarget],
                      session: BuildSession,
                      on_deck: Callable[[Path], None] | None = None) -> BuildResult:
    """Build `targets` with `options.jobs` worker processes; the merged result.

    The workers lay out every deck, and so check each against the data; the
    first problem stops the handing out of further parts; every problem found is
    reported together, and the decks already written stay.
    """
    jobs = min(options.jobs, len(targets))
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    global _session
    _session = session  # a forked worker starts with the parent's parsed data
    clock = Clock()
    merged = BuildResult([], 0, 0, RenderStats())
    problems: list[Problem] = []
    warnings: list[Problem | str] = []
    finished: dict[int, PartResult] = {}
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=_start_worker) as pool:
            # frozen while the workers fork: their collections then never write to the
            # pages they share with this process (copy-on-write), and find less to walk
            frozen_before = gc.get_freeze_count()
            gc.freeze()
            try:
                pending = {pool.submit(_build_part, deck_file, options, part): number
                           for number, part in enumerate(parts(targets, jobs))}
            finally:
                if not frozen_before:  # a caller's own freeze (the command line's) stays
                    gc.unfreeze()
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_EXCEPTION)
                    for future in done:
                        part = finished[pending.pop(future)] = future.result()
                        problems += [p for p in part.problems if p not in problems]
                        for output in part.outputs:
                            if on_deck is not None:
                                on_deck(output)
                    if problems:  # parts not started are dropped; running ones finish
                        for future in [f for f in pending if f.cancel()]:
                            pending.pop(future)
            except BaseException:  # a browser failure, an internal fault, Ctrl-C
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        _session = None
    for number in sorted(finished):  # in the order of the targets
        _merge(merged, finished[number])
        warnings += finished[number].warnings
    clock.lap("decks in worker processes")
    if problems:
        raise InputError(*merge_decks(problems))
    merged.notices = merge_decks(warnings)
    merged.warnings = [str(w) for w in merged.notices]
    merged.seconds = clock.seconds
    return merged


def _merge(merged: BuildResult, part: PartResult) -> None:
    merged.outputs += part.outputs
    merged.extras += part.extras
    merged.slides += part.slides
    merged.charts += part.charts
    for name in ("browser_starts", "rendered", "cache_hits", "seconds_browser_start",
                 "seconds_rendering"):
        setattr(merged.render, name, getattr(merged.render, name) + getattr(part.render, name))
    merged.memory_mb += part.memory_mb


# -- the worker side -------------------------------------------------------------------------


def _start_worker() -> None:
    """Give the worker a session of its own (keeping the forked parsed data), and close
    its browser when the pool ends the worker."""
    global _session
    inherited = _session
    _session = BuildSession()
    if inherited is not None:
        _session.inputs = inherited.inputs
    util.Finalize(_session, _session.close, exitpriority=10)


def _build_part(deck_file: Path, options: BuildOptions,
                targets: list[DeckTarget]) -> PartResult:
    """Build one part in this worker; problems are returned, not raised."""
    session = _session or BuildSession()
    result = PartResult()
    try:
        deck, source = load_deck(deck_file, Confinement.of(deck_file, options.allowed_paths))
        codebook, codebook_source = session.inputs.codebook(deck.deck.codebook)
        settings = deck.deck
        survey = session.inputs.survey(
            settings.data, codebook, codebook_source,
            languages=[options.language or settings.language],
            extra_columns=[settings.weight] if settings.weight else [],
            max_mb=options.max_data_mb or settings.max_data_mb)
        catalogue = load_catalogue(deck.deck, source, codebook)
        renderer = session.renderer_for(cache_folder(options, deck.deck.cache_dir), options, None)
        built = build_targets(deck, source, survey, options, targets, renderer,
                              deck_file=deck_file, catalogue=catalogue, slides=session.slides)
    except InputError as exc:
        result.problems = list(exc.problems)
        return result
    finally:
        free_decks()  # before the worker's next part
    result.outputs, result.slides, result.charts = built.outputs, built.slides, built.charts
    result.render, result.warnings = built.render, built.notices
    result.seconds, result.memory_mb = built.seconds, built.memory_mb
    result.extras = built.extras
    return result
