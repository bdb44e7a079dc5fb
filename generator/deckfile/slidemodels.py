"""The deck file's slide models: the keys a slide of each ``type`` takes, validated
where the deck file is read. Each model's plan and layout steps live in
`generator.slides`, whose registry pairs them (`SlideType`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from generator.deckfile.model import (
    Bullets,
    ChartRenderer,
    ChartSpec,
    Filter,
    IndicatorSpec,
    SlideBase,
    StrictModel,
    Text,
)


class TitleSlide(SlideBase):
    type: Literal["title"]
    subtitle: Text | None = None
    footnote: Text | None = None


class SectionSlide(SlideBase):
    type: Literal["section"]
    subtitle: Text | None = None


class BulletsSlide(SlideBase):
    type: Literal["bullets"]
    bullets: Bullets = ()
    footnote: Text | None = None


class BulletsColumn(StrictModel):
    bullets: Bullets


def _column_kind(value: Any) -> str:
    return "bullets" if isinstance(value, dict) and "bullets" in value else "chart"


Column = Annotated[
    Annotated[BulletsColumn, Tag("bullets")] | Annotated[ChartSpec, Tag("chart")],
    Discriminator(_column_kind),
]


class TwoColumnSlide(SlideBase):
    type: Literal["two_column"]
    left: Column
    right: Column


class ChartSlide(SlideBase, ChartSpec):
    type: Literal["chart"]
    findings: Literal["notes"] | None = Field(
        None, description="notes: sentences on the values that differ significantly from "
                          "the other countries, after the slide's own notes")


class TableSlide(SlideBase, IndicatorSpec):
    type: Literal["table"]


class ImageSlide(SlideBase):
    type: Literal["image"]
    path: Path = Field(description="A PNG or JPEG file, relative to the deck file")
    caption: Text | None = None


class ClosingSlide(SlideBase):
    type: Literal["closing"]
    bullets: Bullets = ()


class AssociationSlide(SlideBase):
    type: Literal["association"]
    outcome: str = Field(description="The battery whose index (the mean of its items) is "
                                     "explained")
    predictors: tuple[str, ...] = Field(min_length=1, description="Batteries whose items "
                                        "are the predictors")
    background: tuple[str, ...] = Field((), description="Background variables added as "
                                        "categories (the first code is the reference)")
    scope: Literal["pooled", "country"] = Field(
        "pooled", description="pooled: every country, with country fixed effects; country: "
                              "the deck's country alone")
    errors: Literal["hc1", "cluster"] = Field(
        "hc1", description="hc1: robust standard errors; cluster: clustered by country "
                           "(pooled only)")
    ci: float = Field(0.95, gt=0, lt=1, description="Level of the intervals drawn")
    significance: float = Field(0.05, gt=0, lt=0.5, description="Level of the tests the "
                                                                 "findings rest on")
    filter: Filter | None = Field(None, description="Only these respondents (replaces the "
                                                    "deck's filter)")
    findings: Literal["bullets", "notes", "none"] = Field(
        "bullets", description="Where the generated sentences go")
    outcome_label: Text | None = Field(None, description="The outcome's name in the "
                                       "sentences, e.g. coordination quality")
    caption: Text | None = Field(None, description="Replaces the generated caption")
    charts: ChartRenderer | None = None

    @model_validator(mode="after")
    def _clusters_need_countries(self) -> AssociationSlide:
        if self.errors == "cluster" and self.scope == "country":
            raise ValueError("errors: cluster clusters by country, so it needs scope: pooled "
                             "| use errors: hc1 within one country")
        return self


SLIDE_MODELS = (TitleSlide, SectionSlide, BulletsSlide, TwoColumnSlide, ChartSlide, TableSlide,
                ImageSlide, ClosingSlide, AssociationSlide)
"""Every slide model, in the order the schema lists their types."""
