"""Safe YAML loading that remembers where every value came from.

`load_yaml(path)` returns the plain data (dicts, lists, scalars: no YAML tag can
build a Python object) and a `SourceMap` that turns a key path such as
``("slides", 7, "battery")`` into the file's line and column, so that schema
errors can point at the exact spot.

A file from someone else cannot make loading costly: it may be at most
`MAX_YAML_BYTES` long and nest at most `MAX_DEPTH` levels (both checked while
reading, before anything is built), and aliases (``*name``), which let a dozen
lines expand into gigabytes, are refused.

LibYAML's parser (C) reads the text where PyYAML has it; a text it refuses, and
every text where it is missing, is read by PyYAML's own parser, whose error
messages the hints here are written for. Both give the same values and marks.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.reader import Reader
from yaml.resolver import Resolver

from generator.core.errors import InputError, Problem

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without LibYAML: its Python parser reads everything
    CParser = object  # `_FastLoader` is then never made

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""For the files shipped with the generator, which need no marks and no limits."""

MAX_YAML_BYTES = 1_000_000
"""Deck files, codebooks and catalogues are a few kB; a larger file is refused."""
MAX_DEPTH = 50
"""Nesting levels (block and flow together); the shipped files use fewer than ten."""

KeyPath = tuple[str | int, ...]
Mark = tuple[Path, int, int]  # file, line, column (1-based)


@dataclass(frozen=True)
class TextContext:
    """The language a deck file's plain text is in and the country it was written about."""

    language: str
    country: str | None


@dataclass
class SourceMap:
    """Where every mapping key and value of loaded YAML data came from.

    Usually one file; a variant deck (``extends:``) mixes its own file and its base's.
    `contexts` gives, per deck file, what its text is written in and about.
    """

    file: Path
    marks: dict[KeyPath, Mark] = field(default_factory=dict)
    slips: list[Problem] = field(default_factory=list)
    """Valid YAML that surely does not say what was meant (see `_run_on_item`)."""
    contexts: dict[Path, TextContext] = field(default_factory=dict)

    def context(self, path: Sequence[str | int]) -> TextContext | None:
        """The language and country of the file that wrote the value at `path`."""
        return self.contexts.get(self.locate(path)[0])

    def locate(self, path: Sequence[str | int]) -> tuple[Path, int | None, int | None]:
        """File, line and column of `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (self.file, None, None))

    def problem(self, path: Sequence[str | int], message: str, hint: str | None = None) -> Problem:
        """A `Problem` located at `path`."""
        file, line, column = self.locate(path)
        return Problem(
            message, file=file, line=line, column=column, where=format_path(path) or None,
            hint=hint,
        )


def format_path(path: Iterable[str | int]) -> str:
    """``("slides", 7, "battery")`` -> ``slides[7].battery``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid name to a misspelt `word`, if any is close."""
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the nearest valid choice, or listing them all."""
    choices = list(choices)
    close = nearest(word, choices)
    if close:
        return f"did you mean '{close}'?"
    return "valid: " + ", ".join(sorted(map(str, choices)))


class _LimitHit(Exception):
    """A YAML file beyond what a deck file needs; carries the message and where."""

    def __init__(self, message: str, hint: str, mark: yaml.Mark) -> None:
        super().__init__(message)
        self.message, self.hint, self.mark = message, hint, mark


class _Loader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans (YAML 1.2): ``country: NO`` stays "NO".

    Its scanner refuses aliases and nesting beyond `MAX_DEPTH` at the token that
    starts them: PyYAML's scanner slows quadratically with flow nesting, and its
    composer recurses once per level, so the limit must hold before either runs.
    """

    def _check_depth(self) -> None:
        if self.flow_level + len(self.indents) >= MAX_DEPTH:
            raise _LimitHit(f"the YAML nests more than {MAX_DEPTH} levels deep",
                            "a deck file, codebook or catalogue needs only a few levels; "
                            "check the indentation and the brackets", self.get_mark())

    def fetch_flow_collection_start(self, TokenClass) -> None:
        self._check_depth()
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        if self.indent < column:
            self._check_depth()
        return super().add_indent(column)

    def fetch_alias(self) -> None:
        raise _LimitHit(
            "YAML aliases (*name) are not allowed",
            "write the value out; to reuse a whole deck, start a variant with "
            "'extends: base.yaml' and give only what differs", self.get_mark())


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))

_scalar_constructor = SafeConstructor()


class _FastLoader(Composer, Resolver, CParser):
    """LibYAML's scanner and parser (C, ten times faster here) under PyYAML's own
    composer, with `_Loader`'s booleans, depth limit and refusal of aliases.

    LibYAML reads events one at a time, so the limits stop it as early as
    `_Loader`'s scanner does. Its error messages differ from PyYAML's, so a text it
    refuses is parsed again by `_Loader`, whose messages the hints are written for.
    """

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        Composer.__init__(self)
        Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self.depth += 1
        if self.check_event(AliasEvent) or self.depth >= MAX_DEPTH:
            raise _LeftToPyYAML  # which says where and why
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _LeftToPyYAML(Exception):
    """A text `_FastLoader` stops reading: `_Loader` reads it and reports the problem."""


_NOT_READ = object()


def _compose_fast(text: str) -> Any:
    """The text's node tree through LibYAML, or `_NOT_READ` where `_Loader` must read it:
    an error to report, characters PyYAML's reader refuses, or no LibYAML."""
    if CParser is object or Reader.NON_PRINTABLE.search(text):
        return _NOT_READ
    loader = _FastLoader(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, _LeftToPyYAML):
        return _NOT_READ
    finally:
        loader.dispose()


_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


def _run_on_item(node: yaml.ScalarNode, path: KeyPath, file: Path,
                 text_lines: Sequence[str]) -> Problem | None:
    """A problem if plain text runs on to a line that starts with '- ': meant as a
    sub-item (``- Parent`` then ``  - Child``), YAML read it as more of the text."""
    if node.style or node.end_mark.line == node.start_mark.line:  # plain: None, or ''
        return None
    lines = text_lines[node.start_mark.line + 1: node.end_mark.line + 1]
    for offset, line in enumerate(lines, start=node.start_mark.line + 2):
        item = line.strip()
        if item == "-" or item.startswith("- "):
            first = text_lines[node.start_mark.line][node.start_mark.column:].strip()
            return Problem(
                f"the text '{first}' runs on to line {offset}, which starts with '- ', so "
                "YAML read both lines as one text", file=file, line=node.start_mark.line + 1,
                column=node.start_mark.column + 1, where=format_path(path) or None,
                hint=f"to make '{item}' a sub-bullet, end this line with ':' (quote the text "
                     "if it holds ': ') and indent the sub-bullet further in; to keep one "
                     "text, put it on one line")
    return None


def _to_python(node: yaml.Node, path: KeyPath, marks: dict[KeyPath, Mark],
               file: Path, slips: list[Problem], text_lines: Sequence[str]) -> Any:
    marks[path] = (file, node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        raise InputError(Problem(
            f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
            file=file, line=node.start_mark.line + 1, column=node.start_mark.column + 1,
            hint="remove the tag; a deck file holds only plain text, numbers and lists"))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError(Problem(
                    "YAML merge keys ('<<') are not supported", file=file,
                    line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                    hint="write the keys out"))
            key = _to_python(key_node, (*path, "<key>"), {}, file, [], text_lines)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise InputError(Problem(
                    "a mapping key must be a plain value", file=file,
                    line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1))
            if key in result:
                first = marks.get((*path, key))
                also = f" (first on line {first[1]})" if first else ""
                raise InputError(Problem(
                    f"key '{key}' appears twice in the same mapping{also}", file=file,
                    line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                    hint="remove one of them"))
            child = (*path, key)
            result[key] = _to_python(value_node, child, marks, file, slips, text_lines)
            marks[child] = (file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(n, (*path, i), marks, file, slips, text_lines)
                for i, n in enumerate(node.value)]
    slip = _run_on_item(node, path, file, text_lines)
    if slip is not None:
        slips.append(slip)
    return _scalar_constructor.construct_object(node, deep=True)


PARSED_KEPT = 8  # YAML texts whose parse is kept: a deck, its bases, a codebook
_parsed: OrderedDict[str, tuple[Any, SourceMap]] = OrderedDict()
_parsed_lock = threading.Lock()  # builds may run in threads (a watch loop beside others)


def load_yaml_text(text: str, file: Path) -> tuple[Any, SourceMap]:
    """Parse YAML text safely; returns the data and where each value stands.

    The parse of the last few texts is kept, so a rebuild in watch mode parses only
    the file that was edited (the shipped codebook of 17 kB takes 18 ms), and the
    same text under another name (a copied codebook) is not parsed again; callers get
    their own copy, which they may change, located in `file`.
    """
    with _parsed_lock:
        kept = _parsed.get(text)
        if kept is not None:
            _parsed.move_to_end(text)
    if kept is None:
        kept = _parse_yaml_text(text, file)  # a text that fails is not kept
        with _parsed_lock:
            _parsed[text] = kept
            while len(_parsed) > PARSED_KEPT:
                _parsed.popitem(last=False)
    data, source = kept
    return copy.deepcopy(data), _moved(source, file)


def _moved(source: SourceMap, file: Path) -> SourceMap:
    """A copy of a parsed text's `source`, its marks and slips located in `file`."""
    if source.file == file:
        return SourceMap(file, dict(source.marks), list(source.slips), dict(source.contexts))
    return SourceMap(file, {path: (file, line, column)
                            for path, (_, line, column) in source.marks.items()},
                     [dataclasses.replace(slip, file=file) for slip in source.slips],
                     dict(source.contexts))


def _parse_yaml_text(text: str, file: Path) -> tuple[Any, SourceMap]:
    marks: dict[KeyPath, Mark] = {}
    if len(text) > MAX_YAML_BYTES:
        raise _too_large(file, len(text.encode("utf-8")))
    node = _compose_fast(text)
    try:
        if node is _NOT_READ:
            node = yaml.compose(text, Loader=_Loader)
    except _LimitHit as exc:
        raise InputError(Problem(exc.message, file=file, line=exc.mark.line + 1,
                                 column=exc.mark.column + 1, hint=exc.hint)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        hint = "check indentation, quotes, brackets and colons"
        if exc.problem and "<block sequence start>" in exc.problem:
            what = "a '- ' item is indented differently from the items before it"
            if exc.context_mark and mark and exc.context_mark.line != mark.line:
                what += f" (the list starts on line {exc.context_mark.line + 1})"
            hint = ("give the items of one list the same indentation; a sub-bullet goes "
                    "under a parent that ends with ':', indented further in than the "
                    "parent's text")
        bracketed = _bracketed_text(text, line)
        if bracketed is not None:
            what = "a text that starts with '[' is read as a list, and the words after ']' break it"
            hint = f"quote the whole text: \"{bracketed}\""
        if "\t" in what or "tab" in what.lower() or _line_has_tab(text, line):
            what = "a tab character is used for indentation"
            hint = "YAML indents with spaces only; replace the tab with spaces"
        raise InputError(Problem(f"YAML syntax error: {what}", file=file, line=line,
                                 column=column, hint=hint)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML syntax error: {exc}", file=file)) from None
    if node is None:
        return None, SourceMap(file, marks)
    slips: list[Problem] = []
    data = _to_python(node, (), marks, file, slips, text.splitlines())
    return data, SourceMap(file, marks, slips)


def _bracketed_text(text: str, line: int | None) -> str | None:
    """The value on `line` (or the line before) if it is text that starts with '[' and
    goes on after the ']' (``- [wicked problems]{lang=en} er …``): YAML reads a list."""
    lines = text.splitlines()
    for number in (line, line - 1) if line else ():
        if not 0 < number <= len(lines):
            continue
        found = re.match(r"\s*(?:-\s+|[\w.-]+:\s+)(\[[^\]]*\](.*))$", lines[number - 1])
        if found and found.group(2).strip() and not found.group(2).strip().startswith(
                ("#", ",", "]")):
            return found.group(1).strip().replace('"', '\\"')
    return None


def _line_has_tab(text: str, line: int | None) -> bool:
    if line is None:
        return False
    lines = text.splitlines()
    return 0 < line <= len(lines) and "\t" in lines[line - 1][: len(lines[line - 1]) -
                                                               len(lines[line - 1].lstrip())]


def _too_large(file: Path, size: int) -> InputError:
    return InputError(Problem(
        f"the file is {size / 1e6:.1f} MB; a YAML file here may be at most "
        f"{MAX_YAML_BYTES / 1e6:g} MB", file=file,
        hint="deck files and codebooks are a few kB: is this the right file? "
             "Split a very long deck into variants with 'extends:'"))


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Read and safely parse a YAML file; clear errors for missing or unreadable files."""
    try:
        with path.open("rb") as stream:  # reads no further than the limit
            raw = stream.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            size = path.stat().st_size
            raise _too_large(path, max(size, len(raw)))
    except FileNotFoundError:
        raise InputError(Problem("file not found", file=path,
                                 hint="check the path and the current folder")) from None
    except IsADirectoryError:
        raise InputError(Problem("is a folder, not a YAML file", file=path)) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot read the file: {exc.strerror}", file=path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem("the file is not UTF-8 text", file=path, line=line,
                                 hint="save it as UTF-8")) from None
    return load_yaml_text(text, path)
