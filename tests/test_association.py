"""The association slide of slides.yaml, planned on the shipped (synthetic) data: what
the seed deck typed as bullets is checked against the computed model here, and the
figures export holds one row per coefficient."""

from __future__ import annotations

import pytest
from conftest import ROOT

from generator.deckfile.deck import load_deck
from generator.i18n.catalogue import load_user_catalogue
from generator.output.figures import figure_rows
from generator.run.options import BuildOptions
from generator.run.prepare import prepare
from generator.run.targets import apply_options
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey


def planned(deck_file, **options):
    deck, source = load_deck(deck_file)
    codebook, codebook_source = load_codebook(deck.deck.codebook)
    survey = load_survey(deck.deck.data, codebook, codebook_source)
    chosen = BuildOptions(**options)
    catalogue = load_user_catalogue(deck.deck.catalogue) if deck.deck.catalogue else None
    return prepare(apply_options(deck, chosen), source, survey, chosen, catalogue)


@pytest.fixture(scope="module")
def norwegian():
    return planned(ROOT / "slides.yaml")


def slide(prepared, slide_id):
    return next(s for s in prepared.slides if s.id == slide_id)


def test_the_seed_decks_claims_are_checked_not_typed(norwegian):
    """"When coordination matters, its quality is better; practice and quality are only
    weakly related; horizontal instruments go with better coordination" hold on the
    shipped data; "referring issues up the hierarchy makes no difference" holds as a
    small effect (pooled, with country effects, HC1)."""
    table = slide(norwegian, "praksis-og-kvalitet").chart.data.table.set_index("item")
    importance = table.loc["importance"]
    assert importance["value"] > 0 and importance["p_value"] < 0.001
    practice = table.drop(index="importance")
    assert (practice["value"].abs() < importance["value"]).all()  # weak beside importance
    groups = table.loc["cross_cutting_groups"]
    assert groups["value"] == practice["value"].max() and groups["p_value"] < 0.001
    assert abs(table.loc["refer_up_hierarchy", "value"]) < 0.05
    assert set(table["n"]) == {4163}


def test_the_findings_are_the_slides_bullets_in_norwegian(norwegian):
    content = slide(norwegian, "praksis-og-kvalitet")
    lines = [line.text for line in content.right_body]
    assert lines[0] == ("«Samarbeid og samordning» går sammen med høyere samordningskvalitet: "
                        "+0,20 per poeng (p\u00a0<\u00a00,001).")
    assert lines[-1] == ("Ingen påvist sammenheng med samordningskvalitet for «opprette egne "
                         "organer for formålet» (p ≥ 0,05).")
    assert "N = 4\u00a0163, R² = 0,12" in content.caption.text
    assert "16 land samlet med faste landeffekter" in content.caption.text


def test_the_figures_export_has_a_row_per_coefficient(norwegian):
    rows = [r for r in figure_rows(norwegian.slides, "NO", "all")
            if r["slide"] == "praksis-og-kvalitet"]
    assert [r["item"] for r in rows] == [
        "importance", "cross_cutting_groups", "lead_organisation", "consult_experts",
        "special_bodies", "refer_political", "refer_up_hierarchy"]
    assert {(r["kind"], r["group"], r["n"]) for r in rows} == {("coefficient", "pooled", 4163)}
    hierarchy = rows[-1]
    assert hierarchy["value"] == pytest.approx(-0.0379838851, abs=1e-9)
    assert hierarchy["ci_low"] < hierarchy["value"] < hierarchy["ci_high"]
    assert hierarchy["p_value"] == pytest.approx(0.0017031059, abs=1e-9)
    assert hierarchy["significant"] is True
    assert rows[4]["significant"] is False  # special_bodies, p\u00a0=\u00a00.17


def test_the_danish_deck_speaks_of_danish_executives_with_danish_figures():
    danish = planned(ROOT / "examples" / "dk_da.yaml")
    notes = slide(danish, "samordningskvalitet-prosent").notes
    assert notes.text.startswith("Ledere i Danmark ")
    assert "ledere i de andre lande" in notes.text and "Norge" not in notes.text
    table = slide(danish, "samordningskvalitet-prosent").chart.data.table
    shown = table[table["significant"] & (table["group"] == "country")]
    for value in shown["value"]:
        assert danish.locale.percent(value) in notes.text
    assert notes.languages == {"da-DK"}


def test_a_model_within_one_country_with_clustered_errors_is_refused():
    from pydantic import ValidationError

    from generator.slides.association import AssociationSlide

    with pytest.raises(ValidationError, match="needs scope: pooled"):
        AssociationSlide(type="association", title="x", outcome="a", predictors=("b",),
                         scope="country", errors="cluster")
