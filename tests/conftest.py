"""Shared fixtures: the repository's paths, and the real tools the tests need.

Tests that need Chromium or LibreOffice are skipped on a developer's machine
without them, but fail in CI (CI=true), where their absence is a setup bug.

A test that starts Chromium or LibreOffice must carry the `browser` or `office`
marker (given by the fixtures of those names, or written on the test), so that
``pytest -m "not browser and not office"`` is fast and needs neither. A test
without the marker finds stand-ins in their place (``BROWSER_PATH`` and the
front of ``PATH``, inherited by the command-line processes tests start); a
stand-in that is started fails the test, naming the marker it lacks.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings
from written_decks import WrittenDecks, summary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
REAL_ENV = {name: os.environ.get(name) for name in ("BROWSER_PATH", "PATH")}
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "chromium-headless-shell", "chrome-headless-shell")
OFFICE_NAMES = ("soffice", "libreoffice")
STAND_IN = """#!/bin/sh
echo "{marker}: $0 $*" >> "{log}"
echo "a test without the '{marker}' marker started $0" >&2
exit 97
"""


# Property tests try 60 examples each in CI (CI=true, as .ci/run sets) and 15 on a
# developer's machine, so that the fast subset stays fast; the bounds are the same.
# ``--hypothesis-profile=ci`` runs the full count locally.
settings.register_profile("ci", max_examples=60)
settings.register_profile("dev", max_examples=15)
settings.load_profile("ci" if IN_CI else "dev")


def _require(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing in CI; .ci/run should have installed it")
    pytest.skip(f"{what} is not installed")


def browser_path() -> str | None:
    from generator.output.render.renderer import installed_browser

    if REAL_ENV["BROWSER_PATH"]:
        return REAL_ENV["BROWSER_PATH"]
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("BROWSER_PATH", raising=False)
        patch.setenv("PATH", REAL_ENV["PATH"] or os.defpath)
        return installed_browser()


def _stand_ins(folder: Path, marker: str, names: tuple[str, ...], log: Path) -> Path:
    """`folder` holding a script under each of `names` that logs its start and fails."""
    folder.mkdir()
    for name in names:
        script = folder / name
        script.write_text(STAND_IN.format(marker=marker, log=log), encoding="utf-8")
        script.chmod(0o755)
    return folder


def pytest_configure(config: pytest.Config) -> None:
    """Put the stand-ins in place for the whole run (processes started by tests, and
    environments copied at import, inherit them); `_real_tools_need_markers` lifts
    them for the tests that carry the marker.

    Under pytest-xdist (``-n``) the controlling process runs no test and leaves the
    environment alone: its workers inherit it, and each reads the real tools from it
    and puts stand-ins of its own in place.
    """
    if _xdist_controller(config):
        return
    folder = Path(tempfile.mkdtemp(prefix="stand-ins-"))
    log = folder / "started.log"
    log.touch()
    config.stash[STAND_INS] = (
        log, _stand_ins(folder / "browser", "browser", BROWSER_NAMES, log),
        _stand_ins(folder / "office", "office", OFFICE_NAMES, log))
    os.environ["BROWSER_PATH"] = str(folder / "browser" / BROWSER_NAMES[0])
    os.environ["PATH"] = os.pathsep.join([str(folder / "browser"), str(folder / "office"),
                                          REAL_ENV["PATH"] or os.defpath])


def _xdist_controller(config: pytest.Config) -> bool:
    """Whether this process hands the tests out to pytest-xdist workers."""
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(
        config, "workerinput")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _xdist_controller(config):
        return
    for name, value in REAL_ENV.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _, browser_folder, _ = config.stash[STAND_INS]
    shutil.rmtree(browser_folder.parent, ignore_errors=True)


STAND_INS = pytest.StashKey[tuple[Path, Path, Path]]()
OOXML_COUNTS = pytest.StashKey[Counter]()


@pytest.fixture(autouse=True)
def _real_tools_need_markers(request: pytest.FixtureRequest, monkeypatch) -> None:
    """Chromium and LibreOffice for the tests marked for them; for the others a
    stand-in, whose start fails the test."""
    log, browser_folder, office_folder = request.config.stash[STAND_INS]
    marks = {mark.name for mark in request.node.iter_markers()}
    path = [str(folder) for folder, marker in [(browser_folder, "browser"),
                                               (office_folder, "office")]
            if marker not in marks]
    monkeypatch.setenv("PATH", os.pathsep.join([*path, REAL_ENV["PATH"] or os.defpath]))
    if "browser" in marks:
        if REAL_ENV["BROWSER_PATH"] is None:
            monkeypatch.delenv("BROWSER_PATH", raising=False)
        else:
            monkeypatch.setenv("BROWSER_PATH", REAL_ENV["BROWSER_PATH"])
    before = log.stat().st_size
    yield
    with log.open(encoding="utf-8") as lines:
        lines.seek(before)
        started = lines.read().split("\n")
    lacking = sorted({line.split(":")[0] for line in started if line})
    if lacking:
        pytest.fail(f"this test started {' and '.join(lacking)} without the "
                    f"{' and '.join(repr(m) for m in lacking)} marker "
                    "(@pytest.mark.browser / @pytest.mark.office)", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _written_decks(request: pytest.FixtureRequest, tmp_path_factory):
    """Every .pptx the tests write is checked against the OOXML schemas (`written_decks`):
    after each test those in the folders it made, at the end of the run the rest."""
    decks = WrittenDecks(tmp_path_factory.getbasetemp())
    yield decks
    problems = decks.sweep()
    config = request.config
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller reports
        config.workeroutput["ooxml"] = dict(decks.counts)
    else:
        config.stash[OOXML_COUNTS] = decks.counts
    if problems:
        pytest.fail("decks written during the run break the OOXML schemas or package "
                    "rules:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def _decks_follow_ooxml(request: pytest.FixtureRequest, _written_decks) -> None:
    """The decks this test (or a fixture it started) wrote follow the OOXML schemas;
    a test that writes one the generator did not make (broken on purpose, saved by
    another program) names its path in ``tmp_path``:
    ``@pytest.mark.ooxml_unchecked("broken.pptx")``."""
    yield
    exempt = frozenset(name for mark in request.node.iter_markers("ooxml_unchecked")
                       for name in mark.args)
    problems = _written_decks.check_new(exempt=exempt)
    if problems:
        pytest.fail("a deck this test wrote breaks the OOXML schemas or package rules:\n"
                    + "\n".join(problems), pytrace=False)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """pytest-xdist's controller adds up what each worker checked."""
    counts = node.config.stash.setdefault(OOXML_COUNTS, Counter())
    counts.update(getattr(node, "workeroutput", {}).get("ooxml", {}))


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if OOXML_COUNTS in config.stash:
        for line in summary(config.stash[OOXML_COUNTS]):
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch) -> None:
    """Messages printed one per line: rich wraps at the terminal's width (80 columns when
    the output is not a terminal) and breaks a path longer than that in the middle, and
    temporary paths (longer under pytest-xdist) would then not be found in the message."""
    monkeypatch.setenv("COLUMNS", "1000")


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory, monkeypatch) -> Path:
    """Builds that name no cache folder use the per-user cache: one fresh per test,
    never the real user's."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def browser() -> str:
    """The Chromium/Chrome Kaleido will use."""
    path = browser_path()
    _require(path is not None, "Chromium (for Kaleido)")
    return path


@pytest.fixture(scope="session")
def office() -> str:
    """LibreOffice's soffice, with poppler's pdfinfo beside it."""
    soffice = shutil.which("soffice", path=REAL_ENV["PATH"])
    _require(soffice is not None and shutil.which("pdfinfo") is not None,
             "LibreOffice (soffice) and poppler-utils (pdfinfo)")
    return soffice


def office_convert(soffice: str, source: Path, to: str, folder: Path) -> Path:
    """Convert `source` with LibreOffice into `folder` (``to``: pdf, pptx …); the file made.

    Each call gets a user profile of its own: two soffice processes sharing the
    default profile (another test run, a person's open LibreOffice) make the
    second exit 1 without converting anything.
    """
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--headless", "--convert-to", to, "--outdir", str(folder),
                        str(source)], check=True, capture_output=True, timeout=300)
    made = folder / f"{source.stem}.{to.split(':')[0]}"
    assert made.is_file(), f"LibreOffice made no {made.name}"
    return made


@pytest.fixture(scope="session")
def built_decks(tmp_path_factory, browser) -> dict[str, Path]:
    """Every deck the project ships (and the three-slide skeleton), built once per
    test session into a temporary folder."""
    out = tmp_path_factory.mktemp("decks")
    with pytest.MonkeyPatch.context() as patch:  # made before the test lifts the stand-ins
        patch.setenv("BROWSER_PATH", browser)
        return _build_shipped_decks(out, out / "cache")


def _build_shipped_decks(out: Path, cache: Path) -> dict[str, Path]:
    from generator.run.build import build
    from generator.run.options import BuildOptions

    decks = {}
    for name, deck_file in [("three", FIXTURES / "three_slides.yaml"),
                            ("NO_nb", ROOT / "slides.yaml"),
                            ("GB_en", ROOT / "examples" / "uk_en.yaml"),
                            ("DE_de", ROOT / "examples" / "de_de.yaml")]:
        result = build(deck_file, BuildOptions(output=out / f"{name}.pptx", cache_dir=cache))
        decks[name] = result.output
    return decks


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that ask for Chromium or LibreOffice (directly or through `built_decks`)
    carry the `browser` or `office` marker, so ``-m "not browser and not office"``
    leaves them out. Tests that start one otherwise (through the command line or a
    build) need the marker written on them; `_real_tools_need_markers` fails those
    that lack it."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & {"browser", "built_decks"}:
            item.add_marker(pytest.mark.browser)
        if "office" in used:
            item.add_marker(pytest.mark.office)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what is loaded once the tests are collected: it lives as long as the run,
    so the full collections a build makes to free its decks (`run.batches.free_decks`) walk
    only what the tests make, as in a command-line process (`collector`)."""
    gc.freeze()
