"""Reads respondent-level survey data: the only module that opens data files.

`load_survey(path, codebook)` returns a `Survey`: one row per respondent, the
country column as upper-case ISO codes (an archived file's labelled country
numbers resolved, see `datacodes`), every codebook column numeric and every
answer code declared by its scale, and the variable and value labels a
.sav/.dta file carries (used where the codebook has no wording).

Only the columns the codebook names are read, and answer codes are kept as
float32 (exact for codes; float64 where a value needs it), so memory grows with
respondents × used columns, not with the file's width. Compute from them in
float64 (``to_numpy("float64")``, as `indicators` does): float32 sums would round.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from generator.core.errors import InputError, Problem
from generator.deckfile.yamlsource import SourceMap
from generator.survey.codebook import Codebook
from generator.survey.countries import CountryNames
from generator.survey.datacodes import RowNames, ValueLabels, country_codes, undeclared_codes
from generator.survey.memo import TableMemo


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
    tables: TableMemo = field(default_factory=TableMemo, compare=False, repr=False)
    """Indicator tables computed from these data (`Planner.table`), kept with them."""

    @property
    def country_column(self) -> str:
        return self.codebook.dataset.country_column

    def countries(self) -> list[str]:
        """The country codes present in the data, sorted."""
        return list(self._countries)

    @cached_property
    def _countries(self) -> tuple[str, ...]:
        """Found once per survey: a deck asks for them on every slide that quotes them."""
        return tuple(sorted(self.frame[self.country_column].dropna().unique()))


def _is_wanted(name: object, columns: Collection[str]) -> bool:
    """Whether a column is read: one of `columns`, or one called ``id`` (it names
    respondents in messages, see `datacodes.RowNames`)."""
    return str(name) in columns or str(name).lower() == "id"


def _chosen(names: list, columns: Collection[str] | None) -> list:
    """The file's wanted columns (`_is_wanted`), in file order; the first column if none
    is (so the frame keeps its rows and the missing columns are reported by name)."""
    if columns is None:
        return list(names)
    return [n for n in names if _is_wanted(n, columns)] or list(names[:1])


def _csv_columns(path: Path) -> list:
    return list(pd.read_csv(path, encoding="utf-8", nrows=0).columns)


def _read_csv(path: Path, columns: Collection[str] | None,
              keep: Collection[str]) -> tuple[pd.DataFrame, FileLabels]:
    # the columns are chosen by name as the header is read (reading the header first,
    # as the other formats do, took pandas longer than reading the shipped file's rows)
    wanted = None if columns is None else (lambda name: _is_wanted(name, columns))
    try:
        frame = pd.read_csv(path, encoding="utf-8", low_memory=False, usecols=wanted)
        if len(frame.columns) == 0:  # none wanted: the first keeps the rows (`_chosen`)
            frame = pd.read_csv(path, encoding="utf-8", low_memory=False, usecols=[0])
        return frame, FileLabels()
    except UnicodeDecodeError:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            line = None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem("the CSV file is not UTF-8 text", file=path, line=line,
                                 hint="save it as UTF-8 (CSV UTF-8 in Excel)")) from None


def _parquet_columns(path: Path) -> list:
    import pyarrow.parquet as pq

    return pq.read_schema(path).names


def _read_parquet(path: Path, columns: Collection[str] | None,
                  keep: Collection[str]) -> tuple[pd.DataFrame, FileLabels]:
    import pyarrow.parquet as pq

    # column by column, each narrowed before the next is read: the peak is the
    # narrowed frame plus one column, whatever the file's width
    source = pq.ParquetFile(path)
    try:
        names = _chosen(source.schema_arrow.names, columns)
        read: dict[str, pd.Series] = {}
        for name in names:
            column = source.read(columns=[name]).column(0).to_pandas()
            read[name] = column if name in keep else narrowest(column)
        return pd.DataFrame(read, copy=False), FileLabels()
    finally:
        source.close()


def _excel_columns(path: Path) -> list:
    return list(pd.read_excel(path, nrows=0).columns)


def _read_excel(path: Path, columns: Collection[str] | None,
                keep: Collection[str]) -> tuple[pd.DataFrame, FileLabels]:
    return pd.read_excel(path, usecols=_chosen(_excel_columns(path), columns)), FileLabels()


def _spss_columns(path: Path) -> list:
    import pyreadstat

    return pyreadstat.read_sav(str(path), metadataonly=True)[1].column_names


def _read_spss(path: Path, columns: Collection[str] | None,
               keep: Collection[str]) -> tuple[pd.DataFrame, FileLabels]:
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False,
                                      usecols=_chosen(_spss_columns(path), columns))
    return frame, _labels(meta)


def _labels(meta) -> FileLabels:
    """Variable and value labels from pyreadstat's metadata."""
    variables = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    values = {column: dict(labels) for column, labels in
              (meta.variable_value_labels or {}).items() if labels}
    return FileLabels(variables, values)


def _stata_columns(path: Path) -> list:
    import pyreadstat

    return pyreadstat.read_dta(str(path), metadataonly=True)[1].column_names


def _read_stata(path: Path, columns: Collection[str] | None,
                keep: Collection[str]) -> tuple[pd.DataFrame, FileLabels]:
    import pyreadstat

    frame, meta = pyreadstat.read_dta(str(path), apply_value_formats=False,
                                      usecols=_chosen(_stata_columns(path), columns))
    return frame, _labels(meta)


Reader = Callable[[Path, Collection[str] | None, Collection[str]],
                  tuple[pd.DataFrame, FileLabels]]
READERS: dict[str, Reader] = {
    ".csv": _read_csv,
    ".parquet": _read_parquet,
    ".sav": _read_spss,
    ".dta": _read_stata,
    ".xlsx": _read_excel,
}
COLUMN_NAMES: dict[str, Callable[[Path], list]] = {  # a file's column names, read cheaply
    ".csv": _csv_columns,
    ".parquet": _parquet_columns,
    ".sav": _spss_columns,
    ".dta": _stata_columns,
    ".xlsx": _excel_columns,
}


def narrowest(values: pd.Series) -> pd.Series:
    """Numeric `values` as float32 when that holds every value exactly (answer codes
    do), else as float64; other values unchanged. Halves the memory of the answers
    and leaves every computed figure as it was."""
    if values.dtype == "float32" or not pd.api.types.is_numeric_dtype(values) or (
            pd.api.types.is_bool_dtype(values)):
        return values
    wide = values.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(over="ignore"):  # a value too large for float32 keeps float64 below
        narrow = wide.astype("float32")
    exact = np.array_equal(narrow, wide, equal_nan=True)
    return pd.Series(narrow if exact else wide, index=values.index, name=values.name,
                     copy=False)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f}" if size >= 10e6 else f"{size / 1e6:.1f}"


def read_frame(path: Path, columns: Collection[str] | None = None,
               max_mb: float | None = None,
               keep: Collection[str] = ()) -> tuple[pd.DataFrame, FileLabels]:
    """The table in a data file (only `columns`, if given; numbers but those in `keep`
    in their narrowest exact dtype) and its labels, chosen by file extension.

    A file larger than `max_mb` megabytes is refused before it is read.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(Problem(
            f"unsupported data file type '{path.suffix}'", file=path,
            hint="use " + ", ".join(READERS)))
    if not path.is_file():
        raise InputError(Problem("data file not found", file=path,
                                 hint="check 'data:' in the deck file; it is relative to it"))
    size = path.stat().st_size
    if size == 0:
        raise InputError(Problem("the data file is empty", file=path))
    if max_mb is not None and size > max_mb * 1e6:
        raise InputError(Problem(
            f"the data file is {_megabytes(size)} MB, more than the limit of {max_mb:g} MB",
            file=path, hint="reading it may take several times its size in memory; if this "
                            "machine has the memory, raise the limit with --max-data-mb on the "
                            "command line or max_data_mb under deck: in the deck file"))
    try:
        frame, labels = reader(path, None if columns is None else frozenset(columns),
                               frozenset(keep))
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
    frame = pd.DataFrame({name: frame[name] if name in keep else narrowest(frame[name])
                          for name in frame.columns}, copy=False)
    return frame, labels


def load_survey(path: Path, codebook: Codebook, codebook_source: SourceMap,
                languages: Sequence[str] = (), *, extra_columns: Collection[str] = (),
                max_mb: float | None = None) -> Survey:
    """Read the codebook's columns (and `extra_columns`, such as a deck's weight) from
    the data file and check them against the codebook (all problems at once).

    Country names in value labels are matched in English, in `languages` (the
    deck's) and in the languages the codebook is written in.
    """
    wanted = {*codebook.item_columns(), *extra_columns}
    if codebook.dataset.id_column is not None:
        wanted.add(codebook.dataset.id_column)
    frame, labels = read_frame(path, wanted, max_mb, keep={
        codebook.dataset.country_column, codebook.dataset.id_column} - {None})
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
    in_file: list[str] | None = None  # every column of the file, for suggestions
    named = dict(codebook.item_columns())
    if codebook.dataset.id_column is not None:
        named.setdefault(codebook.dataset.id_column, "dataset.id_column")
    for column, named_at in named.items():
        if column in frame.columns:
            continue
        if in_file is None:
            in_file = [str(c) for c in COLUMN_NAMES[path.suffix.lower()](path)]
        close = difflib.get_close_matches(column, in_file, n=3, cutoff=0.6)
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
        if frame[column].dtype in (np.float32, np.float64):
            continue  # as `read_frame` narrowed it: already the narrowest exact float
        if pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = narrowest(frame[column].astype("float64"))
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
        frame[column] = narrowest(numeric.astype("float64"))
    return problems
