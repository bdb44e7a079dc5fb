"""Reads respondent-level survey data: the only module that opens data files.

`load_survey(path, codebook)` returns a `Survey`: one row per respondent, the
country column as upper-case ISO codes, every codebook column numeric, and
the variable labels a .sav/.dta file carries (used where the codebook has no
wording).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.codebook import Codebook
from generator.errors import InputError, Problem
from generator.yamlsource import SourceMap


@dataclass(frozen=True)
class Survey:
    """The respondent data and what its columns mean."""

    frame: pd.DataFrame
    codebook: Codebook
    path: Path
    file_labels: dict[str, str] = field(default_factory=dict)

    @property
    def country_column(self) -> str:
        return self.codebook.dataset.country_column

    def countries(self) -> list[str]:
        """The country codes present in the data, sorted."""
        return sorted(self.frame[self.country_column].dropna().unique())


def _read_csv(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    try:
        return pd.read_csv(path, encoding="utf-8", low_memory=False), {}
    except UnicodeDecodeError:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            line = None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem("the CSV file is not UTF-8 text", file=path, line=line,
                                 hint="save it as UTF-8 (CSV UTF-8 in Excel)")) from None


def _read_parquet(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    return pd.read_parquet(path), {}


def _read_excel(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    return pd.read_excel(path), {}


def _read_spss(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    return frame, _labels(meta)


def _labels(meta) -> dict[str, str]:
    return {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}


def _read_stata(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    import pyreadstat

    frame, meta = pyreadstat.read_dta(str(path), apply_value_formats=False)
    return frame, _labels(meta)


READERS: dict[str, Callable[[Path], tuple[pd.DataFrame, dict[str, str]]]] = {
    ".csv": _read_csv,
    ".parquet": _read_parquet,
    ".sav": _read_spss,
    ".dta": _read_stata,
    ".xlsx": _read_excel,
}


def read_frame(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """The raw table in a data file and its variable labels, chosen by file extension."""
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


def load_survey(path: Path, codebook: Codebook, codebook_source: SourceMap) -> Survey:
    """Read the data file and check it against the codebook (all problems at once)."""
    frame, labels = read_frame(path)
    frame.columns = [str(c) for c in frame.columns]
    problems: list[Problem] = []
    for column, named_at in codebook.item_columns().items():
        if column not in frame.columns:
            close = difflib.get_close_matches(column, frame.columns, n=3, cutoff=0.6)
            hint = ("closest columns in the data: " + ", ".join(close)) if close else (
                "fix the column name in the codebook")
            key_path = tuple(int(p) if p.isdigit() else p for p in named_at.split("."))
            where = codebook_source.problem(key_path, "")
            problems.append(Problem(
                f"column '{column}' is not in the data file {path.name}", file=where.file,
                line=where.line, column=where.column, where=named_at, hint=hint))
    if problems:
        raise InputError(*problems)

    country = codebook.dataset.country_column
    frame[country] = frame[country].astype("string").str.strip().str.upper()
    codes = frame[country]
    bad = codes.isna() | ~codes.fillna("").str.fullmatch(r"[A-Z]{2}")
    if bad.any():
        examples = ", ".join(repr(v) for v in list(dict.fromkeys(
            "(empty)" if pd.isna(v) else v for v in frame.loc[bad, country]))[:5])
        first_row = int(bad.to_numpy().nonzero()[0][0]) + 2  # header is row 1
        raise InputError(Problem(
            f"column '{country}' has {int(bad.sum())} value(s) that are not two-letter country "
            f"codes, such as {examples} (first at row {first_row})", file=path,
            hint="use ISO 3166-1 alpha-2 codes (NO, DE, GB …), or name the right column in "
                 "the codebook's dataset.country_column"))
    for column, named_at in codebook.item_columns().items():
        if column == country:
            continue
        if pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("float64")
            continue
        numeric = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & numeric.isna() & (frame[column].astype("string") != "")
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            problems.append(Problem(
                f"column '{column}' ({named_at}) holds non-numeric values such as "
                f"{frame[column].iloc[row]!r} (row {row + 2})", file=path,
                hint="answers must be numeric codes as in the codebook"))
        frame[column] = numeric.astype("float64")
    if problems:
        raise InputError(*problems)
    return Survey(frame=frame, codebook=codebook, path=path, file_labels=labels)
