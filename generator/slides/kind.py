"""`SlideType`: everything one slide type brings, checked when it is registered.

A slide type is its deck-file model (the keys a slide of this ``type`` takes),
its plan step (the validated slide -> what it shows, in `SlideContent`), its
layout step (that content -> boxes and fitted sizes, on a `SlideFrame`) and the
template layout its slides are made from. Writers need nothing per type.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from generator.deckfile.model import SlideBase
from generator.layout.frame import SlideFrame
from generator.plan.content import SlideContent

if TYPE_CHECKING:
    from generator.plan.planner import KeyPath, Planner

PlanStep = Callable[["Planner", Any, SlideContent, "KeyPath"], None]
"""Fills a fresh `SlideContent` (title and notes already in) from the deck's slide at
its key path, reporting problems through the planner."""
LayoutStep = Callable[[SlideFrame], None]
"""Places the slide's texts, chart, table or picture on the frame, in drawing order."""


@dataclass(frozen=True)
class SlideType:
    """One slide type: its name (the deck file's ``type``), model, plan and layout steps,
    and the name of the template's slide layout it uses."""

    name: str
    model: type[SlideBase]
    plan: PlanStep
    layout: LayoutStep
    template_layout: str

    def __post_init__(self) -> None:
        missing = [part for part in ("model", "plan", "layout", "template_layout")
                   if not getattr(self, part)]
        if missing:
            raise TypeError(f"slide type '{self.name}' lacks its " + ", ".join(missing))
        if not (isinstance(self.model, type) and issubclass(self.model, SlideBase)):
            raise TypeError(f"slide type '{self.name}': its model must be a SlideBase")
        for part in ("plan", "layout"):
            if not callable(getattr(self, part)):
                raise TypeError(f"slide type '{self.name}': its {part} step is not callable")
        field = self.model.model_fields.get("type")
        if field is None or typing.get_args(field.annotation) != (self.name,) \
                or typing.get_origin(field.annotation) is not Literal:
            raise TypeError(f"slide type '{self.name}': its model's 'type' must be "
                            f"Literal['{self.name}']")
