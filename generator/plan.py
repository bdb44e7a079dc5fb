"""Resolves a validated deck against the data: the list of `SlideContent` to write.

Everything a deck file can get wrong once the schema is satisfied (a battery
the codebook lacks, a country not in the data, a missing translation, a bad
placeholder, a missing image) is collected here as problems, all at once,
before any chart is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from generator import indicators
from generator.chartdata import ChartData, bar_series, table_statistics_notes
from generator.codebook import Codebook, pick_text
from generator.content import ChartContent, QuotedFigure, SlideContent, TableContent
from generator.deck import (
    Bullet,
    BulletsColumn,
    BulletsSlide,
    ChartSlide,
    ChartSpec,
    ClosingSlide,
    Deck,
    ImageSlide,
    IndicatorSpec,
    SectionSlide,
    TableSlide,
    Text,
    TitleSlide,
    TwoColumnSlide,
)
from generator.errors import InputError, Problem
from generator.i18n import DeckLocale
from generator.pptx_writer import Geometry
from generator.survey import Survey
from generator.templating import TemplateProblem, fill
from generator.textfit import Line
from generator.yamlsource import SourceMap, did_you_mean

KeyPath = tuple[str | int, ...]


@dataclass
class Planner:
    """Turns one deck into slide contents; collects problems instead of stopping."""

    deck: Deck
    source: SourceMap
    survey: Survey
    locale: DeckLocale
    geometry: Geometry
    problems: list[Problem] = field(default_factory=list)
    label_fallbacks: set[str] = field(default_factory=set)
    quoted_figures: bool = False  # the current slide's text quotes computed figures
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

    def text(self, value: Text | None, path: KeyPath) -> str | None:
        """Free text in the deck's language with its placeholders filled."""
        if value is None:
            return None
        if isinstance(value, dict):
            chosen = pick_text(value, self.locale.code, fallback="")
            if chosen is None:
                self.problem(path, f"no text for the deck's language '{self.locale.code}'",
                             "add it: " + ", ".join(sorted(value)) + " are given")
                return ""
            value = chosen
        if "{{" in value:
            self.quoted_figures = True
            self.record_quotes(value)
        try:
            return fill(value, self.context)
        except TemplateProblem as exc:
            message, _, hint = str(exc).partition(" | ")
            self.problem(path, message, hint or None)
            return value

    def language_tag(self, language: str | None, path: KeyPath) -> str | None:
        """The proofing tag for text in `language` (``en`` -> ``en-US``), None if unset."""
        if language is None:
            return None
        try:
            return DeckLocale(language, self.locale.country).tag
        except InputError as exc:
            (problem,) = exc.problems
            self.problem(path, problem.message, problem.hint)
            return None

    def label(self, text: dict[str, str], what: str) -> str:
        """A codebook label in the deck's language; English (noted) where it has none."""
        chosen = pick_text(text, self.locale.code, fallback="")
        if chosen is None:
            self.label_fallbacks.add(what)
            chosen = pick_text(text, "en") or next(iter(text.values()), what)
        return chosen

    def item_label(self, battery: str, key: str) -> str:
        """An item's wording: the codebook's, else the data file's own variable label
        (.sav/.dta), else the item's key."""
        item = self.codebook.batteries[battery].items[key]
        if item.label:
            return self.label(item.label, f"{battery}.{key}")
        return self.survey.file_labels.get(item.column) or key

    def bullets(self, bullets: Sequence[Bullet], path: KeyPath, level: int = 0) -> list[Line]:
        lines: list[Line] = []
        for i, bullet in enumerate(bullets):
            lines.append(Line(self.text(bullet.text, (*path, i)) or "", level))
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

    def respondents(self, spec: IndicatorSpec, path: KeyPath) -> tuple[pd.DataFrame, str | None]:
        """The data rows the slide counts (its filter, else the deck's) and who they are,
        in words (None: everyone)."""
        if not hasattr(self, "_respondents"):
            self._respondents: dict[KeyPath, tuple[pd.DataFrame, str | None]] = {}
        if path not in self._respondents:
            self._respondents[path] = self._filter(spec, path)
        return self._respondents[path]

    def _filter(self, spec: IndicatorSpec, path: KeyPath) -> tuple[pd.DataFrame, str | None]:
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
            lower = (lambda t: t) if self.locale.language == "de" else _in_sentence
            names = [lower(self.label(variable.values[known[str(c)]], f"{key}.{c}"))
                     for c in codes]
            described.append(self.locale.message(
                "filter.one", variable=lower(self.label(variable.label, key)),
                values=self.locale.join_list(names)))
        if not columns:
            return frame, None
        kept = frame[indicators.filter_mask(frame, columns)]
        return kept, self.locale.message("filter.caption", who="; ".join(described))

    def comparison_label(self) -> str:
        return self.locale.message(f"comparison.{self.deck.deck.compare_with}")

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

    def chart(self, spec: ChartSpec, path: KeyPath, title: str, column: str,
              has_caption: bool) -> ChartContent | None:
        request = self.request(spec, path, include_non_answers=spec.non_answers == "show")
        if request is None:
            return None
        table = self.table(request, spec, path)
        if table is None:
            return None
        battery = self.codebook.batteries[spec.battery]
        scale = request.scale
        item_labels = {key: self.item_label(spec.battery, key) for key in request.columns}
        point_labels: dict[object, str] = {p: str(p) for p in scale.points}
        for point, text in scale.labels.items():
            point_labels[point] = f"{point} = {self.label(text, f'scale {battery.scale}')}"
        for code, text in scale.non_answers.items():
            point_labels[code] = self.label(text, f"scale {battery.scale}")
        width, height = self.geometry.chart_pixels(column, has_caption)
        series: tuple[tuple[str, str], ...] = ()
        by_label = None
        if spec.by is not None:
            variable = self.codebook.background[spec.by]
            by_label = self.label(variable.label, spec.by)
            series = tuple((f"by={code}", self.label(text, f"{spec.by}.{code}"))
                           for code, text in variable.values.items())
        stats = self.statistics(spec)
        _, included = self.respondents(spec, path)
        source = self.source_line() if has_caption or included is None else (
            f"{included}   ·   {self.source_line()}")
        data = ChartData(
            kind=spec.chart, table=table, item_labels=item_labels,
            value_kind="mean" if request.indicator == "mean" else "percent",
            scale_points=tuple(scale.points), country_code=self.country,
            country_label=self.locale.country_name(self.country),
            comparison_label=self.comparison_label(), source=source,
            min_base=self.deck.deck.min_base, width_px=width, height_px=height,
            orientation=spec.orientation, sort=spec.sort, point_labels=point_labels,
            country_names={c: self.locale.country_name(c) for c in self.survey.countries()},
            series=series, significance=stats.alpha,
            correction=stats.correction if stats.alpha else None, ci=stats.ci,
            warn_base=stats.warn_base, by=spec.by, by_label=by_label)
        return ChartContent(data=data, alt_text=alt_text(data, title, self.locale),
                            requested=spec.charts)

    def default_caption(self, spec: IndicatorSpec) -> str | None:
        """The question (and, for a ranking, the item), how to read the numbers (the
        scale's real end points) and the base."""
        battery = self.codebook.batteries.get(spec.battery)
        if battery is None:
            return None
        scale = self.codebook.scales[battery.scale]
        indicator = spec.resolved_indicator() if isinstance(spec, ChartSpec) else (
            spec.indicator or "mean")
        low, high = spec.range or indicators.default_range(scale)
        scale_text = self.locale.message(
            f"caption.{indicator}",
            low=_in_sentence(self.label(scale.labels.get(scale.low, {}), "scale")),
            high=_in_sentence(self.label(scale.labels.get(scale.high, {}), "scale")),
            low_point=scale.low, high_point=scale.high, range_low=low, range_high=high)
        question = self.label(battery.question, spec.battery)
        if isinstance(spec, ChartSpec) and spec.chart == "ranking" and len(battery.items) > 1:
            key = spec.item or next(iter(battery.items))
            if key in battery.items:
                question = f"{question.rstrip(' …')} {self.item_label(spec.battery, key)}."
        shows_non_answers = isinstance(spec, ChartSpec) and spec.non_answers == "show"
        return f"{question} {scale_text}. {self.base_text(scale, shows_non_answers)}."

    def base_text(self, scale: Any, shows_non_answers: bool) -> str:
        """What the base is: valid answers, and which non-answer codes are left out."""
        left_out = [self.label(text, "scale") for text in scale.non_answers.values()]
        if shows_non_answers or not left_out:
            return self.locale.message("caption.base")
        return self.locale.message("caption.base_without",
                                   left_out=self.locale.join_list(
                                       [self.locale.message("quote", text=_in_sentence(t))
                                        for t in left_out]))

    def caption(self, slide: ChartSlide | TableSlide, path: KeyPath) -> str | None:
        """The slide's caption (its own, or generated) and who is included, if filtered."""
        caption = (self.text(slide.caption, (*path, "caption")) or self.default_caption(slide))
        _, included = self.respondents(slide, path)
        if included is None:
            return caption
        return f"{caption} {included}." if caption else f"{included}."

    def source_line(self) -> str:
        return self.locale.message("source", source=self.label(self.codebook.dataset.source,
                                                               "dataset.source"))

    # -- slides -------------------------------------------------------------------------

    def footer_text(self, shows_numbers: bool) -> str | None:
        """Footer text: the deck's own, plus the source line where the slide's text or
        table shows survey numbers (chart images carry their own source line)."""
        footer = self.deck.deck.footer
        parts = []
        if footer.text is not None:
            parts.append(self.text(footer.text, ("deck", "footer", "text")) or "")
        if footer.source and shows_numbers:
            parts.append(self.source_line())
        return "  ·  ".join(p for p in parts if p) or None

    def slide(self, number: int, slide: Any, path: KeyPath) -> SlideContent:
        self.quoted_figures = False
        self.quoted = []
        title = self.text(slide.title, (*path, "title")) or ""
        content = SlideContent(number=number, kind=slide.type, title=title, id=slide.id,
                               title_lang=self.language_tag(slide.title_language,
                                                            (*path, "title_language")),
                               notes=self.text(slide.notes, (*path, "notes")))
        if isinstance(slide, TitleSlide | SectionSlide):
            content.subtitle = self.text(slide.subtitle, (*path, "subtitle"))
        if isinstance(slide, TitleSlide):
            content.footnote = self.text(slide.footnote, (*path, "footnote"))
        if isinstance(slide, BulletsSlide | ClosingSlide):
            content.body = self.bullets(slide.bullets, (*path, "bullets"))
        if isinstance(slide, BulletsSlide):
            content.footnote = self.text(slide.footnote, (*path, "footnote"))
        if isinstance(slide, TwoColumnSlide):
            for side, column in (("left", slide.left), ("right", slide.right)):
                if isinstance(column, BulletsColumn):
                    lines = self.bullets(column.bullets, (*path, side, "bullets"))
                    if side == "left":
                        content.body = lines
                    else:
                        content.right_body = lines
                elif content.chart is None:
                    content.chart = self.chart(column, (*path, side), title, side, False)
                    content.chart_column = side
                else:
                    self.problem((*path, side), "a two-column slide holds at most one chart",
                                 "make one column bullets")
        if isinstance(slide, ChartSlide):
            content.caption = self.caption(slide, path)
            content.chart = self.chart(slide, path, title, "full", bool(content.caption))
        if isinstance(slide, TableSlide):
            content.caption = self.caption(slide, path)
            content.table = self.native_table(slide, path)
        if isinstance(slide, ImageSlide):
            content.caption = self.text(slide.caption, (*path, "caption"))
            if not slide.path.is_file():
                self.problem((*path, "path"), f"image not found: {slide.path}",
                             "the path is relative to the deck file")
            elif slide.path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
                self.problem((*path, "path"), "images must be PNG or JPEG files")
            else:
                content.image = slide.path
        if slide.type not in ("title", "section"):
            content.footer_text = self.footer_text(
                content.table is not None or self.quoted_figures)
        if content.table is not None and content.table.data is not None:
            stats = self.statistics(slide)
            notes = table_statistics_notes(content.table.data, self.locale, stats.alpha,
                                           stats.correction, None, stats.warn_base)
            content.footer_text = "  ·  ".join([*notes, content.footer_text or ""]).strip(" ·")
        content.quoted = list(self.quoted)
        for spec in (slide, getattr(slide, "left", None), getattr(slide, "right", None)):
            if isinstance(spec, IndicatorSpec) and (spec.filter or self.deck.deck.filter):
                content.respondents = _filter_key(spec.filter or self.deck.deck.filter or {})
        return content

    def native_table(self, spec: TableSlide, path: KeyPath) -> TableContent | None:
        request = self.request(spec, path)
        if request is None:
            return None
        if request.indicator == "distribution":
            self.problem((*path, "indicator"), "a table shows mean or pct_range",
                         "use a likert chart for distributions")
            return None
        table = self.table(request, spec, path)
        if table is None:
            return None
        kind = "mean" if request.indicator == "mean" else "percent"
        country, group = self.locale.country_name(self.country), self.comparison_label()
        header = [self.locale.message("table.item"), country, group,
                  f"N {country}", f"N {group}"]
        rows = []
        for key in request.columns:
            found = table[table["item"] == key].set_index("group")
            rows.append([self.item_label(spec.battery, key)]
                        + [_table_value(found.loc[g], kind, self.locale)
                           for g in ("country", "comparison")]
                        + [self.locale.integer(int(found.loc[g, "n"]))
                           for g in ("country", "comparison")])
        return TableContent(header=header, rows=rows, data=table, value_kind=kind)

    def plan(self) -> list[SlideContent]:
        """Every slide's content; problems are left in `self.problems`."""
        if self.country not in self.survey.countries():
            self.problem(("deck", "country"),
                         f"country '{self.country}' is not in the data",
                         "the data has " + ", ".join(self.survey.countries()))
            return []
        return [self.slide(i + 1, slide, ("slides", i)) for i, slide in
                enumerate(self.deck.slides)]


def _filter_key(chosen: dict[str, Any]) -> str:
    """A filter as one machine-readable string: ``policy_field=2;level=1|2``."""
    return ";".join(f"{key}=" + "|".join(map(str, codes if isinstance(codes, tuple) else [codes]))
                    for key, codes in chosen.items())


def _table_value(row: pd.Series, kind: str, locale: DeckLocale) -> str:
    """A table cell: the value and its marks (▲▼ significant, * small base)."""
    from generator.chartdata import marks

    text = locale.value(row["value"], kind)
    mark = marks(row)
    return f"{text} {mark}" if mark and text != "–" else text


def _in_sentence(label: str) -> str:
    """A scale label as it reads inside a sentence: "Svært dårlig" -> "svært dårlig"."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def figures_context(survey: Survey, country: str, locale: DeckLocale) -> dict[str, Any]:
    """Survey-wide figures for placeholders: N, response rates, names, in the locale."""
    frame = survey.frame
    dataset = survey.codebook.dataset
    n_all = len(frame)
    n_country = int((frame[survey.country_column] == country).sum())
    invited_all = sum(dataset.invited.values())
    invited_country = dataset.invited.get(country)
    rate_all = locale.percent(100 * n_all / invited_all) if invited_all else "–"
    rate_country = (locale.percent(100 * n_country / invited_country)
                    if invited_country else "–")
    return {
        "n": {"all": locale.integer(n_all), "country": locale.integer(n_country)},
        "response_rate": {"all": rate_all, "country": rate_country},
        "country_name": locale.country_name(country),
        "country": country,
        "countries": locale.integer(len(survey.countries())),
        "fieldwork": dataset.fieldwork,
    }


def quotable_figures(survey: Survey, country: str) -> dict[str, QuotedFigure]:
    """The numbers behind `figures_context`, unformatted, keyed by placeholder name."""
    frame = survey.frame
    invited = survey.codebook.dataset.invited
    n_all = len(frame)
    n_country = int((frame[survey.country_column] == country).sum())
    figures = {
        "n.all": QuotedFigure("n.all", "all", float(n_all), n_all),
        "n.country": QuotedFigure("n.country", country, float(n_country), n_country),
        "countries": QuotedFigure("countries", "all", float(len(survey.countries()))),
    }
    if sum(invited.values()):
        figures["response_rate.all"] = QuotedFigure(
            "response_rate.all", "all", 100 * n_all / sum(invited.values()), n_all)
    if invited.get(country):
        figures["response_rate.country"] = QuotedFigure(
            "response_rate.country", country, 100 * n_country / invited[country], n_country)
    return figures


def _significance_text(data: ChartData, locale: DeckLocale) -> str:
    """The alt text's sentence on which items differ significantly, or ""."""
    table = data.table
    if data.significance is None or "significant" not in table:
        return ""
    found = table[table["significant"]]
    if found.empty:
        return " " + locale.message("alt.no_difference")
    parts = []
    for direction, key in ((1, "alt.higher"), (-1, "alt.lower")):
        rows = found[found["direction"] == direction]
        names = []
        for group, item in zip(rows["group"], rows["item"], strict=True):
            name = data.item_labels.get(item, item)
            if group.startswith("by="):
                name += f" ({dict(data.series).get(group, group)})"
            names.append(name)
        if names:
            parts.append(locale.message(key, items=locale.join_list(names)))
    return " " + " ".join(parts)


def alt_text(data: ChartData, title: str, locale: DeckLocale) -> str:
    """A screen-reader description of a chart with all its numbers (and, when tested,
    which items differ significantly from the other countries)."""
    return _alt_values(data, title, locale) + _significance_text(data, locale)


def _alt_values(data: ChartData, title: str, locale: DeckLocale) -> str:
    """A screen-reader description of a chart with all its numbers."""
    table = data.table
    title = title if title.rstrip().endswith((".", "?", "!", "…", ":")) else f"{title}."

    def value(v: float) -> str:
        return locale.value(v, data.value_kind)

    if data.kind == "ranking":
        rows = table[table["group"] != "comparison"].sort_values("value", ascending=False)
        values = "; ".join(f"{data.country_names.get(g, g)} {value(v)}"
                           for g, v in zip(rows["group"], rows["value"], strict=False))
        comparison = table[table["group"] == "comparison"]["value"]
        if not comparison.empty:
            values += f". {data.comparison_label}: {value(comparison.iloc[0])}"
        return locale.message("alt.ranking", title=title, values=values)
    if data.kind == "likert":
        rows = table[table["group"] == "country"]
        parts = []
        for item, group in rows.groupby("item", sort=False):
            shares = ", ".join(f"{data.point_labels.get(p, p)}: {locale.percent(v)}"
                               for p, v in zip(group["point"], group["value"], strict=False))
            parts.append(f"{data.item_labels[item]}: {shares}")
        return locale.message("alt.likert", title=title, values="; ".join(parts))
    parts = []
    for group, name in bar_series(data):
        rows = table[table["group"] == group]
        values = ", ".join(f"{data.item_labels[i]} {value(v)}"
                           for i, v in zip(rows["item"], rows["value"], strict=False))
        parts.append(f"{name}: {values}")
    return locale.message("alt.chart", title=title, values="; ".join(parts))
