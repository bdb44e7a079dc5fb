"""What outlives one build: the parsed inputs, the slides drawn and the browser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.output.pptx.slidecache import SlideCache
from generator.output.render.renderer import ChartRenderer
from generator.run.options import BuildOptions

if TYPE_CHECKING:
    pass

from generator.run import inputs as parsed_inputs
from generator.run.inputs import InputCache


@dataclass
class BuildSession:
    """What outlives one build: the slides drawn (`SlideCache`) and the browser, open
    until `close`; the parsed inputs are the process's (`SHARED_INPUTS`) unless given.

    `build` makes a throwaway one and closes it when done; the watch loop and the
    workers of a many-deck run keep one for all their builds.
    """

    inputs: InputCache = field(default_factory=lambda: parsed_inputs.SHARED_INPUTS)
    renderer: ChartRenderer | None = None
    """May be handed in already starting (`earlystart.start_browser_early`)."""
    slides: SlideCache = field(default_factory=SlideCache)
    one_build: bool = False
    """The session serves one build (the command line without ``--watch``): the browser
    starts closing once that build's last chart is drawn, while the deck is written."""
    _used: bool = False  # whether a build took the renderer already

    def renderer_for(self, cache_dir: Path | None, options: BuildOptions,
                     on_progress: Callable[[str, int, int], None] | None) -> ChartRenderer:
        """The session's renderer, made anew when the cache folder or timeouts change."""
        wanted = (cache_dir, options.render_timeout, options.browser_start_timeout)
        current = self.renderer
        if current is None or (current.cache_dir, current.timeout,
                               current.start_timeout) != wanted:
            self.close()
            current = self.renderer = ChartRenderer(
                cache_dir=cache_dir, timeout=options.render_timeout,
                start_timeout=options.browser_start_timeout, keep_open=True)
        elif self._used:
            current.new_build()  # each build reports its own statistics
        self._used = True
        current.on_progress = on_progress
        return current

    def close(self) -> None:
        """Close the browser, if one is open."""
        if self.renderer is not None:
            self.renderer.close()
