"""`--update` of generated findings: they follow the rules for generated text. A finding
the person rewrote, and notes they added to, are kept (with a warning saying what is
generated now); the findings, captions and charts they left alone follow the new data."""

from __future__ import annotations

import pandas as pd
from conftest import ROOT
from pptx import Presentation
from test_update import named as shape
from test_update import slide_by_key

from generator.cli import main
from generator.output.pptx.identity import chart_values, notes_text

DECK = """\
deck:
  title: Funn
  country: NO
  language: nb
  compare_with: all
  data: {data}
  codebook: {codebook}
  output: funn.pptx
  charts: native
slides:
  - type: chart
    id: quality
    title: Samordningskvalitet
    battery: coordination_quality
    indicator: pct_range
    range: [5, 7]
    chart: bar
    significance: 0.05
    findings: notes
  - type: chart
    id: quality-mean
    title: Samordningskvalitet i snitt
    battery: coordination_quality
    indicator: mean
    chart: bar
    significance: 0.05
    findings: notes
  - type: association
    id: praksis-og-kvalitet
    title: Samordningspraksis og kvalitet
    outcome: coordination_quality
    predictors: [coordination_practice, coordination_importance]
    outcome_label: samordningskvalitet
"""

MY_FINDING = "Samordning betyr mest: jo viktigere, jo bedre samordnet (se figuren)."
MY_NOTE = "Husk å nevne tallene fra 2008."
MY_ASSOCIATION_NOTE = "Spør salen hva de tror."


def deck_file(folder, data):
    path = folder / "funn.yaml"
    path.write_text(DECK.format(data=data, codebook=ROOT / "data" / "codebook.yaml"),
                    encoding="utf-8")
    return path


def changed_data(folder):
    """The importance of coordination (q21) shuffled across respondents, so that it no
    longer goes with its quality, and 150 Norwegians' internal vertical quality (q18_1)
    made 1 ("very poor"): other findings for both slides."""
    frame = pd.read_csv(ROOT / "data" / "cocops_synthetic.csv")
    frame["q21"] = frame["q21"].sample(frac=1, random_state=1).to_numpy()
    norway = frame.index[frame["country"] == "NO"]
    frame.loc[norway[:150], "q18_1"] = 1
    path = folder / "changed.csv"
    frame.to_csv(path, index=False)
    return path



def paragraphs(slide, role):
    return [p.text for p in shape(slide, role).text_frame.paragraphs]


def drawn(slide):
    """The native chart's categories, series and (a coefficient chart's) x values."""
    return chart_values(shape(slide, "chart").chart)


def test_an_update_keeps_the_findings_the_person_rewrote_and_refreshes_the_rest(
        tmp_path, capsys):
    deck = deck_file(tmp_path, ROOT / "data" / "cocops_synthetic.csv")
    assert main([str(deck)]) == 0
    target = tmp_path / "funn.pptx"
    prs = Presentation(str(target))
    association = slide_by_key(prs, "praksis-og-kvalitet")
    findings = paragraphs(association, "right")
    assert findings[0].startswith("«Samarbeid og samordning» går sammen med høyere "
                                  "samordningskvalitet: +0,20 per poeng")
    old_notes = {key: notes_text(slide_by_key(prs, key)) for key in ("quality", "quality-mean")}
    old_charts = {key: drawn(slide_by_key(prs, key)) for key in ("quality",
                                                                 "praksis-og-kvalitet")}
    # the person rewrites the first finding in their words, adds a line to the first
    # chart's generated notes and writes notes where none were generated
    shape(association, "right").text_frame.paragraphs[0].runs[0].text = MY_FINDING
    for run in shape(association, "right").text_frame.paragraphs[0].runs[1:]:
        run.text = ""
    quality = slide_by_key(prs, "quality")
    quality.notes_slide.notes_text_frame.add_paragraph().text = MY_NOTE
    association.notes_slide.notes_text_frame.text = MY_ASSOCIATION_NOTE
    prs.save(str(target))
    mine = paragraphs(association, "right")
    assert mine == [MY_FINDING, *findings[1:]]

    deck_file(tmp_path, changed_data(tmp_path))
    assert main([str(deck), "--output", str(tmp_path / "fresh.pptx")]) == 0
    fresh = Presentation(str(tmp_path / "fresh.pptx"))
    now = {key: slide_by_key(fresh, key) for key in ("quality", "quality-mean",
                                                     "praksis-og-kvalitet")}
    # the new data change every finding the deck had: else this test shows nothing
    assert paragraphs(now["praksis-og-kvalitet"], "right") != findings
    assert not any("«Samarbeid og samordning» går sammen med høyere" in line
                   for line in paragraphs(now["praksis-og-kvalitet"], "right"))
    for key, notes in old_notes.items():
        assert notes_text(now[key]) != notes, key
    assert main([str(deck), "--update", str(target)]) == 0
    err = " ".join(capsys.readouterr().err.split())

    updated = Presentation(str(target))
    association = slide_by_key(updated, "praksis-og-kvalitet")
    # the findings the person edited: kept whole, with what is generated now said
    assert paragraphs(association, "right") == mine
    generated_now = "\n".join(paragraphs(now["praksis-og-kvalitet"], "right"))
    assert (f"praksis-og-kvalitet right: your text is kept. Generated before: "
            f"{chr(10).join(findings)!r}; yours: {chr(10).join(mine)!r}; "
            f"generated now: {generated_now!r}") in err
    # the rest of the slide follows the data: its caption (N, R²), chart and alt text
    assert shape(association, "caption").text_frame.text == \
        shape(now["praksis-og-kvalitet"], "caption").text_frame.text
    assert "R² = 0,08" in shape(association, "caption").text_frame.text
    assert drawn(association) == drawn(now["praksis-og-kvalitet"]) != \
        old_charts["praksis-og-kvalitet"]
    assert shape(association, "chart")._element.xpath(".//p:cNvPr/@descr") == \
        shape(now["praksis-og-kvalitet"], "chart")._element.xpath(".//p:cNvPr/@descr")
    assert notes_text(association) == MY_ASSOCIATION_NOTE  # none generated: left alone

    # the notes the person added to: kept, with the warning; the other chart's: new
    quality = slide_by_key(updated, "quality")
    assert notes_text(quality) == f"{old_notes['quality']}\n{MY_NOTE}"
    assert (f"quality notes: your text is kept. Generated before: {old_notes['quality']!r}; "
            f"yours: {notes_text(quality)!r}; generated now: {notes_text(now['quality'])!r}"
            ) in err
    assert "«Intern vertikal» sjeldnere enn ledere i de andre landene (40\\xa0% mot 55\\xa0%" \
        in err  # (the message quotes the texts as Python does, no-break spaces escaped)
    assert drawn(quality) == drawn(now["quality"]) != old_charts["quality"]
    mean = slide_by_key(updated, "quality-mean")
    assert notes_text(mean) == notes_text(now["quality-mean"])
    assert "«Intern vertikal» et lavere gjennomsnitt" in notes_text(mean)
    assert "quality-mean: notes regenerated" in err
