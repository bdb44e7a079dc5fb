"""The data as an archive ships them: a Stata or SPSS file with numeric, labelled
country codes, its own column names, -99 for "no answer", and variable and value
labels. Such a file is made here from the synthetic CSV with pyreadstat; the deck
built from it must show exactly the CSV deck's numbers. The messages for what such
a file gets wrong are asserted through the command line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import FIXTURES, ROOT
from deck_summary import summarise
from pptx import Presentation

from generator.cli import main

CSV = ROOT / "data" / "cocops_synthetic.csv"

# numbers with gaps, as archives number their countries
COUNTRY_NUMBERS = {"AT": 1, "DE": 2, "DK": 4, "EE": 7, "ES": 10, "FI": 11, "FR": 12,
                   "GB": 15, "HU": 17, "IE": 18, "IS": 20, "IT": 21, "LT": 25, "NL": 27,
                   "NO": 30, "PT": 31}
# English names as CLDR has them, except two a reader knows but CLDR's English does not:
# "Great Britain" (mapped in the codebook) and Norway's own name (CLDR's Norwegian)
COUNTRY_LABELS = {1: "Austria", 2: "Germany", 4: "Denmark", 7: "Estonia", 10: "Spain",
                  11: "Finland", 12: "FRANCE", 15: "Great Britain", 17: "Hungary",
                  18: "Ireland", 20: "Iceland", 21: "Italy", 25: "Lithuania",
                  27: "Netherlands", 30: "Norge", 31: "Portugal"}
NO_ANSWER = -99
BACKGROUND = {"field": "polfield", "level": "hlevel", "org_type": "orgtype"}


def archived_name(column: str) -> str:
    """q18_1 -> V18_1: the archive's own variable names."""
    return "V" + column.removeprefix("q") if column.startswith("q") else BACKGROUND.get(
        column, column)


def archived_frame(csv: pd.DataFrame) -> pd.DataFrame:
    """The CSV as an archive stores it: numeric countries, renamed columns, -99 for
    no answer."""
    frame = csv.copy()
    frame["country"] = frame["country"].map(COUNTRY_NUMBERS).astype("float64")
    items = [c for c in frame.columns if c.startswith("q")]
    frame[items] = frame[items].fillna(NO_ANSWER)
    return frame.rename(columns={**{c: archived_name(c) for c in frame.columns},
                                 "id": "respid", "country": "cntry"})


def value_labels(frame: pd.DataFrame) -> dict[str, dict[int, str]]:
    labels: dict[str, dict[int, str]] = {"cntry": dict(COUNTRY_LABELS),
                                         "polfield": {1: "Central government", 2: "Health",
                                                      3: "Employment and welfare"},
                                         "hlevel": {1: "Top", 2: "Second", 3: "Third"}}
    for column in frame.columns:
        if column.startswith("V"):
            labels[column] = {1: "Very poor", 7: "Very good", 8: "Can't assess",
                              NO_ANSWER: "No answer"}
    return labels


def variable_labels(frame: pd.DataFrame) -> dict[str, str]:
    return {c: f"Question {c[1:]}" if c.startswith("V") else c.title() for c in frame.columns}


def write_archive(frame: pd.DataFrame, path: Path,
                  labels: dict[str, dict[int, str]] | None = None) -> Path:
    writer = pyreadstat.write_dta if path.suffix == ".dta" else pyreadstat.write_sav
    writer(frame, str(path), column_labels=variable_labels(frame),
           variable_value_labels=value_labels(frame) if labels is None else labels)
    return path


def archived_codebook(folder: Path, missing: str = "[-99]",
                      country_codes: str = "{15: GB}") -> Path:
    """The shipped codebook with the archive's column names, the country mapping and
    -99 declared missing."""
    text = (ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s+column: )(\S+)$",
                  lambda m: m.group(1) + archived_name(m.group(2)), text)
    for old, new in (("country_column: country\n", "country_column: cntry\n"),
                     ("country_codes: {}\n", f"country_codes: {country_codes}\n"),
                     ("# id_column: respid ", "id_column: respid ")):
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("    missing: []\n", f"    missing: {missing}\n")
    path = folder / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def variant(folder: Path, name: str, data: Path, codebook: Path | None = None) -> Path:
    path = folder / f"{name}.yaml"
    extra = f"  codebook: {codebook}\n" if codebook else ""
    path.write_text(f"extends: {ROOT / 'slides.yaml'}\ndeck:\n  data: {data}\n{extra}",
                    encoding="utf-8")
    return path


def chart_numbers(path: Path) -> list:
    """Every native chart's categories and series values, slide by slide."""
    found = []
    for number, slide in enumerate(Presentation(str(path)).slides, start=1):
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            for plot in shape.chart.plots:
                found.append((number, tuple(plot.categories),
                              [(s.name, tuple(s.values)) for s in plot.series]))
    return found


def run(capsys, *args: str) -> tuple[int, str]:
    status = main([str(a) for a in args])
    return status, " ".join(capsys.readouterr().err.split())


@pytest.fixture(scope="module")
def csv_deck(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("csv")
    deck = variant(folder, "csv", CSV)
    assert main([str(deck), "--charts", "native", "--output", str(folder / "csv.pptx")]) == 0
    return folder / "csv.pptx"


def test_the_archived_file_is_really_archived_shaped(tmp_path):
    frame = archived_frame(pd.read_csv(CSV))
    path = write_archive(frame, tmp_path / "za.dta")
    read, meta = pyreadstat.read_dta(str(path), apply_value_formats=False)
    assert read["cntry"].dtype == np.float64
    assert sorted(read["cntry"].unique()) == sorted(COUNTRY_NUMBERS.values())
    assert meta.variable_value_labels["cntry"][15] == "Great Britain"
    assert meta.variable_value_labels["V18_1"][NO_ANSWER] == "No answer"
    assert (read["V18_1"] == NO_ANSWER).sum() == pd.read_csv(CSV)["q18_1"].isna().sum() > 0
    assert "q18_1" not in read.columns and "country" not in read.columns


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_the_deck_from_the_archived_file_has_the_csv_decks_numbers(tmp_path, csv_deck, suffix):
    data = write_archive(archived_frame(pd.read_csv(CSV)), tmp_path / f"za6599{suffix}")
    deck = variant(tmp_path, "archived", data, archived_codebook(tmp_path))
    out = tmp_path / "archived.pptx"
    assert main([str(deck), "--check"]) == 0
    assert main([str(deck), "--charts", "native", "--output", str(out)]) == 0
    numbers, expected = chart_numbers(out), chart_numbers(csv_deck)
    assert len(expected) == 9 and all(series for *_, series in expected)
    assert numbers == expected  # every value of every chart, exactly
    # tables, quoted figures (N, response rates), captions, notes and labels too
    assert summarise(out) == summarise(csv_deck)


def test_unresolved_country_labels_are_listed_in_one_message(tmp_path, capsys):
    frame = archived_frame(pd.read_csv(CSV))
    labels = value_labels(frame)
    labels["cntry"] = {**COUNTRY_LABELS, 25: "Lietuvos Respublika"}  # not a CLDR name
    data = write_archive(frame, tmp_path / "za.dta", labels)
    deck = variant(tmp_path, "archived", data, archived_codebook(tmp_path, country_codes="{}"))
    status, err = run(capsys, deck, "--check")
    assert status == 2
    assert ("column 'cntry': 2 country code(s) whose value labels name no country CLDR "
            "knows: 15 'Great Britain', 25 'Lietuvos Respublika'") in err
    assert "dataset.country_codes: {15: …, 25: …}" in err
    assert err.count("country code(s)") == 1  # one message for all of them


def test_a_codebook_mapping_resolves_what_cldr_cannot(tmp_path, capsys):
    frame = archived_frame(pd.read_csv(CSV))
    labels = value_labels(frame)
    del labels["cntry"][25]  # no label at all: only the mapping can say
    data = write_archive(frame, tmp_path / "za.sav", labels)
    deck = variant(tmp_path, "archived", data,
                   archived_codebook(tmp_path, country_codes="{15: GB, 25: LT}"))
    with deck.open("a", encoding="utf-8") as handle:  # slides.yaml's texts about Norway, kept
        handle.write("slides:\n  - {id: work-package-5, country_specific: false}\n"
                     "  - {id: samordningskvalitet-prosent, country_specific: false}\n")
    # an English deck: "Norge" is still found, in the codebook's languages (en, nb, de)
    status, err = run(capsys, deck, "--check", "--country", "LT", "--language", "en")
    assert status == 0, err
    assert err.endswith(f"{deck}: OK (20 slides, 9 charts)")
    assert "country code" not in err  # (the warnings are the Norwegian slide texts)


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_undeclared_codes_are_quoted_with_their_label_every_column_at_once(tmp_path, capsys,
                                                                           suffix):
    csv = pd.read_csv(CSV)
    data = write_archive(archived_frame(csv), tmp_path / f"za{suffix}")
    deck = variant(tmp_path, "archived", data, archived_codebook(tmp_path, missing="[]"))
    status, err = run(capsys, deck, "--check")
    assert status == 2
    gaps = {archived_name(c): int(n) for c, n in csv.isna().sum().items() if n}
    assert len(gaps) == 48  # every item column has unanswered questions
    # one problem per scale (four), listing its columns, the fix once
    assert f"Cannot build {deck}: 4 problem(s)" in err
    assert err.count("add -99 to the scale's missing or non_answers") == 4
    quality = [c for c in gaps if c.startswith("V18_")]
    first_gap, first_column = min((csv["q" + c[1:]].isna().to_numpy().nonzero()[0][0], c)
                                  for c in quality)
    assert (f"codebook.yaml:164:3: codes not declared in scale quality7: "
            f"{sum(gaps[c] for c in quality)} answers coded -99 ('No answer') in "
            f"{len(quality)} columns: " + ", ".join(f"{c} ({gaps[c]})" for c in quality)
            + f" (first at respondent id {csv['id'][first_gap]} of za{suffix}, in {first_column}) "
            "(add -99 to the scale's missing or non_answers)") in err
    for scale in ("importance7", "agree7", "change7"):
        assert f"codes not declared in scale {scale}: " in err
    for column in gaps:
        assert f"{column} ({gaps[column]})" in err, column


def test_rows_are_named_as_each_file_has_them(tmp_path, capsys):
    csv = pd.read_csv(CSV)
    where = 41  # the 42nd respondent: row 43 of the CSV, id 42
    broken = csv.copy()
    broken.loc[where, "q18_2"] = 9
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    broken.to_csv(tmp_path / "data.csv", index=False)
    status, err = run(capsys, variant(tmp_path, "csv", tmp_path / "data.csv", codebook),
                      "--check")
    assert status == 2
    assert ("codebook.yaml:164:3: codes not declared in scale quality7: 1 answer coded 9 in "
            "q18_2 (first at row 43 (id 42) of data.csv) (add 9 to the scale's missing or "
            "non_answers)") in err
    # without an id column: the row alone
    broken.drop(columns="id").to_csv(tmp_path / "data.csv", index=False)
    status, err = run(capsys, variant(tmp_path, "csv", tmp_path / "data.csv", codebook),
                      "--check")
    assert "(first at row 43 of data.csv)" in err
    # a Stata file has no rows to count: the respondent's id, else its observation number
    archived = archived_frame(broken.assign(id=csv["id"]))
    write_archive(archived, tmp_path / "za.dta")
    deck = variant(tmp_path, "za", tmp_path / "za.dta", archived_codebook(tmp_path))
    status, err = run(capsys, deck, "--check")
    assert ("codes not declared in scale quality7: 1 answer coded 9 in V18_2 (first at "
            "respondent id 42 of za.dta)") in err
    assert not re.search(r"\brow \d", err)
    write_archive(archived.drop(columns="respid"), tmp_path / "za.dta")
    archived_codebook(tmp_path).write_text(
        re.sub(r"(?m)^  id_column: .*\n", "", archived_codebook(tmp_path).read_text()))
    status, err = run(capsys, deck, "--check")
    assert "(first at observation 42 of za.dta)" in err and not re.search(r"\brow \d", err)
    write_archive(archived.drop(columns="respid"), tmp_path / "za.sav")
    deck = variant(tmp_path, "zas", tmp_path / "za.sav", tmp_path / "codebook.yaml")
    status, err = run(capsys, deck, "--check")
    assert "(first at case 42 of za.sav)" in err and not re.search(r"\brow \d", err)


def statistics_deck(folder: Path, name: str, data: Path, codebook: Path) -> Path:
    """The statistics fixture (significance, intervals, `by: level`, a `policy_field`
    filter) on other data."""
    path = folder / f"{name}.yaml"
    path.write_text(f"extends: {FIXTURES / 'statistics.yaml'}\ndeck:\n  data: {data}\n"
                    f"  codebook: {codebook}\n", encoding="utf-8")
    return path


def test_background_variables_split_and_filter_the_archived_file(tmp_path):
    """`by: level` and `filter: {policy_field: 2}` on the archive's labelled background
    variables give the CSV's numbers; where the codebook gives no `values:`, the file's
    value labels name the groups."""
    data = write_archive(archived_frame(pd.read_csv(CSV)), tmp_path / "za.dta")
    csv_codebook = tmp_path / "csv" / "codebook.yaml"
    csv_codebook.parent.mkdir()
    csv_codebook.write_text((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"),
                            encoding="utf-8")
    path = archived_codebook(tmp_path)
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  level:\n"), text.index("  org_type:\n")
    path.write_text(text[:start] + "  level:\n    column: hlevel\n    label: {en: Level, "
                    "nb: Nivå}\n" + text[end:], encoding="utf-8")
    built = {}
    for name, data_file, codebook in (("csv", CSV, csv_codebook), ("za", data, path)):
        out = tmp_path / f"{name}.pptx"
        deck = statistics_deck(tmp_path, name, data_file, codebook)
        assert main([str(deck), "--charts", "native", "--output", str(out)]) == 0
        built[name] = chart_numbers(out)
    by_level = [(number, categories, [values for _, values in series])
                for number, categories, series in built["csv"]]
    assert by_level == [(number, categories, [values for _, values in series])
                        for number, categories, series in built["za"]]
    # the split's series: the codebook's Norwegian names from the CSV, the file's own
    # labels from the archive
    names = {name: next([n for n, _ in series] for number, _, series in charts if number == 3)
             for name, charts in built.items()}
    groups = {name: [n.split(" (N = ")[0] for n in found] for name, found in names.items()}
    assert groups["csv"] == ["Øverste nivå", "Andre nivå", "Tredje nivå"]
    assert groups["za"] == ["Top", "Second", "Third"]
    # the same bases (N) beside the names
    assert [n.split(" (N = ")[1] for n in names["csv"]] == [
        n.split(" (N = ")[1] for n in names["za"]]
