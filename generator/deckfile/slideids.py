"""Slide ids are identities: a file gives each id once, and a variant's new slide takes
an id its base does not use. A duplicate is a problem naming both places."""

from __future__ import annotations

from typing import Any

from generator.core.errors import Problem
from generator.deckfile.yamlsource import Mark, SourceMap


def place(source: SourceMap, path: tuple) -> str:
    """``file:line`` of the value at `path`."""
    file, line, _ = source.locate(path)
    return f"{file}:{line}" if line is not None else str(file)


def duplicate_ids(data: Any, source: SourceMap) -> list[Problem]:
    """A problem for each slide of one file's ``slides:`` whose ``id`` an earlier slide
    of the same list already gave."""
    slides = data.get("slides") if isinstance(data, dict) else None
    first: dict[str, int] = {}
    problems = []
    for n, slide in enumerate(slides if isinstance(slides, list) else []):
        slide_id = slide.get("id") if isinstance(slide, dict) else None
        if not isinstance(slide_id, str | int) or isinstance(slide_id, bool):
            continue
        if str(slide_id) not in first:
            first[str(slide_id)] = n
            continue
        earlier = first[str(slide_id)]
        problems.append(source.problem(
            ("slides", n, "id"),
            f"the slide id '{slide_id}' is given twice: here and at "
            f"{place(source, ('slides', earlier, 'id'))} (slides[{earlier}])",
            "give each slide an id of its own: an update finds a slide by it, and a "
            "variant changes the slide it names"))
    return problems


def taken_by_base(slide_id: object, base_mark: Mark | None, source: SourceMap,
                  at: tuple) -> Problem:
    """A variant's new slide (``after:``) whose id is a slide of its base already."""
    where = f", at {base_mark[0]}:{base_mark[1]}" if base_mark else ""
    return source.problem(
        (*at, "id"), f"the new slide's id '{slide_id}' is already a slide of the base{where}",
        "give the new slide an id of its own; to change that slide instead, leave out "
        "'after:'")
