"""Deck texts read for their language (`generator.i18n.detect`): one problem per slide whose
text reads as another language than the one it is tagged with, such as a Danish deck
copied and set to Swedish.

A text of `ALONE_WORDS` words or more is read by itself; a slide's shorter texts of one
tag (its title and short bullets) are read together, which is enough to tell where each
alone is not. Texts too short even then (names, acronyms, labels) are not judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from babel import Locale

from generator.errors import Problem
from generator.i18n.detect import Reading, base_language, reading, words
from generator.plan.content import SlideContent
from generator.plan.languages import grouped_keys, slide_name, text_group
from generator.plan.texts import KeyPath, WrittenText

if TYPE_CHECKING:
    from generator.plan.planner import Planner

ALONE_WORDS = 8


def misread_report(planner: Planner, slides: Sequence[SlideContent]) -> list[Problem]:
    """One problem per pair of tagged language and language read, listing the slides (or
    the deck's own texts) with their keys and how sure each reading is."""
    deck_languages = sorted({base_language(w.tag) for w in planner.written})
    found: dict[tuple[str, str], dict[KeyPath, list[tuple[list[WrittenText], Reading]]]] = {}
    for group in _groups(planner.written):
        read = reading("\n".join(w.text for w in group), group[0].tag, deck_languages)
        if read is not None:
            found.setdefault((read.tagged, read.reads_as), {}).setdefault(
                group[0].slide, []).append((group, read))
    by_path = {("slides", s.number - 1): s for s in slides}
    problems = []
    for (tagged, reads_as), per_slide in found.items():
        places = []
        for path, readings in per_slide.items():
            slide = by_path.get(path)
            keys = grouped_keys([w.key for texts, _ in readings for w in texts], text_group)
            sure = min(r.confidence for _, r in readings)
            places.append(f"{slide_name(slide) if slide else 'the deck'} ({keys}: {sure:.2f})")
        first = next(iter(per_slide.values()))[0][0][0]
        what = f"text tagged {_name(tagged)} ({tagged}) reads as {_name(reads_as)} ({reads_as})"
        problems.append(planner.source.problem(
            first.path or first.slide,
            f"{what} on {_slides(len(places))} (the keys: how sure, 0 to 1): "
            + ", ".join(places),
            f"write it in {_name(tagged)} (in a variant file, under each slide's id); where it "
            f"is meant to be in {_name(reads_as)}, say so: {{{reads_as}: …}}, or "
            f"[words]{{lang={reads_as}}} for a few words"))
    return problems


def _groups(written: Sequence[WrittenText]) -> list[list[WrittenText]]:
    """Each long text alone; a slide's short texts of one tag together, in order."""
    groups: dict[tuple[KeyPath, str, str], list[WrittenText]] = {}
    for text in written:
        alone = len(words(text.text)) >= ALONE_WORDS
        key = (text.slide, text.tag, text.key if alone else "")
        groups.setdefault(key, []).append(text)
    return list(groups.values())


def _slides(count: int) -> str:
    return "1 slide" if count == 1 else f"{count} slides"


def _name(language: str) -> str:
    """A language's English name (``da`` -> ``Danish``)."""
    return Locale("en").languages.get(language, language)
