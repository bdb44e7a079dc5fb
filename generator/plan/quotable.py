"""The survey-wide figures a deck's text may quote (``{{ n.country }}``): formatted for
the deck's locale, and as numbers with their base for the figures export."""

from __future__ import annotations

from typing import Any

from generator.i18n.locale import DeckLocale
from generator.plan.content import QuotedFigure
from generator.survey.dataset import Survey


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
