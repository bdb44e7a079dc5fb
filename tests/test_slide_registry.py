"""The slide-type registry: every entry complete, and the deck schema's types read from it."""

from __future__ import annotations

from typing import Literal

import pytest

from generator.deckfile.jsonschema import deck_json_schema
from generator.deckfile.model import SlideBase
from generator.slides import SLIDE_TYPES, bullets, registry
from generator.slides.kind import SlideType


class PollSlide(SlideBase):
    type: Literal["poll"]


def _plan(planner, slide, content, path) -> None:
    content.subtitle = None


def _layout(frame) -> None:
    frame.title(frame.geometry.title, frame.theme.title_pt)


def test_the_registry_holds_the_nine_slide_types_each_complete():
    assert list(SLIDE_TYPES) == ["title", "section", "bullets", "two_column", "chart", "table",
                                 "image", "closing", "association"]
    for name, kind in SLIDE_TYPES.items():
        assert kind.name == name
        assert kind.model.model_fields["type"].annotation == Literal[name]
        assert callable(kind.plan) and callable(kind.layout)
        assert kind.template_layout in {"Title Slide", "Section Header", "Title and Content",
                                        "Two Content", "Title Only"}


def test_the_schema_types_are_the_registry_names():
    schema = deck_json_schema()
    slide_refs = schema["properties"]["slides"]["items"]["discriminator"]["mapping"]
    assert sorted(slide_refs) == sorted(SLIDE_TYPES)


def test_a_complete_new_type_registers():
    poll = SlideType("poll", PollSlide, _plan, _layout, template_layout="Title Only")
    assert registry(*SLIDE_TYPES.values(), poll)["poll"] is poll


@pytest.mark.parametrize("missing", ["model", "plan", "layout", "template_layout"])
def test_an_entry_missing_a_part_fails(missing):
    parts = {"model": PollSlide, "plan": _plan, "layout": _layout,
             "template_layout": "Title Only", missing: None}
    with pytest.raises(TypeError, match=f"slide type 'poll' lacks its {missing}"):
        SlideType("poll", **parts)


def test_an_entry_whose_model_names_another_type_fails():
    with pytest.raises(TypeError, match=r"its model's 'type' must be Literal\['survey'\]"):
        SlideType("survey", PollSlide, _plan, _layout, template_layout="Title Only")


def test_a_step_that_is_not_callable_fails():
    with pytest.raises(TypeError, match="its layout step is not callable"):
        SlideType("poll", PollSlide, _plan, "layout", template_layout="Title Only")


def test_a_type_registered_twice_fails():
    with pytest.raises(TypeError, match="'bullets' is registered twice"):
        registry(bullets.TYPE, bullets.TYPE)
