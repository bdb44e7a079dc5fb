"""Decks laid out, rendered and written in batches through one browser, memory
flat over many; the outputs beside them and the report."""

from __future__ import annotations

import dataclasses
import functools
import gc
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.charts.data import ChartData
from generator.core.errors import BrowserError, InputError, Problem, merge_decks
from generator.core.theme import DEFAULT_THEME, Theme
from generator.deckfile.deck import Deck
from generator.deckfile.model import DeckSettings
from generator.deckfile.yamlsource import SourceMap
from generator.i18n.catalogue import (
    UserCatalogue,
)
from generator.i18n.locale import DeckLocale
from generator.output.files import save_atomically
from generator.output.pptx import accessibility
from generator.output.pptx import targets as targets_check
from generator.output.pptx.slidecache import SlideCache
from generator.output.pptx.update import (
    PreviousDeck,
    follow_chart_kinds,
    keep_backup,
    merge,
)
from generator.output.pptx.writer import write_deck
from generator.output.render.renderer import ChartRenderer, RenderJob, RenderStats
from generator.output.writers import FinishedDeck, write_outputs
from generator.plan import subgroups
from generator.run.options import BuildOptions
from generator.survey.dataset import Survey

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

from generator.run.prepare import prepare
from generator.run.results import BATCH_DECKS, BuildResult, Clock, DeckTarget, PreparedDeck
from generator.run.targets import apply_options, in_batches, named_by


def build_targets(deck: Deck, source: SourceMap, survey: Survey, options: BuildOptions,
                  targets: Sequence[DeckTarget], renderer: ChartRenderer,
                  clock: Clock | None = None, on_deck: Callable[[Path], None] | None = None,
                  remember: str | None = None, first: PreparedDeck | None = None,
                  deck_file: Path | None = None,
                  previous: PreviousDeck | None = None,
                  catalogue: UserCatalogue | None = None,
                  slides: SlideCache | None = None,
                  close_browser_after: bool = False) -> BuildResult:
    """Lay out, render and write `targets` in batches of `BATCH_DECKS` through `renderer`.

    `first` is the deck of the deck's own country, laid out already by `load_inputs`;
    `slides` (a session's) gives back slides drawn before from the same inputs.
    ``--figures`` are written with each batch; ``--report`` keeps every deck's slides
    (not its presentation) for the one report at the end. After the first deck with
    problems nothing more is written, but the remaining decks are still checked, so
    every problem is reported at once. With `close_browser_after`, the browser starts
    closing once the last batch's charts are drawn.
    """
    clock = clock or Clock()
    settings = deck.deck
    result = BuildResult([], 0, 0, renderer.stats)
    outputs = requested_outputs(options)
    warnings: dict[str | Problem, None] = {}  # in the order found, each once
    problems: list[Problem] = []
    views: dict[str, subgroups.SubgroupSurvey] = {}
    chart_keys: list[str] = []
    reported: list[PreparedDeck] = []
    native = 0
    batches = list(in_batches(targets, BATCH_DECKS))
    for number, batch in enumerate(batches, 1):
        prepared = []
        for target in batch:
            if target.group is not None and target.country not in views:
                views.clear()  # one country's view at a time
                views[target.country] = subgroups.select(survey, target.country,
                                                         target.group.key)
            if (first is not None and target.group is None
                    and first.locale.country == target.country):
                prepared.append(first)
                first = None  # its presentation is written once
                continue
            try:
                prepared.append(prepare(apply_options(deck, options, target.country), source,
                                        survey, options, catalogue, target=target,
                                        view=views.get(target.country)))
            except InputError as exc:
                problems += [p for p in exc.problems if p not in problems]
        clock.lap("indicators and layout")
        result.slides += sum(len(p.slides) for p in prepared)
        result.charts += sum(len(p.charted) for p in prepared)
        warnings.update(dict.fromkeys(w for p in prepared for w in p.warnings))
        result.notes += [n for p in prepared for n in p.notes if n not in result.notes]
        if options.check_only and not problems:
            for p in prepared:
                p.findings = accessibility.check_unwritten(
                    p.slides, p.layouts, p.prs, p.builtin, p.locale, p.title, p.theme,
                    p.chosen)
                _accessible(p, deck_file or Path(settings.output), options, problems, warnings)
        if problems or options.check_only:
            if options.check_layout and not problems:
                problems += _layout_problems(prepared, options.charts or settings.charts,
                                             renderer)
            continue
        for p in prepared:
            targets_check.check_writable(p.target)
            targets_check.check_not_foreign(p.target, options.force,
                                            named_by(source, options))
        charted = [(p, s) for p in prepared for s in p.charted]
        warnings.update(dict.fromkeys(_choose_chart_renderers(
            charted, options.charts or settings.charts, renderer)))
        if previous is not None and options.charts is None:  # --update: one deck
            follow_chart_kinds(prepared[0].charted, previous.manifest)
        pictured = [(p, s) for p, s in charted if not s.chart.native]
        jobs = [RenderJob(functools.partial(_figure, s.chart.data, p.locale, p.theme),
                          s.chart.data.width_px, s.chart.data.height_px, s.label,
                          key=renderer.chart_key(s.chart.data, p.locale, p.theme))
                for p, s in pictured]
        chart_keys += [job.key for job in jobs if job.key]
        clock.lap("figures")
        pngs = dict(zip([id(s) for _, s in pictured], renderer.render(jobs), strict=True))
        if close_browser_after and number == len(batches):
            renderer.close_browser_soon()
        clock.lap("rendering")
        for p in prepared:
            images = {s.number: pngs[id(s)] for s in p.charted if id(s) in pngs}
            data = write_deck(p.slides, p.layouts, p.prs, p.builtin, images, locale=p.locale,
                              title=p.title, author=settings.author,
                              deck_file=deck_file.name if deck_file else "",
                              template=p.template, cache=slides, theme=p.theme,
                              chosen=p.chosen)
            if options.strict or options.report:
                p.findings = accessibility.check_deck(p.prs, p.slides, p.locale, p.theme)
                if not _accessible(p, deck_file or Path(settings.output), options, problems,
                                   warnings):
                    continue  # --strict: not saved
            if previous is not None:
                data, result.update = merge(previous, data, p.slides)
                result.update.backup = keep_backup(p.target)
                warnings.update(dict.fromkeys(result.update.warnings))
            save_atomically(data, p.target)
            result.outputs.append(p.target)
            if on_deck is not None:
                on_deck(p.target)
        native += len(charted) - len(pictured)
        if outputs:
            result.extras += write_outputs(outputs, [_finished(p, settings) for p in prepared])
        if options.report:
            reported += [dataclasses.replace(p, prs=None) for p in prepared]
        clock.lap("writing")
        del prepared, charted, pictured, jobs, pngs
        p = None  # the batch's last deck, held by the loop above
        if number < len(batches):
            free_decks()
        result.memory_mb.append(resident_mb())
    if problems:
        raise InputError(*merge_decks(problems))
    if reported:
        result.extras += write_report(reported, deck, source,
                                      deck_file or Path(settings.output), renderer.stats,
                                      native, survey.codebook.dataset.synthetic)
    if remember and not options.check_only:
        renderer.remember(remember, chart_keys)
    result.notices = merge_decks(warnings)
    result.warnings = [str(w) for w in result.notices]
    result.seconds = clock.seconds
    return result


def _accessible(p: PreparedDeck, deck_file: Path, options: BuildOptions,
                problems: list[Problem], warnings: dict[str, None]) -> bool:
    """Whether the deck passed its accessibility checks; each finding a problem with
    ``--strict``, else a warning."""
    if options.strict:
        problems += accessibility.problems(p.findings, deck_file)
    else:
        warnings.update(dict.fromkeys(f"{p.target.name}: accessibility: {f}"
                                      for f in p.findings))
    return not (options.strict and p.findings)


def free_decks() -> None:
    """Free the decks just written, before more are made (about 50 ms).

    A deck is cycles of python-pptx objects holding its XML, memory the collector does
    not weigh; freed batch by batch, a many-deck run's memory stays flat however rarely
    the collector runs by itself (`collector.collect_less`)."""
    gc.collect()


def resident_mb() -> float:
    """This process's resident memory now, in MB (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def requested_outputs(options: BuildOptions) -> list[str]:
    """The outputs asked for beside each deck, by their `writers.OUTPUTS` names."""
    return (["figures"] if options.figures else []) + list(options.outputs)


def _finished(p: PreparedDeck, settings: DeckSettings) -> FinishedDeck:
    return FinishedDeck(p.slides, p.target, p.locale, p.title,
                        group=p.focus or p.locale.country or "",
                        compared=p.compared or settings.compare_with,
                        show_numbers=settings.footer.slide_numbers)


def write_report(prepared: list[PreparedDeck], deck: Deck, source: SourceMap,
                 deck_file: Path, stats: RenderStats, native: int,
                 synthetic: bool) -> list[Path]:
    """``--report``: one HTML page beside the decks (``<deck>.report.html``, or
    ``<deck file>.report.html`` for several); the file written."""
    from generator.output import figures, report

    settings = deck.deck
    rows = {id(p): figures.figure_rows(p.slides, p.focus or p.locale.country or "",
                                       p.compared or settings.compare_with)
            for p in prepared}
    stem = prepared[0].target.stem if len(prepared) == 1 else deck_file.stem
    target = prepared[0].target.parent / f"{stem}.report.html"
    html = report.build_report(prepared, rows, deck, source, stats, native, synthetic)
    save_atomically(html.encode("utf-8"), target)
    return [target]


def _figure(data: ChartData, locale: DeckLocale, theme: Theme = DEFAULT_THEME) -> Figure:
    from generator.charts.figures import make_figure  # Plotly loads only when a figure is made

    return make_figure(data, locale, theme)


def _layout_problems(prepared: Sequence[PreparedDeck], deck_choice: str | None,
                     renderer: ChartRenderer) -> list[Problem]:
    """``--check-layout``: the collisions in the decks' image charts (`layoutcheck`)."""
    from generator.charts.figures import figure_spec
    from generator.output.render import layoutcheck

    return layoutcheck.problems(
        [(s.label, functools.partial(figure_spec, s.chart.data, p.locale, DEFAULT_THEME))
         for p in prepared for s in p.charted
         if (s.chart.requested or deck_choice) != "native"], renderer.find_browser)


def _choose_chart_renderers(charted: list, deck_choice: str | None,
                            renderer: ChartRenderer) -> list[str]:
    """Mark each chart image or native; returns the warning when native stands in.

    A chart asked for as ``image`` (by its slide, the deck or ``--charts``)
    needs a browser and stops the build without one. Where nobody asked, a
    machine without a browser gets native charts and one line saying so.
    """
    for _, slide in charted:
        slide.chart.native = (slide.chart.requested or deck_choice) == "native"
    unasked = [s for _, s in charted if (s.chart.requested or deck_choice) is None]
    if not unasked:
        return []
    try:
        renderer.find_browser()
    except BrowserError:
        for slide in unasked:
            slide.chart.native = True
        return [f"no Chromium or Chrome found: {len(unasked)} chart(s) drawn as native "
                "PowerPoint charts (install Chromium, or set charts: native to silence this)"]
    return []
