"""The only Kaleido caller: renders figures to PNG through one browser per build.

`ChartRenderer.render(jobs)` takes every chart of a build, serves those it has
rendered before from a content-hash cache (its keys from `chartcache`), and
sends the rest through one Kaleido (headless Chromium) session. The session
lives on an event loop in a thread of its own, so `start()` can open the
browser while the caller still loads data and lays out slides, and with
`keep_open` (watch mode, many decks) one browser serves every `render` call
until `close()`. The browser is started offline: a local plotly.js (the basic
bundle in `assets/`), no MathJax, extensions and background networking off,
and every request routed to a closed local port as its proxy, so nothing a
chart asks for can leave the machine. (Chromium still tries a few of its own
services at start-up, such as its component updater; those end at that port.)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import os
import shutil
import signal
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BrowserError, Problem
from generator.output import chartcache

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

    from generator.charts.data import ChartData
    from generator.i18n.locale import DeckLocale
    from generator.layout.theme import Theme

NO_BROWSER_HELP = (
    "Charts are drawn by Kaleido, which needs Chromium or Google Chrome on this machine. "
    "Install one (Debian/Ubuntu: 'sudo apt-get install chromium-headless-shell' or "
    "'sudo apt-get install chromium'; or run 'plotly_get_chrome'), "
    "or set BROWSER_PATH to the browser's executable."
)
# Chromium's headless-only build: the same Blink draws the same PNG bytes, but it
# starts in a third of the time and with a third of the CPU of the full browser.
HEADLESS_SHELLS = ("chromium-headless-shell", "chrome-headless-shell")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"


@dataclass
class RenderJob:
    """One chart to draw: its figure, its size in CSS pixels, and who asked for it.

    `figure` may be a function that makes the figure: with a `key` (from
    `ChartRenderer.chart_key`: a hash of everything the figure is made from) a
    chart the cache already holds is served without making its figure at all.
    Without one, the key is made from the figure.
    """

    figure: Figure | Callable[[], Figure]
    width: int
    height: int
    label: str  # e.g. "slide 15 (Samordningskvalitet)", for messages and progress
    key: str | None = None

    def made(self) -> Figure:
        """The figure, made on first use."""
        if callable(self.figure):
            self.figure = self.figure()
        return self.figure


@dataclass
class RenderStats:
    """What one build's rendering did, for the summary line, tests and benchmarks."""

    browser_starts: int = 0
    rendered: int = 0
    cache_hits: int = 0
    seconds_browser_start: float = 0.0
    seconds_rendering: float = 0.0


@dataclass
class ChartRenderer:
    """Renders figures to PNG bytes with a cache; one browser for all its calls."""

    cache_dir: Path | None
    scale: float = 2.0
    timeout: float = 60.0
    tabs: int = 2
    start_timeout: float = 20.0
    browser_path: str | None = None
    proxy: str = "http://127.0.0.1:9"  # nothing listens there: any request fails at once
    stats: RenderStats = field(default_factory=RenderStats)
    on_progress: Callable[[str, int, int], None] | None = None
    keep_open: bool = False  # keep the browser between render() calls, until close()
    _keys_browser: tuple[str | None] | None = field(default=None, init=False, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)
    _session: concurrent.futures.Future | None = field(default=None, init=False, repr=False)
    _closing: list[concurrent.futures.Future] = field(default_factory=list, init=False,
                                                      repr=False)

    def chart_key(self, data: ChartData, locale: DeckLocale, theme: Theme) -> str:
        """The cache key of the picture of `data` (see `chartcache.chart_key`): found
        without making the figure."""
        return chartcache.chart_key(data, locale, theme, self.scale, self._browser_for_keys())

    def cache_key(self, job: RenderJob) -> str:
        """The job's key, else one made from its figure's JSON (`chartcache.figure_key`)."""
        return job.key or chartcache.figure_key(job.made(), job.width, job.height, self.scale,
                                                self._browser_for_keys())

    def _browser_for_keys(self) -> str | None:
        """The browser the keys name, looked for once per build (`new_build`): looking
        searches the PATH, which took a fifth of a watch rebuild's chart keys."""
        if self._keys_browser is None:
            try:
                self._keys_browser = (self.find_browser(),)
            except BrowserError:
                self._keys_browser = (None,)  # rendering will say so
        return self._keys_browser[0]

    def new_build(self) -> None:
        """Start a build of a session that keeps this renderer: its own statistics, and
        the browser looked for again (one may have been installed meanwhile)."""
        self.stats = RenderStats()
        self._keys_browser = None

    def render(self, jobs: Sequence[RenderJob]) -> list[bytes]:
        """PNG bytes for every job, in order: cached ones read, the rest rendered at once."""
        keys = [self.cache_key(job) for job in jobs]
        images = [self._cached(key, job) for key, job in zip(keys, jobs, strict=True)]
        missing = [i for i, image in enumerate(images) if image is None]
        self.stats.cache_hits += len(jobs) - len(missing)
        if missing:
            try:
                rendered = self._run(self._render_all([jobs[i] for i in missing]))
            finally:
                if not self.keep_open:
                    self.close()
            for i, png in zip(missing, rendered, strict=True):
                images[i] = png
                self._store(f"{keys[i]}.png", png)
        return [image for image in images if image is not None]

    # -- cache ---------------------------------------------------------------------------

    def _cached(self, key: str, job: RenderJob) -> bytes | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.png"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        expected = (round(job.width * self.scale), round(job.height * self.scale))
        return data if png_size(data) == expected and data.endswith(PNG_END) else None

    def _store(self, name: str, content: bytes) -> None:
        """Write a cache file atomically (temporary file, then rename)."""
        if self.cache_dir is None:
            return
        target = self.cache_dir / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part",
                                             delete=False) as tmp:
                tmp.write(content)
            os.replace(tmp.name, target)
        except OSError:
            pass  # a cache that cannot be written only costs time on the next build

    def remember(self, name: str, keys: Sequence[str]) -> None:
        """Record the charts (their keys) a build of `name` (a deck file) used, for
        `remembers`."""
        digest = hashlib.sha256(name.encode()).hexdigest()
        content = "\n".join(keys).encode("ascii")
        if self.cache_dir is not None:
            try:
                if (self.cache_dir / "decks" / digest).read_bytes() == content:
                    return  # as the last build of it left it: a rebuild rewrites nothing
            except OSError:
                pass
        self._store(f"decks/{digest}", content)

    def remembers(self, name: str) -> bool | None:
        """Whether the last build of `name` used only charts the cache still holds (a
        rebuild is then likely to need no browser); None when no build of it is known."""
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(name.encode()).hexdigest()
        try:
            keys = (self.cache_dir / "decks" / digest).read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            return None
        return all((self.cache_dir / f"{key}.png").is_file() for key in keys)

    # -- browser -------------------------------------------------------------------------

    def find_browser(self) -> str:
        """The browser to use (`BROWSER_PATH`, else `installed_browser`); `BrowserError`
        with how to get one when there is none."""
        path = self.browser_path or os.environ.get("BROWSER_PATH")
        if path:
            if not (Path(path).is_file() and os.access(path, os.X_OK)):
                raise BrowserError(Problem(f"BROWSER_PATH={path} is not an executable file",
                                           hint=NO_BROWSER_HELP))
            return path
        found = installed_browser()
        if not found:
            raise BrowserError(Problem("no Chromium or Chrome found", hint=NO_BROWSER_HELP))
        return found

    def start(self, tabs: int | None = None) -> None:
        """Start the browser in the background now; `render` waits for it when it needs it.

        Start-up (about a second: Chromium, then plotly.js in every tab) then overlaps
        whatever the caller does meanwhile. A failure to start is raised by `render`,
        so a build that needs no browser after all never hears of it.
        """
        if self._session is None:
            self._session = self._submit(self._open(tabs or 1))

    @property
    def started(self) -> bool:
        """Whether a browser was started (or is starting) and not yet closed."""
        return self._session is not None

    def close(self) -> None:
        """Close the browser (if one was started) and its thread; the renderer stays usable."""
        self.close_browser_soon()
        loop, closing = self._loop, self._closing
        self._loop, self._closing = None, []
        for done in closing:
            with contextlib.suppress(Exception):
                done.result()
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)

    def close_browser_soon(self) -> None:
        """Start closing the browser, without waiting: its 0.1–0.2 s then overlaps the
        writing of the deck (`close` waits for it)."""
        session, self._session = self._session, None
        if session is not None and self._loop is not None:
            self._closing = [*(done for done in self._closing if not done.done()),
                             self._submit(_stop_when_open(session))]

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the browser's thread ----------------------------------------------------------

    def _submit(self, coroutine) -> concurrent.futures.Future:
        """Run `coroutine` on the browser's event loop (started on first use)."""
        if self._loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=_run_loop, args=(loop,), daemon=True,
                                      name="chart-renderer")
            thread.start()
            self._loop = loop
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def _run(self, coroutine):
        """Run `coroutine` on the browser's loop and wait for its result."""
        return self._submit(coroutine).result()

    async def _open(self, tabs: int):
        browser = self.find_browser()
        started = time.perf_counter()
        session = _page_keeping_kaleido()(
            n=tabs, timeout=self.timeout, mathjax=False, plotlyjs=plotly_js()[0],
            path=browser, browser_cls=offline_chromium(), proxy_server=self.proxy,
            enable_extensions=False)
        session.browser_executable = browser
        deadline = asyncio.timeout(self.start_timeout)
        try:
            async with deadline:
                await session.open()
        except Exception as exc:  # choreographer's errors when the browser cannot start
            await _kill(session)
            if deadline.expired():  # choreographer reports the cancellation as a failed start
                raise BrowserError(Problem(
                    f"the browser did not start within {self.start_timeout:g} s",
                    hint=f"browser: {browser}. Try again; if it persists, reinstall it or "
                         "point BROWSER_PATH at another Chromium/Chrome")) from None
            raise BrowserError(Problem(
                f"the browser stopped right after starting ({_first_line(exc)})",
                hint=f"browser: {browser}. " + NO_BROWSER_HELP)) from None
        self.stats.browser_starts += 1
        self.stats.seconds_browser_start += time.perf_counter() - started
        return session

    async def _render_all(self, jobs: Sequence[RenderJob]) -> list[bytes]:
        if self._session is None:
            # a second tab pays off only for many charts: each tab loads plotly.js anew
            self.start(1 if len(jobs) <= 20 else max(1, self.tabs))
        assert self._session is not None
        try:
            session = await asyncio.wrap_future(self._session)
        except BrowserError:
            self._session = None  # the next render tries again
            raise
        self._progress("start", 0, len(jobs))
        started = time.perf_counter()
        done = [0]
        try:
            results = await asyncio.gather(*(self._one(session, job, done, len(jobs))
                                             for job in jobs))
        except BrowserError:
            raise
        except Exception as exc:  # the browser died mid-render
            self._session = None
            await _stop(session)
            raise BrowserError(Problem(
                f"the browser failed while rendering charts ({_first_line(exc)})",
                hint=f"browser: {session.browser_executable}. Build again; the previous "
                     "deck is unchanged")) from None
        self.stats.seconds_rendering += time.perf_counter() - started
        return list(results)

    async def _one(self, session, job: RenderJob, done: list[int], total: int) -> bytes:
        try:
            png = await session.calc_fig(
                job.made(), opts={"format": "png", "width": job.width, "height": job.height,
                                  "scale": self.scale})
        except Exception as exc:
            if not _timed_out(exc):
                raise
            raise BrowserError(Problem(
                f"{job.label}: the chart did not render within {self.timeout:g} s",
                hint="the browser may be hung; build again, and if it persists check "
                     "the chart's data")) from None
        self.stats.rendered += 1
        done[0] += 1
        self._progress(job.label, done[0], total)
        return png

    def _progress(self, label: str, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(label, done, total)


def installed_browser() -> str | None:
    """The browser this machine has: a headless shell on the PATH (`HEADLESS_SHELLS`),
    else the Chrome or Chromium Kaleido would find (its own download first); None when
    there is none."""
    for name in HEADLESS_SHELLS:
        found = shutil.which(name)
        if found:
            return found
    from choreographer.browsers.chromium import Chromium

    return Chromium.find_browser(skip_local=False)


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    """The browser thread: run `loop` until `ChartRenderer.close` stops it, then close it."""
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        # as asyncio.run does: tasks the browser library left behind (such as its
        # watchdog of a killed browser) are cancelled and may finish before the loop closes
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.close()


async def _stop_when_open(session: concurrent.futures.Future) -> None:
    """Close the browser `session` (a future of it) opens, once it has; nothing if it
    failed to start."""
    try:
        opened = await asyncio.wrap_future(session)
    except Exception:  # it failed to start: nothing to close
        return
    await _stop(opened)


async def _stop(session) -> None:
    """Close the browser; kill it if it does not close within a few seconds."""
    try:
        await asyncio.wait_for(session.close(), 10)
    except Exception:  # a hung or half-started browser
        process = getattr(session, "subprocess", None)
        if process is not None:
            with contextlib.suppress(OSError):  # the browser runs in its own session
                os.killpg(process.pid, signal.SIGKILL)


async def _kill(session) -> None:
    """End a browser that never finished starting: kill it at once (it cannot answer a
    request to close, and a graceful close would wait seconds for nothing), then let
    the session free its pipes and temporary folder."""
    process = getattr(session, "subprocess", None)
    if process is not None:
        with contextlib.suppress(OSError):  # the browser runs in its own session
            os.killpg(process.pid, signal.SIGKILL)
        _say_goodbye_for(session)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.to_thread(process.wait), 5)
    await _stop(session)  # finds the browser gone: only the clean-up is left


def _say_goodbye_for(session) -> None:
    """Wake the session's reading of the pipe from a browser just killed.

    A killed browser says no goodbye, and the session holds the pipe's writing end
    too, so that read would wait until the clean-up gives up on it after 2 s; the
    goodbye the browser's wrapper sends when it ends ends it at once. Only while the
    pipe is open: its file numbers are then still the session's.
    """
    channel = getattr(session, "_channel", None)
    is_ready, say_goodbye = (getattr(channel, name, None) for name in ("is_ready", "_fake_bye"))
    if is_ready is not None and say_goodbye is not None and is_ready():
        say_goodbye()


def _timed_out(exc: BaseException) -> bool:
    """True when Kaleido's per-chart timeout caused `exc`.

    On timeout Kaleido cancels the render and reloads the tab; under load that
    reload can fail with a channel error of its own, which then replaces the
    TimeoutError. A cancellation we did not ask for in the chain means the same.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (TimeoutError, asyncio.CancelledError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _first_line(exc: BaseException) -> str:
    text = exc.args[0] if exc.args else str(exc)
    return f"{type(exc).__name__}: {str(text).splitlines()[0] if text else ''}".rstrip(": ")


@cache
def plotly_js() -> tuple[tuple[str, str] | None, str]:
    """The plotly.js the browser loads (`chartcache.plotly_js_bundle`) as Kaleido takes it
    (None: Kaleido's default, plotly.py's full bundle), and its name."""
    bundle = chartcache.plotly_js_bundle()
    if bundle == chartcache.BASIC_PLOTLY_JS:
        return (bundle.as_uri(), "utf-8"), f"basic {chartcache.bundle_version(bundle)}"
    return None, f"full {chartcache.bundle_version(bundle)}"


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None if it is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_MAGIC):
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


RELOAD_EVERY = 16


def _page_keeping_kaleido() -> type:
    import kaleido

    class PageKeepingKaleido(kaleido.Kaleido):
        """Kaleido that reuses a tab's page for up to RELOAD_EVERY charts, and whose
        start cannot miss the page's load.

        Kaleido reloads the page, and so parses plotly.js again, after every
        chart: some 40 % of the time spent drawing charts. The PNGs are byte-identical
        without it (tests/test_render.py); the reload every RELOAD_EVERY charts
        bounds what one page accumulates over `--all-countries`.
        """

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._charts_since_reload: dict[int, int] = {}

        async def _conform_tabs(self, tabs=None) -> None:
            """Turn on a tab's page and runtime events before Kaleido loads its page.

            Kaleido sends ``Page.navigate`` first and ``Page.enable`` after it, then
            waits for the page's load event; Chromium sends that event only while
            page events are on. When this process is slow to send ``Page.enable``
            (a busy machine, the build's own work holding the interpreter), the
            page has loaded by then, the event never comes and the start hangs
            until its timeout. Turned on first, they are on when the page loads
            (Kaleido's own ``enable`` calls then change nothing).
            """
            tabs = list(tabs or self.tabs.values())
            for tab in tabs:
                for domain in ("Page", "Runtime"):
                    response = await tab.send_command(f"{domain}.enable")
                    if "error" in response:
                        raise RuntimeError(f"{domain}.enable: {response['error']}")
            await super()._conform_tabs(tabs)

        async def _return_kaleido_tab(self, tab) -> None:
            drawn = self._charts_since_reload.get(id(tab), 0) + 1
            if drawn < RELOAD_EVERY and isinstance(getattr(self, "tabs_ready", None),
                                                   asyncio.Queue):
                self._charts_since_reload[id(tab)] = drawn
                await self.tabs_ready.put(tab)
                return
            self._charts_since_reload[id(tab)] = 0
            await super()._return_kaleido_tab(tab)

    # the hooks are Kaleido's own; should a release rename one, it is not called
    return PageKeepingKaleido


def offline_chromium() -> type:
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        """Chromium with its own background traffic (updates, metrics, pings) switched off."""

        def get_cli(self) -> list[str]:
            return [*super().get_cli(), "--disable-background-networking",
                    "--disable-domain-reliability", "--no-pings",
                    "--disable-client-side-phishing-detection", "--dns-prefetch-disable",
                    "--disable-features=NetworkTimeServiceQuerying,PreconnectToSearch"]

        def get_env(self) -> dict[str, str]:
            """The browser's environment, without PYTHONUNBUFFERED: the small Python
            program that starts the browser says goodbye when the browser ends, and
            unbuffered, that goodbye comes in two writes, which the reading side takes
            for an unfinished message and waits on until its clean-up gives up (2 s)."""
            env = dict(super().get_env())
            env.pop("PYTHONUNBUFFERED", None)
            return env

    return OfflineChromium
