"""Resolves a validated deck against the data: the texts (with their language), the
indicator tables, chart data and captions each slide type's plan step
(`generator.slides`) puts in its `SlideContent`.

Everything a deck file can get wrong once the schema is satisfied (a battery
the codebook lacks, a country not in the data, a missing translation, a bad
placeholder, a missing image, text marked as about another country) is
collected here as problems, all at once, before any chart is rendered.

Every text is resolved with its language (`Phrase`): deck text in the language
of the file that wrote it (or the key of its language mapping), generated
labels in the language of the catalogue they came from, codebook wording in the
language found. What is not in the deck's language is noted per slide
(`Planner.foreign`) for `--check` and `--strict` (`language_report`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from generator.charts.data import ChartData, chart_notes
from generator.deckfile.model import Bullet, ChartSpec, IndicatorSpec, Text
from generator.deckfile.templating import TemplateProblem, fill
from generator.deckfile.yamlsource import SourceMap, did_you_mean, format_path
from generator.errors import InputError, Problem
from generator.i18n.locale import DeckLocale, language_tag
from generator.i18n.phrase import Phrase, Span, same_language
from generator.plan.alttext import alt_text
from generator.plan.content import (
    ChartContent,
    Line,
    QuotedFigure,
    SlideContent,
)
from generator.plan.languages import Foreign, names_country
from generator.plan.quotable import figures_context, quotable_figures
from generator.survey import indicators
from generator.survey.codebook import Codebook
from generator.survey.dataset import Survey

if TYPE_CHECKING:
    from generator.deckfile.deck import Deck

KeyPath = tuple[str | int, ...]
FILE_LABEL_LANGUAGE = "en"  # a data file's own variable labels: the archived files' language


@dataclass
class Planner:
    """Turns one deck into slide contents; collects problems instead of stopping."""

    deck: Deck
    source: SourceMap
    survey: Survey
    locale: DeckLocale
    problems: list[Problem] = field(default_factory=list)
    label_fallbacks: set[str] = field(default_factory=set)
    quoted_figures: bool = False  # the current slide's text quotes computed figures
    foreign: dict[KeyPath, list[Foreign]] = field(default_factory=dict)
    """Per slide path (or ``("deck",)``): what is not in the deck's language."""
    naming: dict[KeyPath, list[str]] = field(default_factory=dict)
    """Per slide path: texts from another country's deck that name that country."""
    slide_path: KeyPath = ("deck",)
    slide_model: Any = None
    country_specific_seen: set[tuple[KeyPath, str]] = field(default_factory=set)
    country_from_command_line: bool = False
    """The deck's country is a quick look (``--country``, ``--all-countries``), not a
    variant file: text marked country_specific is then a warning (an error with
    ``--strict``) rather than an error."""
    kept_specific: list[Problem] = field(default_factory=list)
    quoted: list[QuotedFigure] = field(default_factory=list)  # ... and which, in order

    @property
    def codebook(self) -> Codebook:
        return self.survey.codebook

    @property
    def country(self) -> str:
        return self.deck.deck.country

    def problem(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.problems.append(self.source.problem(path, message, hint))

    # -- text ---------------------------------------------------------------------------

    @property
    def deck_tag(self) -> str:
        return self.locale.tag

    def note(self, kind: str, what: str, lang: str, file: Path | None = None,
             path: KeyPath | None = None) -> None:
        """Remember a text not in the deck's language, under its slide."""
        if same_language(lang, self.locale.code):
            return
        at = self.slide_path if path is None or path[0] == "slides" else ("deck",)
        entry = Foreign(kind, what, lang, file)
        if entry not in self.foreign.setdefault(at, []):
            self.foreign[at].append(entry)

    def text(self, value: Text | None, path: KeyPath, language: str | None = None,
             checked: bool = True) -> Phrase | None:
        """Free text with its placeholders filled, tagged with the language it is in:
        `language` where the slide says (``title_language``), else the key of a language
        mapping, else the language of the deck file that wrote it. Unless `checked` is
        false (the file's title property, which no slide shows), text not in the deck's
        language is noted for the language check."""
        if value is None:
            return None
        context = self.source.context(path)
        country = context.country if context else self.country
        if isinstance(value, dict):
            chosen = _pick_with_key(value, self.locale.code)
            if chosen is None:
                self.problem(path, f"no text for the deck's language '{self.locale.code}'",
                             "add it: " + ", ".join(sorted(value)) + " are given")
                return Phrase()
            value, written_in = chosen
        else:
            written_in = context.language if context else self.locale.code
        written_in = language or written_in
        tag = self.language_tag(written_in, path, country)
        if tag is None:
            return Phrase()
        if language is None and checked:  # a language the slide declares is meant
            self.note("text", format_path(path[2:]) if path[0] == "slides"
                      else format_path(path), tag, self.source.locate(path)[0], path)
        self.check_country(value, path, written_in, country)
        if "{{" in value:
            self.quoted_figures = True
            self.record_quotes(value)
        try:
            return Phrase.of(fill(value, self.context), tag)
        except TemplateProblem as exc:
            message, _, hint = str(exc).partition(" | ")
            self.problem(path, message, hint or None)
            return Phrase.of(value, tag)

    def check_country(self, text: str, path: KeyPath, language: str,
                      written_about: str | None) -> None:
        """A text written about another country than the deck's: an error where its slide
        marks it country-specific, a warning where it names that country."""
        if written_about is None or written_about == self.country or path[0] != "slides":
            return
        key = str(path[2]) if len(path) > 2 else ""
        slide = self.slide_model
        if slide is not None and key in slide.country_specific_keys():
            if (self.slide_path, key) not in self.country_specific_seen:
                self.country_specific_seen.add((self.slide_path, key))
                name = f"'{slide.id}'" if slide.id else f"{path[1] + 1}"
                found = self.source.problem(
                    path, f"slide {name}: its '{key}' text is marked country_specific, "
                    f"written about {written_about}, and this deck is about {self.country}",
                    f"give the slide's {key} for {self.country} in a variant file (slides: "
                    f"- id: {slide.id or '…'}), or remove the slide there")
                (self.kept_specific if self.country_from_command_line
                 else self.problems).append(found)
            return
        word = names_country(text, written_about, language)
        if word is not None:
            where = format_path(path[2:])
            entry = f"{where} names {written_about} ('{word}')"
            if entry not in self.naming.setdefault(self.slide_path, []):
                self.naming[self.slide_path].append(entry)

    def language_tag(self, language: str | None, path: KeyPath,
                     country: str | None = None) -> str | None:
        """The proofing tag for text in `language` (``en`` -> ``en-US``), None if unset."""
        if language is None:
            return None
        try:
            return language_tag(language, country or self.locale.country)
        except InputError as exc:
            (problem,) = exc.problems
            self.problem(path, problem.message, problem.hint)
            return None

    def __post_init__(self) -> None:
        self.locale.listener = lambda key, tag: self.note("message", key, tag)

    def message(self, key: str, **values: object) -> Phrase:
        """A generated label (`DeckLocale.phrase`); the locale tells `note` its language."""
        return self.locale.phrase(key, **values)

    def label(self, text: dict[str, str], what: str) -> Phrase:
        """Codebook wording in the deck's language (the deck's catalogue, else the
        codebook's); else English, else any, tagged as what it is and noted."""
        found = self.locale.wording(text, what)
        if found is None:
            self.label_fallbacks.add(what)
            language = "en" if "en" in text else next(iter(text), "en")
            found = (text.get(language, what), language_tag(language, self.locale.country))
            self.note("wording", what, found[1])
        return Phrase.of(*found)

    def item_label(self, battery: str, key: str) -> Phrase:
        """An item's wording: the catalogue's or the codebook's, else the data file's own
        variable label (.sav/.dta; taken to be English), else the item's key."""
        item = self.codebook.batteries[battery].items[key]
        what = f"batteries.{battery}.items.{key}"
        if item.label or (self.locale.catalogue and what in self.locale.catalogue.codebook):
            return self.label(item.label, what)
        tag = language_tag(FILE_LABEL_LANGUAGE, self.locale.country)
        self.note("wording", what, tag)
        return Phrase.of(self.survey.file_labels.get(item.column) or key, tag)

    def bullets(self, bullets: Sequence[Bullet], path: KeyPath, level: int = 0) -> list[Line]:
        lines: list[Line] = []
        for i, bullet in enumerate(bullets):
            lines.append(Line(self.text(bullet.text, (*path, i)) or Phrase(), level))
            lines += self.bullets(bullet.children, (*path, i), level + 1)
        return lines

    # -- figures quoted in text ---------------------------------------------------------

    def record_quotes(self, text: str) -> None:
        """Note the computed figures `text` quotes, for the figures export."""
        if not hasattr(self, "_figures"):
            self._figures = quotable_figures(self.survey, self.country)
        for name in re.findall(r"\{\{\s*([A-Za-z_]+(?:\.[A-Za-z_]+)?)", text):
            if name in self._figures:
                self.quoted.append(self._figures[name])

    @property
    def context(self) -> dict[str, Any]:
        """The values placeholders may quote, formatted for the deck's locale."""
        if not hasattr(self, "_context"):
            self._context = figures_context(self.survey, self.country, self.locale)
        return self._context

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
        marks where asked for (`indicators.STATISTIC_COLUMNS`)."""
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
            masks.update({code: frame[country_column].eq(code).fillna(False).astype(bool)
                          for code in per_country["group"]})
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
        country_rows = table[~table["group"].isin(["comparison"])
                             & (table["group"].str.startswith("by=")
                                | table["group"].isin(["country", self.country]))]
        if (country_rows["n"] == 0).all():
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
        if not has_caption and included is not None:
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
        return ChartContent(data=data, alt_text=alt_text(data, title, self.locale, self.message),
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
                content.respondents = _filter_key(spec.filter or self.deck.deck.filter or {})
        return content


def _filter_key(chosen: dict[str, Any]) -> str:
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

def _pick_with_key(text: dict[str, str], language: str) -> tuple[str, str] | None:
    """The text of a language mapping for `language` (or its base language) and the key
    it was given under."""
    base = language.split("_")[0].split("-")[0]
    for key in (language, language.replace("_", "-"), base):
        if key in text:
            return text[key], key
    return None
