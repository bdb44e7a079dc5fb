"""Subgroup decks (``--for-each KEY``): one deck per value of a background variable.

A subgroup deck shows the subgroup where a country deck shows its country (the
highlighted bar, the quoted N) and compares it with the deck's country as a
whole. `select` is the one place that picks the subgroup's respondents: it
gives the planner a `Survey` of the country's respondents whose "country"
column holds each respondent's subgroup, so the planner and the indicators
work unchanged (a ranking ranks the country's subgroups).
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from generator.core.errors import InputError, Problem
from generator.deckfile.deck import Deck
from generator.deckfile.yamlsource import SourceMap, did_you_mean
from generator.i18n.catalogue import UserCatalogue
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase
from generator.plan.planner import Planner
from generator.plan.quotable import figures_context
from generator.survey.codebook import pick_text
from generator.survey.dataset import Survey

GROUP_COLUMN = "__subgroup__"
SUBGROUP_WORDING = {"sig.note", "sig.note_by", "alt.higher", "alt.lower", "alt.no_difference",
                    "comparison.others", "comparison.country_mean", "finding.who",
                    "finding.others"}
RANKED_AT_MOST = 20  # more subgroups than this: a ranking shows the deck's group and its country


@dataclasses.dataclass(frozen=True)
class Subgroup:
    """One value of a background variable: its code in the data and its labels."""

    key: str  # the background variable, e.g. policy_field
    code: str  # the value as text, e.g. "2"
    labels: dict[str, str]  # per language; empty when the codebook lists no values

    def label(self, language: str) -> str:
        """The value's label in `language` (English, else the code, where there is none)."""
        return pick_text(self.labels, language) or next(iter(self.labels.values()), self.code)


def value_code(value: Any) -> str | None:
    """A data or codebook value as the text that names it: 2.0 and 2 -> "2"."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):  # float32 columns give numpy floats
        if math.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
    return str(value).strip()


def subgroups(survey: Survey, key: str, country: str) -> list[Subgroup]:
    """The values of background variable `key` that respondents in `country` have.

    In the codebook's order when it lists the values, else in the data's sorted order.
    """
    variable = survey.codebook.background.get(key)
    if variable is None:
        known = survey.codebook.background
        raise InputError(Problem(
            f"--for-each: no background variable '{key}' in the codebook",
            hint=did_you_mean(key, known) if known else "add it under 'background:' in "
                                                        "the codebook"))
    frame = survey.frame
    in_country = frame[survey.country_column] == country
    present = {value_code(v) for v in frame.loc[in_country, variable.column].unique()}
    present.discard(None)
    listed = {value_code(code): labels for code, labels in variable.values.items()}
    order = [c for c in listed if c in present] + sorted(present - set(listed), key=_natural)
    return [Subgroup(key, code, dict(listed.get(code, {}))) for code in order]


def member(key: str, code: str) -> str:
    """What stands for a subgroup where a country code would: ``policy_field=2``, which
    also names it in the messages about its deck."""
    return f"{key}={code}"


def _natural(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code))


@dataclasses.dataclass(frozen=True)
class SubgroupSurvey(Survey):
    """The respondents of one country; the "country" column holds their subgroup
    (`member`: ``policy_field=2``)."""

    country: str = ""
    key: str = ""

    @property
    def country_column(self) -> str:
        return GROUP_COLUMN


def select(survey: Survey, country: str, key: str) -> SubgroupSurvey:
    """The respondents of `country`, each labelled with their value of background `key`.

    Respondents without a value stay in (they count in the country as a whole) but
    belong to no subgroup. Response rates: the country's invited count becomes the
    whole's, as the country is the whole here.
    """
    column = survey.codebook.background[key].column
    frame = survey.frame[survey.frame[survey.country_column] == country].copy()
    codes = (value_code(v) for v in frame[column])
    frame[GROUP_COLUMN] = pd.Series([None if c is None else member(key, c) for c in codes],
                                    index=frame.index,
                                    dtype="string")
    dataset = survey.codebook.dataset
    invited = {country: dataset.invited[country]} if country in dataset.invited else {}
    codebook = survey.codebook.model_copy(
        update={"dataset": dataset.model_copy(update={"invited": invited})})
    return SubgroupSurvey(frame=frame, codebook=codebook, path=survey.path,
                          file_labels=survey.file_labels, country=country, key=key)


class SubgroupLocale(DeckLocale):
    """A deck locale that names subgroups where it would name countries."""

    def __init__(self, language: str, country: str | None, names: dict[str, str],
                 catalogue: UserCatalogue | None = None) -> None:
        super().__init__(language, country, catalogue)
        self.group_names = names

    def country_name(self, code: str) -> str:
        return self.group_names.get(code) or super().country_name(code)

    def phrase(self, key: str, **values: object) -> Phrase:
        """The catalogue's subgroup wording where a country deck's would be wrong: a
        test compares the group with the other respondents of its country, not with
        the other countries."""
        if key in SUBGROUP_WORDING:
            return super().phrase(f"{key}.subgroup", **values,
                                  country=super().country_name(self.country or ""))
        return super().phrase(key, **values)


def slug(text: str) -> str:
    """``"Arbeid og velferd"`` -> ``"arbeid-og-velferd"``: a file-name part."""
    text = text.translate(_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "œ": "oe",
                          "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th"})


def file_names(groups: list[Subgroup], language: str) -> dict[str, str]:
    """Each subgroup's part of the output file name: the slug of its label, made unique
    with its code where two labels slug alike (or a label has no letters)."""
    slugs = {g.code: slug(g.label(language)) or slug(g.code) or "group" for g in groups}
    seen: dict[str, int] = {}
    for name in slugs.values():
        seen[name] = seen.get(name, 0) + 1
    return {code: name if seen[name] == 1 else f"{name}-{slug(code) or code}"
            for code, name in slugs.items()}


class SubgroupPlanner(Planner):
    """The planner of a subgroup deck: the comparison is the country as a whole.

    Quoted figures follow: ``n.country`` and ``country_name`` are the subgroup's,
    ``n.all`` and ``response_rate.all`` the country's (the comparison), while
    ``countries`` and ``fieldwork`` still describe the survey.
    """

    whole: Survey | None = None  # the full survey, for the figures about the survey

    def table(self, request, spec, path):
        """As for a country deck; but a ranking of more than `RANKED_AT_MOST` subgroups
        (one deck per organisation) would be unreadable and show every other group's
        numbers, so it keeps only the deck's subgroup and the comparison."""
        table = super().table(request, spec, path)
        if table is None or getattr(spec, "chart", None) != "ranking":
            return table
        groups = table.loc[table["group"] != "comparison", "group"].nunique()
        if groups <= RANKED_AT_MOST:
            return table
        return table[table["group"].isin([self.country, "comparison"])].reset_index(drop=True)

    def check_country(self, text: str, path: tuple, language: str,
                      written_about: str | None) -> None:
        """A subgroup deck is about its country: text written about that country is
        at home here."""
        assert isinstance(self.survey, SubgroupSurvey)
        if written_about != self.survey.country:
            super().check_country(text, path, language, written_about)

    def comparison_label(self) -> Phrase:
        assert isinstance(self.survey, SubgroupSurvey)
        if self.deck.deck.compare_with == "all":
            return Phrase.of(self.locale.country_name(self.survey.country), self.deck_tag)
        return self.message(f"comparison.{self.deck.deck.compare_with}")

    @property
    def context(self) -> dict[str, Any]:
        if not hasattr(self, "_context"):
            assert isinstance(self.survey, SubgroupSurvey) and self.whole is not None
            country = figures_context(self.whole, self.survey.country, self.locale)
            n_group = int((self.survey.frame[GROUP_COLUMN] == self.country).sum())
            self._context = {
                **country,
                "n": {"all": country["n"]["country"], "country": self.locale.integer(n_group)},
                "response_rate": {"all": country["response_rate"]["country"], "country": "–"},
                "country_name": self.locale.country_name(self.country),
            }
        return self._context


def planner(deck: Deck, source: SourceMap, whole: Survey, view: SubgroupSurvey, code: str,
            catalogue: UserCatalogue | None = None) -> SubgroupPlanner:
    """The planner of the deck for subgroup `code` of `view` (from `select`)."""
    settings = deck.deck
    variable = whole.codebook.background[view.key]
    listed = {value_code(c): labels for c, labels in variable.values.items()}
    codes = [str(c).split("=", 1)[1] for c in view.frame[GROUP_COLUMN].dropna().unique()]
    names = {member(view.key, c): Subgroup(view.key, c, dict(listed.get(c, {})))
             .label(settings.language) for c in codes}
    locale = SubgroupLocale(settings.language, settings.country, names, catalogue)
    focused = deck.model_copy(update={"deck": settings.model_copy(
        update={"country": member(view.key, code)})})
    made = SubgroupPlanner(deck=focused, source=source, survey=view, locale=locale)
    made.whole = whole
    return made
