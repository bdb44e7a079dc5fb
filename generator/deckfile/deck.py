"""The whole deck file: its settings and slides (each slide one of the models of
`slidemodels`, told apart by its ``type``), read with every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Field, ValidationError, field_validator

from generator.core.errors import InputError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.model import DeckSettings
from generator.deckfile.slidemodels import SLIDE_MODELS
from generator.deckfile.validation import StrictModel, validate
from generator.deckfile.yamlsource import SourceMap

Slide = Annotated[Union[SLIDE_MODELS],  # noqa: UP007
                  Field(discriminator="type")]
"""Any registered slide type, told apart by its ``type``."""


class Deck(StrictModel):
    """A whole validated deck file."""

    deck: DeckSettings
    slides: tuple[Slide, ...]

    @field_validator("slides", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        if value is None or value == []:
            raise ValueError("the deck has no slides | add at least one under 'slides:'")
        return value


@dataclass(frozen=True)
class DeckReading:
    """A deck file read as far as it goes: the deck when it is valid, else its
    ``deck:`` settings alone when they are (so the codebook and data can still be
    checked), and every problem found."""

    source: SourceMap
    deck: Deck | None
    settings: DeckSettings | None
    problems: list[Problem]


def read_deck(path: Path, confine: Confinement | None = None) -> DeckReading:
    """Read and validate a deck file (and the base it ``extends``), collecting the
    problems of merging and of the schema. A YAML syntax error still stops at once.

    Paths in it (data, codebook, template, cache, output, images) come back
    absolute, each relative to the file that wrote it. With `confine`, those outside
    it are problems (`deckfile.confine`).
    """
    from generator.deckfile.variants import load_deck_data

    data, source, problems = load_deck_data(path, confine)
    problems = [*source.slips, *problems]
    try:
        deck = validate(Deck, data, source, "a deck (keys 'deck' and 'slides')")
    except InputError as exc:
        return DeckReading(source, None, _settings_alone(data), [*problems, *exc.problems])
    return DeckReading(source, deck, deck.deck, problems)


def _settings_alone(data: Any) -> DeckSettings | None:
    """The ``deck:`` settings with their unknown keys and wrong optional values left
    out, if the required ones are valid: enough to find and check the codebook and data."""
    try:
        known = {k: v for k, v in data["deck"].items() if k in DeckSettings.model_fields}
    except (KeyError, TypeError, AttributeError):
        return None
    try:
        return DeckSettings.model_validate(known)
    except ValidationError as exc:
        wrong = {error["loc"][0] for error in exc.errors() if error["loc"]}
        if any(DeckSettings.model_fields[str(key)].is_required() for key in wrong):
            return None
        known = {k: v for k, v in known.items() if k not in wrong}
    try:
        return DeckSettings.model_validate(known)
    except ValidationError:
        return None


def load_deck(path: Path, confine: Confinement | None = None) -> tuple[Deck, SourceMap]:
    """The valid deck of a deck file and where its values are from; every problem at
    once as an `InputError` otherwise."""
    reading = read_deck(path, confine)
    if reading.problems or reading.deck is None:
        raise InputError(*reading.problems)
    return reading.deck, reading.source
