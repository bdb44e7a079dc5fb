"""Findings: sentences made from a slide's results, in the deck's language.

Each sentence comes from a catalogue pattern (``finding.*``) filled with numbers in
the deck's format, and claims no more than its test supports:

- a comparison chart gets a sentence per value whose test against the other
  countries is significant (the adjusted p where a correction is on), with both
  values and p; where values were tested and none differs, one sentence says so;
  a small base adds a caution counted in the language's plural;
- an association gets a sentence per significant coefficient (direction, size, p),
  the strongest first, and one sentence naming the predictors whose association
  was not shown.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from generator.charts.data import ChartData, item_label, ordered_items
from generator.i18n.locale import DeckLocale
from generator.i18n.phrase import Phrase

Message = Callable[..., Phrase]
MOST_SENTENCES = 3
"""Significant coefficients told one sentence each; any more are named in one sentence."""


def p_text(locale: DeckLocale, p: float) -> str:
    """``p = 0,012`` or ``p < 0,001``, in the deck's number format, with no-break spaces
    (a line never ends on "p <")."""
    if p < 0.001:
        return f"p\u00a0<\u00a0{locale.number(0.001, 3)}"
    return f"p\u00a0=\u00a0{locale.number(p, 3)}"


def _quoted(message: Message, label: Phrase) -> Phrase:
    return message("quote", text=label)


def comparison_findings(data: ChartData, locale: DeckLocale, message: Message,
                        range_text: str = "") -> list[Phrase]:
    """Sentences on the chart's values that differ significantly from the other
    countries; one saying none does where all tested values do not; none untested.
    `range_text` is the points a percentage counts (``5–7``)."""
    table = data.table
    if data.significance is None or "p_value" not in table:
        return []
    tested = table[table["p_value"].notna()]
    if tested.empty:
        return []
    who = message("finding.who", group=Phrase.of(data.country_label, data.language))
    others = message("finding.others")
    found = tested[tested["significant"].astype(bool)]
    if found.empty:
        return [message("finding.no_difference", who=who, others=others,
                        level=locale.number(data.significance, 2)).capitalised()]
    order = {item: k for k, item in enumerate(ordered_items(data))}
    found = found.assign(_at=[order.get(i, len(order)) for i in found["item"]]).sort_values(
        "_at", kind="stable")
    kind = "percent" if data.value_kind == "percent" else "mean"
    sentences = []
    for row in found.to_dict("records"):
        direction = "higher" if row["direction"] > 0 else "lower"
        values = {"value": locale.value(row["value"], data.value_kind),
                  "other": locale.value(row["rest_value"], data.value_kind),
                  "p": p_text(locale, row["p_value"])}
        if kind == "percent":
            values["range"] = range_text
        sentence = message(f"finding.{kind}.{direction}", who=who, others=others,
                           item=data.phrase(item_label(data, row["item"])), **values)
        if bool(row.get("small_base", False)):
            n = int(row["n"])
            sentence = Phrase.join([sentence, Phrase.of(" ", data.language),
                                    locale.plural("finding.small_base", n,
                                                  n=locale.integer(n))])
        sentences.append(sentence.capitalised())
    return sentences


def association_findings(table: pd.DataFrame, labels: dict[str, Phrase], outcome: Phrase,
                         references: dict[str, Phrase], alpha: float, locale: DeckLocale,
                         message: Message) -> list[Phrase]:
    """Sentences on an association's coefficients (`table` as `survey.association`
    makes it): the significant ones, strongest first, then those not shown."""
    if table.empty:
        return []
    table = table.assign(_z=(table["value"] / table["se"]).abs()).sort_values(
        "_z", ascending=False, kind="stable")
    significant = table[table["p_value"] < alpha]
    sentences = []
    for row in significant.head(MOST_SENTENCES).to_dict("records"):
        item = str(row["item"])
        direction = "positive" if row["value"] > 0 else "negative"
        values = {"b": locale.signed(row["value"]), "p": p_text(locale, row["p_value"]),
                  "outcome": outcome, "item": labels[item]}
        if "=" in item:  # a background category, against its variable's first code
            sentence = message(f"finding.association.category.{direction}",
                               reference=references[item.split("=", 1)[0]], **values)
        else:
            sentence = message(f"finding.association.{direction}", **values)
        sentences.append(sentence.capitalised())
    more = list(significant["item"])[MOST_SENTENCES:]
    if more:
        sentences.append(message("finding.association.also", items=locale.join_phrases(
            [_quoted(message, labels[str(i)]) for i in more])).capitalised())
    shown_none = [str(i) for i in table.loc[~(table["p_value"] < alpha), "item"]]
    if shown_none:
        items = locale.join_phrases([_quoted(message, labels[i]) for i in shown_none])
        sentences.append(locale.plural(
            "finding.association.none", len(shown_none), outcome=outcome, items=items,
            count=locale.integer(len(shown_none)),
            level=locale.number(alpha, 2)).capitalised())
    return sentences

