"""YAML is read by LibYAML's parser where it can, and by PyYAML's own where it must:
both give the same data, the same line and column for every value, and the same
warnings; a text LibYAML refuses gets PyYAML's message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from generator.core.errors import InputError
from generator.deckfile import yamlsource

SHIPPED = [ROOT / "slides.yaml",
           *sorted(p for folder in ("data", "examples", "tests/fixtures", "generator/i18n")
                   for p in (ROOT / folder).rglob("*.yaml"))]

TRICKY = {
    "norwegian letters": "tittel: Hvor går grensen?\nland: NO\nsvar: [ja, nei, æøå]\n",
    "byte order mark": "\ufeffdeck:\n  country: 'NO'\n",
    "windows line ends": "deck:\r\n  title: Samordning\r\n  year: 2012\r\n",
    "block texts": "a: |\n  first\n  second\nb: >\n  folded\n  text\n\nc: plain\n  runs on\n",
    "run-on bullet": "bullets:\n  - Parent\n  - Child one\n    - Child two\n",
    "quoted and escaped": 'a: "tab\\there \\u00e6"\nb: \'it\'\'s\'\nc: "{{ n.all }}"\n',
    "numbers and dates": "a: 1\nb: 1.5\nc: 1e3\nd: 2012-05-01\ne: 0x10\nf: .inf\ng: ~\nh: yes\n",
    "keys without values": "a:\nb:\n  c:\n",
    "comments only": "# nothing here\n",
    "empty": "",
    "flow mappings": "a: {b: 1, c: [1, 2, {d: e}]}\n",
    "anchor without alias": "a: &x 1\nb: 2\n",
}

BROKEN = {
    "tab indentation": "deck:\n\ttitle: x\n",
    "misindented list": "slides:\n  - a\n - b\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "control character": "a: b\x07c\n",
    "unclosed bracket": "a: [1, 2\nb: 3\n",
    "duplicate key": "a: 1\na: 2\n",
    "python tag": "a: !!python/object:os.system x\n",
    "too deep": "a: " + "[" * 60 + "]" * 60 + "\n",
}


def _read(text: str, file: Path, monkeypatch: pytest.MonkeyPatch, fast: bool):
    """(data, marks, slips) or the error's problems, read one way."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlsource, "_compose_fast", lambda text: yamlsource._NOT_READ)
        try:
            data, source = yamlsource._parse_yaml_text(text, file)
        except InputError as exc:
            return [(p.message, p.line, p.column, p.hint) for p in exc.problems]
    return data, source.marks, [(p.message, p.line, p.column) for p in source.slips]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_the_same_both_ways(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    if yamlsource.CParser is not object:  # PyYAML with LibYAML, as its wheels come
        assert yamlsource._compose_fast(text) is not yamlsource._NOT_READ
    assert _read(text, path, monkeypatch, fast=True) == _read(text, path, monkeypatch,
                                                              fast=False)


@pytest.mark.parametrize("name", TRICKY)
def test_tricky_texts_read_the_same_both_ways(name, monkeypatch):
    text = TRICKY[name]
    fast = _read(text, Path("x.yaml"), monkeypatch, fast=True)
    assert fast == _read(text, Path("x.yaml"), monkeypatch, fast=False)
    assert not isinstance(fast, list)  # read, not refused


def test_a_run_on_bullet_is_found_by_the_fast_reader(monkeypatch):
    _, _, slips = _read(TRICKY["run-on bullet"], Path("x.yaml"), monkeypatch, fast=True)
    assert [(line, column) for _, line, column in slips] == [(3, 5)]
    assert "'Child one' runs on to line 4" in slips[0][0]


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_text_gets_pyyamls_message(name, monkeypatch):
    text = BROKEN[name]
    fast = _read(text, Path("x.yaml"), monkeypatch, fast=True)
    assert isinstance(fast, list) and fast  # refused, with a message
    assert fast == _read(text, Path("x.yaml"), monkeypatch, fast=False)


def test_without_libyaml_pyyamls_parser_reads_everything(monkeypatch):
    monkeypatch.setattr(yamlsource, "CParser", object)
    text = (ROOT / "slides.yaml").read_text(encoding="utf-8")
    assert yamlsource._compose_fast(text) is yamlsource._NOT_READ
    data, source = yamlsource._parse_yaml_text(text, Path("slides.yaml"))
    assert data["deck"]["country"] == "NO"
    assert source.marks[("deck", "country")][1:] == (6, 3)
