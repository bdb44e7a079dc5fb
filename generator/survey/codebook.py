"""The codebook: what the survey's columns mean, in each language.

`load_codebook(path)` returns a validated, immutable `Codebook`. A user with
the real archived COCOPS file edits only the `column:` entries.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from generator.core.errors import InputError
from generator.deckfile.validation import StrictModel, validate
from generator.deckfile.yamlsource import SourceMap, did_you_mean, load_yaml

LocalText = dict[str, str]
"""Text per language code, e.g. ``{"en": "Internal vertical", "nb": "Intern vertikal"}``."""


def pick_text(text: LocalText, language: str, fallback: str = "en") -> str | None:
    """The text for `language` (or its base language), else the fallback's, else None."""
    base = language.split("_")[0].split("-")[0]
    for key in (language, base, fallback):
        if key in text:
            return text[key]
    return None


class Scale(StrictModel):
    """An answer scale: the valid points, labels, and codes that are not answers."""

    points: list[int] = Field(min_length=2)
    labels: dict[int, LocalText] = Field(
        description="Labels of (at least) the end points, per language")
    non_answers: dict[int, LocalText] = Field(
        default_factory=dict,
        description="Codes that are answers but not on the scale, e.g. 8 = can't assess")
    missing: list[int] = Field(
        default_factory=list, description="Codes meaning no answer (besides empty cells)")

    @property
    def low(self) -> int:
        return min(self.points)

    @property
    def high(self) -> int:
        return max(self.points)


class Item(StrictModel):
    """One survey question or battery item, stored in one data column."""

    column: str
    label: LocalText = Field(
        default_factory=dict, description="Wording per language; if left out, the data "
                                           "file's own variable label (.sav/.dta) is used")


class Battery(StrictModel):
    """A group of items asked with one question stem and one scale."""

    question: LocalText
    scale: str
    items: dict[str, Item] = Field(min_length=1)


class BackgroundVariable(StrictModel):
    """A respondent characteristic such as policy field or hierarchical level."""

    column: str
    label: LocalText
    values: dict[int | str, LocalText] = Field(default_factory=dict)


class Dataset(StrictModel):
    """Facts about the data set as a whole."""

    name: LocalText
    source: LocalText
    synthetic: bool = False
    fieldwork: str
    country_column: str
    country_codes: dict[int | str, str] = Field(
        default_factory=dict,
        description="Country codes of the data mapped to ISO 3166-1 alpha-2 codes, e.g. "
                    "{1: AT, 7: GB}, for codes whose value labels name no country CLDR knows")
    id_column: str | None = Field(
        None, description="The respondent id, used to name respondents in messages "
                          "(default: a column called id, if there is one)")
    weight_column: str | None = None
    invited: dict[str, int] = Field(
        default_factory=dict, description="Executives invited per country (response rates)")

    @field_validator("country_codes")
    @classmethod
    def _iso_codes(cls, value: dict[int | str, str]) -> dict[int | str, str]:
        bad = [f"{code}: {iso}" for code, iso in value.items()
               if not (len(iso) == 2 and iso.isascii() and iso.isalpha())]
        if bad:
            raise ValueError(f"not two-letter country codes: {', '.join(bad)}"
                             " | map each code to an ISO 3166-1 alpha-2 code, e.g. 7: GB")
        return {code: iso.upper() for code, iso in value.items()}


class Codebook(StrictModel):
    """The validated codebook (see `data/codebook.yaml`)."""

    dataset: Dataset
    background: dict[str, BackgroundVariable] = Field(default_factory=dict)
    scales: dict[str, Scale]
    batteries: dict[str, Battery]

    @model_validator(mode="after")
    def _scales_exist(self) -> Codebook:
        for key, battery in self.batteries.items():
            if battery.scale not in self.scales:
                raise ValueError(
                    f"batteries.{key}.scale: unknown scale '{battery.scale}' "
                    f"({did_you_mean(battery.scale, self.scales)})")
        return self

    def item_columns(self) -> dict[str, str]:
        """Every column the codebook names, mapped to where it is named."""
        columns = {self.dataset.country_column: "dataset.country_column"}
        if self.dataset.weight_column:
            columns[self.dataset.weight_column] = "dataset.weight_column"
        for key, var in self.background.items():
            columns[var.column] = f"background.{key}.column"
        for bkey, battery in self.batteries.items():
            for ikey, item in battery.items.items():
                columns[item.column] = f"batteries.{bkey}.items.{ikey}.column"
        return columns


def load_codebook(path: Path) -> tuple[Codebook, SourceMap]:
    """Read and validate a codebook YAML file; returns it with its source map."""
    data, source = load_yaml(path)
    try:
        codebook = validate(Codebook, data, source, "a codebook")
    except InputError as exc:
        raise InputError(*source.slips, *exc.problems) from None
    if source.slips:
        raise InputError(*source.slips)
    return codebook, source

