"""Shared fixtures: the repository's paths, and the real tools the tests need.

Tests that need Chromium or LibreOffice are skipped on a developer's machine
without them, but fail in CI (CI=true), where their absence is a setup bug.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing in CI; .ci/run should have installed it")
    pytest.skip(f"{what} is not installed")


def browser_path() -> str | None:
    from choreographer.browsers.chromium import Chromium

    return os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)


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
    soffice = shutil.which("soffice")
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
    from generator.build import BuildOptions, build

    out = tmp_path_factory.mktemp("decks")
    cache = out / "cache"
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
    leaves them out. Tests that start a browser only through the command line are
    not seen here and still need the marker written on them."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & {"browser", "built_decks"}:
            item.add_marker(pytest.mark.browser)
        if "office" in used:
            item.add_marker(pytest.mark.office)
