"""Deck files that start from another: ``extends:``.

A variant names its base file and overrides deck settings (key by key) and
single slides by their ``id`` (keys merged into the base slide, or the whole
slide when its ``type`` changes; a new ``title`` drops the base's
``title_language``, which described the old title). It can drop base slides (``remove: [id, …]``)
and add new ones (a slide with a new ``id`` and ``after: <id>``). Paths are
made absolute relative to the file that wrote them, before merging, and every
value keeps the file and line it came from. A slide override that cannot be
placed is a problem, collected with the others so that the rest of the deck is
still checked.

Each file's plain text is in that file's own ``deck.language`` and about its
own ``deck.country`` (a file that gives neither writes in its base's): the
merged `SourceMap.contexts` keep this per file, so a Norwegian bullet inherited
by a Danish variant stays Norwegian.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.core.errors import InputError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.slideids import duplicate_ids, taken_by_base
from generator.deckfile.yamlsource import (
    KeyPath,
    Mark,
    SourceMap,
    TextContext,
    did_you_mean,
    load_yaml,
)

DECK_PATH_KEYS = ("data", "codebook", "template", "cache_dir", "output", "catalogue")
DEFAULT_LANGUAGE = "en"  # deck.language when no file gives one


def load_deck_data(path: Path, confine: Confinement | None = None,
                   _chain: tuple[Path, ...] = ()) -> tuple[Any, SourceMap, list[Problem]]:
    """The deck file's data with its ``extends:`` chain merged in, where each value is
    from, and the problems of overrides that could not be merged (left out). With
    `confine`, a base outside it is refused unread, and so is every path of the merged
    data outside it (a problem each)."""
    data, source, problems = _load_chain(path, confine, _chain)
    if confine is not None and not _chain:
        problems += confine.path_problems(data, source)
    return data, source, problems


def _load_chain(path: Path, confine: Confinement | None,
                chain: tuple[Path, ...]) -> tuple[Any, SourceMap, list[Problem]]:
    data, source = load_yaml(path)
    if not isinstance(data, dict):
        return data, source, []
    _absolute_paths(data, path.parent)
    own_problems = duplicate_ids(data, source)
    base_name = data.pop("extends", None)
    if base_name is None:
        source.contexts[path] = _text_context(data, None)
        return data, source, own_problems
    if not isinstance(base_name, str):
        raise InputError(source.problem(("extends",), "extends must name a deck file",
                                         "e.g. extends: ../slides.yaml"))
    base_path = (path.parent / base_name).resolve()
    if base_path in (*chain, path.resolve()):
        raise InputError(source.problem(("extends",), "the deck extends itself in a loop",
                                        "point 'extends:' at the base deck file"))
    if confine is not None and not confine.holds(base_path):
        raise InputError(confine.refusal(source, ("extends",), path.parent / base_name))
    if not base_path.is_file():
        raise InputError(source.problem(("extends",), f"base deck not found: {base_path}",
                                        "the path is relative to this file"))
    base, base_source, problems = _load_chain(base_path, confine, (*chain, path.resolve()))
    if not isinstance(base, dict):
        raise InputError(base_source.problem((), "the base deck is not a deck file"))
    merged, merged_source, merge_problems = _merge(base, base_source, data, source)
    merged_source.contexts = {**base_source.contexts,
                              path: _text_context(data, base_source.contexts.get(base_path))}
    return merged, merged_source, problems + own_problems + merge_problems


def _text_context(data: dict, base: TextContext | None) -> TextContext:
    """What one file's plain text is in and about: its own deck settings, else its base's."""
    deck = data.get("deck") if isinstance(data.get("deck"), dict) else {}
    language = deck.get("language") if isinstance(deck.get("language"), str) else None
    country = deck.get("country") if isinstance(deck.get("country"), str) else None
    return TextContext(
        language or (base.language if base else DEFAULT_LANGUAGE),
        country.upper() if country else (base.country if base else None))


def _absolute_paths(data: dict, folder: Path) -> None:
    deck = data.get("deck")
    if isinstance(deck, dict):
        for key in DECK_PATH_KEYS:
            if isinstance(deck.get(key), str):
                deck[key] = str(folder / deck[key])
    slides = data.get("slides")
    for slide in slides if isinstance(slides, list) else []:
        if isinstance(slide, dict) and isinstance(slide.get("path"), str):
            slide["path"] = str(folder / slide["path"])


def _moved(marks: dict[KeyPath, Mark], old: KeyPath, new: KeyPath) -> dict[KeyPath, Mark]:
    """The marks under `old`, re-keyed under `new`."""
    return {new + path[len(old):]: mark for path, mark in marks.items()
            if path[: len(old)] == old}


def _without(marks: dict[KeyPath, Mark], prefix: KeyPath) -> dict[KeyPath, Mark]:
    return {path: mark for path, mark in marks.items() if path[: len(prefix)] != prefix}


def _merge(base: dict, base_source: SourceMap, variant: dict,
           source: SourceMap) -> tuple[dict, SourceMap, list[Problem]]:
    merged = dict(base)
    marks = dict(base_source.marks)
    for key, value in variant.items():
        if key in ("deck", "slides", "remove"):
            continue
        merged[key] = value  # unknown top-level keys are left for the schema to report
        marks.update(_moved(source.marks, (key,), (key,)))

    deck_override = variant.get("deck")
    if isinstance(deck_override, dict) and isinstance(base.get("deck"), dict):
        deck = dict(base["deck"])
        for key, value in deck_override.items():
            if isinstance(value, dict) and isinstance(deck.get(key), dict):
                deck[key] = {**deck[key], **value}
                marks.update(_moved(source.marks, ("deck", key), ("deck", key)))
            else:
                deck[key] = value
                marks = _without(marks, ("deck", key))
                marks.update(_moved(source.marks, ("deck", key), ("deck", key)))
        merged["deck"] = deck
    elif deck_override is not None:
        merged["deck"] = deck_override
        marks = _without(marks, ("deck",)) | _moved(source.marks, ("deck",), ("deck",))

    base_slides = base.get("slides")
    if not isinstance(base_slides, list):
        raise InputError(base_source.problem(("slides",), "slides must be a list of slides"))
    slides, slide_marks, problems = _merge_slides(base_slides, base_source, variant, source)
    merged["slides"] = slides
    marks = _without(marks, ("slides",)) | slide_marks
    return merged, SourceMap(source.file, marks, base_source.slips + source.slips), problems


def _merge_slides(base_slides: list, base_source: SourceMap, variant: dict,
                  source: SourceMap) -> tuple[list, dict[KeyPath, Mark], list[Problem]]:
    """The base's slides with the variant's removals, overrides and additions, their
    marks, and a problem for each removal or override that names no slide."""
    # each entry: (slide data, marks relative to the slide)
    entries = [(slide, _moved(base_source.marks, ("slides", i), ()))
               for i, slide in enumerate(base_slides)]

    def ids() -> list[str]:
        return [str(s.get("id")) for s, _ in entries if isinstance(s, dict) and s.get("id")]

    def index_of(slide_id: str) -> int | None:
        for i, (slide, _) in enumerate(entries):
            if isinstance(slide, dict) and slide.get("id") == slide_id:
                return i
        return None

    problems: list[Problem] = []
    base_ids = set(ids())
    removals = variant.get("remove") or []
    if not isinstance(removals, list):
        problems.append(source.problem(("remove",), "remove must be a list of slide ids"))
        removals = []
    for n, slide_id in enumerate(removals):
        at = index_of(slide_id)
        if at is None:
            problems.append(source.problem(("remove", n), f"no slide with id '{slide_id}'",
                                           did_you_mean(str(slide_id), ids())))
            continue
        del entries[at]

    overrides = variant.get("slides") or []
    if not isinstance(overrides, list):
        problems.append(source.problem(("slides",), "slides must be a list"))
        overrides = []
    for n, override in enumerate(overrides):
        own = _moved(source.marks, ("slides", n), ())
        if not isinstance(override, dict) or "id" not in override:
            problems.append(source.problem(
                ("slides", n), "a slide in a variant needs the 'id' of the slide it changes",
                "or a new id with 'after: <id>' to add a slide"))
            continue
        at = index_of(override["id"])
        if at is not None and "after" in override and override["id"] in base_ids:
            problems.append(taken_by_base(override["id"], entries[at][1].get(("id",)), source,
                                          ("slides", n)))
            continue
        if at is None:
            after = override.get("after")
            if after is None:
                problems.append(source.problem(
                    ("slides", n, "id"), f"no slide with id '{override['id']}' in the base",
                    did_you_mean(str(override["id"]), ids()) + "; to add a slide, give "
                    "'after: <id>'"))
                continue
            place = index_of(after)
            if place is None:
                problems.append(source.problem(("slides", n, "after"),
                                               f"no slide with id '{after}'",
                                               did_you_mean(str(after), ids())))
                continue
            slide = {k: v for k, v in override.items() if k != "after"}
            entries.insert(place + 1, (slide, _without(own, ("after",))))
            continue
        slide, slide_marks = entries[at]
        if "type" in override and override["type"] != slide.get("type"):
            entries[at] = (override, own)
            continue
        updated, updated_marks = dict(slide), dict(slide_marks)
        if "title" in override and "title_language" not in override:
            # a new title is in the deck's language unless the variant says otherwise
            updated.pop("title_language", None)
            updated_marks = _without(updated_marks, ("title_language",))
        for key, value in override.items():
            updated[key] = value
            updated_marks = _without(updated_marks, (key,)) | _moved(own, (key,), (key,))
        entries[at] = (updated, updated_marks)

    marks: dict[KeyPath, Mark] = {}
    for i, (_, slide_marks) in enumerate(entries):
        marks.update({("slides", i, *path): mark for path, mark in slide_marks.items()})
    return [slide for slide, _ in entries], marks, problems
