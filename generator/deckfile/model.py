"""The parts of the deck file's schema as typed, immutable models: the deck's settings,
text, bullets, what every slide has (`SlideBase`) and what charts and tables ask for.

Each slide type's own model is in its module in `generator.slides`; the whole
deck (`Deck`) and `load_deck` are in `deckfile.deck`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from babel import Locale, UnknownLocaleError
from pydantic import (
    BeforeValidator,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from generator.deckfile.validation import LocatedError, StrictModel
from generator.deckfile.yamlsource import did_you_mean

Text = str | dict[str, str]
"""Free text: one string, or a mapping of language code to text."""

CHART_KINDS = ("bar", "ranking", "likert", "dotplot")
"""The kinds a chart slide may name (`chart:`), in the order the schema lists them; each
is a module of `generator.charts` (`charts.registry`)."""
ChartKind = Literal[CHART_KINDS]  # type: ignore[valid-type]
"""The chart kinds deck files may name: those of the chart registry."""
IndicatorName = Literal["mean", "pct_range", "distribution"]
Comparison = Literal["all", "others", "country_mean"]
ChartRenderer = Literal["image", "native"]
Correction = Literal["holm", "bh"]
LayoutRole = Literal["title", "section", "content", "two_content", "title_only"]
"""The roles a template's slide layouts play (`output.layouts`)."""
HexColour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
FilterValue = int | str | tuple[int | str, ...]
Filter = dict[str, FilterValue]
"""Background variable key -> the code (or codes) of the respondents to keep."""
MAX_BULLET_DEPTH = 3


class Bullet(StrictModel):
    """One bullet with its sub-bullets (at most three levels in all)."""

    text: Text
    children: tuple[Bullet, ...] = ()


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")


def is_language_code(key: object) -> bool:
    """Whether `key` is a CLDR language code (``nb``, ``en_GB``, ``pt-BR``), as opposed
    to text that YAML read as a key (``Kontekst``, ``NB``)."""
    if not (isinstance(key, str) and LANGUAGE_CODE.fullmatch(key)):
        return False
    try:
        Locale.parse(key.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _is_language_map(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(
        is_language_code(k) and isinstance(v, str) for k, v in value.items())


def _quoted(text: str) -> str:
    """`text` as a double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bullet_slip(item: Any, next_item: Any) -> tuple[str, str] | None:
    """Message and fix for the two slips of hand-written bullets, if `item` is one.

    ``- Kontekst: finanskrisen`` is a one-key mapping to text: the colon made a
    key. ``- Parent:`` with its sub-bullets not indented maps to nothing: they
    became its siblings.
    """
    if not (isinstance(item, dict) and len(item) == 1) or "text" in item:
        return None
    (key, value), = item.items()
    if value is None:
        example = next_item if isinstance(next_item, str) else "the first sub-bullet"
        return (f"the bullet '{key}:' ends with ':' but no sub-bullets are indented under it, "
                "so YAML read the bullets after it as its siblings",
                f"indent its sub-bullets under it: '- {key}:' then, on the next line and 4 "
                f"spaces further in, '- {example}'; if it has none, remove the ':'")
    if isinstance(value, str | int | float | bool) and not is_language_code(key):
        text = f"{key}: {value}"
        return ("this bullet contains ': ' so YAML read it as a key "
                f"'{key}' with the text '{value}'",
                f"quote the text: - {_quoted(text)}")
    return None


def _parse_bullets(items: Any, depth: int = 1) -> list[Any]:
    """Accepts the short YAML forms of nested bullets and returns `Bullet` data.

    A bullet is a string, a language mapping ``{nb: …, en: …}``, a one-key
    mapping ``{"Parent text": [children]}``, or ``{text: …, children: […]}``.
    Every slip in the list is reported at once (`LocatedError`), each at its bullet.
    """
    if not isinstance(items, list):
        raise ValueError("bullets must be a list | start each bullet with '- '")
    if depth > MAX_BULLET_DEPTH:
        raise ValueError(f"bullets are nested deeper than {MAX_BULLET_DEPTH} levels"
                         " | move the deepest level up")
    parsed: list[Any] = []
    slips: list[tuple[tuple[int | str, ...], str, str | None]] = []
    for i, item in enumerate(items):
        slip = _bullet_slip(item, items[i + 1] if i + 1 < len(items) else None)
        try:
            if slip is not None:
                slips.append(((i,), *slip))
            elif isinstance(item, str) or _is_language_map(item):
                parsed.append({"text": item})
            elif isinstance(item, dict) and "text" in item:
                children = item.get("children", [])
                parsed.append({**item, "children": _parse_bullets(children, depth + 1)})
            elif isinstance(item, dict) and len(item) == 1:
                (text, children), = item.items()
                parsed.append({"text": str(text),
                               "children": _parse_bullets(children, depth + 1)})
            else:
                slips.append(((i,), f"a bullet must be text or 'text: [sub-bullets]', got "
                                    f"{item!r}", "quote text that contains ': '"))
        except LocatedError as inner:
            key = "children" if isinstance(item, dict) and "text" in item else next(iter(item))
            slips += [((i, key, *at), message, hint) for at, message, hint in inner.problems]
        except ValueError as inner:
            message, _, hint = str(inner).partition(" | ")
            key = "children" if isinstance(item, dict) and "text" in item else next(iter(item))
            slips.append(((i, key), message, hint or None))
    if slips:
        raise LocatedError(slips)
    return parsed


BULLET_INPUT_SCHEMA: dict[str, Any] = {
    "description": "A bullet: text, {language: text}, {text: [sub-bullets]} or "
                   "{text: …, children: […]}",
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "object", "minProperties": 1, "maxProperties": 1,
         "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/BulletInput"}}},
        {"type": "object", "required": ["text"], "additionalProperties": False,
         "properties": {"text": {}, "children": {
             "type": "array", "items": {"$ref": "#/$defs/BulletInput"}}}},
    ],
}
BULLET_INPUT_MARK = {"$comment": "BulletInput"}  # replaced by a $ref in jsonschema.py
def _parse_top_bullets(items: Any) -> list[Any]:
    """`_parse_bullets` at the top level: one parameter, as every pydantic 2 release
    calls a validator (some take a second parameter for their validation info)."""
    return _parse_bullets(items)


Bullets = Annotated[tuple[Bullet, ...], BeforeValidator(_parse_top_bullets), WithJsonSchema(
    {"type": "array", "items": BULLET_INPUT_MARK})]
"""Bullets as written in YAML (see `_parse_bullets`); the JSON Schema says the same."""


class Footer(StrictModel):
    """What the bottom of every content slide shows."""

    source: bool = Field(True, description="Show the data set's source line")
    slide_numbers: bool = True
    text: Text | None = Field(None, description="Extra footer text, e.g. the event")


class ThemeSettings(StrictModel):
    """The ``theme:`` section: fonts and chart colours set by hand, over the template's."""

    font: str | None = Field(None, description="Body text and charts (default: the "
                                               "template theme's body font)")
    title_font: str | None = Field(None, description="Titles (default: the template "
                                                     "theme's heading font)")
    accent: HexColour | None = Field(None, description="The deck's country on charts, "
                                                       "#RRGGBB (default: accent 1)")
    series: tuple[HexColour, ...] | None = Field(
        None, min_length=1, description="The series of a by: chart in order (default: the "
                                        "theme's accents)")
    comparison: HexColour | None = Field(None, description="The comparison on charts "
                                                           "(default: a grey, 3:1 contrast)")
    text: HexColour | None = Field(None, description="Chart text (default: dark 1)")
    background: HexColour | None = Field(None, description="The background colours are "
                                                            "checked against (default: light 1)")


class DeckSettings(StrictModel):
    """The ``deck:`` section: what the deck is about and where things are."""

    title: Text
    country: str = Field(description="ISO 3166-1 alpha-2 code of the deck's country")
    language: str = Field("en", description="CLDR locale of labels and numbers, e.g. nb, en, de")
    compare_with: Comparison = "all"
    data: Path = Field(description="Respondent-level data: .csv .parquet .sav .dta .xlsx")
    codebook: Path
    template: Path | None = Field(None, description="A .pptx whose slide layouts to use")
    layouts: dict[LayoutRole, str] | None = Field(
        None, description="The template's layout (by name) for a role, overriding the one "
                          "found by what layouts hold, e.g. {title: Tittellysbilde}")
    theme: ThemeSettings | None = None
    output: str = Field("output/deck_{country}_{language}.pptx",
                        description="Output path; {country}, {language} and (with "
                                    "--for-each) {group} are filled in")
    footer: Footer = Footer()
    min_base: int = Field(30, ge=1, description="Fewer valid answers than this: value suppressed")
    weight: str | None = Field(None, description="Weight column (overrides the codebook's)")
    max_data_mb: float = Field(
        500, gt=0, description="A data file larger than this many megabytes is refused "
                               "before it is read (--max-data-mb overrides it)")
    cache_dir: Path | None = Field(None, description="Chart image cache (default: the per-user "
                                             "cache, ~/.cache/survey-deck/charts)")
    charts: ChartRenderer | None = Field(
        None, description="image: Plotly pictures (needs Chromium); native: editable "
                          "PowerPoint charts. Left out: image, or native when no browser")
    author: str | None = None
    catalogue: Path | None = Field(
        None, description="The deck's own catalogue (YAML): generated labels and codebook "
                          "wording in its language, overriding the package's; write one with "
                          "--write-catalogue")
    significance: float | None = Field(
        None, gt=0, lt=0.5, description="Mark values that differ from the other countries at "
                                        "this level, e.g. 0.05; null: no tests")
    correction: Correction | None = Field(
        None, description="Adjust the p-values of a chart's items: holm or bh "
                          "(Benjamini–Hochberg); null: none")
    ci: float | None = Field(None, gt=0, lt=1, description="Confidence intervals at this level, "
                                                            "e.g. 0.95; null: none")
    warn_base: int | None = Field(
        None, ge=1, description="Fewer valid answers than this (but at least min_base): the "
                                "value is shown with a mark and a note")
    filter: Filter | None = Field(
        None, description="Only respondents with these background values, e.g. "
                          "{policy_field: 2} or {level: [1, 2]}")

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        if not (isinstance(value, str) and len(value) == 2 and value.isalpha()):
            raise ValueError(f"'{value}' is not a two-letter country code | e.g. NO, DE, GB")
        return value.upper()

    @field_validator("output")
    @classmethod
    def _output_pattern(cls, value: str) -> str:
        if not value.endswith(".pptx"):
            raise ValueError("the output file must end in .pptx")
        try:
            value.format(country="NO", language="nb", group="g")
        except (KeyError, IndexError, ValueError):
            raise ValueError("only {country}, {language} and {group} can be filled into the "
                             "output path | remove other {…} fields") from None
        return value


class SlideBase(StrictModel):
    """Keys every slide has."""

    id: str | None = Field(None, description="A name to refer to the slide by")
    title: Text
    title_language: str | None = Field(
        None, description="The title's language where it is not the deck's (e.g. en for an "
                          "English project name in a Norwegian deck): its proofing language")
    notes: Text | None = Field(None, description="Speaker notes")
    country_specific: bool | tuple[str, ...] = Field(
        False, description="The slide's text is about the deck's country (true), or these "
                           "keys of it (e.g. [notes]): a deck about another country must give "
                           "its own")

    @model_validator(mode="after")
    def _country_specific_keys(self) -> SlideBase:
        if isinstance(self.country_specific, tuple):
            texts = [k for k in TEXT_KEYS if k in type(self).model_fields]
            for key in self.country_specific:
                if key not in texts:
                    raise ValueError(f"country_specific: '{key}' is not a text of this slide"
                                     f" | {did_you_mean(key, texts)}")
        return self

    def country_specific_keys(self) -> tuple[str, ...]:
        """The text keys marked as written about the deck's country."""
        if self.country_specific is True:
            return tuple(k for k in TEXT_KEYS if k in type(self).model_fields)
        return self.country_specific or ()


TEXT_KEYS = ("title", "subtitle", "bullets", "left", "right", "caption", "footnote", "notes")
"""The keys of a slide that hold its free text."""


class IndicatorSpec(StrictModel):
    """Which numbers: a codebook battery, some of its items, and an indicator."""

    battery: str
    items: tuple[str, ...] | None = Field(None, description="Items to show, in this order")
    indicator: IndicatorName | None = Field(
        None, description="mean, pct_range (share in `range`) or distribution")
    range: tuple[int, int] | None = Field(None, description="Scale points counted by pct_range")
    caption: Text | None = Field(None, description="Question and scale; generated if left out")
    significance: float | Literal[False] | None = Field(
        None, description="Overrides deck.significance for this slide (false: no tests)")
    ci: float | Literal[False] | None = Field(
        None, description="Overrides deck.ci for this slide (false: no intervals)")
    filter: Filter | None = Field(
        None, description="Only respondents with these background values (replaces the "
                          "deck's filter), e.g. {policy_field: 2}")

    @field_validator("significance", "ci")
    @classmethod
    def _level(cls, value: float | bool | None) -> float | bool | None:
        if value is not False and value is not None and not 0 < value < 1:
            raise ValueError("give a level between 0 and 1, e.g. 0.05, or false for none")
        return value

    @model_validator(mode="after")
    def _range_order(self) -> IndicatorSpec:
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("range must be [low, high] | e.g. range: [5, 7]")
        return self


class ChartSpec(IndicatorSpec):
    """How to draw the numbers."""

    chart: ChartKind = "bar"
    item: str | None = Field(None, description="The item a ranking shows (default: the first)")
    orientation: Literal["auto", "vertical", "horizontal"] = "auto"
    sort: Literal["none", "country", "comparison"] = "none"
    non_answers: Literal["hide", "show"] = Field(
        "hide", description="likert: show 'can't assess' as its own bar segment")
    charts: ChartRenderer | None = Field(None, description="This chart as image or native")
    by: str | None = Field(
        None, description="bar: one bar per value of this background variable (e.g. level) "
                          "for the deck's country, each with its N")

    def resolved_indicator(self) -> IndicatorName:
        """The indicator, defaulting by chart kind (distribution for likert, else mean)."""
        if self.indicator is not None:
            return self.indicator
        return "distribution" if self.chart == "likert" else "mean"
