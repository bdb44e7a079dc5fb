"""Property-based: any YAML, generated or mutated from the real deck, gives either a
deck or a user-facing error, never an unhandled exception."""

from __future__ import annotations

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import BuildOptions, build
from generator.deck import SLIDE_TYPES, load_deck
from generator.errors import GeneratorError

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = ["deck", "slides", "title", "type", "bullets", "battery", "chart", "indicator", "range",
        "country", "language", "data", "codebook", "output", "items", "item", "id", "notes",
        "left", "right", "caption", "extends", "remove", "after", "footer", "min_base", "path"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from([
                        *SLIDE_TYPES, "NO", "nb", "bar", "mean", "pct_range",
                        "coordination_quality", "{{ n.all }}", "{{ x.__class__ }}", "{% for %}"]))
TREES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5)),
    max_leaves=25)
REAL = (ROOT / "slides.yaml").read_text(encoding="utf-8")


def _outcome(tmp_path, text: str, *, check: bool) -> str:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        if check:
            build(path, BuildOptions(check_only=True))
        else:
            load_deck(path)
    except GeneratorError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return "error"
    return "deck"


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
