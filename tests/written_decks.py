"""Every .pptx the tests write, checked against the OOXML schemas and package rules
(`ooxml_package.check_deck`), wherever a test builds it: the conftest hooks call
`WrittenDecks.check_new` after each test and `WrittenDecks.sweep` at the end.

Decks are found in the run's temporary folder (pytest's ``basetemp``): after each test,
in the folders made since the previous test (its ``tmp_path``, and those of fixtures
it started); at the end of the run, every deck written or rewritten since it was last
checked. A file is checked again only when its size or time changed.
"""

from __future__ import annotations

import fnmatch
import os
import time
import zipfile
from collections import Counter
from pathlib import Path

from ooxml_package import check_deck


class WrittenDecks:
    """What this process has checked, and the counts for the run's summary."""

    def __init__(self, basetemp: Path) -> None:
        self.basetemp = basetemp
        self.known = self._folders()
        self.seen: dict[Path, tuple[int, int]] = {}
        self.counts: Counter[str] = Counter()

    def _folders(self) -> set[str]:
        """The folders in ``basetemp`` (not pytest's ``…current`` links to them)."""
        return {entry.name for entry in os.scandir(self.basetemp)
                if entry.is_dir(follow_symlinks=False)}

    def check_new(self, *, exempt: frozenset[str] = frozenset()) -> list[str]:
        """Check the decks in the folders made since the last call (those whose path in
        its folder, such as a test's ``tmp_path``, matches a pattern of `exempt`: only
        note them); the problems found, each naming its deck."""
        folders = self._folders()
        new, self.known = folders - self.known, folders
        return self._check([self.basetemp / name for name in sorted(new)], exempt)

    def sweep(self) -> list[str]:
        """Check every deck written since it was last checked."""
        return self._check([self.basetemp], exempt=frozenset())

    def _check(self, folders: list[Path], exempt: frozenset[str]) -> list[str]:
        problems = []
        for folder in folders:
            for deck in _decks_in(folder):
                stat = deck.stat()
                if self.seen.get(deck) == (stat.st_mtime_ns, stat.st_size):
                    continue
                self.seen[deck] = (stat.st_mtime_ns, stat.st_size)
                inside = deck.relative_to(folder).as_posix()
                if any(fnmatch.fnmatchcase(inside, pattern) for pattern in exempt):
                    self.counts["exempt"] += 1
                elif not zipfile.is_zipfile(deck):
                    problems.append(f"{deck.relative_to(self.basetemp)}: not a zip package")
                else:
                    problems += self._one(deck)
        return problems

    def _one(self, deck: Path) -> list[str]:
        start = time.perf_counter()
        check = check_deck(deck)
        self.counts["milliseconds"] += round((time.perf_counter() - start) * 1000)
        self.counts["decks"] += 1
        self.counts["parts"] += check.parts
        self.counts["workbooks"] += check.workbooks
        for finding in check.accepted:
            self.counts[f"accepted: {finding.accepted.name}"] += 1
        name = deck.relative_to(self.basetemp)
        return [f"{name}: {problem}" for problem in check.problems]


def _decks_in(folder: Path) -> list[Path]:
    """The .pptx files under `folder` (links not followed)."""
    return sorted(Path(top, name) for top, _, names in os.walk(folder)
                  for name in names if name.endswith(".pptx"))


def summary(counts: Counter[str]) -> list[str]:
    """The lines the run's report prints."""
    lines = [f"OOXML: {counts['decks']} decks the tests wrote validated against the "
             f"transitional schemas ({counts['parts']} XML parts, {counts['workbooks']} "
             f"embedded workbooks among them) and the package rules, in "
             f"{counts['milliseconds'] / 1000:.1f} s"]
    accepted = sorted((k.removeprefix("accepted: "), n) for k, n in counts.items()
                      if k.startswith("accepted: "))
    if accepted:
        lines.append("  baseline deviations accepted (see ooxml_schema.BASELINE): "
                     + ", ".join(f"{name} ×{n}" for name, n in accepted))
    if counts["exempt"]:
        lines.append(f"  {counts['exempt']} .pptx files not checked: written by tests "
                     "marked ooxml_unchecked")
    return lines
