"""What the command line can change about a build, and where charts are cached.

Kept apart from `generator.run.build` and free of heavy imports: the command line
makes its options, and may start the chart browser from them
(`generator.run.earlystart`), before the build's libraries are loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    country: str | None = None
    language: str | None = None
    all_countries: bool = False
    output: Path | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    check_only: bool = False
    check_layout: bool = False  # with check_only: image charts drawn and checked (layoutcheck)
    charts: str | None = None  # image | native: overrides the deck's setting
    render_timeout: float = 60.0
    max_data_mb: float | None = None  # overrides the deck's max_data_mb
    browser_start_timeout: float = 20.0
    strict: bool = False  # other-language text, accessibility findings: errors, not warnings
    for_each: str | None = None  # a background variable: one deck per value of it
    shard: tuple[int, int] | None = None  # (i, n): build only the i-th of n parts (1-based)
    jobs: int = 1  # worker processes for many decks
    update_path: Path | None = None  # refresh this edited deck in place (update.py)
    figures: bool = False  # write <deck>.figures.csv beside each deck
    outputs: tuple[str, ...] = ()  # more files beside each deck: pdf, html (output.writers)
    report: bool = False  # write one HTML quality report for the build
    allowed_paths: tuple[Path, ...] = ()  # --allow-path: folders a deck file may reach too
    force: bool = False  # replace a .pptx this generator did not make

    @property
    def many(self) -> bool:
        """Whether the build makes many decks (per country or per subgroup)."""
        return self.all_countries or self.for_each is not None


def default_cache_dir() -> Path:
    """The per-user chart cache: ``$XDG_CACHE_HOME/survey-deck/charts`` (~/.cache/...).

    One place for every deck and output folder, so charts are not rendered again
    for a deck written elsewhere; entries are named by content, so decks never mix.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "survey-deck" / "charts"


def cache_folder(options: BuildOptions, deck_cache_dir: Path | None) -> Path | None:
    """Where chart images are cached: ``--cache-dir``, the deck's `cache_dir`, else the
    per-user cache; None with ``--no-cache``."""
    if not options.use_cache:
        return None
    return options.cache_dir or deck_cache_dir or default_cache_dir()
