"""A deck's texts resolved: free text with its placeholders filled, generated labels and
codebook wording, each a `Phrase` tagged with the language it is really in.

What is not in the deck's language is noted per slide (`TextPlanner.foreign`)
for `--check` and `--strict` (`languages.language_report`); text written about
another country is checked against the deck's (`check_country`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.errors import InputError, Problem
from generator.deckfile.model import Bullet, Text
from generator.deckfile.templating import TemplateProblem, fill
from generator.deckfile.yamlsource import SourceMap, format_path
from generator.i18n.locale import DeckLocale, language_tag
from generator.i18n.phrase import Phrase, Span, same_language
from generator.i18n.typography import apostrophes, keep_together
from generator.plan.content import (
    Line,
    QuotedFigure,
)
from generator.plan.languages import Foreign, names_country
from generator.plan.quotable import figures_context, quotable_figures
from generator.survey.codebook import Codebook
from generator.survey.dataset import Survey

if TYPE_CHECKING:
    from generator.deckfile.deck import Deck

MARKED_SPAN = re.compile(r"\[(?P<words>[^\[\]]+)\]"
                         r"\{lang=(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\}")
"""Words in another language than their text's: ``[wicked problems]{lang=en}``."""


KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class WrittenText:
    """A text of the deck file as written (placeholders unfilled), where it stands (its
    slide's path, or ``("deck",)``, and its key there) and the language it is tagged with."""

    slide: KeyPath
    key: str
    text: str
    tag: str
    path: KeyPath = ()

FILE_LABEL_LANGUAGE = "en"  # a data file's own variable labels: the archived files' language



@dataclass
class TextPlanner:
    """Resolves a deck's free text, generated labels and codebook wording, each with its
    language (noting what is not in the deck's), and the figures text quotes; collects
    problems instead of stopping. `Planner` adds the numbers."""

    deck: Deck
    source: SourceMap
    survey: Survey
    locale: DeckLocale
    problems: list[Problem] = field(default_factory=list)
    label_fallbacks: set[str] = field(default_factory=set)
    quoted_figures: bool = False  # the current slide's text quotes computed figures
    foreign: dict[KeyPath, list[Foreign]] = field(default_factory=dict)
    """Per slide path (or ``("deck",)``): what is not in the deck's language."""
    naming: dict[KeyPath, list[str]] = field(default_factory=dict)
    """Per slide path: texts from another country's deck that name that country."""
    slide_path: KeyPath = ("deck",)
    slide_model: Any = None
    country_specific_seen: set[tuple[KeyPath, str]] = field(default_factory=set)
    country_from_command_line: bool = False
    """The deck's country is a quick look (``--country``, ``--all-countries``), not a
    variant file: text marked country_specific is then a warning (an error with
    ``--strict``) rather than an error."""
    kept_specific: list[Problem] = field(default_factory=list)
    quoted: list[QuotedFigure] = field(default_factory=list)  # ... and which, in order
    written: list[WrittenText] = field(default_factory=list)
    """Every deck text with the language it is tagged with, for `readas` to read."""

    @property
    def codebook(self) -> Codebook:
        return self.survey.codebook

    @property
    def country(self) -> str:
        return self.deck.deck.country

    def problem(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.problems.append(self.source.problem(path, message, hint))

    # -- text ---------------------------------------------------------------------------

    @property
    def deck_tag(self) -> str:
        return self.locale.tag

    def note(self, kind: str, what: str, lang: str, file: Path | None = None,
             path: KeyPath | None = None) -> None:
        """Remember a text not in the deck's language, under its slide."""
        if same_language(lang, self.locale.code):
            return
        at = self.slide_path if path is None or path[0] == "slides" else ("deck",)
        entry = Foreign(kind, what, lang, file)
        if entry not in self.foreign.setdefault(at, []):
            self.foreign[at].append(entry)

    def text(self, value: Text | None, path: KeyPath, language: str | None = None,
             checked: bool = True) -> Phrase | None:
        """Free text with its placeholders filled, tagged with the language it is in:
        `language` where the slide says (``title_language``), else the key of a language
        mapping, else the language of the deck file that wrote it. Unless `checked` is
        false (the file's title property, which no slide shows), text not in the deck's
        language is noted for the language check."""
        if value is None:
            return None
        context = self.source.context(path)
        country = context.country if context else self.country
        if isinstance(value, dict):
            chosen = _pick_with_key(value, self.locale.code)
            if chosen is None:
                self.problem(path, f"no text for the deck's language '{self.locale.code}'",
                             "add it: " + ", ".join(sorted(value)) + " are given")
                return Phrase()
            value, written_in = chosen
        else:
            written_in = context.language if context else self.locale.code
        written_in = language or written_in
        tag = self.language_tag(written_in, path, country)
        if tag is None:
            return Phrase()
        if language is None and checked:  # a language the slide declares is meant
            self.note("text", format_path(path[2:]) if path[0] == "slides"
                      else format_path(path), tag, self.source.locate(path)[0], path)
        self.check_country(value, path, written_in, country)
        if checked:
            self.written.append(WrittenText(
                self.slide_path if path[0] == "slides" else ("deck",),
                format_path(path[2:] if path[0] == "slides" else path), value, tag, path))
        if "{{" in value:
            self.quoted_figures = True
            self.record_quotes(value)
        try:
            filled = fill(value, self.context)
        except TemplateProblem as exc:
            message, _, hint = str(exc).partition(" | ")
            self.problem(path, message, hint or None)
            filled = value
        return self.marked_languages(apostrophes(keep_together(filled)), tag, path, country)

    def marked_languages(self, text: str, tag: str, path: KeyPath,
                         country: str | None) -> Phrase:
        """`text` as a Phrase in `tag`, but for the parts marked ``[words]{lang=en}``
        (a Pandoc span), which carry their own language: a term kept in English in a
        Norwegian sentence is proofed, read aloud and checked as English."""
        spans: list[Span] = []
        at = 0
        for found in MARKED_SPAN.finditer(text):
            if found.start() > at:
                spans.append(Span(text[at:found.start()], tag))
            words, language = found.group("words"), found.group("lang")
            spans.append(Span(words, self.language_tag(language, path, country) or tag))
            at = found.end()
        if at < len(text):
            spans.append(Span(text[at:], tag))
        return Phrase.join(spans) if spans else Phrase.of(text, tag)

    def check_country(self, text: str, path: KeyPath, language: str,
                      written_about: str | None) -> None:
        """A text written about another country than the deck's: an error where its slide
        marks it country-specific, a warning where it names that country."""
        if written_about is None or written_about == self.country or path[0] != "slides":
            return
        key = str(path[2]) if len(path) > 2 else ""
        slide = self.slide_model
        if slide is not None and key in slide.country_specific_keys():
            if (self.slide_path, key) not in self.country_specific_seen:
                self.country_specific_seen.add((self.slide_path, key))
                name = f"'{slide.id}'" if slide.id else f"{path[1] + 1}"
                found = replace(self.source.problem(
                    path, f"slide {name}: its '{key}' text is marked country_specific, "
                    f"written about {written_about}, in a deck about another country",
                    f"give the slide's {key} for the deck's country in a variant file "
                    f"(slides: - id: {slide.id or '…'}), or remove the slide there"),
                    decks=(self.country,))
                (self.kept_specific if self.country_from_command_line
                 else self.problems).append(found)
            return
        word = names_country(text, written_about, language)
        if word is not None:
            where = format_path(path[2:])
            entry = f"{where} names {written_about} ('{word}')"
            if entry not in self.naming.setdefault(self.slide_path, []):
                self.naming[self.slide_path].append(entry)

    def language_tag(self, language: str | None, path: KeyPath,
                     country: str | None = None) -> str | None:
        """The proofing tag for text in `language` (``en`` -> ``en-US``), None if unset."""
        if language is None:
            return None
        try:
            return language_tag(language, country or self.locale.country)
        except InputError as exc:
            (problem,) = exc.problems
            self.problem(path, problem.message, problem.hint)
            return None

    def __post_init__(self) -> None:
        self.locale.listener = lambda key, tag: self.note("message", key, tag)

    def message(self, key: str, **values: object) -> Phrase:
        """A generated label (`DeckLocale.phrase`); the locale tells `note` its language."""
        return self.locale.phrase(key, **values)

    def label(self, text: dict[str, str], what: str) -> Phrase:
        """Codebook wording in the deck's language (the deck's catalogue, else the
        codebook's); else English, else any, tagged as what it is and noted."""
        found = self.locale.wording(text, what)
        if found is None:
            self.label_fallbacks.add(what)
            language = "en" if "en" in text else next(iter(text), "en")
            found = (text.get(language, what), language_tag(language, self.locale.country))
            self.note("wording", what, found[1])
        return Phrase.of(apostrophes(found[0]), found[1])

    def item_label(self, battery: str, key: str) -> Phrase:
        """An item's wording: the catalogue's or the codebook's, else the data file's own
        variable label (.sav/.dta; taken to be English), else the item's key."""
        item = self.codebook.batteries[battery].items[key]
        what = f"batteries.{battery}.items.{key}"
        if item.label or (self.locale.catalogue and what in self.locale.catalogue.codebook):
            return self.label(item.label, what)
        tag = language_tag(FILE_LABEL_LANGUAGE, self.locale.country)
        self.note("wording", what, tag)
        return Phrase.of(apostrophes(self.survey.file_labels.get(item.column) or key), tag)

    def bullets(self, bullets: Sequence[Bullet], path: KeyPath, level: int = 0) -> list[Line]:
        lines: list[Line] = []
        for i, bullet in enumerate(bullets):
            lines.append(Line(self.text(bullet.text, (*path, i)) or Phrase(), level))
            lines += self.bullets(bullet.children, (*path, i), level + 1)
        return lines

    # -- figures quoted in text ---------------------------------------------------------

    def record_quotes(self, text: str) -> None:
        """Note the computed figures `text` quotes, for the figures export."""
        if not hasattr(self, "_figures"):
            self._figures = quotable_figures(self.survey, self.country)
        for name in re.findall(r"\{\{\s*([A-Za-z_]+(?:\.[A-Za-z_]+)?)", text):
            if name in self._figures:
                self.quoted.append(self._figures[name])

    @property
    def context(self) -> dict[str, Any]:
        """The values placeholders may quote, formatted for the deck's locale."""
        if not hasattr(self, "_context"):
            self._context = figures_context(self.survey, self.country, self.locale)
        return self._context


def _pick_with_key(text: dict[str, str], language: str) -> tuple[str, str] | None:
    """The text of a language mapping for `language` (or its base language) and the key
    it was given under."""
    base = language.split("_")[0].split("-")[0]
    for key in (language, language.replace("_", "-"), base):
        if key in text:
            return text[key], key
    return None
