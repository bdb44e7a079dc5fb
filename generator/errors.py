"""The exception family the command line turns into clear messages.

`InputError` (exit status 2) is anything the user can fix in their files or
machine; any other `GeneratorError` (exit status 1) is an internal fault.
"""

from __future__ import annotations

from dataclasses import dataclass
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
        if self.hint:
            text += f" ({self.hint})"
        return text


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
