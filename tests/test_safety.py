"""Safe with a deck file from someone else, and nothing lost when a build dies.

- no network: the Python process opens no internet socket, and every request
  the rendering browser makes goes to its proxy (in a build a closed local port;
  here a socket the test listens on), so nothing leaves the machine. Chromium
  itself still calls a few of its own services at start-up (component updates,
  accounts, its search engine); those are let through the check by host, and
  every other request, such as one for plotly.js, MathJax or anything a chart
  names, fails the test;
- chart text with HTML or script is shown as text: were it run, the browser
  would fetch the image it names through that same proxy;
- a build killed mid-render leaves the previous deck as it was.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import plotly.graph_objects as go
import pytest
from conftest import FIXTURES

import generator.run.session
from generator.charts.figures import make_figure
from generator.output.render.renderer import ChartRenderer, RenderJob
from generator.run.build import build
from generator.run.options import BuildOptions

_GUARD = {"on": False, "attempts": []}


def _audit(event: str, args: tuple) -> None:
    if _GUARD["on"] and event == "socket.connect":
        sock, address = args
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            _GUARD["attempts"].append(address)


sys.addaudithook(_audit)


# What Chromium asks for by itself, whatever it renders (seen with Chromium 156).
BROWSER_OWN_HOSTS = ("update.googleapis.com", "accounts.google.com", "start.duckduckgo.com",
                     "clients2.google.com", "redirector.gvt1.com", "optimizationguide-pa",
                     "content-autofill.googleapis.com", "safebrowsing")


def content_requests(requests: list[bytes]) -> list[str]:
    """The request lines the proxy saw, less Chromium's own background calls."""
    lines = [r.split(b"\r\n")[0].decode("latin-1") for r in requests]
    # an empty line is a connection that sent nothing (Chromium preconnects to its proxy)
    return [line for line in lines
            if line and not any(host in line for host in BROWSER_OWN_HOSTS)]


class ProxyTrap:
    """A listening socket standing in for the browser's proxy; counts who calls."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.requests: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(1024))
                except OSError:
                    self.requests.append(b"")

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.server.close()


@pytest.fixture
def trap():
    proxy = ProxyTrap()
    yield proxy
    proxy.close()


def test_a_build_makes_no_network_connection(tmp_path, trap, monkeypatch, browser):
    monkeypatch.setattr(generator.run.session, "ChartRenderer",
                        functools.partial(ChartRenderer, proxy=trap.url))
    _GUARD["attempts"].clear()
    _GUARD["on"] = True
    try:
        result = build(FIXTURES / "three_slides.yaml",
                       BuildOptions(output=tmp_path / "deck.pptx", use_cache=False))
    finally:
        _GUARD["on"] = False
    assert result.render.rendered == 1
    time.sleep(0.5)
    assert _GUARD["attempts"] == []
    assert content_requests(trap.requests) == []


def test_the_trap_does_catch_a_browser_request(trap, browser):
    """The no-network test can fail: a figure that loads a remote image is caught."""
    figure = go.Figure(layout={"images": [{"source": "http://example.invalid/logo.png",
                                           "xref": "paper", "yref": "paper", "x": 0, "y": 1,
                                           "sizex": 0.2, "sizey": 0.2}]})
    ChartRenderer(cache_dir=None, proxy=trap.url, timeout=20).render(
        [RenderJob(figure, 300, 200, "remote image")])
    time.sleep(0.5)
    assert any("example.invalid" in line for line in content_requests(trap.requests))


def test_html_and_script_in_chart_text_are_shown_not_run(trap, browser):
    """Rendered through the real browser, tags in labels fetch and run nothing.

    (Plotly itself acts only on a few text tags; `charts.plain` escapes those
    too, which the figure-level tests in test_charts.py check.)
    """
    from test_charts import THREE, chart_data  # the small hand-made table

    from generator.i18n.locale import DeckLocale

    evil = '<img src="http://example.invalid/x.png"><script>fetch("http://example.invalid/")'
    data = chart_data("bar", THREE, {"a": evil, "b": "Beta", "c": "Gamma"},
                      country_label='<a href="http://example.invalid/">Norge</a>')
    figure = make_figure(data, DeckLocale("nb"))
    png = ChartRenderer(cache_dir=None, proxy=trap.url, timeout=20).render(
        [RenderJob(figure, 800, 500, "evil labels")])[0]
    time.sleep(0.5)
    assert png.startswith(b"\x89PNG")
    assert content_requests(trap.requests) == []


def test_a_build_killed_mid_render_leaves_the_previous_deck(tmp_path, browser):
    target = tmp_path / "deck.pptx"
    first = build(FIXTURES / "three_slides.yaml", BuildOptions(output=target,
                                                               cache_dir=tmp_path / "cache"))
    before = first.output.read_bytes()
    started = tmp_path / "rendering-started"
    # a build whose chart rendering signals that it began, then stalls until killed
    script = f"""
import asyncio, pathlib
import generator.output.render.renderer as render
async def stalled(self, session, job, *progress):
    pathlib.Path({str(started)!r}).write_text("yes")
    await asyncio.sleep(600)
render.ChartRenderer._one = stalled
from generator.cli import main
main([{str(FIXTURES / 'three_slides.yaml')!r}, "--output", {str(target)!r}, "--no-cache"])
"""
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert started.exists(), "the build never reached rendering"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "deck.pptx",
                                                           "rendering-started"]
