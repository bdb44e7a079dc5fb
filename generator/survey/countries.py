"""Country names to ISO 3166-1 alpha-2 codes, through CLDR's territory names (Babel).

An archived survey file stores its country variable as numbers whose value
labels name the countries ("Austria", "Norge", "United Kingdom"). `CountryNames`
finds the ISO code of such a name the way a reader would: case, accents,
punctuation and "&"/"and" do not matter, and a name may be given in English
or in any of the languages asked for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from babel import Locale, UnknownLocaleError

NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ"}
"""Two-letter CLDR territory codes that name groups or placeholders, not countries."""

ENGLISH_ALTERNATIVES = {
    "BA": ("Bosnia",),
    "CD": ("Congo (DRC)",),
    "CG": ("Congo (Republic)",),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "FK": ("Falkland Islands (Islas Malvinas)",),
    "GB": ("UK",),
    "HK": ("Hong Kong",),
    "MM": ("Myanmar",),
    "MO": ("Macao",),
    "PS": ("Palestine",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "US": ("US",),
}
"""CLDR's own short and variant English names (``alt="short"``/``alt="variant"`` in
en.xml), which Babel's compiled data leave out."""


def normalise(name: str) -> str:
    """A name as compared: lower case, no accents, '&' as 'and', no punctuation."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def is_country_code(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 code CLDR names (``NO``, ``GB``; not ``EU``)."""
    return code in _english_names() and code not in NOT_COUNTRIES


@cache
def _english_names() -> dict[str, str]:
    return {code: name for code, name in Locale("en").territories.items()
            if len(code) == 2 and code.isalpha()}


@cache
def _names_in(language: str) -> dict[str, str]:
    try:
        territories = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError, TypeError):
        return {}
    return {code: name for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}


@cache
def _index(languages: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Normalised name -> the codes it names, in English and `languages`."""
    codes: dict[str, set[str]] = {}
    named = [(name, code) for code, names in ENGLISH_ALTERNATIVES.items() for name in names]
    for language in ("en", *languages):
        named += [(name, code) for code, name in _names_in(language).items()]
    for name, code in named:
        codes.setdefault(normalise(name), set()).add(code)
    return {name: frozenset(found) for name, found in codes.items()}


class CountryNames:
    """Looks up ISO codes by country name in English and the given languages."""

    def __init__(self, languages: Iterable[str] = ()) -> None:
        self.languages = tuple(dict.fromkeys(languages))

    def code_of(self, label: str) -> str | None:
        """The ISO code `label` names: an ISO code itself, or a country's name; None
        when it names no country or several."""
        text = label.strip()
        if len(text) == 2 and is_country_code(text.upper()):
            return text.upper()
        found = _index(self.languages).get(normalise(text), frozenset())
        return next(iter(found)) if len(found) == 1 else None
