"""The language and country checks of a planned deck: which texts are not in the deck's
language (for ``--check`` and ``--strict``), and which words name a country.

The planner notes each text not in the deck's language as a `Foreign` under its
slide while it resolves the deck; `language_report` turns those notes (and the
texts that name another country) into one problem per slide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from generator.deckfile.yamlsource import SAFE_LOADER
from generator.i18n.locale import DeckLocale
from generator.plan.content import SlideContent

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Foreign:
    """A text on a slide that is not in the deck's language, and where it comes from:
    ``text`` (deck text at `what`, written in `file`), ``message`` (a generated label,
    `what` its catalogue key) or ``wording`` (codebook wording, `what` its catalogue key)."""

    kind: str
    what: str
    lang: str
    file: Path | None = None


@cache
def _demonyms() -> dict[str, dict[str, list[str]]]:
    """language -> country -> word stems naming its people or things (``norsk``)."""
    path = resources.files("generator.i18n") / "locales" / "demonyms.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def country_words(country: str, language: str) -> list[str]:
    """Word stems that name `country` in `language`: its CLDR name and, for the shipped
    languages, the stems of its adjective and demonym (``Norge``, ``norsk``, ``nordm``)."""
    locale = DeckLocale(language)
    words = [locale.country_name(country)]
    words += _demonyms().get(locale.language, {}).get(country, [])
    return [w for w in words if w and w != country]


def names_country(text: str, country: str, language: str) -> str | None:
    """The first word of `text` that names `country` in `language`, if one does."""
    for stem in country_words(country, language):
        found = re.search(rf"\b{re.escape(stem)}\w*", text, flags=re.IGNORECASE)
        if found:
            return found.group(0)
    return None


def grouped_keys(keys: Sequence[str], prefix_of: Callable[[str], str]) -> str:
    """Keys listed once per group: ``bullets (10), title``."""
    groups: dict[str, int] = {}
    for key in keys:
        groups[prefix_of(key)] = groups.get(prefix_of(key), 0) + 1
    return ", ".join(f"{g} ({n})" if n > 1 else g for g, n in groups.items())


def text_group(path: str) -> str:
    return re.sub(r"\[\d+\].*$", "", path)


def wording_group(key: str) -> str:
    parts = key.split(".")
    if parts[0] == "batteries" and len(parts) > 3:
        return ".".join(parts[:3])
    return ".".join(parts[:2]) if parts[0] in ("scales", "background") else key


def slide_name(slide: SlideContent) -> str:
    return f"slide {slide.number} '{slide.id}'" if slide.id else slide.label
