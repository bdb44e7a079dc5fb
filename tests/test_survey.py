"""generator/survey/dataset.py: the same small table in every supported file format,
and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from generator.core.errors import InputError
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey

CODEBOOK = """\
dataset:
  name: {en: Test survey}
  source: {en: Hand-made test data}
  fieldwork: "2012"
  country_column: country
scales:
  quality7:
    points: [1, 2, 3, 4, 5, 6, 7]
    labels: {1: {en: Very poor}, 7: {en: Very good}}
    non_answers: {8: {en: "Can't assess"}}
    missing: [9]
batteries:
  coordination_quality:
    question: {en: "How would you characterise coordination?"}
    scale: quality7
    items:
      internal_vertical:
        column: {first}
        label: {en: Internal vertical}
      external_vertical_up:
        column: q18_2
        label: {en: External vertical (upwards)}
"""
FIRST_COLUMN_LINE = 18  # the line of "column: {first}" above

# six respondents, country codes as people type them, empty answers
RAW = pd.DataFrame({
    "country": ["no", " NO ", "se ", "Se", " de", "DE"],
    "q18_1": [5.0, 7.0, np.nan, 1.0, 8.0, 3.0],
    "q18_2": [1.0, 2.0, 3.0, np.nan, 9.0, 6.0],
})
EXPECTED = pd.DataFrame({  # answer codes are float32: exact, and half of float64's memory
    "country": pd.array(["NO", "NO", "SE", "SE", "DE", "DE"], dtype="string"),
    "q18_1": np.array([5.0, 7.0, np.nan, 1.0, 8.0, 3.0], dtype="float32"),
    "q18_2": np.array([1.0, 2.0, 3.0, np.nan, 9.0, 6.0], dtype="float32"),
})
LABELS = {"country": "Country", "q18_1": "Internal vertical",
          "q18_2": "External vertical (upwards)"}


def write_codebook(folder: Path, first: str = "q18_1"):
    path = folder / "codebook.yaml"
    path.write_text(CODEBOOK.replace("{first}", first), encoding="utf-8")
    return (path, *load_codebook(path))


def write(frame: pd.DataFrame, path: Path) -> Path:
    suffix = path.suffix
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False, engine="openpyxl")
    elif suffix == ".sav":
        pyreadstat.write_sav(frame, str(path), column_labels=LABELS)
    elif suffix == ".dta":
        pyreadstat.write_dta(frame, str(path), column_labels=LABELS)
    else:
        raise AssertionError(suffix)
    return path


FORMATS = [".csv", ".parquet", ".sav", ".dta", ".xlsx"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_loads_to_the_same_frame(tmp_path, suffix):
    _, codebook, source = write_codebook(tmp_path)
    path = write(RAW, tmp_path / f"survey{suffix}")
    survey = load_survey(path, codebook, source)
    pd.testing.assert_frame_equal(survey.frame.reset_index(drop=True), EXPECTED)
    assert survey.frame["q18_1"].dtype == np.float32
    assert survey.frame["q18_2"].dtype == np.float32
    assert survey.countries() == ["DE", "NO", "SE"]
    assert survey.country_column == "country"
    assert survey.path == path


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_spss_and_stata_variable_labels_come_through(tmp_path, suffix):
    _, codebook, source = write_codebook(tmp_path)
    survey = load_survey(write(RAW, tmp_path / f"survey{suffix}"), codebook, source)
    assert survey.file_labels == LABELS


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_formats_without_variable_labels_have_none(tmp_path, suffix):
    _, codebook, source = write_codebook(tmp_path)
    survey = load_survey(write(RAW, tmp_path / f"survey{suffix}"), codebook, source)
    assert survey.file_labels == {}


def test_codebook_column_absent_from_the_data(tmp_path):
    # the codebook says q18_l (letter l), the data has q18_1 (digit one)
    codebook_path, codebook, source = write_codebook(tmp_path, first="q18_l")
    data = write(RAW, tmp_path / "survey.csv")
    with pytest.raises(InputError) as caught:
        load_survey(data, codebook, source)
    (problem,) = caught.value.problems
    assert problem.file == codebook_path
    assert problem.line == FIRST_COLUMN_LINE
    assert problem.where == "batteries.coordination_quality.items.internal_vertical.column"
    assert "column 'q18_l' is not in the data file survey.csv" in problem.message
    # q18_1 and q18_2 are equally close to q18_l; 'country' is not close
    assert problem.hint.startswith("closest columns in the data: ")
    assert set(problem.hint.removeprefix("closest columns in the data: ").split(", ")) == {
        "q18_1", "q18_2"}
    text = str(caught.value)
    assert f"{codebook_path}:{FIRST_COLUMN_LINE}:" in text
    assert "q18_1" in text


def test_every_absent_column_is_reported_at_once(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    data = write(RAW.rename(columns={"q18_1": "x1", "country": "land"}),
                 tmp_path / "survey.csv")
    with pytest.raises(InputError) as caught:
        load_survey(data, codebook, source)
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    assert "column 'country' is not in the data file survey.csv" in messages[0]
    assert "column 'q18_1' is not in the data file survey.csv" in messages[1]
    assert caught.value.problems[0].where == "dataset.country_column"


def test_missing_file(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    with pytest.raises(InputError) as caught:
        load_survey(tmp_path / "nowhere.csv", codebook, source)
    text = str(caught.value)
    assert "data file not found" in text
    assert "nowhere.csv" in text
    assert "'data:'" in text


@pytest.mark.parametrize("suffix", FORMATS)
def test_empty_file(tmp_path, suffix):
    _, codebook, source = write_codebook(tmp_path)
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(InputError) as caught:
        load_survey(path, codebook, source)
    assert "the data file is empty" in str(caught.value)
    assert caught.value.problems[0].file == path


def test_csv_with_header_only_has_no_respondent_rows(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    path = tmp_path / "header.csv"
    path.write_text("country,q18_1,q18_2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no respondent rows"):
        load_survey(path, codebook, source)


def test_unsupported_extension(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    path = tmp_path / "survey.txt"
    path.write_text("country,q18_1,q18_2\nNO,1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_survey(path, codebook, source)
    text = str(caught.value)
    assert "unsupported data file type '.txt'" in text
    for suffix in FORMATS:
        assert suffix in text


def test_truncated_parquet_file(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    path = write(RAW, tmp_path / "survey.parquet")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError) as caught:
        load_survey(path, codebook, source)
    text = str(caught.value)
    assert "cannot read the data file" in text
    assert "is it complete and really a .parquet file?" in text
    assert caught.value.problems[0].file == path


# the town names stand in q18_2, a column the codebook uses: a column it does not
# use is not read at all, so a Latin-1 byte there stops nothing
LATIN1_CSV = "country,q18_1,other,q18_2\nNO,1,2,Oslo\nNO,2,3,Bergen\nSE,3,4,Lund\nNO,4,5,Bodø\n"


def test_csv_in_latin1_is_refused_with_advice_and_the_line_of_the_bad_byte(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1_CSV.encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_survey(path, codebook, source)
    (problem,) = caught.value.problems
    assert problem.message == "the CSV file is not UTF-8 text"
    assert "UTF-8" in problem.hint
    assert problem.file == path
    assert problem.line == 5  # header, Oslo, Bergen, Lund, Bodø: the ø is on line 5


def test_non_numeric_answer_names_the_column_and_row(tmp_path):
    _, codebook, source = write_codebook(tmp_path)
    path = tmp_path / "survey.csv"
    path.write_text("country,q18_1,q18_2\nNO,5,1\nNO,7,seven\nSE,,3\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_survey(path, codebook, source)
    (problem,) = caught.value.problems
    assert "column 'q18_2'" in problem.message
    assert "batteries.coordination_quality.items.external_vertical_up.column" in problem.message
    assert "'seven'" in problem.message
    # header on line 1, so the second respondent is on line 3
    assert "(row 3)" in problem.message
    assert problem.file == path
    assert "numeric codes" in problem.hint


def test_csv_country_numbers_and_names_through_the_codebook_mapping(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK.replace("{first}", "q18_1").replace(
        "  country_column: country\n",
        "  country_column: country\n  country_codes: {1: NO, 2: se, Deutschland: DE}\n"),
        encoding="utf-8")
    codebook, source = load_codebook(path)
    data = tmp_path / "survey.csv"
    data.write_text("country,q18_1,q18_2\n1,5,1\n2,7,2\n1,,3\nDeutschland,1,\n"
                    "Norway,3,6\n", encoding="utf-8")
    survey = load_survey(data, codebook, source)
    assert survey.frame["country"].tolist() == ["NO", "SE", "NO", "DE", "NO"]
    assert survey.countries() == ["DE", "NO", "SE"]


def test_an_id_column_the_codebook_names_must_be_in_the_file(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK.replace("{first}", "q18_1").replace(
        "  country_column: country\n", "  country_column: country\n  id_column: respid\n"),
        encoding="utf-8")
    codebook, source = load_codebook(path)
    with pytest.raises(InputError) as caught:
        load_survey(write(RAW, tmp_path / "survey.csv"), codebook, source)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.where) == (path, 6, "dataset.id_column")
    assert problem.message == "column 'respid' is not in the data file survey.csv"
    assert problem.hint == "fix the column name in the codebook"
