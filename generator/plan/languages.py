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
from generator.errors import Problem
from generator.i18n.locale import DeckLocale
from generator.plan.content import SlideContent

if TYPE_CHECKING:
    from generator.plan.planner import Planner


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


def _wording_group(key: str) -> str:
    parts = key.split(".")
    if parts[0] == "batteries" and len(parts) > 3:
        return ".".join(parts[:3])
    return ".".join(parts[:2]) if parts[0] in ("scales", "background") else key


def language_report(planner: Planner, slides: Sequence[SlideContent]) -> list[Problem]:
    """One problem per slide (and one for the deck's own texts) with text not in the deck's
    language, saying what and where to add it; one per slide whose text, written for
    another country's deck, names that country; and, on a quick look at another country
    from the command line, each text marked country_specific that came along."""
    language = planner.locale.code
    deck_name = planner.source.file.name
    catalogue = planner.deck.deck.catalogue
    target = catalogue.name if catalogue else f"{language}.yaml"
    by_path = {("slides", s.number - 1): s for s in slides}
    problems = []
    for path, found in sorted(planner.foreign.items(), key=lambda kv: (kv[0][0] == "slides",
                                                                      kv[0][1:])):
        slide = by_path.get(path)
        parts, hints = [], []
        texts = [f for f in found if f.kind == "text"]
        for lang in sorted({f.lang for f in texts}):
            files = sorted({f.file.name for f in texts if f.lang == lang and f.file})
            keys = grouped_keys([f.what for f in texts if f.lang == lang], text_group)
            parts.append(f"{keys} in {lang}" + (f" (from {', '.join(files)})" if files else ""))
        if texts:
            hints.append(f"translate the slide's text under 'id: {slide.id}' in a variant "
                         f"file for {language}" if slide and slide.id else
                         f"give the text for {language} in the deck file")
        for kind, title, group in (("message", "generated labels", text_group),
                                   ("wording", "codebook wording", _wording_group)):
            labels = [f for f in found if f.kind == kind]
            for lang in sorted({f.lang for f in labels}):
                keys = grouped_keys([f.what for f in labels if f.lang == lang], group)
                parts.append(f"{title} {keys} in {lang}")
        if any(f.kind != "text" for f in found):
            hints.append(f"add the labels and wording to {target} (python -m generator "
                         f"{deck_name} --language {language} --write-catalogue {target}"
                         + (")" if catalogue else f", then set deck: {{catalogue: {target}}})"))
        name = f"{slide_name(slide)}: " if slide else ""
        problems.append(planner.source.problem(
            path, f"{name}not in the deck's language '{language}': " + "; ".join(parts),
            "; ".join(hints)))
    for path, named in planner.naming.items():
        slide = by_path.get(path)
        name = slide_name(slide) if slide else "the deck"
        problems.append(planner.source.problem(
            path, f"{name}: text written for another country's deck names that country: "
            + "; ".join(named), f"this deck is about {planner.country}: give the slide's "
            "text for it in a variant file"))
    return planner.kept_specific + problems


def slide_name(slide: SlideContent) -> str:
    return f"slide {slide.number} '{slide.id}'" if slide.id else slide.label
