"""Where a run writes its decks, checked before anything is drawn: one file per deck,
a folder that can be written, and no .pptx replaced that this generator did not make
(unless ``--force``)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from generator.core.errors import InputError, Problem
from generator.deckfile.confine import Confinement
from generator.deckfile.yamlsource import SourceMap
from generator.output.pptx.identity import PROPERTY_PREFIX

CUSTOM_PROPERTIES = "docProps/custom.xml"


def check_inside(paths: Sequence[Path], source: SourceMap, confine: Confinement) -> None:
    """The deck file's own ``output:``, filled in for each deck, inside its tree: a
    problem per folder outside."""
    outside = {path.resolve().parent: confine.output_problem(source, path) for path in paths}
    if any(outside.values()):
        raise InputError(*(p for p in outside.values() if p is not None))


def check_distinct(paths: Sequence[tuple[str, Path]], pattern_at: str) -> None:
    """`paths`: each deck of the run (as messages name it) and where it would be written.
    Two decks writing one file (after following symlinks and ``..``) is a problem naming
    both decks and where the output pattern is given (`pattern_at`)."""
    seen: dict[Path, tuple[str, Path]] = {}
    for deck, path in paths:
        real = path.resolve()
        if real in seen:
            other, other_path = seen[real]
            where = (f"to {path}" if other_path == path else
                     f"to one file: {other_path} and {path} are both {real}")
            raise InputError(Problem(
                f"{pattern_at}: the decks for {other} and {deck} would both be written "
                f"{where}", hint="put {country} (and {group}) in the output pattern"))
        seen[real] = (deck, path)


def check_writable(target: Path) -> None:
    """The target's folder exists (made if need be) and can be written."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Problem(f"cannot create the output folder: {exc.strerror}",
                                 file=folder, hint="choose another 'output:' path")) from None
    if not os.access(folder, os.W_OK):
        raise InputError(Problem("the output folder is not writable", file=folder,
                                 hint="choose another 'output:' path or fix its permissions"))


def made_here(path: Path) -> bool:
    """Whether the .pptx at `path` carries this generator's record of what it made (its
    ``SurveyDeckManifest…`` custom document properties). Read from the package's
    properties part alone, without opening the presentation."""
    try:
        with zipfile.ZipFile(path) as package:
            blob = package.read(CUSTOM_PROPERTIES)
        root = etree.fromstring(blob)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return False
    return any((prop.get("name") or "").startswith(PROPERTY_PREFIX) for prop in root)


def check_not_foreign(target: Path, force: bool, named_by: str) -> None:
    """A file already at `target` (which `named_by` gave) that this generator did not
    make is not replaced without ``--force``."""
    if force or not target.exists() or (target.is_file() and made_here(target)):
        return
    what = "a folder" if target.is_dir() else "a file this generator did not make"
    raise InputError(Problem(
        f"there is {what} here (it has no {PROPERTY_PREFIX} document properties): not "
        f"replaced ({named_by})", file=target,
        hint="write the deck elsewhere (-o PATH, or the deck's 'output:'), or add --force "
             "to replace it"))
