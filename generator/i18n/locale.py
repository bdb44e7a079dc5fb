"""Everything language-specific that the generator writes by itself.

`DeckLocale` formats numbers and percentages (Babel/CLDR), names countries in
the deck's language (CLDR), gives Plotly's separators, the language tag for
text runs, and the generated labels and codebook wording: from the deck's own
catalogue, else the package's (`catalogue.py`), else the codebook, else
English. Each comes back as a `Phrase` tagged with the language it is really
in, so an English fallback is proofed as English.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache, cached_property, lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from generator.core.errors import InputError, Problem
from generator.i18n.catalogue import FALLBACK_LANGUAGE, UserCatalogue, shipped
from generator.i18n.phrase import Phrase, Span
from generator.survey.codebook import LocalText, pick_text


def _decimal(value: float) -> Decimal:
    """The decimal a person reads in `value` (4.35 stays 4.35, not 4.3499…)."""
    return Decimal(repr(float(value)))


@lru_cache(maxsize=8192)
def _formatted(value: float, pattern: str, babel: Locale, percent: bool) -> str:
    """`value` (a percentage on 0–100 when `percent`) written with a CLDR `pattern`,
    halves rounded up. Remembered: a rebuild writes the same few hundred figures again."""
    with localcontext(rounding=ROUND_HALF_UP):
        if percent:
            return format_percent(_decimal(value) / 100, format=pattern, locale=babel)
        return format_decimal(_decimal(value), format=pattern, locale=babel)


def parse_language(language: str) -> Locale:
    """A Babel locale for a CLDR code such as ``nb``, ``en_GB`` or ``de-AT``."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InputError(Problem(
            f"unknown language '{language}'",
            hint="use a CLDR locale code such as nb, en, en_GB or de")) from None


@cache
def language_tag(language: str, country: str | None = None) -> str:
    """BCP 47 tag for text in `language` in a deck about `country` (see `DeckLocale.tag`)."""
    return DeckLocale(language, country).tag


class DeckLocale:
    """Formats and labels for one deck language."""

    def __init__(self, language: str, country: str | None = None,
                 catalogue: UserCatalogue | None = None) -> None:
        self.country = country.upper() if country else None
        self.code = language.replace("-", "_")
        self.babel = parse_language(self.code)
        self.language = self.babel.language
        self.catalogue = catalogue
        self.fell_back: set[str] = set()
        self.produced: dict[str, Phrase] = {}
        """Every message made so far, by its text: writers that get a message as plain
        text (a chart's notes) find its languages here."""
        self.listener: Callable[[str, str], None] | None = None
        """Told (key, tag) of every message used: the planner notes what is not in the
        deck's language."""

    @cached_property
    def tag(self) -> str:
        """BCP 47 tag for text runs (proofing language), e.g. ``nb-NO``.

        The region is the locale's own, else the deck's country where the language
        is official there (English about GB -> ``en-GB``), else CLDR's likeliest.
        """
        if self.babel.territory:
            return f"{self.babel.language}-{self.babel.territory}"
        spoken = get_global("territory_languages").get(self.country or "", {})
        if (spoken.get(self.babel.language) or {}).get("official_status") == "official":
            return f"{self.babel.language}-{self.country}"
        likely = get_global("likely_subtags").get(self.babel.language, "")
        region = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{self.babel.language}-{region}" if region.isupper() else self.babel.language

    def _catalogue_tag(self) -> str:
        assert self.catalogue is not None
        return language_tag(self.catalogue.language, self.country)

    def template(self, key: str) -> tuple[str, str]:
        """A message's text and the tag of the language it is in: the deck's catalogue,
        else the package's for the deck's language, else English (noted in `fell_back`)."""
        found = self._template(key)
        if self.listener is not None:
            self.listener(key, found[1])
        return found

    def _template(self, key: str) -> tuple[str, str]:
        if self.catalogue is not None and key in self.catalogue.messages:
            return self.catalogue.messages[key], self._catalogue_tag()
        for code in (self.code, self.language):
            if key in shipped(code):
                return shipped(code)[key], self.tag
        self.fell_back.add(key)
        return shipped(FALLBACK_LANGUAGE)[key], language_tag(FALLBACK_LANGUAGE, self.country)

    def phrase(self, key: str, **values: object) -> Phrase:
        """A generated label, each part tagged: the message's words in its language, a
        `Phrase` filled in keeping its own (an English scale label in a Danish caption)."""
        text, tag = self.template(key)
        spans: list[Span] = []
        for literal, name, spec, conversion in string.Formatter().parse(text):
            spans.append(Span(literal, tag))
            if name is None:
                continue
            value = values[name]
            if isinstance(value, Phrase):
                spans.extend(value.spans)
            else:
                value = repr(value) if conversion == "r" else value
                spans.append(Span(format(value, spec or ""), tag))
        phrase = Phrase(tuple(spans)).merged()
        self.produced[phrase.text] = phrase
        return phrase

    def message(self, key: str, **values: object) -> str:
        """A generated label in the deck's language (English if it has none), as plain text."""
        return self.phrase(key, **values).text

    def wording(self, text: LocalText, key: str) -> tuple[str, str] | None:
        """Codebook wording for the deck's language and its tag: the deck's catalogue
        (entry `key`, e.g. ``batteries.performance.question``), else the codebook's;
        None when neither has it."""
        if self.catalogue is not None and key in self.catalogue.codebook:
            return self.catalogue.codebook[key], self._catalogue_tag()
        chosen = pick_text(text, self.code, fallback="")
        return None if chosen is None else (chosen, self.tag)

    def country_name(self, code: str) -> str:
        """CLDR name of an ISO 3166-1 alpha-2 country in the deck's language."""
        code = code.upper()
        lookup = "GB" if code == "UK" else code
        return self.babel.territories.get(lookup, code)

    def number(self, value: float, digits: int = 1) -> str:
        """``4.56`` -> ``"4,6"`` in Norwegian, ``"4.6"`` in English (halves round up)."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return _formatted(float(value), pattern, self.babel, percent=False)

    def integer(self, value: int) -> str:
        """``7749`` -> ``"7 749"`` in Norwegian, ``"7,749"`` in English."""
        return format_decimal(value, format="#,##0", locale=self.babel)

    def percent(self, value: float, digits: int = 0) -> str:
        """A value on 0–100 as the locale writes percentages: ``"62 %"`` or ``"62%"``."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        pattern = self.babel.percent_formats[None].pattern.split(";")[0]
        if digits:
            pattern = pattern.replace("0", "0." + "0" * digits, 1)
        return _formatted(float(value), pattern, self.babel, percent=True)

    def value(self, value: float | None, kind: str) -> str:
        """An indicator value as shown: a percentage (``62 %``), a coefficient (``+0,11``),
        else a mean (``4,6``); a missing or suppressed value as a dash."""
        if value is None or math.isnan(value):
            return "–"
        if kind == "coefficient":
            return self.signed(value)
        return self.percent(value) if kind == "percent" else self.number(value, 1)

    def signed(self, value: float, digits: int = 2) -> str:
        """A difference with its sign: ``+0,11``, ``-0,04`` (``0,00`` for a rounded zero)."""
        text = self.number(value, digits)
        return text if text.startswith("-") or not value or text.strip("0,.") == "" \
            else "+" + text

    def plural(self, key: str, number: float, /, **values: object) -> Phrase:
        """The message `key` in the plural form CLDR gives `number` in the deck's language
        (``key.one``, ``key.other`` …; ``key.other`` where the catalogue lacks the form)."""
        form = self.babel.plural_form(number)
        chosen = f"{key}.{form}"
        if self._has(chosen):
            return self.phrase(chosen, **values)
        return self.phrase(f"{key}.other", **values)

    def _has(self, key: str) -> bool:
        if self.catalogue is not None and key in self.catalogue.messages:
            return True
        return any(key in shipped(code) for code in (self.code, self.language,
                                                      FALLBACK_LANGUAGE))

    def join_phrases(self, items: list[Phrase]) -> Phrase:
        """Phrases joined as the language lists them (``"a, b og c"`` in Norwegian): each
        item keeps its languages, the joining words (``og``) are the deck's."""
        from babel.lists import format_list

        if not items:
            return Phrase()
        marks = [f"\x00{i}\x00" for i in range(len(items))]
        spans: list[Span] = []
        for i, part in enumerate(format_list(marks, locale=self.babel).split("\x00")):
            if i % 2:
                spans.extend(items[int(part)].spans)
            elif part:
                spans.append(Span(part, self.tag))
        return Phrase(tuple(spans)).merged()

    @cached_property
    def plotly_separators(self) -> str:
        """Plotly's ``layout.separators``: decimal symbol then thousands symbol."""
        return get_decimal_symbol(self.babel) + get_group_symbol(self.babel)
