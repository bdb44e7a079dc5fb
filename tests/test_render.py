"""Rendering: one browser per build, a cache that never serves a broken image,
and one clear message when there is no browser."""

from __future__ import annotations

import os

import plotly.graph_objects as go
import pytest

from generator.core.errors import BrowserError
from generator.output.render.picturecache import png_size
from generator.output.render.renderer import HEADLESS_SHELLS, ChartRenderer, RenderJob


def _jobs(count: int) -> list[RenderJob]:
    return [RenderJob(go.Figure(go.Bar(x=["a", "b"], y=[1, i + 2])), 400, 300, f"chart {i}")
            for i in range(count)]


def test_one_browser_renders_every_chart_and_the_cache_serves_them_next(tmp_path, browser):
    renderer = ChartRenderer(cache_dir=tmp_path)
    images = renderer.render(_jobs(3))
    assert [png_size(i) for i in images] == [(800, 600)] * 3
    assert (renderer.stats.browser_starts, renderer.stats.rendered) == (1, 3)

    again = ChartRenderer(cache_dir=tmp_path)
    assert again.render(_jobs(3)) == images
    assert (again.stats.browser_starts, again.stats.cache_hits) == (0, 3)


def test_a_damaged_cache_file_is_rendered_again(tmp_path, browser):
    renderer = ChartRenderer(cache_dir=tmp_path)
    job = _jobs(1)[0]
    good = renderer.render([job])[0]
    cached = tmp_path / f"{renderer.cache_key(job)}.png"
    cached.write_bytes(good[: len(good) // 2])  # as if a build died mid-write
    again = ChartRenderer(cache_dir=tmp_path)
    assert again.render([job]) == [good]
    assert again.stats.rendered == 1 and again.stats.cache_hits == 0
    assert cached.read_bytes() == good


def test_cache_key_changes_with_figure_size_and_scale():
    job = _jobs(1)[0]
    key = ChartRenderer(None).cache_key(job)
    assert ChartRenderer(None, scale=1).cache_key(job) != key
    assert ChartRenderer(None).cache_key(RenderJob(job.figure, 401, 300, "x")) != key
    assert ChartRenderer(None).cache_key(_jobs(2)[1]) != key


def test_no_browser_gives_one_clear_message(monkeypatch, tmp_path):
    from generator.output.render import renderer as render

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(render, "installed_browser", lambda: None)
    with pytest.raises(BrowserError) as caught:
        ChartRenderer(cache_dir=None).render(_jobs(1))
    text = str(caught.value)
    assert "no Chromium or Chrome found" in text
    assert "apt-get install chromium" in text and "plotly_get_chrome" in text
    assert "BROWSER_PATH" in text


def test_browser_path_that_is_not_a_program_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    with pytest.raises(BrowserError, match="no-such-chrome is not an executable file"):
        ChartRenderer(cache_dir=None).render(_jobs(1))


def test_the_shipped_basic_plotly_js_is_plotly_pys_version():
    """Else every build silently falls back to the four times larger full bundle."""
    from generator.output.render.renderer import plotly_js

    source, name = plotly_js()
    assert source is not None and name.startswith("basic ")


def test_the_basic_bundle_draws_what_the_full_one_draws(tmp_path, browser, monkeypatch):
    import generator.output.render.renderer as render

    job = _jobs(1)[0]
    basic = ChartRenderer(cache_dir=None).render([job])[0]
    monkeypatch.setattr(render, "plotly_js", lambda: (None, "full"))
    full = ChartRenderer(cache_dir=None).render([job])[0]
    assert basic == full


def test_a_cached_chart_is_found_by_its_key_without_making_its_figure(tmp_path, browser):
    made = []

    def make():
        made.append(1)
        return _jobs(1)[0].figure

    first = ChartRenderer(cache_dir=tmp_path).render([RenderJob(make, 400, 300, "a", "k1")])
    assert (tmp_path / "k1.png").read_bytes() == first[0]
    again = ChartRenderer(cache_dir=tmp_path)
    assert again.render([RenderJob(make, 400, 300, "a", "k1")]) == first
    assert made == [1] and again.stats.cache_hits == 1
    third = ChartRenderer(cache_dir=tmp_path)  # another key: drawn anew
    assert third.render([RenderJob(make, 400, 300, "a", "k2")]) == first
    assert made == [1, 1] and third.stats.rendered == 1


def test_a_slow_caller_does_not_make_the_browser_miss_its_page_load(browser, monkeypatch):
    """Kaleido waits for the page's load event after asking for page events; when this
    process sends that request late (a busy machine), the page has loaded already. The
    start must not hang on the event that never comes (it did, until the start timeout,
    reported as "the browser stopped right after starting")."""
    import asyncio

    from choreographer.protocol.devtools_async import Session

    sent = Session.send_command

    async def late_page_events(self, command, params=None, *args, **kwargs):
        if command == "Page.enable":
            await asyncio.sleep(2)  # the page (plotly.js) loads meanwhile
        return await sent(self, command, params, *args, **kwargs)

    monkeypatch.setattr(Session, "send_command", late_page_events)
    renderer = ChartRenderer(cache_dir=None, start_timeout=60)
    assert [png_size(i) for i in renderer.render(_jobs(1))] == [(800, 600)]
    assert renderer.stats.browser_starts == 1


def _raised_during(handled: BaseException, raised: BaseException) -> BaseException:
    """`raised` as Python chains it when thrown while `handled` propagates."""
    try:
        try:
            raise handled
        finally:
            raise raised
    except BaseException as exc:
        return exc


def test_a_channel_error_while_kaleido_cancels_a_slow_chart_counts_as_its_timeout():
    import asyncio

    from generator.output.render.renderer import _timed_out

    assert _timed_out(TimeoutError())
    assert _timed_out(_raised_during(asyncio.CancelledError(), RuntimeError("Executor is closed.")))
    assert _timed_out(_raised_during(TimeoutError(), ConnectionError("pipe")))
    assert not _timed_out(RuntimeError("Executor is closed."))
    assert not _timed_out(_raised_during(ValueError("bad figure"), RuntimeError("closed")))


def _varied_jobs() -> list[RenderJob]:
    """Charts unlike each other, so that one left over in a kept page would show."""
    vertical = go.Figure([go.Bar(x=["a", "b"], y=[3, 5], text=["3", "5"], name="one"),
                          go.Bar(x=["a", "b"], y=[4, 2], name="two")])
    horizontal = go.Figure(go.Bar(y=["long label " * 3, "b"], x=[60, 20], orientation="h"))
    horizontal.add_vline(x=40, line_dash="dash")
    stacked = go.Figure([go.Bar(y=["x"], x=[-30], orientation="h"),
                         go.Bar(y=["x"], x=[70], orientation="h")])
    stacked.update_layout(barmode="relative", separators=", ",
                          annotations=[{"text": "note", "x": 0, "y": 1, "showarrow": False}])
    markers = go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3], mode="markers"))
    return [RenderJob(figure, 500, 300, f"chart {i}")
            for i, figure in enumerate([vertical, horizontal, stacked, markers, vertical])]


def test_a_kept_page_draws_what_a_fresh_page_draws(browser, monkeypatch):
    import kaleido

    from generator.output.render import kaleido_adapter

    reloads = []
    reload = kaleido.Kaleido._return_kaleido_tab

    async def counted(self, tab):
        reloads.append(1)
        await reload(self, tab)

    monkeypatch.setattr(kaleido.Kaleido, "_return_kaleido_tab", counted)
    # Kaleido's own way: a fresh page per chart
    monkeypatch.setattr(kaleido_adapter, "RELOAD_EVERY", 1)
    fresh = ChartRenderer(cache_dir=None).render(_varied_jobs())
    assert len(reloads) == 5

    reloads.clear()
    monkeypatch.setattr(kaleido_adapter, "RELOAD_EVERY", 2)
    kept = ChartRenderer(cache_dir=None).render(_varied_jobs())
    assert len(reloads) == 2
    assert kept == fresh
    assert len(set(fresh)) == 4  # the same figure twice gives the same image, the others differ


def _programs(folder, *names: str):
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        (folder / name).chmod(0o755)
    return folder


def test_a_headless_shell_on_the_path_is_preferred_to_the_full_browser(tmp_path, monkeypatch):
    from generator.output.render import renderer as render

    folder = _programs(tmp_path / "bin", "chromium", "chromium-headless-shell")
    monkeypatch.setenv("PATH", str(folder))
    assert render.installed_browser() == str(folder / "chromium-headless-shell")
    (folder / "chromium-headless-shell").unlink()
    _programs(folder, "chrome-headless-shell")
    assert render.installed_browser() == str(folder / "chrome-headless-shell")


def test_without_a_headless_shell_the_browser_kaleido_finds_is_used(tmp_path, monkeypatch):
    from choreographer.browsers.chromium import Chromium

    from generator.output.render import renderer as render

    monkeypatch.setenv("PATH", str(_programs(tmp_path / "bin", "chromium")))
    monkeypatch.setattr(Chromium, "find_browser",
                        classmethod(lambda cls, **kw: "/opt/kaleidos-own/chrome"))
    assert render.installed_browser() == "/opt/kaleidos-own/chrome"


@pytest.mark.browser
def test_the_headless_shell_draws_what_the_full_browser_draws(monkeypatch):
    """The build prefers the headless shell for its start-up; the pictures must not
    change with it (CI installs both)."""
    import os
    import shutil

    from choreographer.browsers.chromium import Chromium
    from conftest import REAL_ENV, _require

    path = REAL_ENV["PATH"] or os.defpath
    shell = next(filter(None, (shutil.which(n, path=path) for n in HEADLESS_SHELLS)), None)
    monkeypatch.setenv("PATH", path)
    full = Chromium.find_browser(skip_local=False)
    _require(shell is not None and full is not None,
             "Chromium and its headless shell (chromium-headless-shell)")
    jobs = _varied_jobs()
    drawn = {browser: ChartRenderer(cache_dir=None, browser_path=browser).render(jobs)
             for browser in (shell, full)}
    assert drawn[shell] == drawn[full]
    assert len(set(drawn[shell])) == 4


def test_the_browser_starts_without_pythonunbuffered(monkeypatch, tmp_path):
    # unbuffered, the browser's wrapper says goodbye in two writes, and a browser that
    # crashed at start was reported only after the reading side's clean-up gave up
    from choreographer.channels.pipe import Pipe

    from generator.output.render.kaleido_adapter import offline_chromium

    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    monkeypatch.setenv("SOME_SETTING", "kept")
    program = tmp_path / "chromium"  # never started: only its environment is asked for
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    channel = Pipe()
    browser = offline_chromium()(channel, path=str(program))
    env = browser.get_env()
    browser.clean()
    channel.close()
    assert "PYTHONUNBUFFERED" not in env and env["SOME_SETTING"] == "kept"
    assert os.environ["PYTHONUNBUFFERED"] == "1"  # the build's own environment is as it was


def test_a_killed_browsers_pipe_is_told_goodbye():
    # a killed browser says no goodbye, and the session holds the pipe's writing end
    # itself: without one said for it, this read would wait for ever
    import threading

    from choreographer.channels import ChannelClosedError
    from choreographer.channels.pipe import Pipe

    from generator.output.render.kaleido_adapter import say_goodbye_for

    class Session:
        _channel = Pipe()

    Session._channel.open()
    ended: list[BaseException] = []

    def read() -> None:
        try:
            Session._channel.read_jsons(blocking=True)
        except BaseException as exc:  # what the read ended with is the point
            ended.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    say_goodbye_for(Session)
    reader.join(30)
    assert not reader.is_alive() and isinstance(ended[0], ChannelClosedError)
    say_goodbye_for(Session)  # once the pipe is closed, nothing is written to its numbers
