"""Reads respondent-level survey data: the only module that opens data files.

`load_survey(path, codebook)` returns a `Survey`: one row per respondent, the
country column as upper-case ISO codes (an archived file's labelled country
numbers resolved, see `datacodes`), every codebook column numeric and every
answer code declared by its scale, and the variable and value labels a
.sav/.dta file carries (used where the codebook has no wording).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.codebook import Codebook
from generator.countries import CountryNames
from generator.datacodes import RowNames, ValueLabels, country_codes, undeclared_codes
from generator.errors import InputError, Problem
from generator.yamlsource import SourceMap


@dataclass(frozen=True)
class FileLabels:
    """What a .sav/.dta file says about its columns: variable labels (the question
    wording) and value labels per column (``{"q14_1": {-99: "No answer"}}``)."""

    variables: dict[str, str] = field(default_factory=dict)
    values: dict[str, ValueLabels] = field(default_factory=dict)


@dataclass(frozen=True)
class Survey:
    """The respondent data and what its columns mean."""

    frame: pd.DataFrame
    codebook: Codebook
    path: Path
    file_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, ValueLabels] = field(default_factory=dict)

    @property
    def country_column(self) -> str:
        return self.codebook.dataset.country_column

    def countries(self) -> list[str]:
        """The country codes present in the data, sorted."""
        return sorted(self.frame[self.country_column].dropna().unique())


def _read_csv(path: Path) -> tuple[pd.DataFrame, FileLabels]:
    try:
        return pd.read_csv(path, encoding="utf-8", low_memory=False), FileLabels()
    except UnicodeDecodeError:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            line = None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem("the CSV file is not UTF-8 text", file=path, line=line,
                                 hint="save it as UTF-8 (CSV UTF-8 in Excel)")) from None


def _read_parquet(path: Path) -> tuple[pd.DataFrame, FileLabels]:
    return pd.read_parquet(path), FileLabels()


def _read_excel(path: Path) -> tuple[pd.DataFrame, FileLabels]:
    return pd.read_excel(path), FileLabels()


def _read_spss(path: Path) -> tuple[pd.DataFrame, FileLabels]:
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    return frame, _labels(meta)


def _labels(meta) -> FileLabels:
    """Variable and value labels from pyreadstat's metadata."""
    variables = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    values = {column: dict(labels) for column, labels in
              (meta.variable_value_labels or {}).items() if labels}
    return FileLabels(variables, values)


def _read_stata(path: Path) -> tuple[pd.DataFrame, FileLabels]:
    import pyreadstat

    frame, meta = pyreadstat.read_dta(str(path), apply_value_formats=False)
    return frame, _labels(meta)


READERS: dict[str, Callable[[Path], tuple[pd.DataFrame, FileLabels]]] = {
    ".csv": _read_csv,
    ".parquet": _read_parquet,
    ".sav": _read_spss,
    ".dta": _read_stata,
    ".xlsx": _read_excel,
}


def read_frame(path: Path) -> tuple[pd.DataFrame, FileLabels]:
    """The raw table in a data file and its labels, the reader chosen by file extension."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(Problem(
            f"unsupported data file type '{path.suffix}'", file=path,
            hint="use " + ", ".join(READERS)))
    if not path.is_file():
        raise InputError(Problem("data file not found", file=path,
                                 hint="check 'data:' in the deck file; it is relative to it"))
    if path.stat().st_size == 0:
        raise InputError(Problem("the data file is empty", file=path))
    try:
        frame, labels = reader(path)
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError(Problem("the data file has no columns", file=path)) from None
    except Exception as exc:  # every reader's own error for a damaged file
        raise InputError(Problem(
            f"cannot read the data file ({type(exc).__name__}: {exc})", file=path,
            hint="is it complete and really a " + path.suffix + " file?")) from None
    if frame.empty:
        raise InputError(Problem("the data file has no respondent rows", file=path))
    return frame, labels


def load_survey(path: Path, codebook: Codebook, codebook_source: SourceMap,
                languages: Sequence[str] = ()) -> Survey:
    """Read the data file and check it against the codebook (all problems at once).

    Country names in value labels are matched in English, in `languages` (the
    deck's) and in the languages the codebook is written in.
    """
    frame, labels = read_frame(path)
    frame.columns = [str(c) for c in frame.columns]
    rows = RowNames.of(path, frame, codebook.dataset.id_column)
    problems = _absent_columns(frame, codebook, codebook_source, path)
    country = codebook.dataset.country_column
    if country in frame.columns:
        resolved = country_codes(
            frame[country], labels.values.get(country, {}), codebook.dataset.country_codes,
            CountryNames([*languages, *codebook.dataset.name]), rows, country, path)
        frame[country] = resolved.codes
        problems += resolved.problems
    problems += _numeric_columns(frame, codebook, rows, path)
    problems += undeclared_codes(frame, codebook, codebook_source, labels.values, rows, path)
    if problems:
        raise InputError(*problems)
    return Survey(frame=frame, codebook=_background_values_from(labels, codebook), path=path,
                  file_labels=labels.variables, value_labels=labels.values)


FILE_LANGUAGE = "und"
"""The language of a data file's own labels: undetermined (BCP 47), as the file does
not say; the deck shows them where the codebook has no wording of its own."""


def _background_values_from(labels: FileLabels, codebook: Codebook) -> Codebook:
    """The codebook with each background variable that gives no `values:` taking the
    data file's value labels instead (a labelled .sav/.dta variable needs none)."""
    filled = {}
    for key, variable in codebook.background.items():
        found = labels.values.get(variable.column)
        if variable.values or not found:
            continue
        values = {int(code) if float(code).is_integer() else code: {FILE_LANGUAGE: label}
                  for code, label in found.items()}
        filled[key] = variable.model_copy(update={"values": values})
    if not filled:
        return codebook
    return codebook.model_copy(update={"background": {**codebook.background, **filled}})


def _absent_columns(frame: pd.DataFrame, codebook: Codebook, codebook_source: SourceMap,
                    path: Path) -> list[Problem]:
    """A problem for every column the codebook names that the data file lacks."""
    problems = []
    named = dict(codebook.item_columns())
    if codebook.dataset.id_column is not None:
        named.setdefault(codebook.dataset.id_column, "dataset.id_column")
    for column, named_at in named.items():
        if column in frame.columns:
            continue
        close = difflib.get_close_matches(column, frame.columns, n=3, cutoff=0.6)
        hint = ("closest columns in the data: " + ", ".join(close)) if close else (
            "fix the column name in the codebook")
        key_path = tuple(int(p) if p.isdigit() else p for p in named_at.split("."))
        where = codebook_source.problem(key_path, "")
        problems.append(Problem(
            f"column '{column}' is not in the data file {path.name}", file=where.file,
            line=where.line, column=where.column, where=named_at, hint=hint))
    return problems


def _numeric_columns(frame: pd.DataFrame, codebook: Codebook, rows: RowNames,
                     path: Path) -> list[Problem]:
    """Makes every answer, weight and background column numeric in place; a problem
    for each answer or weight column holding text. A background column of text codes
    (``values: {health: …}``) stays text."""
    problems = []
    background = {var.column for var in codebook.background.values()}
    for column, named_at in codebook.item_columns().items():
        if column == codebook.dataset.country_column or column not in frame.columns:
            continue
        if pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("float64")
            continue
        numeric = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & numeric.isna() & (frame[column].astype("string") != "")
        if bad.any() and column in background:
            continue
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            problems.append(Problem(
                f"column '{column}' ({named_at}) holds non-numeric values such as "
                f"{frame[column].iloc[row]!r} ({rows.name(row)})", file=path,
                hint="answers must be numeric codes as in the codebook"))
        frame[column] = numeric.astype("float64")
    return problems
