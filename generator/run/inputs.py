"""The deck file, codebook, catalogue and data read and checked, every stage's
problems at once; the process's parsed inputs kept by the hash of their files."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.errors import InputError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.deck import Deck, read_deck
from generator.deckfile.model import DeckSettings
from generator.deckfile.yamlsource import SourceMap
from generator.i18n.catalogue import (
    UserCatalogue,
    load_user_catalogue,
)
from generator.run.options import BuildOptions
from generator.survey.codebook import Codebook, load_codebook
from generator.survey.dataset import Survey, load_survey

if TYPE_CHECKING:
    pass

from generator.run.prepare import prepare
from generator.run.results import Clock, PreparedDeck
from generator.run.targets import apply_options


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
class Inputs:
    """The deck, its source map and the survey data, all checked, and the deck laid
    out for its own country."""

    deck: Deck
    source: SourceMap
    survey: Survey
    prepared: PreparedDeck | None  # None when not asked for (`load_inputs`'s `lay_out`)
    catalogue: UserCatalogue | None = None


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


def load_inputs(deck_file: Path, options: BuildOptions, clock: Clock | None = None,
                cache: InputCache | None = None,
                on_read: Callable[[Deck, SourceMap], None] | None = None,
                lay_out: bool = True) -> Inputs:
    """Read and check the deck file, the codebook and the data, and (with `lay_out`)
    the slides against them: every problem of every stage at once.

    A stage runs whenever what it needs is sound; where an earlier problem makes it
    meaningless, the error says it was left out (``data not checked: fix the
    codebook first``).
    """
    clock = clock or Clock()
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
