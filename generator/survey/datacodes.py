"""A data file's codes read the way the codebook declares them.

Three jobs, each a function the survey loader calls on the raw table:

- `country_codes`: the country column as ISO 3166-1 alpha-2 codes, whether the
  file holds the codes themselves, numbers with value labels that name the
  countries (an archived .dta/.sav file), or numbers the codebook maps
  (``dataset.country_codes``);
- `undeclared_codes`: every answer code that is neither a point of its scale, a
  non-answer nor a missing code, quoting the file's own value label;
- `RowNames`: names a respondent the way the file does (row N of a CSV, the
  respondent's id or case number of a .sav/.dta file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from generator.core.errors import Problem
from generator.deckfile.yamlsource import SourceMap
from generator.survey.codebook import Codebook
from generator.survey.countries import CountryNames

ValueLabels = Mapping[float, str]
"""A column's value labels: code -> the file's label (``-99 -> "No answer"``)."""

RECORD_NOUN = {".sav": "case", ".dta": "observation"}
"""What a format calls one respondent's record, where it has no rows to count."""

SPREADSHEETS = (".csv", ".xlsx")


def format_code(code: object) -> str:
    """A code as a person writes it: ``-99.0`` -> ``-99``, ``2.5`` stays."""
    if isinstance(code, float | np.floating) and float(code).is_integer():
        return str(int(code))
    return str(code)


@dataclass(frozen=True)
class RowNames:
    """Names respondents by their position in the table, the way their file does."""

    suffix: str
    ids: pd.Series | None = None

    @classmethod
    def of(cls, path: Path, frame: pd.DataFrame, id_column: str | None) -> RowNames:
        """The namer for `frame` read from `path`; ids from `id_column`, else a column
        called ``id`` if the file has one."""
        if id_column is None:
            id_column = next((c for c in frame.columns if c.lower() == "id"), None)
        ids = frame[id_column] if id_column in frame.columns else None
        return cls(path.suffix.lower(), ids)

    def name(self, position: int) -> str:
        """``row 5 (id 4)`` for a CSV (the header is row 1); ``respondent id 4`` or
        ``case 5`` for a .sav/.dta file."""
        respondent = None
        if self.ids is not None and not pd.isna(self.ids.iloc[position]):
            respondent = format_code(self.ids.iloc[position])
        if self.suffix in SPREADSHEETS:
            return f"row {position + 2}" + (f" (id {respondent})" if respondent else "")
        if respondent:
            return f"respondent id {respondent}"
        return f"{RECORD_NOUN.get(self.suffix, 'respondent number')} {position + 1}"


def _code_key(value: object) -> int | str:
    """The key a raw country value is mapped by: an integer when it is a whole number
    (``7``, ``7.0``, ``"7"``), else the upper-case text."""
    if isinstance(value, int | float | np.number) and float(value).is_integer():
        return int(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text.upper()
    return int(number) if number.is_integer() else text


@dataclass
class CountryColumn:
    """The country column resolved: ISO codes per respondent, or what stops it."""

    codes: pd.Series
    problems: list[Problem]


def country_codes(values: pd.Series, labels: ValueLabels, mapping: Mapping[int | str, str],
                  names: CountryNames, rows: RowNames, column: str,
                  path: Path) -> CountryColumn:
    """The country column as ISO codes, with one problem for all values that cannot be
    made into one.

    A value is resolved, in this order, by the codebook's `mapping`, as an ISO code or
    a country's name (text), or as a number whose value label is either.
    """
    mapping = {_code_key(k): v.upper() for k, v in mapping.items()}
    resolved: dict[object, str | None] = {}
    unresolved: dict[int | str, str | None] = {}  # key -> the file's label or text
    for value in values.dropna().unique():
        key = _code_key(value)
        if key in mapping:
            resolved[value] = mapping[key]
        elif isinstance(key, str):
            resolved[value] = names.code_of(str(value)) if key else None
            if resolved[value] is None and key:
                unresolved[key] = str(value).strip()
        elif labels.get(key) is not None:
            resolved[value] = names.code_of(labels[key])
            if resolved[value] is None:
                unresolved[key] = labels[key]
        else:
            resolved[value] = None
            unresolved[key] = None
    codes = values.map(resolved).astype("string")
    problems: list[Problem] = []
    empty = values.isna() | values.astype("string").str.strip().eq("")
    if empty.any():
        problems.append(Problem(
            f"column '{column}' is empty for {int(empty.sum())} respondent(s), first at "
            f"{rows.name(int(empty.to_numpy().nonzero()[0][0]))}", file=path,
            hint="every respondent needs a country"))
    numbers = {k: v for k, v in unresolved.items() if isinstance(k, int)}
    texts = {k: v for k, v in unresolved.items() if not isinstance(k, int)}
    if numbers:
        problems.append(_unnamed_numbers(numbers, column, path))
    if texts:
        bad = values.map(lambda v: _code_key(v) in texts).astype(bool)
        first = rows.name(int(bad.to_numpy().nonzero()[0][0]))
        examples = list(texts.values())
        problems.append(Problem(
            f"column '{column}' has {int(bad.sum())} value(s) that are neither ISO country "
            f"codes nor country names CLDR knows, such as "
            f"{', '.join(repr(t) for t in examples[:5])} (first at {first})", file=path,
            hint="use ISO 3166-1 alpha-2 codes (NO, DE, GB …), map them in the codebook "
                 f"(dataset.country_codes: {{{examples[0]}: …}}), or name the right column "
                 "in dataset.country_column"))
    return CountryColumn(codes, problems)


def _unnamed_numbers(numbers: dict[int | str, str | None], column: str, path: Path) -> Problem:
    """One problem listing every country number that names no country, and the fix."""
    listed = ", ".join(f"{code} {label!r}" if label is not None else f"{code} (no value label)"
                       for code, label in sorted(numbers.items()))
    labelled = any(label is not None for label in numbers.values())
    what = ("value labels name no country CLDR knows" if labelled
            else "numbers have no value label naming a country")
    example = ", ".join(f"{code}: …" for code in sorted(numbers)[:3])
    return Problem(
        f"column '{column}': {len(numbers)} country code(s) whose {what}: {listed}",
        file=path, hint="map each to its ISO 3166-1 alpha-2 code in the codebook, e.g. "
                        f"dataset.country_codes: {{{example}}}")


def undeclared_codes(frame: pd.DataFrame, codebook: Codebook, source: SourceMap,
                     labels: Mapping[str, ValueLabels], rows: RowNames,
                     path: Path) -> list[Problem]:
    """One problem per scale whose item columns hold codes it does not declare (not a
    point, non-answer or missing code): each code with its count, label, columns and
    first respondent, and the fix once; located at the scale in the codebook."""
    found: dict[str, dict[float, list[tuple[str, int, int]]]] = {}  # scale -> code -> ...
    for battery in codebook.batteries.values():
        scale = codebook.scales[battery.scale]
        declared = [*scale.points, *scale.non_answers, *scale.missing]
        columns = [item.column for item in battery.items.values() if item.column in frame]
        for column in columns:  # one at a time: a battery as one float64 block is large
            values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
            odd = ~np.isnan(values) & ~np.isin(values, declared)
            if not odd.any():
                continue
            codes, counts = np.unique(values[odd], return_counts=True)
            for code, count in zip(codes, counts, strict=True):
                first = int((values == code).nonzero()[0][0])
                found.setdefault(battery.scale, {}).setdefault(float(code), []).append(
                    (column, int(count), first))
    return [_undeclared(scale, codes, source, labels, rows, path)
            for scale, codes in found.items()]


def _undeclared(scale: str, codes: dict[float, list[tuple[str, int, int]]],
                source: SourceMap, labels: Mapping[str, ValueLabels], rows: RowNames,
                path: Path) -> Problem:
    """The problem of one scale: per code, ``1302 answers coded -99 ('No answer') in 13
    columns: V18_1 (104), … (first at …)``."""
    parts = []
    for code, columns in sorted(codes.items()):
        total = sum(count for _, count, _ in columns)
        column, _, first = min(columns, key=lambda c: c[2])
        label = next((labels.get(c, {}).get(code) for c, _, _ in columns
                      if labels.get(c, {}).get(code)), None)
        quoted = f" ({label!r})" if label else ""
        within = columns[0][0] if len(columns) == 1 else (
            f"{len(columns)} columns: " + ", ".join(f"{c} ({n})" for c, n, _ in columns))
        at = f"{rows.name(first)} of {path.name}" + (f", in {column}" if len(columns) > 1
                                                      else "")
        parts.append(f"{total} {'answers' if total != 1 else 'answer'} coded "
                     f"{format_code(code)}{quoted} in {within} (first at {at})")
    where = source.problem(("scales", scale), "")
    listed = ", ".join(format_code(code) for code in sorted(codes))
    return Problem(f"codes not declared in scale {scale}: " + "; ".join(parts),
                   file=where.file, line=where.line, column=where.column,
                   hint=f"add {listed} to the scale's missing or non_answers")
