"""An association slide planned: the model resolved against the codebook, fitted
(`survey.association`), drawn as a coefficient chart (`charts.coefficients`) with its
caption, note lines, alt text and findings (`plan.findings`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.charts.data import ChartData
from generator.deckfile.yamlsource import did_you_mean
from generator.i18n.phrase import Phrase, Span
from generator.plan.content import ChartContent, Line, SlideContent
from generator.plan.findings import association_findings
from generator.survey.association import (
    Association,
    CategoryPredictor,
    ItemPredictor,
    Model,
    associate,
)

if TYPE_CHECKING:
    from generator.deckfile.slidemodels import AssociationSlide
    from generator.plan.planner import KeyPath, Planner


def _battery(planner: Planner, key: str, path: KeyPath) -> bool:
    if key in planner.codebook.batteries:
        return True
    planner.problem(path, f"no battery '{key}' in the codebook",
                    did_you_mean(key, planner.codebook.batteries))
    return False


def resolve(planner: Planner, slide: AssociationSlide, path: KeyPath
            ) -> tuple[Model, dict[str, Phrase], dict[str, Phrase]] | None:
    """The model the slide asks for, each predictor's label, and each background
    variable's reference code's label; None (and problems) where the codebook lacks one."""
    codebook = planner.codebook
    known = _battery(planner, slide.outcome, (*path, "outcome"))
    known &= all([_battery(planner, key, (*path, "predictors", i))
                  for i, key in enumerate(slide.predictors)])
    for i, key in enumerate(slide.background):
        if key not in codebook.background:
            planner.problem((*path, "background", i), f"no background variable '{key}' in "
                            "the codebook", did_you_mean(key, codebook.background))
            known = False
    if not known:
        return None
    outcome = codebook.batteries[slide.outcome]
    labels: dict[str, Phrase] = {}
    items = []
    for battery_key in slide.predictors:
        battery = codebook.batteries[battery_key]
        points = tuple(codebook.scales[battery.scale].points)
        for key, item in battery.items.items():
            name = key if key not in labels else f"{battery_key}.{key}"
            labels[name] = planner.item_label(battery_key, key)
            items.append(ItemPredictor(name, item.column, points))
    categories, references = [], {}
    for key in slide.background:
        variable = codebook.background[key]
        codes = tuple(variable.values)
        categories.append(CategoryPredictor(key, variable.column, codes))
        for code, text in variable.values.items():
            labels[f"{key}={code}"] = planner.label(text, f"background.{key}.values.{code}")
        if codes:
            references[key] = labels[f"{key}={codes[0]}"]
    settings = planner.deck.deck
    model = Model(outcome={k: i.column for k, i in outcome.items.items()},
                  outcome_points=tuple(codebook.scales[outcome.scale].points),
                  items=tuple(items), categories=tuple(categories), scope=slide.scope,
                  errors=slide.errors, level=slide.ci, alpha=slide.significance,
                  min_base=settings.min_base)
    return model, labels, references


def fitted(planner: Planner, slide: AssociationSlide, model: Model,
           path: KeyPath) -> Association:
    """The fitted model, kept with the survey by everything it is computed from."""
    frame, _ = planner.respondents(slide, path)
    key = ("association", planner.country, repr(model), slide.model_dump_json(),
           planner.deck.deck.model_dump_json())
    return planner.survey.tables.get(key, lambda: associate(
        frame, planner.survey.country_column, planner.country, model, planner.weights()))


def caption(planner: Planner, slide: AssociationSlide, result: Association) -> Phrase:
    """What the outcome is, the model, its errors, N and R²."""
    codebook = planner.codebook
    battery = codebook.batteries[slide.outcome]
    question = planner.label(battery.question, f"batteries.{slide.outcome}.question")
    count = len(battery.items)
    outcome = planner.locale.plural("association.outcome", count, count=count,
                                    question=question.strip_end(" …"))
    locale = planner.locale
    model = (planner.message("association.pooled", countries=locale.integer(result.countries))
             if slide.scope == "pooled" else
             planner.message("association.country",
                             country=Phrase.of(locale.country_name(planner.country),
                                               planner.deck_tag)))
    errors = planner.message(f"association.{slide.errors}")
    if planner.weights() is not None:
        errors = Phrase.join([errors, Span("; ", planner.deck_tag),
                              planner.message("association.weighted")])
    return planner.message("association.caption", outcome=outcome, model=model, errors=errors,
                           n=locale.integer(result.n),
                           r2=locale.number(result.r_squared, 2))


def plan_association(planner: Planner, slide: AssociationSlide, content: SlideContent,
                     path: KeyPath) -> None:
    resolved = resolve(planner, slide, path)
    if resolved is None:
        return
    model, labels, references = resolved
    result = fitted(planner, slide, model, path)
    locale, tag = planner.locale, planner.deck_tag
    content.caption = planner.text(slide.caption, (*path, "caption")) or caption(
        planner, slide, result)
    _, included = planner.respondents(slide, path)
    if included is not None:
        content.caption = Phrase.join([content.caption, Span(" ", tag), included,
                                       Span(".", tag)])
    if slide.filter or planner.deck.deck.filter:
        from generator.plan.planner import filter_key

        content.respondents = filter_key(slide.filter or planner.deck.deck.filter or {})
    left_out = [Phrase.join([planner.message("quote", text=labels[key]),
                             Span(f" (n = {locale.integer(n)})", tag)])
                for key, n in result.left_out]
    notes = [planner.message("association.note", level=locale.percent(100 * slide.ci),
                             alpha=locale.number(slide.significance, 2))]
    if left_out:
        notes.append(planner.message("association.left_out", min_base=model.min_base,
                                     items=locale.join_phrases(left_out)))
    if result.table.empty:
        sentences = [planner.message("association.too_few", n=locale.integer(result.n),
                                     min_base=model.min_base)]
    else:
        outcome = (planner.text(slide.outcome_label, (*path, "outcome_label"))
                   or planner.message("finding.outcome"))
        sentences = association_findings(result.table, labels, outcome, references,
                                          slide.significance, locale, planner.message)
        content.chart = _chart(planner, slide, result, labels, notes, content.title)
    if slide.findings == "bullets":
        content.right_body = [Line(s) for s in sentences]
        content.chart_column = "left"
    elif slide.findings == "notes":
        content.notes = Phrase.join([p for p in (content.notes, *sentences) if p],
                                    Span("\n", tag))


def _chart(planner: Planner, slide: AssociationSlide, result: Association,
           labels: dict[str, Phrase], notes: list[Phrase], title: Phrase) -> ChartContent:
    from generator.plan.alttext import alt_text

    source = planner.source_line()
    shown = [*labels.values(), *(p.capitalised() for p in labels.values()), *notes, source]
    data = ChartData(
        kind="coefficients", table=result.table,
        item_labels={k: p.text for k, p in labels.items()}, value_kind="coefficient",
        scale_points=(), country_code=planner.country,
        country_label=planner.locale.country_name(planner.country), comparison_label="",
        source=source.text, min_base=planner.deck.deck.min_base, width_px=0, height_px=0,
        significance=slide.significance, ci=slide.ci, language=planner.deck_tag,
        model_notes=tuple(n.text for n in notes),
        phrases={p.text: p for p in shown if p.languages - {planner.deck_tag}})
    return ChartContent(data=data, alt_text=alt_text(data, title, planner.locale,
                                                     planner.message, source),
                        requested=slide.charts)
