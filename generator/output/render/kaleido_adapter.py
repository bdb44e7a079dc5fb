"""The one place that knows Kaleido's and choreographer's API beyond their public calls.

The build draws through Kaleido's public API (`Kaleido(...)`, `open`, `calc_fig`,
`close`). Two speed-ups need a hook that is not public, so they are used only where
they were tested: on the versions named in `TESTED` (the oldest and the newest lock,
`requirements-oldest.lock` and `requirements.lock`), and only when the hook is there
in the expected shape. Elsewhere the build takes the public way and draws the same
pictures:

- a tab keeps its page for up to `RELOAD_EVERY` charts instead of reloading it after
  each (Kaleido's `_return_kaleido_tab`; the public way reloads after every chart);
- a browser killed because it did not start is told goodbye on its pipe, so the
  clean-up does not wait for it (choreographer's `_channel._fake_bye`; the public way
  waits for the clean-up's own time-out).
"""

from __future__ import annotations

import asyncio
import inspect
from functools import cache
from importlib import metadata

# (oldest, newest) version of each library the tests ran with; `tests/test_lock.py`
# holds these to the two lock files.
TESTED: dict[str, tuple[str, str]] = {
    "kaleido": ("1.5.2", "1.5.2"),
    "choreographer": ("1.4.0", "1.4.0"),
}
RELOAD_EVERY = 16


def installed_version(package: str) -> str | None:
    """The installed version of `package`, None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _as_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("."):
        digits = "".join(ch for ch in part if ch.isdigit()) or "0"
        parts.append(int(digits))
        if not part.isdigit():  # 2.0rc1: compare as 2.0, the release it leads to
            break
    return tuple(parts)


def is_tested(package: str, version: str | None = None) -> bool:
    """Whether `version` (default: the installed one) of `package` lies in `TESTED`."""
    version = version or installed_version(package)
    if version is None or package not in TESTED:
        return False
    oldest, newest = TESTED[package]
    return _as_tuple(oldest) <= _as_tuple(version) <= _as_tuple(newest)


def untested() -> list[str]:
    """'kaleido 1.6.0 (tested: 1.5.2)' for each library installed outside `TESTED`."""
    found = []
    for package, (oldest, newest) in TESTED.items():
        if not is_tested(package):
            tested = oldest if oldest == newest else f"{oldest} to {newest}"
            found.append(f"{package} {installed_version(package) or 'missing'} "
                         f"(tested: {tested})")
    return found


def versions_note() -> str:
    """The installed Kaleido and choreographer, and whether they are the tested ones."""
    installed = ", ".join(f"{package} {installed_version(package) or 'missing'}"
                          for package in TESTED)
    outside = untested()
    if outside:
        return (f"{installed}; outside the versions this release was tested with: "
                f"{'; '.join(outside)}")
    return f"{installed} (tested versions)"


def page_keeping() -> bool:
    """Whether tabs may keep their page between charts: a tested Kaleido whose hook is
    the coroutine method the override expects."""
    if not is_tested("kaleido"):
        return False
    import kaleido

    hook = getattr(kaleido.Kaleido, "_return_kaleido_tab", None)
    return hook is not None and inspect.iscoroutinefunction(hook)


def kaleido_class() -> type:
    """The Kaleido class to start: one that keeps pages where `page_keeping` allows it,
    else Kaleido itself."""
    import kaleido

    return _page_keeping_kaleido() if page_keeping() else kaleido.Kaleido


@cache
def _page_keeping_kaleido() -> type:
    import kaleido

    class PageKeepingKaleido(kaleido.Kaleido):
        """Kaleido that reuses a tab's page for up to RELOAD_EVERY charts.

        Kaleido reloads the page, and so parses plotly.js again, after every chart.
        The PNGs are byte-identical without the reload (tests/test_render.py); the
        reload every RELOAD_EVERY charts bounds what one page accumulates.
        """

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.charts_since_reload: dict[int, int] = {}

        async def _return_kaleido_tab(self, tab) -> None:
            drawn = self.charts_since_reload.get(id(tab), 0) + 1
            ready = getattr(self, "tabs_ready", None)
            if drawn < RELOAD_EVERY and isinstance(ready, asyncio.Queue):
                self.charts_since_reload[id(tab)] = drawn
                await ready.put(tab)
                return
            self.charts_since_reload[id(tab)] = 0
            await super()._return_kaleido_tab(tab)

    return PageKeepingKaleido


@cache
def offline_chromium() -> type:
    """choreographer's Chromium with the browser's own background traffic switched off
    (through its public `get_cli` and `get_env`)."""
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        """Chromium with its own background traffic (updates, metrics, pings) off."""

        def get_cli(self) -> list[str]:
            return [*super().get_cli(), "--disable-background-networking",
                    "--disable-domain-reliability", "--no-pings",
                    "--disable-client-side-phishing-detection", "--dns-prefetch-disable",
                    "--disable-features=NetworkTimeServiceQuerying,PreconnectToSearch"]

        def get_env(self) -> dict[str, str]:
            """The browser's environment, without PYTHONUNBUFFERED: unbuffered, the
            wrapper that starts the browser says goodbye in two writes, which the
            reading side takes for an unfinished message and waits on."""
            env = dict(super().get_env())
            env.pop("PYTHONUNBUFFERED", None)
            return env

    return OfflineChromium


def find_chromium() -> str | None:
    """The Chrome or Chromium choreographer would start (its own download first)."""
    from choreographer.browsers.chromium import Chromium

    return Chromium.find_browser(skip_local=False)


def page_started(session) -> bool:
    """Whether the browser of `session` answered and opened a tab (its page may still
    not be ready): the difference between a browser that did not start and a page
    that never got ready."""
    tabs = getattr(session, "tabs", None)
    return bool(tabs)


def say_goodbye_for(session) -> None:
    """Wake the session's reading of the pipe from a browser just killed, on a tested
    choreographer; elsewhere the clean-up's own time-out ends that read.

    A killed browser says no goodbye, and the session holds the pipe's writing end
    too, so that read would wait until the clean-up gives up on it; the goodbye the
    browser's wrapper sends when it ends ends it at once. Only while the pipe is open:
    its file numbers are then still the session's.
    """
    if not is_tested("choreographer"):
        return
    channel = getattr(session, "_channel", None)
    is_ready, say_goodbye = (getattr(channel, name, None) for name in ("is_ready", "_fake_bye"))
    if callable(is_ready) and callable(say_goodbye) and is_ready():
        say_goodbye()
