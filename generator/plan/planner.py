"""Resolves a validated deck against the data: the indicator tables, chart data and
captions (and, through `TextPlanner`, the texts) each slide type's plan step
(`generator.slides`) puts in its `SlideContent`.

Everything a deck file can get wrong once the schema is satisfied (a battery
the codebook lacks, a country not in the data, a missing translation, a bad
placeholder, a missing image, text marked as about another country) is
collected as problems, all at once, before any chart is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import pandas as pd

from generator.charts.data import ChartData, chart_notes
from generator.deckfile.model import ChartSpec, IndicatorSpec
from generator.deckfile.yamlsource import did_you_mean
from generator.i18n.phrase import Phrase, Span
from generator.plan.alttext import alt_text
from generator.plan.content import ChartContent, SlideContent
from generator.plan.texts import KeyPath, TextPlanner
from generator.survey import indicators

__all__ = ["KeyPath", "Planner"]


class Planner(TextPlanner):
    """Turns one deck into slide contents: its texts (`TextPlanner`) and numbers, the
    indicator tables, chart data and captions; collects problems instead of stopping."""

    # -- charts and tables --------------------------------------------------------------

    def request(self, spec: IndicatorSpec, path: KeyPath,
                include_non_answers: bool = False) -> indicators.Request | None:
        battery = self.codebook.batteries.get(spec.battery)
        if battery is None:
            self.problem((*path, "battery"), f"no battery '{spec.battery}' in the codebook",
                         did_you_mean(spec.battery, self.codebook.batteries))
            return None
        columns = {key: item.column for key, item in battery.items.items()}
        for i, key in enumerate(spec.items or ()):
            if key not in columns:
                self.problem((*path, "items", i), f"no item '{key}' in battery '{spec.battery}'",
                             did_you_mean(key, columns))
                return None
        scale = self.codebook.scales[battery.scale]
        if spec.range is not None:
            for i, point in enumerate(spec.range):
                if point not in scale.points:
                    self.problem((*path, "range", i), f"{point} is not a point of the scale",
                                 f"the scale runs {scale.low}–{scale.high}")
                    return None
        indicator = spec.resolved_indicator() if isinstance(spec, ChartSpec) else (
            spec.indicator or "mean")
        return indicators.Request(indicator=indicator,
                                  columns=indicators.select_columns(columns, spec.items),
                                  scale=scale, range=spec.range,
                                  include_non_answers=include_non_answers)

    def statistics(self, spec: IndicatorSpec) -> indicators.Statistics:
        """The tests and intervals a slide asks for: its own setting, else the deck's."""
        settings = self.deck.deck
        alpha = settings.significance if spec.significance is None else spec.significance
        ci = settings.ci if spec.ci is None else spec.ci
        return indicators.Statistics(alpha=alpha or None, correction=settings.correction,
                                     ci=ci or None, warn_base=settings.warn_base,
                                     min_base=settings.min_base)

    def respondents(self, spec: IndicatorSpec, path: KeyPath
                    ) -> tuple[pd.DataFrame, Phrase | None]:
        """The data rows the slide counts (its filter, else the deck's) and who they are,
        in words (None: everyone)."""
        if not hasattr(self, "_respondents"):
            self._respondents: dict[KeyPath, tuple[pd.DataFrame, Phrase | None]] = {}
        if path not in self._respondents:
            self._respondents[path] = self._filter(spec, path)
        return self._respondents[path]

    def _filter(self, spec: IndicatorSpec, path: KeyPath
                ) -> tuple[pd.DataFrame, Phrase | None]:
        frame = self.survey.frame
        own = spec.filter is not None
        chosen = spec.filter if own else self.deck.deck.filter
        if not chosen:
            return frame, None
        where = (*path, "filter") if own else ("deck", "filter")
        columns: dict[str, list[object]] = {}
        described = []
        for key, wanted in chosen.items():
            variable = self.codebook.background.get(key)
            if variable is None:
                self.problem((*where, key), f"no background variable '{key}' in the codebook",
                             did_you_mean(key, self.codebook.background)
                             or "the codebook's background variables: "
                             + ", ".join(self.codebook.background))
                continue
            codes = list(wanted) if isinstance(wanted, tuple) else [wanted]
            known = {str(code): code for code in variable.values}
            unknown = [c for c in codes if str(c) not in known]
            if unknown:
                self.problem((*where, key), f"{', '.join(map(str, unknown))}: not a value of "
                             f"'{key}'", "its values: " + ", ".join(map(str, variable.values)))
                continue
            columns[variable.column] = [known[str(c)] for c in codes]
            # German capitalises nouns wherever they stand
            lower = (lambda t: t) if self.locale.language == "de" else _phrase_in_sentence
            names = [lower(self.label(variable.values[known[str(c)]],
                                      f"background.{key}.values.{c}")) for c in codes]
            described.append(self.message(
                "filter.one", variable=lower(self.label(variable.label,
                                                        f"background.{key}.label")),
                values=self.locale.join_phrases(names)))
        if not columns:
            return frame, None
        kept = frame[indicators.filter_mask(frame, columns)]
        return kept, self.message("filter.caption",
                                  who=Phrase.join(described, Span("; ", self.deck_tag)))

    def comparison_label(self) -> Phrase:
        return self.message(f"comparison.{self.deck.deck.compare_with}")

    def weights(self) -> pd.Series | None:
        column = self.deck.deck.weight or self.codebook.dataset.weight_column
        return None if column is None else self.survey.frame[column]

    def table(self, request: indicators.Request, spec: ChartSpec | IndicatorSpec,
              path: KeyPath) -> pd.DataFrame | None:
        """The slide's numbers with their bases, and with tests, intervals and small-base
        marks where asked for (`indicators.STATISTIC_COLUMNS`).

        Kept with the survey (`Survey.tables`) by everything they are computed from:
        the country, the request, the slide's spec and the deck's settings (filter,
        comparison, weights, bases, tests)."""
        self.respondents(spec, path)  # its problems are the planner's, hit or miss
        key = (type(self).__name__, self.country, repr(request), type(spec).__name__,
               spec.model_dump_json(), self.deck.deck.model_dump_json())
        return self.survey.tables.get(key, lambda: self._table(request, spec, path))

    def _table(self, request: indicators.Request, spec: ChartSpec | IndicatorSpec,
               path: KeyPath) -> pd.DataFrame | None:
        settings = self.deck.deck
        frame, _ = self.respondents(spec, path)
        country_column = self.survey.country_column
        in_country = frame[country_column].eq(self.country).fillna(False).astype(bool)
        everyone = pd.Series(True, index=frame.index)
        pool = everyone if settings.compare_with == "all" else ~in_country
        masks: dict[str, pd.Series] = {"country": in_country}
        if settings.compare_with != "country_mean":
            masks["comparison"] = pool
        rests: dict[str, pd.Series] = {"country": ~in_country}
        by = spec.by if isinstance(spec, ChartSpec) else None
        if by is not None and spec.chart != "bar":
            self.problem((*path, "by"), "by: draws bar charts only", "set chart: bar")
            return None
        if isinstance(spec, ChartSpec) and spec.chart == "ranking":
            item = spec.item or next(iter(request.columns))
            if item not in request.columns:
                self.problem((*path, "item"), f"no item '{item}' in battery '{spec.battery}'",
                             did_you_mean(item, request.columns))
                return None
            request = indicators.Request(request.indicator, {item: request.columns[item]},
                                         request.scale, request.range)
            per_country = indicators.country_table(
                frame, country_column, request, item, settings.min_base, self.weights())
            comparison = indicators.comparison_table(
                frame, country_column, self.country, settings.compare_with, request,
                settings.min_base, self.weights())
            table = pd.concat([per_country, comparison[comparison["group"] == "comparison"]],
                              ignore_index=True)
            masks.update(_country_masks(frame[country_column], per_country["group"]))
            rests = {self.country: ~in_country}
        elif by is not None:
            variable = self.codebook.background.get(by)
            if variable is None:
                self.problem((*path, "by"), f"no background variable '{by}' in the codebook",
                             did_you_mean(by, self.codebook.background))
                return None
            codes = list(variable.values)
            values = frame[variable.column]
            table = indicators.subgroup_table(frame, in_country, variable.column, codes,
                                              request, settings.min_base, self.weights())
            masks = {f"by={c}": in_country & values.eq(c).fillna(False).astype(bool)
                     for c in codes}
            rests = {f"by={c}": ~in_country & values.eq(c).fillna(False).astype(bool)
                     for c in codes}
        else:
            table = indicators.comparison_table(
                frame, country_column, self.country, settings.compare_with,
                request, settings.min_base, self.weights())
        country_bases = [n for group, n in zip(table["group"], table["n"], strict=True)
                         if group != "comparison"
                         and (group.startswith("by=") or group in ("country", self.country))]
        if all(n == 0 for n in country_bases):
            self.problem((*path, "battery"),
                         f"no valid answers from {self.country} on '{spec.battery}'",
                         "check the country code and the codebook's columns"
                         + (" and the filter" if len(frame) < len(self.survey.frame) else ""))
            return None
        return indicators.add_statistics(table, frame, masks, rests, request,
                                         self.statistics(spec), self.weights())

    def chart(self, spec: ChartSpec, path: KeyPath, title: Phrase,
              has_caption: bool) -> ChartContent | None:
        """The chart's data, labels and alt text (who is counted goes under the chart
        where no caption says it); its size in pixels is the layout's to set
        (`layout.frame.SlideFrame.chart`)."""
        request = self.request(spec, path, include_non_answers=spec.non_answers == "show")
        if request is None:
            return None
        table = self.table(request, spec, path)
        if table is None:
            return None
        battery = self.codebook.batteries[spec.battery]
        scale = request.scale
        items = {key: self.item_label(spec.battery, key) for key in request.columns}
        points: dict[object, Phrase] = {p: Phrase.of(str(p), self.deck_tag)
                                        for p in scale.points}
        for point, text in scale.labels.items():
            label = self.label(text, f"scales.{battery.scale}.labels.{point}")
            points[point] = Phrase.join([Span(f"{point} = ", self.deck_tag), label])
        for code, text in scale.non_answers.items():
            points[code] = self.label(text, f"scales.{battery.scale}.non_answers.{code}")
        comparison, source = self.comparison_label(), self.source_line()
        # every label the chart shows as text, in its language (charts show items capitalised)
        shown = [*items.values(), *(p.capitalised() for p in items.values()),
                 *points.values(), comparison, source]
        if table["suppressed"].any():
            note = self.message("chart.suppressed", min_base=self.deck.deck.min_base)
            shown.append(Phrase.join([Span("– ", self.deck_tag), note]))
        series: tuple[tuple[str, Phrase], ...] = ()
        by_label = None
        if spec.by is not None:
            variable = self.codebook.background[spec.by]
            by_label = self.label(variable.label, f"background.{spec.by}.label")
            series = tuple((f"by={code}",
                            self.label(text, f"background.{spec.by}.values.{code}"))
                           for code, text in variable.values.items())
            shown += [label for _, label in series]
        stats = self.statistics(spec)
        _, included = self.respondents(spec, path)
        said = source  # the alt text's: the note's words, as sentences
        if not has_caption and included is not None:
            said = Phrase.join([included, Span(". ", self.deck_tag), source])
            source = Phrase.join([included, Span("   ·   ", self.deck_tag), source])
            shown.append(source)
        data = ChartData(
            kind=spec.chart, table=table, item_labels={k: p.text for k, p in items.items()},
            value_kind="mean" if request.indicator == "mean" else "percent",
            scale_points=tuple(scale.points), country_code=self.country,
            country_label=self.locale.country_name(self.country),
            comparison_label=comparison.text, source=source.text,
            min_base=self.deck.deck.min_base, width_px=0, height_px=0,
            orientation=spec.orientation, sort=spec.sort,
            point_labels={p: label.text for p, label in points.items()},
            country_names={c: self.locale.country_name(c) for c in self.survey.countries()},
            series=tuple((group, label.text) for group, label in series),
            significance=stats.alpha,
            correction=stats.correction if stats.alpha else None, ci=stats.ci,
            warn_base=stats.warn_base, by=spec.by,
            by_label=by_label.text if by_label is not None else None,
            language=self.deck_tag)
        # the notes under the chart, made now so that their language is known
        notes = [self.locale.produced.get(n) for n in chart_notes(data, self.locale)]
        shown += [n for n in notes if n is not None]
        data = replace(data, phrases={p.text: p for p in shown
                                      if p.languages - {self.deck_tag}})
        return ChartContent(data=data, alt_text=alt_text(data, title, self.locale, self.message,
                                                         said),
                            requested=spec.charts)

    def default_caption(self, spec: IndicatorSpec) -> Phrase | None:
        """The question (and, for a ranking, the item), how to read the numbers (the
        scale's real end points) and the base."""
        battery = self.codebook.batteries.get(spec.battery)
        if battery is None:
            return None
        scale = self.codebook.scales[battery.scale]
        indicator = spec.resolved_indicator() if isinstance(spec, ChartSpec) else (
            spec.indicator or "mean")
        low, high = spec.range or indicators.default_range(scale)

        def end_label(point: int) -> Phrase:
            return _phrase_in_sentence(self.label(scale.labels.get(point, {}),
                                                  f"scales.{battery.scale}.labels.{point}"))

        scale_text = self.message(
            f"caption.{indicator}", low=end_label(scale.low), high=end_label(scale.high),
            low_point=scale.low, high_point=scale.high, range_low=low, range_high=high)
        question = self.label(battery.question, f"batteries.{spec.battery}.question")
        if isinstance(spec, ChartSpec) and spec.chart == "ranking" and len(battery.items) > 1:
            key = spec.item or next(iter(battery.items))
            if key in battery.items:
                item = self.item_label(spec.battery, key)
                question = Phrase.join([question.strip_end(" …"), Span(" ", self.deck_tag),
                                        item, Span(".", item.spans[-1].lang)])
        shows_non_answers = isinstance(spec, ChartSpec) and spec.non_answers == "show"
        base = self.base_text(battery.scale, scale, shows_non_answers)
        return Phrase.join([question, Span(" ", self.deck_tag), scale_text,
                            Span(". ", scale_text.spans[-1].lang), base,
                            Span(".", base.spans[-1].lang)])

    def base_text(self, scale_key: str, scale: Any, shows_non_answers: bool) -> Phrase:
        """What the base is: valid answers, and which non-answer codes are left out."""
        left_out = [self.label(text, f"scales.{scale_key}.non_answers.{code}")
                    for code, text in scale.non_answers.items()]
        if shows_non_answers or not left_out:
            return self.message("caption.base")
        return self.message("caption.base_without", left_out=self.locale.join_phrases(
            [self.message("quote", text=_phrase_in_sentence(t)) for t in left_out]))

    def caption(self, slide: IndicatorSpec, path: KeyPath) -> Phrase | None:
        """The slide's caption (its own, or generated) and who is included, if filtered."""
        caption = (self.text(slide.caption, (*path, "caption")) or self.default_caption(slide))
        _, included = self.respondents(slide, path)
        if included is None:
            return caption
        end = Span(".", included.spans[-1].lang)
        return (Phrase.join([caption, Span(" ", self.deck_tag), included, end]) if caption
                else Phrase.join([included, end]))

    def source_line(self) -> Phrase:
        return self.message("source", source=self.label(self.codebook.dataset.source,
                                                        "dataset.source"))

    # -- slides -------------------------------------------------------------------------

    def footer_text(self, shows_numbers: bool) -> Phrase | None:
        """Footer text: the deck's own, plus the source line where the slide's text or
        table shows survey numbers (chart images carry their own source line)."""
        footer = self.deck.deck.footer
        parts = []
        if footer.text is not None:
            parts.append(self.text(footer.text, ("deck", "footer", "text")) or Phrase())
        if footer.source and shows_numbers:
            parts.append(self.source_line())
        parts = [p for p in parts if p]
        return Phrase.join(parts, Span("  ·  ", self.deck_tag)) if parts else None

    def slide(self, number: int, slide: Any, path: KeyPath,
              step: Callable[[Planner, Any, SlideContent, KeyPath], None]) -> SlideContent:
        """One slide's content: its title and notes here, the rest by its type's plan
        `step` (`generator.slides`); then the figures its text quotes and its filter."""
        self.quoted_figures = False
        self.slide_path, self.slide_model = path, slide
        self.quoted = []
        declared = slide.title_language
        if declared and self.language_tag(declared, (*path, "title_language")) is None:
            declared = None  # an unknown language: reported
        title = self.text(slide.title, (*path, "title"), declared) or Phrase()
        content = SlideContent(number=number, kind=slide.type, title=title, id=slide.id,
                               notes=self.text(slide.notes, (*path, "notes")))
        step(self, slide, content, path)
        content.quoted = list(self.quoted)
        for spec in (slide, getattr(slide, "left", None), getattr(slide, "right", None)):
            if isinstance(spec, IndicatorSpec) and (spec.filter or self.deck.deck.filter):
                content.respondents = filter_key(spec.filter or self.deck.deck.filter or {})
        return content


def filter_key(chosen: dict[str, Any]) -> str:
    """A filter as one machine-readable string: ``policy_field=2;level=1|2``."""
    return ";".join(f"{key}=" + "|".join(map(str, codes if isinstance(codes, tuple) else [codes]))
                    for key, codes in chosen.items())

def _phrase_in_sentence(label: Phrase) -> Phrase:
    """`_in_sentence` for a phrase: its first word lower case where a sentence needs it."""
    return Phrase(tuple(Span(_in_sentence(s.text) if i == 0 else s.text, s.lang)
                        for i, s in enumerate(label.spans)))


def _in_sentence(label: str) -> str:
    """A scale label as it reads inside a sentence: "Svært dårlig" -> "svært dårlig"."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _country_masks(countries: pd.Series, codes: Iterable[str]) -> dict[str, pd.Series]:
    """Each of `codes` with the rows of its respondents: the country column compared
    once (as integer labels), not once per country."""
    labels, found = pd.factorize(countries)
    position = {code: i for i, code in enumerate(found)}
    return {code: pd.Series(labels == position.get(code, -2), index=countries.index)
            for code in codes}
