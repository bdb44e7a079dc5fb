"""A small working project for the tests that break or change one thing in it: a
deck file (two slides: bullets ``first``, a chart ``quality``), the shipped codebook
and the shipped data of a few countries, in one folder."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

DECK = """deck:
  title: Test deck
  country: NO
  language: nb
  data: data.csv
  codebook: codebook.yaml
  output: out/deck_{country}.pptx
slides:
  - type: bullets
    id: first
    title: Samordning
    bullets: ["Nytt eller gammelt?"]
  - type: chart
    id: quality
    title: Samordningskvalitet
    battery: coordination_quality
    indicator: pct_range
    range: [5, 7]
"""


def write_project(folder: Path, countries: tuple[str, ...], deck: str = DECK) -> Path:
    """`folder` with deck.yaml (`deck`), codebook.yaml and data.csv (the respondents of
    `countries`)."""
    (folder / "data.csv").write_bytes(respondents_csv(tuple(countries)))
    shutil.copy(ROOT / "data" / "codebook.yaml", folder / "codebook.yaml")
    (folder / "deck.yaml").write_text(deck, encoding="utf-8")
    return folder


@cache
def respondents_csv(countries: tuple[str, ...]) -> bytes:
    """The shipped data's rows of `countries`, as CSV: made once per test process (the
    tests only read the files they write from it)."""
    frame = pd.read_csv(ROOT / "data" / "cocops_synthetic.csv", dtype=str)
    return frame[frame["country"].isin(countries)].to_csv(index=False).encode("utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file at `path` with `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
