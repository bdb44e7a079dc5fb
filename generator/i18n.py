"""Everything language-specific that the generator writes by itself.

`DeckLocale` formats numbers and percentages (Babel/CLDR), names countries in
the deck's language (CLDR), gives Plotly's separators, the language tag for
text runs, and the generated labels from the message catalogues in
`generator/locales/` (English is the fallback for a language without one).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache, cached_property
from importlib import resources

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from generator.errors import InputError, Problem

FALLBACK_LANGUAGE = "en"


def _decimal(value: float) -> Decimal:
    """The decimal a person reads in `value` (4.35 stays 4.35, not 4.3499…)."""
    return Decimal(repr(float(value)))


@cache
def _catalogue(language: str) -> dict[str, str]:
    """The message catalogue of one language, or {} if none is shipped."""
    path = resources.files("generator") / "locales" / f"{language}.yaml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def parse_language(language: str) -> Locale:
    """A Babel locale for a CLDR code such as ``nb``, ``en_GB`` or ``de-AT``."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InputError(Problem(
            f"unknown language '{language}'",
            hint="use a CLDR locale code such as nb, en, en_GB or de")) from None


class DeckLocale:
    """Formats and labels for one deck language."""

    def __init__(self, language: str, country: str | None = None) -> None:
        self.country = country.upper() if country else None
        self.code = language.replace("-", "_")
        self.babel = parse_language(self.code)
        self.language = self.babel.language
        self.fell_back: set[str] = set()

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

    @property
    def has_catalogue(self) -> bool:
        return bool(_catalogue(self.language))

    def message(self, key: str, **values: object) -> str:
        """A generated label in the deck's language (English if it has none)."""
        text = _catalogue(self.language).get(key)
        if text is None:
            self.fell_back.add(key)
            text = _catalogue(FALLBACK_LANGUAGE)[key]
        return text.format(**values)

    def country_name(self, code: str) -> str:
        """CLDR name of an ISO 3166-1 alpha-2 country in the deck's language."""
        code = code.upper()
        lookup = "GB" if code == "UK" else code
        return self.babel.territories.get(lookup, code)

    def number(self, value: float, digits: int = 1) -> str:
        """``4.56`` -> ``"4,6"`` in Norwegian, ``"4.6"`` in English (halves round up)."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        with localcontext(rounding=ROUND_HALF_UP):
            return format_decimal(_decimal(value), format=pattern, locale=self.babel)

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
        with localcontext(rounding=ROUND_HALF_UP):
            return format_percent(_decimal(value) / 100, format=pattern, locale=self.babel)

    def value(self, value: float | None, kind: str) -> str:
        """An indicator value as shown: a percentage (``62 %``), else a mean (``4,6``);
        a missing or suppressed value as a dash."""
        if value is None or math.isnan(value):
            return "–"
        return self.percent(value) if kind == "percent" else self.number(value, 1)

    def join_list(self, items: list[str]) -> str:
        """Items joined as the language lists them: ``"a, b og c"`` in Norwegian."""
        from babel.lists import format_list

        return format_list(items, locale=self.babel) if items else ""

    @cached_property
    def plotly_separators(self) -> str:
        """Plotly's ``layout.separators``: decimal symbol then thousands symbol."""
        return get_decimal_symbol(self.babel) + get_group_symbol(self.babel)
