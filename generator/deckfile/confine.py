"""A deck file stays in its own tree.

The files a deck file names (data, codebook, template, catalogue, images, the base it
``extends:``) and the places it writes to (its ``output:`` and ``cache_dir:``) must lie
inside the deck file's folder or the current folder, with symlinks followed, or inside
a folder the command line allows (``--allow-path DIR``). A deck file cannot allow a
folder itself. Paths typed on the command line (``-o``, ``--update``, ``--cache-dir``,
``--write-catalogue``) are the user's own choice and are not judged here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import Problem
from generator.deckfile.yamlsource import SourceMap

READ_KEYS = ("data", "codebook", "template", "catalogue")
"""Keys of ``deck:`` naming files the build reads."""
WRITE_KEYS = ("cache_dir",)
"""Keys of ``deck:`` naming places the build writes to (``output`` is judged per deck,
once its pattern is filled in: `Confinement.output_problem`)."""


@dataclass(frozen=True)
class Confinement:
    """The folders a deck file may reach: resolved, symlinks followed."""

    roots: tuple[Path, ...]
    allowed: tuple[Path, ...] = ()  # the --allow-path folders among `roots`

    @classmethod
    def of(cls, deck_file: Path, allowed: Iterable[Path] = ()) -> Confinement:
        """The deck file's folder, the current folder and the `allowed` folders."""
        extra = tuple(Path(folder).resolve() for folder in allowed)
        return cls((deck_file.resolve().parent, Path.cwd().resolve(), *extra), extra)

    def holds(self, path: Path) -> bool:
        """Whether `path`, its symlinks followed, lies inside one of the roots."""
        real = Path(path).resolve()
        return any(real == root or root in real.parents for root in self.roots)

    def refusal(self, source: SourceMap, key: Sequence[str | int], path: Path,
                writes: bool = False) -> Problem:
        """The problem for `path`, given at `key`, lying outside every root."""
        real = Path(path).resolve()
        plain = Path(os.path.normpath(Path(path).absolute()))  # `..` taken out, no link followed
        followed = f" (through a symlink: {real})" if real != plain else ""
        verb = "writes" if writes else "reads"
        return source.problem(
            key, f"{path}{followed} is outside the deck file's folder and the current folder: "
            f"a deck file {verb} only there",
            f"move it inside, or allow its folder on the command line: --allow-path "
            f"{real if real.is_dir() else real.parent}")

    def path_problems(self, data: Any, source: SourceMap) -> list[Problem]:
        """A refusal for each path of a merged deck file's data (``deck:`` keys and image
        slides' ``path``) that lies outside."""
        problems = []
        deck = data.get("deck") if isinstance(data, dict) else None
        for key in (*READ_KEYS, *WRITE_KEYS):
            value = deck.get(key) if isinstance(deck, dict) else None
            if isinstance(value, str) and not self.holds(Path(value)):
                problems.append(self.refusal(source, ("deck", key), Path(value),
                                             writes=key in WRITE_KEYS))
        slides = data.get("slides") if isinstance(data, dict) else None
        for n, slide in enumerate(slides if isinstance(slides, list) else []):
            value = slide.get("path") if isinstance(slide, dict) else None
            if isinstance(value, str) and not self.holds(Path(value)):
                problems.append(self.refusal(source, ("slides", n, "path"), Path(value)))
        return problems

    def output_problem(self, source: SourceMap, target: Path) -> Problem | None:
        """A refusal when the deck's own ``output:`` (filled in) lies outside."""
        if self.holds(target):
            return None
        problem = self.refusal(source, ("deck", "output"), target, writes=True)
        return Problem(problem.message, file=problem.file, line=problem.line,
                       column=problem.column, where=problem.where,
                       hint=f"{problem.hint}; or name the file on the command line: -o PATH")
