"""A page open in real headless Chromium, driven over the DevTools protocol.

choreographer (which Kaleido uses to drive the same browser) opens Chromium;
`Page` loads a file, runs JavaScript, presses keys as a keyboard does
(``Input.dispatchKeyEvent``), takes screenshots, and records every request the
page makes, so a test can show that nothing was fetched from the network.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

KEYS = {  # DOM key -> (code, Windows virtual key code), as a real keyboard sends them
    "ArrowRight": ("ArrowRight", 39), "ArrowLeft": ("ArrowLeft", 37),
    "ArrowDown": ("ArrowDown", 40), "ArrowUp": ("ArrowUp", 38),
    "PageDown": ("PageDown", 34), "PageUp": ("PageUp", 33),
    "Home": ("Home", 36), "End": ("End", 35),
}


class Page:
    """One tab of a headless Chromium showing `path`; use as a context manager."""

    def __init__(self, browser_path: str, path: Path, width: int = 1280,
                 height: int = 720) -> None:
        self.browser_path, self.url = browser_path, path.resolve().as_uri()
        self.width, self.height = width, height
        self.requests: list[str] = []  # every URL the page asked for, the page's own first
        self._loop = asyncio.new_event_loop()
        self._browser: Any = None
        self._tab: Any = None

    def _run(self, coroutine):
        return self._loop.run_until_complete(asyncio.wait_for(coroutine, 60))

    def __enter__(self) -> Page:
        self._run(self._open())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._browser is not None:
                self._run(self._browser.close())
        finally:
            self._loop.close()

    async def _open(self) -> None:
        from choreographer import Browser

        self._browser = await Browser(path=self.browser_path, headless=True)
        self._tab = tab = await self._browser.create_tab("")

        async def request(event: dict) -> None:
            self.requests.append(event["params"]["request"]["url"])

        tab.subscribe("Network.requestWillBeSent", request)
        for command in ("Network.enable", "Page.enable", "Runtime.enable"):
            await tab.send_command(command)
        await tab.send_command("Emulation.setDeviceMetricsOverride", params={
            "width": self.width, "height": self.height, "deviceScaleFactor": 1,
            "mobile": False})
        loaded = tab.subscribe_once("Page.loadEventFired")
        await tab.send_command("Page.navigate", params={"url": self.url})
        await loaded

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        async def run() -> Any:
            response = await self._tab.send_command("Runtime.evaluate", params={
                "expression": expression, "returnByValue": True, "awaitPromise": True})
            result = response["result"]
            if "exceptionDetails" in result:
                raise AssertionError(f"{expression}: {result['exceptionDetails']}")
            return result["result"].get("value")
        return self._run(run())

    def press(self, key: str) -> None:
        """Press and release `key` (a DOM key name such as ``ArrowRight``)."""
        code, virtual = KEYS[key]

        async def run() -> None:
            for kind in ("rawKeyDown", "keyUp"):
                await self._tab.send_command("Input.dispatchKeyEvent", params={
                    "type": kind, "key": key, "code": code,
                    "windowsVirtualKeyCode": virtual, "nativeVirtualKeyCode": virtual})
        self._run(run())
        self.evaluate("new Promise((done) => requestAnimationFrame(() => done(true)))")

    def screenshot(self, target: Path) -> Path:
        """The viewport as PNG in `target`."""
        async def run() -> None:
            response = await self._tab.send_command("Page.captureScreenshot",
                                                    params={"format": "png"})
            target.write_bytes(base64.b64decode(response["result"]["data"]))
        self._run(run())
        return target
