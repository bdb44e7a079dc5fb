"""The language a text reads as, told from its content by lingua, whose models ship in its
package (nothing is downloaded).

Two steps keep it quick: a screen over `CANDIDATES` in lingua's low-accuracy mode (its
trigram models load in about 10 ms a language), then, only for a text the screen reads
as another language than its tag, lingua's full models for just the two languages, whose
confidence is the "how sure" of the message. Bokmål, Nynorsk and Norwegian count as one
language: lingua does not tell them apart reliably on a slide's worth of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

CANDIDATES = ("nb", "nn", "da", "sv", "fi", "is", "de", "nl", "en", "fr", "es", "it", "pt",
              "et", "lt", "hu", "ga")
"""Languages every text is screened against: those of the survey's countries and of the
shipped decks (a deck is most often made by copying one); a deck's own languages are added."""

MIN_WORDS = 6
"""Fewer words than this (acronyms, numbers and links left out) are too few to tell."""

SURE = 0.75
"""A text is reported when the full models give the other language at least this."""

SAME = {"nb": "no", "nn": "no", "no": "no"}
"""Languages taken as one."""

_UNREAD = re.compile(r"\[[^\[\]]+\]\{lang=[^}]+\}|\{\{.*?\}\}|\{%.*?%\}|\S+://\S+"
                     r"|\bwww\.\S+|\S+@\S+\.\S+")
"""What is not the text's own words: spans marked with their own language, placeholders,
links and addresses."""

_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Reading:
    """A text's tagged language (`tagged`, a language code) read as `reads_as` with
    `confidence` (0–1, lingua's, against the tagged language)."""

    tagged: str
    reads_as: str
    confidence: float


def base_language(tag: str) -> str:
    """``nb-NO`` -> ``nb``."""
    return tag.replace("_", "-").split("-")[0].lower()


def alike(a: str, b: str) -> bool:
    """Whether two language codes are one language here (``nb``, ``nn``)."""
    return SAME.get(a, a) == SAME.get(b, b)


def words(text: str) -> list[str]:
    """The words that tell a text's language: without marked spans, placeholders,
    links, numbers and acronyms (all capitals)."""
    return [w for w in _WORD.findall(_UNREAD.sub(" ", text)) if not w.isupper()]


def readable(text: str) -> bool:
    """Whether `text` has enough words to tell its language."""
    return len(words(text)) >= MIN_WORDS


def known(language: str) -> Language | None:
    """lingua's language for a code, None for one it does not know."""
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(language))
    except ValueError:
        return None


def reading(text: str, tag: str, deck_languages: Iterable[str] = ()) -> Reading | None:
    """How `text`, tagged `tag`, reads when not as its tag's language (None when it reads
    as it, is too short to tell, or its language is one lingua does not know).
    `deck_languages` join the screen's candidates."""
    tagged = base_language(tag)
    tagged = "nb" if tagged == "no" else tagged  # lingua knows Norwegian as its two forms
    if known(tagged) is None or not readable(text):
        return None
    screen = frozenset({*CANDIDATES, tagged, *(
        code for code in map(base_language, deck_languages) if known(code) is not None)})
    return _reading(_UNREAD.sub(" ", text), tagged, screen)


@lru_cache(maxsize=4096)
def _reading(text: str, tagged: str, screen: frozenset[str]) -> Reading | None:
    """Remembered: many decks of one run share their texts."""
    found = _screen(screen).detect_language_of(text)
    if found is None or alike(_code(found), tagged):
        return None
    suspect = _code(found)
    sides = frozenset({tagged, suspect, *(c for c in SAME if alike(c, tagged))})
    values = _full(sides).compute_language_confidence_values(text)
    confidence = sum(v.value for v in values if alike(_code(v.language), suspect))
    return Reading(tagged, suspect, confidence) if confidence >= SURE else None


def _code(language: Language) -> str:
    return language.iso_code_639_1.name.lower()


@lru_cache(maxsize=8)
def _screen(languages: frozenset[str]) -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_languages(languages)) \
        .with_low_accuracy_mode().build()


@lru_cache(maxsize=8)
def _full(languages: frozenset[str]) -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_languages(languages)).build()


def _languages(codes: Iterable[str]) -> list[Language]:
    return [language for code in sorted(codes) if (language := known(code)) is not None]
