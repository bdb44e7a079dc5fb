"""Starting the chart browser before the build needs it.

A cold build spends about two seconds starting Chromium and loading plotly.js
into its page. The browser runs in processes of its own, so when it is started
first, that time passes while this process imports its libraries, reads the
data and lays out the slides. Whether a browser will be needed is judged from
the deck file alone (read with the YAML reader, which loads nothing heavy) and
from what the chart cache remembers of the deck's last build.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.core.errors import BrowserError, GeneratorError
from generator.deckfile.confine import Confinement
from generator.deckfile.variants import load_deck_data
from generator.deckfile.yamlsource import SourceMap
from generator.output import writers
from generator.output.render.renderer import ChartRenderer
from generator.run.options import BuildOptions, cache_folder

SECOND_TAB_FROM = 4  # chart slides


def worth_starting(renderer: ChartRenderer, deck_files: Sequence[str], deck_charts: str | None,
                   options: BuildOptions) -> bool:
    """Whether to start the browser before the data load: when a chart will likely be
    drawn. Not when the last build of this deck file (or, for a variant built for the
    first time, of its base) found every chart in the cache: a text edit, a rebuild.
    Nor for native charts, a check, or a parallel run (its workers start their own)."""
    if renderer.started or options.check_only or (options.many and options.jobs > 1):
        return False
    if (options.charts or deck_charts) == "native":
        return False
    known = next((k for k in map(renderer.remembers, deck_files) if k is not None), None)
    if known:
        return False
    try:
        renderer.find_browser()
    except BrowserError:
        return False  # the build says so, or draws native charts, when it gets there
    return True


def start_browser_early(deck_file: Path, options: BuildOptions) -> ChartRenderer | None:
    """A renderer whose browser is starting, when the deck file will likely need one;
    else None. For `BuildSession(renderer=...)`, which keeps it if the build's cache
    folder and timeouts agree. A deck file that cannot be read starts nothing: the
    build reports its problems."""
    if options.outputs and writers.missing(options.outputs):
        return None  # the build stops before anything is drawn
    try:
        data, source, problems = load_deck_data(
            deck_file, Confinement.of(deck_file, options.allowed_paths))
    except (GeneratorError, OSError):
        return None
    if problems:
        return None
    charts_in_deck = _chart_slides(data.get("slides")) if isinstance(data, dict) else 0
    if not charts_in_deck:
        return None
    settings = data.get("deck") if isinstance(data.get("deck"), dict) else {}
    deck_cache = settings.get("cache_dir")
    renderer = ChartRenderer(
        cache_dir=cache_folder(options, Path(deck_cache) if isinstance(deck_cache, str)
                               else None),
        timeout=options.render_timeout, start_timeout=options.browser_start_timeout,
        keep_open=True)
    files = deck_files(deck_file, source)
    charts = settings.get("charts")
    if not worth_starting(renderer, files, charts if isinstance(charts, str) else None,
                          options):
        return None
    # a second tab draws charts beside the first while the build waits; its page loads
    # while the build's libraries do, which pays off from a few charts on
    renderer.start(tabs=2 if options.many or charts_in_deck >= SECOND_TAB_FROM else 1)
    return renderer


def deck_files(deck_file: Path, source: SourceMap) -> list[str]:
    """The deck file, then the bases it extends (each file its values came from): the
    names under which the chart cache remembers their builds."""
    own = str(deck_file.resolve())
    bases = {str(Path(file).resolve()) for file in {mark[0] for mark in source.marks.values()}
             } - {own}
    return [own, *sorted(bases)]


def _chart_slides(slides: object) -> int:
    """How many slides of the (merged) deck are chart slides."""
    return sum(isinstance(slide, dict) and slide.get("type") == "chart"
               for slide in slides) if isinstance(slides, list) else 0
