"""The decks of a run: command-line overrides, the output path of each deck, the
run's decks per country and subgroup, their checks, shards and batches."""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import InputError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.deck import Deck
from generator.deckfile.yamlsource import SourceMap
from generator.output.pptx import targets as targets_check
from generator.plan import subgroups
from generator.run.options import BuildOptions
from generator.survey.dataset import Survey

if TYPE_CHECKING:
    pass

from generator.run.results import DeckTarget


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


def pattern_problems(pattern: str, where: str) -> list[Problem]:
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


def check_outputs(deck: Deck, source: SourceMap, options: BuildOptions,
                   targets: Sequence[DeckTarget]) -> None:
    """One file per deck, and the deck file's own ``output:`` inside its tree."""
    paths = [(str(t), output_path(apply_options(deck, options, t.country), options, t))
             for t in targets]
    targets_check.check_distinct(paths, named_by(source, options))
    if options.output is None and options.update_path is None:
        targets_check.check_inside([path for _, path in paths], source,
                                   Confinement.of(source.file, options.allowed_paths))


def check_shard(decks: int, shard: tuple[int, int] | None) -> None:
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


def named_by(source: SourceMap, options: BuildOptions) -> str:
    """Where a run's deck paths come from: the command line, or the deck file's line."""
    if options.update_path is not None or options.output is not None:
        return "--update" if options.update_path is not None else "-o"
    file, line, _ = source.locate(("deck", "output"))
    return f"{file}:{line}: deck.output"


def in_batches(targets: Sequence[DeckTarget], size: int) -> Iterator[Sequence[DeckTarget]]:
    for start in range(0, len(targets), size):
        yield targets[start:start + size]
