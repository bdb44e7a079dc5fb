"""Message catalogues: the shipped ones and a user's, for any language.

Every string the generator writes by itself has a key (``comparison.all``,
``caption.mean`` …). `generator/i18n/locales/<language>.yaml` ships them for some
languages, English being the fallback. A deck can name a catalogue file of its
own (``deck: {catalogue: da.yaml}``) that gives these messages, and the
codebook's wording (questions, items, scale labels, background labels, the
data set's name and source), for its language without touching the package or
the codebook; its entries override the shipped ones. `write_skeleton` writes
such a file with every entry still missing, the English and the base deck's
text beside each as comments.

The format is YAML, like the deck and the codebook: a translator edits it in
the same editor, with the reference text right above each entry, and nothing
needs compiling.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from generator.core.errors import InputError, Problem
from generator.deckfile.yamlsource import SAFE_LOADER, SourceMap, did_you_mean, load_yaml
from generator.i18n.phrase import same_language
from generator.survey.codebook import Codebook, LocalText, pick_text

FALLBACK_LANGUAGE = "en"


@cache
def shipped(language: str) -> dict[str, str]:
    """The message catalogue shipped for one language, or {} if there is none."""
    path = resources.files("generator.i18n") / "locales" / f"{language}.yaml"
    if not path.is_file():
        return {}
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}


PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories: a message counting something has a key per form
(``finding.small_base.one``, ``….other``); English gives ``one`` and ``other``."""


def message_keys(language: str | None = None) -> list[str]:
    """Every message key the generator uses (the English catalogue has them all), and the
    plural forms `language` needs beyond English's (``….few`` in Polish)."""
    keys = list(shipped(FALLBACK_LANGUAGE))
    if language is None:
        return keys
    from babel import Locale

    forms = Locale.parse(language.replace("-", "_")).plural_form.tags - {"one"}
    more: list[str] = []
    for key in keys:
        more.append(key)
        stem, _, form = key.rpartition(".")
        if form == "other":
            more[-1:-1] = [f"{stem}.{f}" for f in PLURAL_FORMS if f in forms]
    return more


def english_form(key: str) -> str | None:
    """The English key a plural form stands for (``x.few`` -> ``x.other``), else None."""
    stem, _, form = key.rpartition(".")
    english = shipped(FALLBACK_LANGUAGE)
    return f"{stem}.other" if form in PLURAL_FORMS and f"{stem}.other" in english else None


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"{"}  # an unbalanced brace: never equal to a real message's fields


def codebook_texts(codebook: Codebook) -> dict[str, LocalText]:
    """Every wording of the codebook by its catalogue key, e.g. ``scales.agree7.labels.1``."""
    texts: dict[str, LocalText] = {
        "dataset.name": codebook.dataset.name, "dataset.source": codebook.dataset.source}
    for key, var in codebook.background.items():
        texts[f"background.{key}.label"] = var.label
        for value, text in var.values.items():
            texts[f"background.{key}.values.{value}"] = text
    for key, scale in codebook.scales.items():
        for point, text in scale.labels.items():
            texts[f"scales.{key}.labels.{point}"] = text
        for code, text in scale.non_answers.items():
            texts[f"scales.{key}.non_answers.{code}"] = text
    for key, battery in codebook.batteries.items():
        texts[f"batteries.{key}.question"] = battery.question
        for item_key, item in battery.items.items():
            # an item without wording (the data file's label is used) can get it here
            texts[f"batteries.{key}.items.{item_key}"] = item.label
    return texts


@dataclass
class UserCatalogue:
    """A deck's own catalogue: messages and codebook wording in one language."""

    path: Path
    language: str
    messages: dict[str, str] = field(default_factory=dict)
    codebook: dict[str, str] = field(default_factory=dict)
    source: SourceMap | None = None

    def check(self, codebook: Codebook) -> list[Problem]:
        """Entries that name nothing the generator or the codebook has, and messages whose
        ``{placeholders}`` differ from the English ones."""
        problems: list[Problem] = []
        english = shipped(FALLBACK_LANGUAGE)
        known = codebook_texts(codebook)
        for key, text in self.messages.items():
            if key not in english and english_form(key) is not None:
                key = english_form(key) or key  # a plural form English does not need
            if key not in english:
                problems.append(self.problem(("messages", key), f"unknown message '{key}'",
                                              did_you_mean(key, english)))
            elif placeholders(text) != placeholders(english[key]):
                want = ", ".join("{" + p + "}" for p in sorted(placeholders(english[key])))
                problems.append(self.problem(
                    ("messages", key), f"'{key}' must use the placeholders of the English "
                    f"text: {want or 'none'}", f"the English text is \"{english[key]}\""))
        for key in self.codebook:
            if key not in known:
                problems.append(self.problem(("codebook", key), f"the codebook has no '{key}'",
                                              did_you_mean(key, known)))
        return problems

    def problem(self, path: tuple, message: str, hint: str | None = None) -> Problem:
        """A `Problem` at the entry `path` (``("messages", key)``) of this file."""
        if self.source is None:
            return Problem(message, file=self.path, hint=hint)
        return self.source.problem(path, message, hint)


def load_user_catalogue(path: Path) -> UserCatalogue:
    """Read a deck's catalogue file; entries left empty (as a skeleton has them) are
    not translations and are left out."""
    data, source = load_yaml(path)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError(Problem("a catalogue holds 'language:', 'messages:' and 'codebook:'",
                                 file=path, hint="write one with --write-catalogue"))
    for key in data:
        if key not in ("language", "messages", "codebook"):
            problems.append(source.problem((key,), f"unknown key '{key}'",
                                           did_you_mean(str(key), ["language", "messages",
                                                                   "codebook"])))
    language = data.get("language")
    if not isinstance(language, str) or not language:
        problems.append(source.problem(("language",), "the catalogue does not say its language",
                                       "add e.g. language: da"))
    sections: dict[str, dict[str, str]] = {}
    for name in ("messages", "codebook"):
        section = data.get(name) or {}
        if not isinstance(section, dict):
            problems.append(source.problem((name,), f"{name} must be a mapping of key: text"))
            section = {}
        entries = {}
        first: dict[str, object] = {}
        for key, text in section.items():
            if str(key) in first:  # 1: and "1": are two YAML keys but one entry
                line = source.locate((name, first[str(key)]))[1]
                problems.append(source.problem((name, key), f"the key '{key}' is given "
                                               f"twice: here and on line {line}",
                                               "keep one of them"))
                continue
            first[str(key)] = key
            if text is None or text == "":
                continue
            if not isinstance(text, str):
                problems.append(source.problem((name, key), "must be text",
                                               "quote it: key: \"…\""))
                continue
            entries[str(key)] = text
        sections[name] = entries
    if problems:
        raise InputError(*problems)
    return UserCatalogue(path, str(language), sections["messages"], sections["codebook"],
                         source)


# -- the skeleton ---------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _comments(references: list[tuple[str, str | None]]) -> Iterator[str]:
    for language, text in references:
        if text is None:
            continue
        first, *more = text.split("\n")
        yield f"  # {language}: {first}"
        for line in more:
            yield f"  # {' ' * len(language)}  {line}"


@dataclass(frozen=True)
class Skeleton:
    """What `write_skeleton` wrote: how many entries, and how many still to translate."""

    messages: int
    codebook: int
    to_translate: int


def skeleton_text(language: str, codebook: Codebook, base_language: str,
                  deck_name: str, existing: UserCatalogue | None = None) -> tuple[str, Skeleton]:
    """The catalogue file for `language`: every message and codebook wording that neither
    the shipped catalogue nor the codebook has in `language`, each with the English and
    the `base_language` text above it as comments. Entries `existing` already translates
    keep their translation."""
    code = language.replace("-", "_")
    base = code.split("_")[0]
    own = {**shipped(base), **shipped(code)}
    references = [FALLBACK_LANGUAGE] + ([base_language] if not same_language(
        base_language, FALLBACK_LANGUAGE) and not same_language(base_language, code) else [])
    done_messages = existing.messages if existing else {}
    done_codebook = existing.codebook if existing else {}
    lines = [
        f"# Catalogue for {deck_name} in '{language}': the labels the generator writes and the",
        "# codebook's wording, for a language the package or the codebook lacks.",
        "# Fill in each empty \"\"; the comments above an entry give the text in "
        + " and ".join(references) + ".",
        "# Keep {placeholders} as they are: the generator fills them in.",
        "# Then point the deck at this file:  deck: {catalogue: <this file>}  and build;",
        "# `--check` names every slide with text not yet in the deck's language.",
        f"language: {language}",
        "messages:",
    ]
    n_messages = n_codebook = blank = 0
    for key in message_keys(language):
        if key in own and key not in done_messages:
            continue
        lines += _comments([(r, shipped(r).get(key, shipped(r).get(english_form(key) or "")))
                            for r in references])
        value = done_messages.get(key, "")
        blank += not value
        lines.append(f"  {key}: {_quoted(value)}")
        n_messages += 1
    if not n_messages:
        lines[-1] = "messages: {}"
    lines.append("codebook:")
    for key, texts in codebook_texts(codebook).items():
        if pick_text(texts, code, fallback="") is not None and key not in done_codebook:
            continue
        lines += _comments([(r, pick_text(texts, r, fallback="")) for r in references])
        value = done_codebook.get(key, "")
        blank += not value
        lines.append(f"  {json.dumps(key)}: {_quoted(value)}")
        n_codebook += 1
    if not n_codebook:
        lines[-1] = "codebook: {}"
    return "\n".join(lines) + "\n", Skeleton(n_messages, n_codebook, blank)


def catalogue_language_problem(catalogue: UserCatalogue, deck_language: str,
                               deck_source: SourceMap) -> Problem | None:
    """A problem when the deck's catalogue is in another language than the deck."""
    if same_language(catalogue.language, deck_language):
        return None
    return deck_source.problem(
        ("deck", "catalogue"), f"the catalogue {catalogue.path.name} is in "
        f"'{catalogue.language}' but the deck is in '{deck_language}'",
        f"point the deck at a '{deck_language}' catalogue (write one with "
        f"--write-catalogue), or leave 'catalogue:' out")


def parse_existing(path: Path) -> UserCatalogue | None:
    """A catalogue file already at `path`, to keep its translations; None if there is none."""
    if not path.exists():
        return None
    return load_user_catalogue(path)

