"""The layout check of image charts: each figure drawn in the browser, its parts'
boxes read, and every collision named.

A chart picture is Plotly's SVG drawn by Chromium; the boxes of its texts (item
labels, axis numbers, value labels, legend, note), dots, bars, error bars and
reference marks are read from that SVG (``getBoundingClientRect``) over the
DevTools protocol. `collisions` then says what a reader would see: a text over
another, a mark or an interval's line through a text, a text across a bar's
edge, an item label touching what it labels, anything under the legend, text
outside the picture. Only tests and ``--check-layout`` use it: a build never
starts this page. The page loads the same local plotly.js as the renderer
(nothing is fetched: the browser's every request goes to a closed local port).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import BrowserError, Problem
from generator.output.render import chartcache
from generator.output.render.kaleido_adapter import offline_chromium
from generator.output.render.renderer import NO_BROWSER_HELP, installed_browser

TOUCH_PX = 1.0  # boxes may share this much: anti-aliased edges, not a collision
LABEL_GAP_PX = 3.0  # an item label stays this far from the bars and dots it names

# Each part of the SVG Plotly draws, by what it is (a reader's names, not Plotly's).
COLLECT = r"""
(spec) => {
  const div = document.getElementById("chart");
  return Plotly.newPlot(div, spec.data, spec.layout, {displayModeBar: false}).then(() => {
    const origin = div.getBoundingClientRect();
    const parts = [];
    const add = (kind, element, text) => {
      const r = element.getBoundingClientRect();
      // a line (a dense bar's comparison mark) has no width of its own: its stroke's
      const stroke = parseFloat(getComputedStyle(element).strokeWidth) || 0;
      const wide = r.width > 0 ? 0 : stroke / 2, high = r.height > 0 ? 0 : stroke / 2;
      if (r.width + 2 * wide <= 0 || r.height + 2 * high <= 0) return;
      parts.push({kind, text: text === undefined ? "" : text,
                  x0: r.left - origin.left - wide, y0: r.top - origin.top - high,
                  x1: r.right - origin.left + wide, y1: r.bottom - origin.top + high});
    };
    const each = (selector, kind, withText) => div.querySelectorAll(selector).forEach(
      (e) => add(kind, e, withText ? e.textContent : undefined));
    each(".xaxislayer-above text, .yaxislayer-above text", "tick", true);
    each(".legend .legendtext", "legend text", true);
    each(".annotation text", "note", true);
    each(".textpoint text, text.bartext", "value", true);
    each(".scatterlayer .points path.point", "mark");
    each(".barlayer .point path", "bar");
    each(".errorbar path", "interval");
    each(".shapelayer path", "reference");
    each(".draglayer .nsewdrag", "plot");
    const legend = div.querySelector(".legend .bg");
    if (legend) add("legend", legend);
    return parts;
  });
}
"""


@dataclass(frozen=True)
class Part:
    """One drawn part of a chart and its box, in CSS pixels from the top left."""

    kind: str  # tick, legend text, note, value, mark, bar, interval, reference, legend
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Part) -> tuple[float, float]:
        """How far the two boxes overlap across and down (negative: the gap)."""
        return (min(self.x1, other.x1) - max(self.x0, other.x0),
                min(self.y1, other.y1) - max(self.y0, other.y0))

    def hits(self, other: Part, margin: float = -TOUCH_PX) -> bool:
        """Whether the boxes come closer than `margin` (negative: may overlap that much)."""
        across, down = self.overlap(other)
        return across > -margin and down > -margin

    def inside(self, other: Part) -> bool:
        return (self.x0 >= other.x0 - TOUCH_PX and self.x1 <= other.x1 + TOUCH_PX
                and self.y0 >= other.y0 - TOUCH_PX and self.y1 <= other.y1 + TOUCH_PX)

    def name(self) -> str:
        return f"{self.kind} {self.text!r}" if self.text else self.kind


TEXTS = ("tick", "legend text", "note", "value")
MARKS = ("mark", "interval", "reference")


def collisions(parts: Sequence[Part], width: float, height: float) -> list[str]:
    """What collides in a chart drawn `width` × `height` px, one sentence each."""
    found: list[str] = []
    parts = _clipped(parts)
    texts = [p for p in parts if p.kind in TEXTS]
    for k, one in enumerate(texts):
        found += [f"{one.name()} overlaps {other.name()}" for other in texts[k + 1:]
                  if one.hits(other)]
        if one.x0 < -TOUCH_PX or one.y0 < -TOUCH_PX or one.x1 > width + TOUCH_PX \
                or one.y1 > height + TOUCH_PX:
            found.append(f"{one.name()} is cut by the picture's edge")
    for text in texts:
        if text.kind == "legend text":
            continue
        for part in parts:
            if part.kind in MARKS and text.hits(part):
                found.append(f"{part.name()} crosses {text.name()}")
            elif part.kind == "bar" and text.hits(part) and not text.inside(part):
                found.append(f"{text.name()} lies across a bar's edge")
            elif text.kind == "tick" and part.kind in ("bar", "mark") and \
                    text.hits(part, LABEL_GAP_PX):
                found.append(f"{text.name()} touches a {part.kind}")
    legend = next((p for p in parts if p.kind == "legend"), None)
    if legend is not None:
        found += [f"{p.name()} is under the legend" for p in parts
                  if p.kind not in ("legend", "legend text") and legend.hits(p)]
    return list(dict.fromkeys(found))


def _clipped(parts: Sequence[Part]) -> list[Part]:
    """Bars as shown: cut to their plot area (a mean's bar starts at 0, left of an
    axis that starts at 1); a bar outside every plot area is not shown."""
    areas = [p for p in parts if p.kind == "plot"]
    kept = []
    for part in parts:
        if part.kind == "bar" and areas:
            cuts = [Part("bar", part.text, max(part.x0, a.x0), max(part.y0, a.y0),
                         min(part.x1, a.x1), min(part.y1, a.y1)) for a in areas]
            cuts = [c for c in cuts if c.x1 > c.x0 and c.y1 > c.y0]
            if not cuts:
                continue
            part = max(cuts, key=lambda c: (c.x1 - c.x0) * (c.y1 - c.y0))
        if part.kind != "plot":
            kept.append(part)
    return kept


class LayoutChecker:
    """One headless Chromium page that draws figure specs and reads their parts' boxes;
    use as a context manager."""

    def __init__(self, browser_path: str | None = None, timeout: float = 60.0) -> None:
        self.browser_path = browser_path or installed_browser()
        self.timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._folder: tempfile.TemporaryDirectory | None = None
        self._browser: Any = None
        self._tab: Any = None

    def __enter__(self) -> LayoutChecker:
        if self.browser_path is None:
            raise BrowserError(Problem("the chart layout cannot be checked without a browser",
                                       hint=NO_BROWSER_HELP))
        self._folder = tempfile.TemporaryDirectory(prefix="layout-check-")
        page = Path(self._folder.name) / "page.html"
        page.write_text(_PAGE.format(plotly=chartcache.plotly_js_bundle().as_uri()),
                        encoding="utf-8")
        try:
            self._run(self._open(page))
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._browser is not None:
                self._run(self._browser.close())
        finally:
            self._loop.close()
            if self._folder is not None:
                self._folder.cleanup()

    def _run(self, coroutine):
        return self._loop.run_until_complete(asyncio.wait_for(coroutine, self.timeout))

    async def _open(self, page: Path) -> None:
        from choreographer import Browser

        self._browser = await Browser(path=self.browser_path, browser_cls=offline_chromium(),
                                      headless=True, enable_extensions=False,
                                      proxy_server="http://127.0.0.1:9")
        self._tab = tab = await self._browser.create_tab("")
        await tab.send_command("Page.enable")
        await tab.send_command("Emulation.setDeviceMetricsOverride", params={
            "width": 2400, "height": 1600, "deviceScaleFactor": 1, "mobile": False})
        loaded = tab.subscribe_once("Page.loadEventFired")
        await tab.send_command("Page.navigate", params={"url": page.as_uri()})
        await loaded

    def parts(self, spec: dict) -> list[Part]:
        """The drawn parts of the figure `spec` (Plotly's JSON form)."""
        spec = json.loads(json.dumps(spec, default=_plain))

        async def run() -> list[dict]:
            response = await self._tab.send_command("Runtime.evaluate", params={
                "expression": f"({COLLECT})({json.dumps(spec)})",
                "returnByValue": True, "awaitPromise": True})
            result = response["result"]
            if "exceptionDetails" in result:
                raise BrowserError(Problem(f"the chart could not be drawn for its layout check "
                                           f"({result['exceptionDetails'].get('text')})"))
            return result["result"]["value"]
        return [Part(**p) for p in self._run(run())]

    def check(self, spec: dict) -> list[str]:
        """Every collision in the figure `spec`, as `collisions` words it."""
        layout = spec["layout"]
        return collisions(self.parts(spec), layout["width"], layout["height"])


def _plain(value: object) -> object:
    """A NumPy number or array in a spec as JSON can hold it."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} in a figure spec")


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><script src="{plotly}"></script>
<style>body {{ margin: 0 }}</style></head>
<body><div id="chart"></div></body></html>
"""


def problems(figures: Sequence[tuple[str, Callable[[], dict]]],
             find_browser: Callable[[], str]) -> list[Problem]:
    """One problem per chart of the (label, figure spec maker) pairs whose layout
    collides; none without charts, without starting the browser."""
    if not figures:
        return []
    found: dict[str, list[str]] = {}
    try:
        with LayoutChecker(find_browser()) as checker:
            for label, make in figures:
                if sentences := checker.check(make()):
                    found[label] = sentences
    except BrowserError as exc:
        return list(exc.problems)
    return [Problem(f"{label}: the chart's layout collides: {'; '.join(sentences[:4])}"
                    + (f" (and {len(sentences) - 4} more)" if len(sentences) > 4 else ""),
                    hint="the chart kind should have placed its texts clear of each other: "
                         "report it with the deck file; meanwhile charts: native, shorter "
                         "item labels or fewer items on the slide avoid it")
            for label, sentences in found.items()]
