"""The same deck from CSV, Parquet, SPSS and Stata files gives identical numbers,
and a .sav/.dta file's own variable labels fill gaps in the codebook."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest
from conftest import ROOT
from deck_summary import summarise

from generator.run.build import build
from generator.run.options import BuildOptions

CSV = ROOT / "data" / "cocops_synthetic.csv"


def _variant(folder, data_file, codebook=None) -> object:
    path = folder / f"deck_{data_file.suffix[1:]}.yaml"
    extra = f"  codebook: {codebook}\n" if codebook else ""
    path.write_text(f"extends: {ROOT / 'slides.yaml'}\ndeck:\n  data: {data_file}\n{extra}",
                    encoding="utf-8")
    return path


def _write(frame: pd.DataFrame, path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path)
    elif path.suffix == ".sav":
        pyreadstat.write_sav(frame, str(path))
    elif path.suffix == ".dta":
        pyreadstat.write_dta(frame, str(path))


def test_the_deck_is_the_same_from_every_file_format(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("formats")
    frame = pd.read_csv(CSV)
    cache = folder / "cache"
    reference = build(_variant(folder, CSV),
                      BuildOptions(output=folder / "csv.pptx", cache_dir=cache))
    expected = summarise(reference.output)
    for suffix in (".parquet", ".sav", ".dta"):
        data_file = folder / f"data{suffix}"
        _write(frame, data_file)
        result = build(_variant(folder, data_file),
                       BuildOptions(output=folder / f"{suffix[1:]}.pptx", cache_dir=cache))
        # identical figures hit the cache: every chart's numbers are the same
        assert (result.render.rendered, result.render.cache_hits) == (0, 9), suffix
        assert summarise(result.output) == expected, suffix


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_variable_labels_from_the_file_fill_a_codebook_gap(tmp_path, suffix):
    frame = pd.read_csv(CSV)
    data_file = tmp_path / f"data{suffix}"
    writer = pyreadstat.write_sav if suffix == ".sav" else pyreadstat.write_dta
    writer(frame, str(data_file), column_labels={"q18_1": "Vertical, inside"})
    codebook = tmp_path / "codebook.yaml"
    text = (ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8")
    start = text.index("      internal_vertical:\n")
    end = text.index("      external_vertical_up:")
    codebook.write_text(text[:start] + "      internal_vertical:\n        column: q18_1\n"
                        + text[end:], encoding="utf-8")
    deck = _variant(tmp_path, data_file, codebook)
    from generator.deckfile.deck import load_deck
    from generator.i18n.locale import DeckLocale
    from generator.i18n.phrase import Phrase
    from generator.plan.planner import Planner
    from generator.survey.codebook import load_codebook
    from generator.survey.dataset import load_survey

    loaded, source = load_deck(deck)
    book, book_source = load_codebook(codebook)
    survey = load_survey(data_file, book, book_source)
    planner = Planner(loaded, source, survey, DeckLocale("nb", "NO"))
    # the file's own label is taken to be English (the archived files' language)
    assert planner.item_label("coordination_quality", "internal_vertical") == Phrase.of(
        "Vertical, inside", "en-US")
    assert planner.item_label("coordination_quality", "internal_horizontal") == Phrase.of(
        "Intern horisontal", "nb-NO")
