"""Watch mode: build, then build again on every save of a file the deck is made from.

The loop keeps everything that a fresh process would have to redo: the modules
stay imported, the codebook and data stay parsed (found again by the hash of
their files' bytes, so a save that changes nothing costs one hash), and the
browser stays open for charts that change. The files watched are the deck file
and every base it ``extends:``, and every file its ``deck:`` section names
(codebook, data, template, catalogues) plus its images; they are worked out
again after each build, so a deck that starts extending another file or names
other data is followed. A build that fails reports its problems and the loop
keeps watching; the previous deck stays as it was (the deck is only ever
replaced whole, see `output.files.save_atomically`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.errors import BrowserError, GeneratorError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.deck import Deck, load_deck
from generator.run.batches import free_decks
from generator.run.build import build
from generator.run.options import BuildOptions
from generator.run.results import BuildResult
from generator.run.session import BuildSession
from generator.slides.image import ImageSlide

STEP_MS = 30  # a change is built once the files were quiet this long (an editor's burst)
DEBOUNCE_MS = 300  # ... or at most this long after the first change
POLL_MS = 200  # how often the loop looks up from waiting (stop requests)


@dataclass
class Rebuild:
    """The outcome of one build of the watch loop, for the terminal and tests."""

    number: int  # 0: the first build; then one per batch of changes
    changed: list[Path]  # the files whose change caused it (empty for the first)
    seconds: float
    result: BuildResult | None = None  # None when the build failed
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # checks left out for those problems
    fault: str | None = None  # an internal error's type and message

    @property
    def ok(self) -> bool:
        return self.result is not None


def inputs_of(deck_file: Path, confine: Confinement | None = None) -> set[Path]:
    """Every file a build of `deck_file` reads: the deck file and the bases it extends,
    and the files its deck section names (codebook, data, template …) and its images.

    When the deck file does not load, only the deck file (and what the caller knew).
    """
    files = {deck_file.resolve()}
    try:
        deck, source = load_deck(deck_file, confine)
    except GeneratorError:
        return files
    files |= {Path(file).resolve() for file in {mark[0] for mark in source.marks.values()}}
    return files | {p.resolve() for p in _named_files(deck)}


def _named_files(deck: Deck) -> Iterator[Path]:
    for name, value in deck.deck:
        if isinstance(value, Path) and name != "cache_dir":
            yield value
    for slide in deck.slides:
        if isinstance(slide, ImageSlide):
            yield slide.path


class Watcher:
    """Builds `deck_file` now and again after every change to its inputs.

    `on_rebuild` hears of every build. `run` returns after `max_builds` builds
    (counting the first) or when `stop` is set; the browser is closed then.
    """

    def __init__(self, deck_file: Path, options: BuildOptions,
                 on_rebuild: Callable[[Rebuild], None],
                 on_progress: Callable[[str, int, int], None] | None = None,
                 stop: threading.Event | None = None) -> None:
        self.deck_file = deck_file
        self.options = options
        self.confine = Confinement.of(deck_file, options.allowed_paths)
        self.on_rebuild = on_rebuild
        self.on_progress = on_progress
        self.stop = stop or threading.Event()
        self.session = BuildSession()
        self.builds = 0
        self.files: set[Path] = set()

    def run(self, max_builds: int | None = None) -> None:
        """Build, then watch and rebuild until stopped (or `max_builds` builds)."""
        import watchfiles

        changes: Iterator[set] | None = None
        folders: list[Path] = []
        self.files = inputs_of(self.deck_file, self.confine)
        changed: list[Path] = []
        try:
            while not self.stop.is_set():
                wanted = sorted({f.parent for f in self.files if f.parent.is_dir()})
                if changes is None or wanted != folders:
                    if changes is not None:
                        changes.close()
                    folders = wanted
                    changes = watchfiles.watch(
                        *folders, debounce=DEBOUNCE_MS, step=STEP_MS, rust_timeout=POLL_MS,
                        yield_on_timeout=True, stop_event=self.stop, recursive=False)
                    next(changes, None)  # the watch is set up: no save from here on is missed
                self.rebuild(changed)
                if max_builds is not None and self.builds >= max_builds:
                    return
                changed = self._wait(changes)
        finally:
            if changes is not None:
                changes.close()
            self.session.close()

    def _wait(self, changes: Iterator[set]) -> list[Path]:
        """The inputs that changed, as soon as some do (empty when stopped)."""
        for batch in changes:
            hits = sorted({Path(path).resolve() for _, path in batch} & self.files)
            if hits:
                return hits
        return []

    def rebuild(self, changed: list[Path]) -> Rebuild:
        """One build in the loop's session; its outcome goes to `on_rebuild`."""
        started = time.perf_counter()
        outcome = Rebuild(self.builds, changed, 0.0)
        try:
            outcome.result = build(self.deck_file, self.options, self.on_progress,
                                   session=self.session)
        except GeneratorError as exc:
            outcome.problems = list(exc.problems)
            outcome.notes = list(getattr(exc, "notes", ()))
            if isinstance(exc, BrowserError):
                self.session.close()  # the next build starts a browser afresh
        except Exception as exc:  # an internal fault: report it and keep watching
            outcome.fault = f"{type(exc).__name__}: {exc}"
            self.session.close()
            self.session.slides.clear()  # the next build draws every slide afresh
        outcome.seconds = time.perf_counter() - started
        self.builds += 1
        self.on_rebuild(outcome)
        self.files |= inputs_of(self.deck_file, self.confine)
        free_decks()  # after the deck is out, while the author looks at it
        return outcome
