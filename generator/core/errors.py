"""The exception family the command line turns into clear messages.

`InputError` (exit status 2) is anything the user can fix in their files or
machine; any other `GeneratorError` (exit status 1) is an internal fault.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    where: str | None = None
    hint: str | None = None
    decks: tuple[str, ...] = ()
    """The decks of a many-deck run it was found in, where it depends on the deck
    (``DE``): `merge_decks` makes the same problem in many decks one, listing them."""

    def __str__(self) -> str:
        place = ""
        if self.file is not None:
            place = str(self.file)
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            place += ": "
        text = place
        if self.where:
            text += f"{self.where}: "
        text += self.message
        if self.decks:
            text += f" (deck{'s' if len(self.decks) > 1 else ''} for {', '.join(self.decks)})"
        if self.hint:
            text += f" ({self.hint})"
        return text


def merge_decks(found: Iterable[Problem | str]) -> list[Problem | str]:
    """Each problem (or warning) once, in the order found: a problem found in several
    decks is one, listing them."""
    merged: dict[Problem | str, Problem | str] = {}
    for item in found:
        key = replace(item, decks=()) if isinstance(item, Problem) else item
        before = merged.get(key)
        if isinstance(before, Problem) and isinstance(item, Problem):
            item = replace(before, decks=before.decks + tuple(
                d for d in item.decks if d not in before.decks))
        merged[key] = item if before is None or isinstance(item, Problem) else before
    return list(merged.values())


def shown_path(path: Path) -> str:
    """A path as a command to run from the current folder takes it: relative to that
    folder where it is inside it, quoted for the shell where it needs to be."""
    if path.is_absolute():
        with contextlib.suppress(ValueError, OSError):
            path = path.relative_to(Path.cwd())
    return shlex.quote(str(path))


class GeneratorError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_status = 1

    def __init__(self, *problems: Problem | str, notes: tuple[str, ...] = ()) -> None:
        self.problems: list[Problem] = [
            p if isinstance(p, Problem) else Problem(p) for p in problems
        ]
        self.notes = tuple(notes)  # checks left out because of these problems, and why
        super().__init__("\n".join([*(str(p) for p in self.problems),
                                    *(f"({note})" for note in self.notes)]))


class InputError(GeneratorError):
    """Bad deck file, codebook, data file, or output location: the user can fix it."""

    exit_status = 2


class BrowserError(GeneratorError):
    """No usable Chromium/Chrome for rendering charts, or it crashed or hung."""

    exit_status = 2


class OfficeError(InputError):
    """No LibreOffice for ``--pdf``, or it failed or hung converting a deck."""
