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
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import BrowserError, Problem
from generator.output.render import chartcache, kaleido_adapter, picturecache

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

    from generator.charts.data import ChartData
    from generator.core.theme import Theme
    from generator.i18n.locale import DeckLocale

NO_BROWSER_HELP = (
    "Charts are drawn by Kaleido, which needs Chromium or Google Chrome on this machine. "
    "Install one (Debian/Ubuntu: 'sudo apt-get install chromium-headless-shell' or "
    "'sudo apt-get install chromium'; or run 'plotly_get_chrome'), "
    "or set BROWSER_PATH to the browser's executable."
)
# Chromium's headless-only build: the same Blink draws the same PNG bytes, but it
# starts in a third of the time and with a third of the CPU of the full browser.
HEADLESS_SHELLS = ("chromium-headless-shell", "chrome-headless-shell")


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
        expected = (round(job.width * self.scale), round(job.height * self.scale))
        return picturecache.read(self.cache_dir, key, expected)

    def _store(self, name: str, content: bytes) -> None:
        picturecache.store(self.cache_dir, name, content)

    def remember(self, name: str, keys: Sequence[str]) -> None:
        """Record the charts (their keys) a build of `name` (a deck file) used, for
        `remembers`."""
        picturecache.remember(self.cache_dir, name, keys)

    def remembers(self, name: str) -> bool | None:
        """Whether the last build of `name` used only charts the cache still holds (a
        rebuild is then likely to need no browser); None when no build of it is known."""
        return picturecache.remembers(self.cache_dir, name)

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
        session = kaleido_adapter.kaleido_class()(
            n=tabs, timeout=self.timeout, mathjax=False, plotlyjs=plotly_js()[0],
            path=browser, browser_cls=kaleido_adapter.offline_chromium(),
            proxy_server=self.proxy, enable_extensions=False)
        session.browser_executable = browser
        deadline = asyncio.timeout(self.start_timeout)
        try:
            async with deadline:
                await session.open()
        except Exception as exc:  # choreographer's errors when the browser cannot start
            page_started = kaleido_adapter.page_started(session)
            await _kill(session)
            if deadline.expired():  # choreographer reports the cancellation as a failed start
                raise BrowserError(_start_timed_out(browser, self.start_timeout,
                                                    page_started)) from None
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
    return kaleido_adapter.find_chromium()


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
        kaleido_adapter.say_goodbye_for(session)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.to_thread(process.wait), 5)
    await _stop(session)  # finds the browser gone: only the clean-up is left


def _start_timed_out(browser: str, seconds: float, page_started: bool) -> Problem:
    """What a start that ran out of time means, with the libraries' versions: a page
    that never got ready is the libraries' fault more often than the browser's."""
    versions = kaleido_adapter.versions_note()
    native = "build now with '--charts native' (PowerPoint charts, no browser)"
    if page_started:
        return Problem(
            f"the browser started but its chart page did not get ready within {seconds:g} s",
            hint=f"browser: {browser}; {versions}. Install the tested versions "
                 f"('pip install -r requirements.lock'), or {native}")
    return Problem(
        f"the browser did not start within {seconds:g} s",
        hint=f"browser: {browser}; {versions}. Try again; if it persists, reinstall it or "
             f"point BROWSER_PATH at another Chromium/Chrome, or {native}")


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
