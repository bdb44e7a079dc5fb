"""Alt text for charts: a screen-reader description with every number shown, each
label in its own language, which items differ significantly where tested, and the
chart's source line (the synthetic-data label included), as the chart shows it."""

from __future__ import annotations

from collections.abc import Callable

from generator.charts.data import ChartData, bar_series
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase, Span


def _significance_text(data: ChartData, locale: DeckLocale,
                       message: Callable[..., Phrase]) -> Phrase:
    """The alt text's sentence on which items differ significantly (empty if untested)."""
    table = data.table
    space = Span(" ", data.language)
    if data.significance is None or "significant" not in table:
        return Phrase()
    found = table[table["significant"]]
    if found.empty:
        return message("alt.no_difference")
    parts = []
    for direction, key in ((1, "alt.higher"), (-1, "alt.lower")):
        rows = found[found["direction"] == direction]
        names = []
        for group, item in zip(rows["group"], rows["item"], strict=True):
            name = data.phrase(data.item_labels.get(item, item))
            if group.startswith("by="):
                name = Phrase.join([name, Span(" (", data.language),
                                    data.phrase(dict(data.series).get(group, group)),
                                    Span(")", data.language)])
            names.append(name)
        if names:
            parts.append(message(key, items=locale.join_phrases(names)))
    return Phrase.join(parts, space)


def alt_text(data: ChartData, title: Phrase, locale: DeckLocale,
             message: Callable[..., Phrase] | None = None,
             source: Phrase | None = None) -> Phrase:
    """A screen-reader description of a chart with all its numbers (and, when tested,
    which items differ significantly from the other countries), then `source`, the
    chart's source line; each label in its own language (`message`, e.g.
    `Planner.message`, makes the frame sentences). Sentences end with a full stop, so
    that a screen reader pauses between them."""
    message = message or locale.phrase
    sentences = [_alt_values(data, title, locale, message)]
    if data.kind != "coefficients":  # its tests are the findings', not against countries
        sentences.append(_significance_text(data, locale, message))
    sentences.append(source or Phrase())
    ended = [_full_stop(s, data.language) for s in sentences if s]
    return Phrase.join(ended, Span(" ", data.language))


def _full_stop(sentence: Phrase, language: str) -> Phrase:
    if sentence.text.rstrip().endswith((".", "?", "!", "…")):
        return sentence
    return Phrase.join([sentence, Span(".", language)])


def _alt_values(data: ChartData, title: Phrase, locale: DeckLocale,
                message: Callable[..., Phrase]) -> Phrase:
    """A screen-reader description of a chart with all its numbers."""
    table = data.table

    def plain(text: str) -> Phrase:
        return Phrase.of(text, data.language)

    def value(v: float) -> Phrase:
        return plain(locale.value(v, data.value_kind))

    if not title.text.rstrip().endswith((".", "?", "!", "…", ":")):
        title = title + plain(".")
    if data.kind == "ranking":
        rows = table[table["group"] != "comparison"].sort_values("value", ascending=False)
        values = Phrase.join([plain(f"{data.country_names.get(g, g)} ") + value(v)
                              for g, v in zip(rows["group"], rows["value"], strict=False)],
                             Span("; ", data.language))
        comparison = table[table["group"] == "comparison"]["value"]
        if not comparison.empty:
            values = Phrase.join([values, plain(". "), data.phrase(data.comparison_label),
                                  plain(": "), value(comparison.iloc[0])])
        return message("alt.ranking", title=title, values=values)
    if data.kind == "coefficients":
        values = Phrase.join([Phrase.join([data.phrase(data.item_labels[i]), plain(" "),
                                           value(v)])
                              for i, v in zip(table["item"], table["value"], strict=True)],
                             Span("; ", data.language))
        return message("alt.chart", title=title, values=values)
    if data.kind == "likert":
        rows = table[table["group"] == "country"]
        parts = []
        for item, group in rows.groupby("item", sort=False):
            shares = Phrase.join(
                [Phrase.join([data.phrase(data.point_labels.get(p, str(p))), plain(": "),
                              plain(locale.percent(v))])
                 for p, v in zip(group["point"], group["value"], strict=False)],
                Span(", ", data.language))
            parts.append(Phrase.join([data.phrase(data.item_labels[item]), plain(": "),
                                      shares]))
        return message("alt.likert", title=title,
                       values=Phrase.join(parts, Span("; ", data.language)))
    parts = []
    by_group: dict[object, list[tuple[object, float]]] = {}  # one pass, not a filter per group
    for group, item, v in zip(table["group"].tolist(), table["item"].tolist(),
                              table["value"].tolist(), strict=True):
        by_group.setdefault(group, []).append((item, v))
    for group, name in bar_series(data):
        values = Phrase.join([Phrase.join([data.phrase(data.item_labels[i]), plain(" "),
                                           value(v)])
                              for i, v in by_group.get(group, [])],
                             Span(", ", data.language))
        parts.append(Phrase.join([data.phrase(name), plain(": "), values]))
    return message("alt.chart", title=title, values=Phrase.join(parts, Span("; ", data.language)))
