"""The language report: text not in the deck's language, one problem (or warning) per
language and kind, listing the slides and saying once where to add the translation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.core.errors import Problem, shown_path
from generator.plan.content import SlideContent
from generator.plan.languages import grouped_keys, slide_name, text_group, wording_group

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner


def language_report(planner: Planner, slides: Sequence[SlideContent]) -> list[Problem]:
    """Text not in the deck's language, one problem for each language and kind (deck text
    from one file; generated labels and codebook wording) listing the slides and what on
    each, with the fix once; one per slide whose text, written for another country's
    deck, names that country; and, on a quick look at another country from the command
    line, each text marked country_specific that came along."""
    language = planner.locale.code
    by_path = {("slides", s.number - 1): s for s in slides}
    texts: dict[tuple[str, tuple[str, ...]], dict[KeyPath, list[str]]] = {}
    labels: dict[str, dict[KeyPath, list[str]]] = {}
    for path, found in sorted(planner.foreign.items(), key=lambda kv: (kv[0][0] == "slides",
                                                                      kv[0][1:])):
        for lang in sorted({f.lang for f in found if f.kind == "text"}):
            mine = [f for f in found if f.kind == "text" and f.lang == lang]
            files = tuple(sorted({f.file.name for f in mine if f.file}))
            texts.setdefault((lang, files), {})[path] = [
                grouped_keys([f.what for f in mine], text_group)]
        for lang in sorted({f.lang for f in found if f.kind != "text"}):
            parts = []
            for kind, title, group in (("message", "labels", text_group),
                                       ("wording", "wording", wording_group)):
                keys = [f.what for f in found if f.kind == kind and f.lang == lang]
                if keys:
                    parts.append(f"{title} {grouped_keys(keys, group)}")
            labels.setdefault(lang, {})[path] = parts
    problems = []
    for (lang, files), places in texts.items():
        origin = f" (from {', '.join(files)})" if files else ""
        problems.append(_listed(planner, by_path, places,
                                f"text in {lang}{origin} not in the deck's language "
                                f"'{language}'",
                                f"translate it in a variant file for {language}, under each "
                                "slide's id"))
    for lang, places in labels.items():
        problems.append(_listed(planner, by_path, places,
                                f"generated labels and codebook wording in {lang}, not in "
                                f"the deck's language '{language}'", _catalogue_hint(planner)))
    for path, named in planner.naming.items():
        slide = by_path.get(path)
        name = slide_name(slide) if slide else "the deck"
        problems.append(replace(planner.source.problem(
            path, f"{name}: text written for another country's deck names that country: "
            + "; ".join(named), "give the slide's text for the deck's country in a variant "
            "file"), decks=(planner.country,)))
    return planner.kept_specific + problems


def _listed(planner: Planner, by_path: dict[KeyPath, SlideContent],
            places: dict[KeyPath, list[str]], what: str, hint: str) -> Problem:
    """One problem for `what` found at several `places`: each slide with what it holds."""
    listed = [f"{slide_name(by_path[path]) if path in by_path else 'the deck'} "
              f"({'; '.join(parts)})" for path, parts in places.items()]
    count = f"{len(listed)} slides" if len(listed) > 1 else "1 slide"
    return planner.source.problem(next(iter(places)), f"{what}, on {count}: "
                                  + ", ".join(listed), hint)


def _catalogue_hint(planner: Planner) -> str:
    """How to add the missing labels and wording: the command as it runs from the folder
    the user is in, and the catalogue's name as the deck file gives it."""
    language = planner.locale.code
    deck_file = planner.source.file
    catalogue = planner.deck.deck.catalogue
    written = catalogue if catalogue else deck_file.parent / f"{language}.yaml"
    command = (f"python -m generator {shown_path(deck_file)} --language {language} "
               f"--write-catalogue {shown_path(written)}")
    if catalogue:
        return f"add them to {shown_path(catalogue)} ({command})"
    return (f"add them to a catalogue ({command}), fill it in, then set deck: "
            f"{{catalogue: {written.name}}}")
