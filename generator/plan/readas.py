"""Deck texts read for their language (`generator.i18n.detect`): one problem per slide whose
text reads as another language than the one it is tagged with, such as a Danish deck
copied and set to Swedish; and the deck's own catalogue read the same way (a Danish
catalogue copied and labelled ``language: sv``), naming its file and keys.

A text of `ALONE_WORDS` words or more is read by itself; a slide's shorter texts of one
tag (its title and short bullets), or a catalogue section's shorter entries, are read
together, which is enough to tell where each alone is not. Texts too short even then
(names, acronyms, labels) are not judged.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from babel import Locale

from generator.core.errors import Problem
from generator.i18n.catalogue import UserCatalogue
from generator.i18n.detect import Reading, base_language, reading, words
from generator.plan.content import SlideContent
from generator.plan.languages import grouped_keys, slide_name, text_group
from generator.plan.texts import KeyPath, WrittenText

if TYPE_CHECKING:
    from generator.plan.planner import Planner

ALONE_WORDS = 8


def misread_report(planner: Planner, slides: Sequence[SlideContent]) -> list[Problem]:
    """One problem per pair of tagged language and language read, listing the slides (or
    the deck's own texts) with their keys and how sure each reading is; then the deck's
    catalogue's (`catalogue_misread`)."""
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
    catalogue = planner.locale.catalogue
    if catalogue is not None:
        problems += catalogue_misread(catalogue, [*deck_languages, catalogue.language])
    return problems


def catalogue_misread(catalogue: UserCatalogue, deck_languages: Iterable[str] = ()
                      ) -> list[Problem]:
    """The catalogue's entries read for their language (without their ``{placeholders}``):
    one problem per language read, at the catalogue file's first such entry, listing the
    keys of each section and how sure the reading is."""
    found: dict[str, dict[str, list[tuple[list[str], Reading]]]] = {}
    for section, entries in (("messages", catalogue.messages), ("codebook", catalogue.codebook)):
        texts = {key: _words_of(text) for key, text in entries.items()}
        alone = [[key] for key, text in texts.items() if len(words(text)) >= ALONE_WORDS]
        short = [key for key, text in texts.items() if len(words(text)) < ALONE_WORDS]
        for keys in [*alone, short]:
            read = reading("\n".join(texts[k] for k in keys), catalogue.language,
                           deck_languages) if keys else None
            if read is not None:
                found.setdefault(read.reads_as, {}).setdefault(section, []).append((keys, read))
    problems = []
    tagged = base_language(catalogue.language)
    order = {section: list(entries) for section, entries in (
        ("messages", catalogue.messages), ("codebook", catalogue.codebook))}
    for reads_as, per_section in found.items():
        places, count, first = [], 0, None
        for section, readings in per_section.items():
            keys = sorted((key for group, _ in readings for key in group),
                          key=order[section].index)  # as in the file
            first = first or (section, keys[0])
            count += len(keys)
            sure = min(r.confidence for _, r in readings)
            places.append(f"{section}: {grouped_keys(keys, _entry_group)}: {sure:.2f}")
        problems.append(catalogue.problem(
            first or (),
            f"catalogue text in {_name(tagged)} ({tagged}), as its 'language:' says, reads as "
            f"{_name(reads_as)} ({reads_as}) in {count} entries (the keys by section: how "
            "sure, 0 to 1): " + "; ".join(places),
            f"translate them into {_name(tagged)}; a catalogue in {_name(reads_as)} says "
            f"language: {reads_as}, for a deck in {_name(reads_as)}"))
    return problems


def _words_of(message: str) -> str:
    """A catalogue entry's own words: its text without ``{placeholders}``."""
    try:
        return " ".join(literal for literal, *_ in string.Formatter().parse(message))
    except ValueError:  # an unbalanced brace: reported by the catalogue's own check
        return message


def _entry_group(key: str) -> str:
    """``alt.higher`` -> ``alt``; ``batteries.performance.items.x`` -> ``batteries.performance``."""
    parts = key.split(".")
    return ".".join(parts[:2] if parts[0] in ("batteries", "scales", "background") else parts[:1])


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
