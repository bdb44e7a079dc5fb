"""One deck checked against the data and laid out: every problem at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.charts.registry import one_label_size
from generator.core.errors import InputError
from generator.core.theme import DEFAULT_THEME
from generator.deckfile.deck import Deck
from generator.deckfile.yamlsource import SourceMap
from generator.i18n.catalogue import (
    UserCatalogue,
    catalogue_language_problem,
)
from generator.i18n.locale import DeckLocale
from generator.output.pptx.branding import contrast_warnings, open_branded
from generator.output.pptx.template import geometry
from generator.plan import subgroups
from generator.plan.languagereport import language_report
from generator.plan.planner import Planner
from generator.run.options import BuildOptions
from generator.slides import lay_out_deck, plan_deck
from generator.survey.dataset import Survey

if TYPE_CHECKING:
    pass

from generator.run.results import DeckTarget, PreparedDeck
from generator.run.targets import output_path


def prepare(deck: Deck, source: SourceMap, survey: Survey, options: BuildOptions,
            catalogue: UserCatalogue | None = None, *, target: DeckTarget | None = None,
            view: subgroups.SubgroupSurvey | None = None) -> PreparedDeck:
    """Check one deck against the data and lay it out; every problem at once.

    For a subgroup deck (`target.group`), `view` is `subgroups.select`'s survey of
    the target's country.
    """
    settings = deck.deck
    try:
        locale = DeckLocale(settings.language, settings.country, catalogue)
    except InputError as exc:
        problem = exc.problems[0]
        raise InputError(source.problem(("deck", "language"), problem.message,
                                        problem.hint)) from None
    mismatch = catalogue and catalogue_language_problem(catalogue, settings.language, source)
    if mismatch:
        raise InputError(mismatch)
    branded = open_branded(settings, source)
    template = branded.template
    if target is not None and target.group is not None and view is not None:
        planner: Planner = subgroups.planner(deck, source, survey, view, target.group.code,
                                             catalogue)
        locale = planner.locale
    else:
        planner = Planner(deck=deck, source=source, survey=survey, locale=locale,
                          country_from_command_line=bool(
                              options.country or options.all_countries))
    slides = plan_deck(planner)
    title = planner.text(settings.title, ("deck", "title"), checked=False) or ""
    report = language_report(planner, slides)
    if options.check_only or options.strict:  # reading texts costs 0.15 s: not on a build
        from generator.plan.readas import misread_report

        report += misread_report(planner, slides)
    if options.strict:
        planner.problems += report
    layouts, fit_problems = lay_out_deck(
        slides, geometry(template), source, theme=branded.theme,
        show_numbers=settings.footer.slide_numbers) if not planner.problems else ([], [])
    if planner.problems or fit_problems:
        raise InputError(*planner.problems, *fit_problems)
    charted = [s.chart for s in slides if s.chart is not None]
    for chart, data in zip(charted, one_label_size([c.data for c in charted], DEFAULT_THEME),
                           strict=True):
        chart.data = data
    warnings = _fallback_warnings(planner, locale) + (
        [] if options.strict else report) + branded.warnings + \
        contrast_warnings(branded.low_contrast, slides)
    made = PreparedDeck(slides, layouts, template.prs, template.builtin, locale, str(title),
                        output_path(deck, options, target), warnings,
                        template=template.identity, chosen=template.layouts,
                        theme=branded.theme, notes=branded.notes)
    if target is not None and target.group is not None:
        made.focus = f"{settings.country}:{subgroups.member(target.group.key, target.group.code)}"
        made.compared = settings.country if settings.compare_with == "all" else (
            f"{settings.country}:{settings.compare_with}")
    return made


def _fallback_warnings(planner: Planner, locale: DeckLocale) -> list[str]:
    """One line for all generated labels and codebook wording that fell back to English."""
    messages, wording = sorted(locale.fell_back), planner.label_fallbacks
    if not messages and not wording:
        return []
    listed = ", ".join(messages) if len(messages) <= 12 else ", ".join(messages[:12]) + ", …"
    return [f"no '{locale.code}' wording for {len(messages) + len(wording)} label(s), "
            f"English used: {len(messages)} generated label(s) ({listed}) and "
            f"{len(wording)} codebook wording(s) (write them all with --language "
            f"{locale.code} --write-catalogue FILE, fill it in and set deck: "
            "{catalogue: FILE})"]
