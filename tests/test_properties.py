"""Property-based: any YAML, generated or mutated from the real deck, gives either a
deck or a user-facing error, never an unhandled exception.

Each case runs in a forked child whose address space and CPU time are capped
(`resource`): a case that would eat the machine's memory or run for minutes
fails its test instead.
"""

from __future__ import annotations

import json
import os
import resource
import signal

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_project import DECK as SMALL_DECK

from generator.core.errors import GeneratorError
from generator.deckfile.deck import load_deck
from generator.run.build import build
from generator.run.options import BuildOptions
from generator.run.session import BuildSession
from generator.slides import SLIDE_TYPES

# how many examples: the hypothesis profile conftest.py loads (60 in CI, fewer locally)
SETTINGS = settings(deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = ["deck", "slides", "title", "type", "bullets", "battery", "chart", "indicator", "range",
        "country", "language", "data", "codebook", "output", "items", "item", "id", "notes",
        "left", "right", "caption", "extends", "remove", "after", "footer", "min_base", "path"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from([
                        *SLIDE_TYPES, "NO", "nb", "bar", "mean", "pct_range",
                        "coordination_quality", "{{ n.all }}", "{{ x.__class__ }}", "{% for %}",
                        '{{ "x" * 10**9 }}', "{{ n.all * 999999999 }}",
                        "{% for i in range(99999) %}{% for j in range(99999) %}{{ n.all }}"
                        "{% endfor %}{% endfor %}",
                        "{{ range(10**9) | list }}"]))
TREES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5)),
    max_leaves=25)
REAL = (ROOT / "slides.yaml").read_text(encoding="utf-8")
EXTRA_MEMORY = 400 * 2**20  # bytes a case may add to the test process's address space
CPU_SECONDS = 30  # checking the real deck takes about 2 s
# the codebook and data parsed once, in this process: every forked case finds them there
SESSION = BuildSession()


@pytest.fixture(scope="module", autouse=True)
def _inputs_parsed_once(tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("parsed") / "deck.yaml"
    path.write_text(REAL.replace("data/", f"{ROOT}/data/").replace("output/", f"{path.parent}/"),
                    encoding="utf-8")
    build(path, BuildOptions(check_only=True), session=SESSION)
    assert len(SESSION.inputs) > 0  # the forked cases find the data here


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _bounded(run) -> str:
    """`run()` in a forked child capped at `EXTRA_MEMORY` more address space and
    `CPU_SECONDS` of CPU; its result, or the test fails saying which limit was hit."""
    memory = _address_space() + EXTRA_MEMORY
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
            answer = run()
        except BaseException as exc:  # reported to the parent, which fails the test
            answer = f"crash: {type(exc).__name__}: {exc}"[:2000]
        os.write(write_end, answer.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise AssertionError(f"the case was killed by {name}"
                             + (f": more than {CPU_SECONDS} s of CPU" if name == "SIGXCPU"
                                else ""))
    assert not answer.startswith("crash:"), answer  # MemoryError: past the memory cap
    return answer


def _outcome(tmp_path, text: str, *, check: bool) -> str:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")

    def run() -> str:
        try:
            if check:
                build(path, BuildOptions(check_only=True), session=SESSION)
            else:
                load_deck(path)
        except GeneratorError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)
            return "error"
        return "deck"

    return _bounded(run)


@SETTINGS
@given(tree=st.dictionaries(st.sampled_from(KEYS), TREES, max_size=4))
def test_generated_yaml_loads_or_is_refused_clearly(tmp_path_factory, tree):
    tmp_path = tmp_path_factory.mktemp("gen")
    _outcome(tmp_path, yaml.safe_dump(tree, allow_unicode=True), check=False)


@SETTINGS
@given(data=st.data())
def test_mutated_real_deck_builds_or_is_refused_clearly(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("mut")
    lines = REAL.replace("data/", f"{ROOT}/data/").replace(
        "output/", f"{tmp_path}/").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "tab",
                                          "char", "swap", "truncate"]))
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = "  " + line
        elif kind == "dedent":
            lines[i] = line[2:] if line.startswith("  ") else line
        elif kind == "tab":
            lines[i] = "\t" + line.lstrip(" ")
        elif kind == "char" and line.strip():
            j = data.draw(st.integers(0, len(line) - 1))
            lines[i] = line[:j] + data.draw(st.sampled_from(list(":-[]{}'\"#&*!|>%@`"))) \
                + line[j + 1:]
        elif kind == "swap":
            k = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[k] = lines[k], lines[i]
        elif kind == "truncate":
            lines = lines[:i]
        if not lines:
            lines = ["\n"]
    _outcome(tmp_path, "".join(lines), check=True)


def test_the_real_deck_passes_the_same_check(tmp_path):
    text = REAL.replace("data/", f"{ROOT}/data/").replace("output/", f"{tmp_path}/")
    assert _outcome(tmp_path, text, check=True) == "deck"


@SETTINGS
@given(levels=st.integers(1, 12), width=st.integers(1, 12), indent=st.booleans())
def test_aliases_are_refused_whatever_they_would_expand_to(tmp_path_factory, levels, width,
                                                            indent):
    tmp_path = tmp_path_factory.mktemp("alias")
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        refs = [f"*a{i - 1}"] * width
        lines.append(f"a{i}: &a{i}\n" + "".join(f"  - {r}\n" for r in refs) if indent
                     else f"a{i}: &a{i} [{', '.join(refs)}]")
    text = "\n".join(lines) + f"\nextends: {ROOT / 'slides.yaml'}\n"
    assert _outcome(tmp_path, text, check=True) == "error"


@SETTINGS
@given(depth=st.integers(1, 5_000), style=st.sampled_from(["flow", "map", "block", "dash"]))
def test_any_nesting_loads_or_is_refused_within_bounds(tmp_path_factory, depth, style):
    tmp_path = tmp_path_factory.mktemp("deep")
    value = {"flow": "[" * depth + "]" * depth,
             "map": "{a: " * depth + "1" + "}" * depth,
             "dash": "- " * depth + "x",
             "block": "".join("  " * i + f"k{i}:\n" for i in range(depth % 800))}
    text = f"extends: {ROOT / 'slides.yaml'}\nnotes:\n" + value[style] + "\n"
    assert _outcome(tmp_path, text, check=False) == "error"


PLACEHOLDER_PARTS = ["{{", "}}", "{%", "%}", "{#", "#}", " n.all ", " n ", ".", "*", "**", "9",
                     "10", "(", ")", "[", "]", "'all'", "|", " list ", " range", " for i in ",
                     " endfor ", " if ", " x ", "~", "+", "lipsum", " country_name "]


HOSTILE_TEXT = ['{{ "x" * 10**9 }}', "{{ n.all * 999999999 }}", "{{ 9 ** 9 ** 9 }}",
                "{% for i in range(99999) %}{% for j in range(99999) %}{{ n.all }}{% endfor %}"
                "{% endfor %}", "{{ range(10**9) | list }}", "{{ n.all }}", ""]


@SETTINGS
@given(before=st.lists(st.sampled_from(PLACEHOLDER_PARTS), max_size=7),
       core=st.sampled_from(HOSTILE_TEXT),
       after=st.lists(st.sampled_from(PLACEHOLDER_PARTS), max_size=7))
def test_any_slide_text_is_filled_or_refused_within_bounds(tmp_path_factory, before, core,
                                                           after):
    tmp_path = tmp_path_factory.mktemp("text")
    text = "".join(before) + core + "".join(after)
    base = tmp_path / "base.yaml"  # two slides, on the data the session has parsed
    base.write_text(SMALL_DECK.replace("data: data.csv", f"data: {ROOT}/data/cocops_synthetic.csv")
                    .replace("codebook: codebook.yaml", f"codebook: {ROOT}/data/codebook.yaml"),
                    encoding="utf-8")
    deck = (f"extends: {base}\nslides:\n  - id: first\n"
            f"    title: {json.dumps(text)}\n    notes: {json.dumps(text)}\n")
    _outcome(tmp_path, deck, check=True)
