"""Kaleido and choreographer: their private hooks used only on the tested versions, the
public way elsewhere with the same pictures, and a start that never gets ready told as
what it is."""

from __future__ import annotations

import asyncio

import kaleido
import plotly.graph_objects as go
import pytest

from generator.core.errors import BrowserError
from generator.output.render import kaleido_adapter
from generator.output.render.renderer import ChartRenderer, RenderJob


def _pretend_installed(monkeypatch, **versions: str) -> None:
    installed = kaleido_adapter.installed_version

    def version(package: str) -> str | None:
        return versions.get(package) or installed(package)

    monkeypatch.setattr(kaleido_adapter, "installed_version", version)


def test_versions_compare_by_their_numbers():
    monkey_tested = {"kaleido": ("1.5.2", "1.10.0")}
    assert kaleido_adapter.TESTED  # the real table is held to the locks in test_lock.py
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kaleido_adapter, "TESTED", monkey_tested)
        assert kaleido_adapter.is_tested("kaleido", "1.5.2")
        assert kaleido_adapter.is_tested("kaleido", "1.9.0")
        assert kaleido_adapter.is_tested("kaleido", "1.10.0")
        assert not kaleido_adapter.is_tested("kaleido", "1.5.1")
        assert not kaleido_adapter.is_tested("kaleido", "1.11.0")
        assert not kaleido_adapter.is_tested("kaleido", "2.0rc1")
        assert not kaleido_adapter.is_tested("plotly", "6.1.1")  # not a hooked library


def test_on_the_tested_versions_pages_are_kept(monkeypatch):
    oldest, newest = kaleido_adapter.TESTED["kaleido"]
    for version in (oldest, newest):
        _pretend_installed(monkeypatch, kaleido=version)
        assert kaleido_adapter.page_keeping()
        assert kaleido_adapter.kaleido_class() is not kaleido.Kaleido
        assert issubclass(kaleido_adapter.kaleido_class(), kaleido.Kaleido)


def test_outside_the_tested_versions_kaleido_is_used_as_published(monkeypatch):
    _pretend_installed(monkeypatch, kaleido="9.0.0")
    assert not kaleido_adapter.page_keeping()
    assert kaleido_adapter.kaleido_class() is kaleido.Kaleido
    assert kaleido_adapter.untested() == [
        f"kaleido 9.0.0 (tested: {kaleido_adapter.TESTED['kaleido'][0]})"]
    assert "outside the versions this release was tested with: kaleido 9.0.0" in (
        kaleido_adapter.versions_note())


def test_a_kaleido_without_the_hook_is_used_as_published(monkeypatch):
    monkeypatch.delattr(kaleido.Kaleido, "_return_kaleido_tab")
    assert kaleido_adapter.kaleido_class() is kaleido.Kaleido


def test_an_untested_choreographer_is_not_told_goodbye(monkeypatch):
    said = []

    class Channel:
        def is_ready(self) -> bool:
            return True

        def _fake_bye(self) -> None:
            said.append(1)

    class Session:
        _channel = Channel()

    kaleido_adapter.say_goodbye_for(Session)
    assert said == [1]
    _pretend_installed(monkeypatch, choreographer="9.0.0")
    kaleido_adapter.say_goodbye_for(Session)
    assert said == [1]


def _charts() -> list[RenderJob]:
    bars = go.Figure([go.Bar(x=["a", "b"], y=[3, 5], text=["3", "5"])])
    lines = go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3], mode="markers+lines"))
    wide = go.Figure(go.Bar(y=["long label " * 3, "b"], x=[60, 20], orientation="h"))
    return [RenderJob(figure, 400, 300, f"chart {i}")
            for i, figure in enumerate([bars, lines, wide, bars])]


def test_the_public_way_draws_what_the_kept_pages_draw(browser, monkeypatch):
    kept = ChartRenderer(cache_dir=None).render(_charts())
    _pretend_installed(monkeypatch, kaleido="9.0.0")
    assert kaleido_adapter.kaleido_class() is kaleido.Kaleido
    public = ChartRenderer(cache_dir=None).render(_charts())
    assert public == kept
    assert len(set(public)) == 3 and public[0] == public[3]


def test_a_page_that_never_gets_ready_is_told_with_the_versions(browser, monkeypatch):
    """The browser starts and opens its tab, but the chart page never loads: the message
    blames neither the browser nor the user's patience, names the versions and offers
    native charts."""
    from choreographer.protocol.devtools_async import Session

    sent = Session.send_command

    async def never_navigates(self, command, params=None, *args, **kwargs):
        if command == "Page.navigate":
            await asyncio.sleep(3600)
        return await sent(self, command, params, *args, **kwargs)

    monkeypatch.setattr(Session, "send_command", never_navigates)
    renderer = ChartRenderer(cache_dir=None, start_timeout=3)
    with pytest.raises(BrowserError) as caught:
        renderer.render(_charts()[:1])
    problem = caught.value.problems[0]
    text = f"{problem.message} {problem.hint}"
    assert "the browser started but its chart page did not get ready within 3 s" in text
    assert f"kaleido {kaleido_adapter.installed_version('kaleido')}" in text
    assert "(tested versions)" in text
    assert "--charts native" in text and "requirements.lock" in text
