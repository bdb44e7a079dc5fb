"""The committed locks: what is installed is what they name, they agree with each other
and with pyproject.toml's ranges, and the oldest versions the ranges allow build the
deck as the newest do."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import IN_CI, ROOT, _require
from deck_summary import summarise
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from generator.output.render import kaleido_adapter

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.MULTILINE)
WATCHED = ("kaleido", "choreographer", "plotly", "python-pptx", "pandas")


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    pins = {canonicalize_name(package): version for package, version in PIN.findall(text)}
    assert pins, f"{name} names no package"
    assert text.count("--hash=sha256:") >= len(pins), f"{name}: every package with a hash"
    return pins


def test_the_installed_versions_are_the_locked_ones():
    locked = _pins("requirements-test.lock")
    for package in WATCHED:
        assert package in locked, f"requirements-test.lock lacks {package}"
    drifted = {package: (version, _installed(package))
               for package, version in locked.items() if _installed(package) != version}
    assert drifted == {}, ("installed versions differ from requirements-test.lock "
                           "(locked, installed); install it: pip install -r "
                           "requirements-test.lock")


def _installed(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def test_the_runtime_lock_installs_what_the_tests_ran_with():
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert {package: test.get(package) for package in runtime} == runtime


def _ranges() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return {canonicalize_name(r.name): r for r in map(Requirement, wanted)}


def test_every_lock_lies_within_the_ranges_of_pyproject():
    ranges = _ranges()
    for name in ("requirements.lock", "requirements-test.lock", "requirements-oldest.lock"):
        pins = _pins(name)
        outside = {package: (pins[package], str(requirement.specifier))
                   for package, requirement in ranges.items()
                   if package in pins and not requirement.specifier.contains(pins[package])}
        assert outside == {}, name


def test_the_oldest_lock_holds_each_direct_dependency_at_its_floor():
    oldest = _pins("requirements-oldest.lock")
    for package, requirement in _ranges().items():
        if package not in oldest:  # a test tool: not in the runtime locks
            continue
        floors = [Version(spec.version) for spec in requirement.specifier
                  if spec.operator == ">="]
        assert floors == [Version(oldest[package])], (package, oldest[package])


def test_the_hooked_libraries_tested_range_is_the_two_locks():
    newest, oldest = _pins("requirements.lock"), _pins("requirements-oldest.lock")
    locked = {package: (oldest[package], newest[package]) for package in kaleido_adapter.TESTED}
    assert locked == kaleido_adapter.TESTED


def _oldest_python() -> Path | None:
    named = os.environ.get("SURVEY_DECK_OLDEST_PYTHON")
    python = Path(named) if named else ROOT / ".venv-oldest" / "bin" / "python"
    return python if python.is_file() else None


def _build(python: Path | str, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "generator", str(ROOT / "slides.yaml"), "-o", str(output),
         "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def _media(deck: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(deck) as package:
        return {name: package.read(name) for name in package.namelist()
                if name.startswith("ppt/media/")}


@pytest.mark.browser
def test_the_oldest_versions_build_the_deck_the_newest_build(browser, tmp_path):
    python = _oldest_python()
    _require(python is not None, "the oldest-versions environment (.venv-oldest, made by "
             "'python3 -m venv .venv-oldest && .venv-oldest/bin/pip install -r "
             "requirements-oldest.lock && .venv-oldest/bin/pip install --no-deps -e .')")
    assert python is not None
    installed = subprocess.run(
        [str(python), "-c", "import json; from importlib import metadata as m; print(json."
         f"dumps({{p: m.version(p) for p in {list(WATCHED)!r}}}))"],
        capture_output=True, text=True, check=True)
    oldest = _pins("requirements-oldest.lock")
    assert json.loads(installed.stdout) == {p: oldest[p] for p in WATCHED}

    decks = {}
    for name, interpreter in (("oldest", python), ("newest", sys.executable)):
        decks[name] = tmp_path / f"{name}.pptx"
        done = _build(interpreter, decks[name])
        assert done.returncode == 0, done.stderr
        assert "9 charts (9 rendered, 0 from cache)" in done.stderr
    assert summarise(decks["oldest"]) == summarise(decks["newest"])
    pictures = _media(decks["oldest"])
    assert len(pictures) == 9 and pictures == _media(decks["newest"])


def test_ci_makes_the_oldest_environment():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "requirements-oldest.lock" in script and "requirements-test.lock" in script
    assert not IN_CI or _oldest_python() is not None
