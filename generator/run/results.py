"""What a build makes and hands between its stages: the result, a deck laid out
and waiting for its charts, one deck of a run, and the time each stage took."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pptx.presentation import Presentation

from generator.core.errors import Problem
from generator.core.theme import DEFAULT_THEME, Theme
from generator.i18n.locale import DeckLocale
from generator.layout.elements import SlideLayout
from generator.output.pptx import accessibility
from generator.output.pptx.layouts import LayoutChoice
from generator.output.pptx.template import BUILTIN_TEMPLATE
from generator.output.pptx.update import (
    UpdateReport,
)
from generator.output.render.renderer import RenderStats
from generator.plan import subgroups
from generator.plan.content import SlideContent

if TYPE_CHECKING:
    pass



@dataclass
class BuildResult:
    """What a build made, for the summary line, tests and benchmarks."""

    outputs: list[Path]
    slides: int
    charts: int
    render: RenderStats
    warnings: list[str] = field(default_factory=list)
    notices: list[Problem | str] = field(default_factory=list)
    """The warnings before they are put in words: a many-deck run's parts merge these."""
    seconds: dict[str, float] = field(default_factory=dict)
    memory_mb: list[float] = field(default_factory=list)  # resident memory after each batch
    extras: list[Path] = field(default_factory=list)  # outputs beside the decks, the report
    update: UpdateReport | None = None  # what --update changed and kept
    notes: list[str] = field(default_factory=list)  # the template's layouts, and why

    @property
    def output(self) -> Path | None:
        """The deck written, when the build made one."""
        return self.outputs[0] if len(self.outputs) == 1 else None


@dataclass
class PreparedDeck:
    """One deck checked and laid out, waiting only for its chart images."""

    slides: list[SlideContent]
    layouts: list[SlideLayout]  # each slide's boxes and fitted sizes, in order
    prs: Presentation
    builtin: bool
    locale: DeckLocale
    title: str
    target: Path
    warnings: list[str | Problem]  # a Problem where it depends on the deck (`merge_decks`)
    focus: str | None = None  # a subgroup deck: its group, as the figures export names it
    compared: str | None = None  # ... and its comparison group
    template: str = BUILTIN_TEMPLATE  # the template's identity (`open_template`)
    chosen: dict[str, LayoutChoice] | None = None  # the template's layout of each role
    theme: Theme = DEFAULT_THEME
    notes: list[str] = field(default_factory=list)  # what --check says of the template
    findings: list[accessibility.Finding] = field(default_factory=list)  # accessibility

    @property
    def charted(self) -> list[SlideContent]:
        return [s for s in self.slides if s.chart is not None]


@dataclass(frozen=True)
class DeckTarget:
    """One deck of a run: a country and, with ``--for-each``, one subgroup of it."""

    country: str
    group: subgroups.Subgroup | None = None
    file_part: str | None = None  # the subgroup's {group} in the output name

    def __str__(self) -> str:
        return self.country if self.group is None else (
            f"{self.country} {self.group.key}={self.group.code}")


class Clock:
    """Seconds spent per stage, for the benchmark's breakdown."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


BATCH_DECKS = 8  # decks laid out, rendered and written together: memory stays flat
