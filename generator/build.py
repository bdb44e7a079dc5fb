"""Runs the stages in order: load and check everything, render charts, write the deck.

Everything that can fail on user input fails before the first chart is
rendered, with every problem reported at once. The .pptx is written to a
temporary file beside the target and renamed into place only when complete,
so a failed build never damages the previous deck.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.charts import make_figure
from generator.codebook import load_codebook
from generator.deck import Deck, load_deck
from generator.errors import InputError, Problem
from generator.i18n import DeckLocale
from generator.plan import Planner
from generator.pptx_writer import geometry, open_template, plan_fonts, write_deck
from generator.render import ChartRenderer, RenderJob, RenderStats
from generator.survey import load_survey
from generator.theme import DEFAULT_THEME


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    country: str | None = None
    language: str | None = None
    output: Path | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    check_only: bool = False
    render_timeout: float = 60.0


@dataclass
class BuildResult:
    """What a build made, for the summary line, tests and benchmarks."""

    output: Path | None
    slides: int
    charts: int
    render: RenderStats
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def apply_options(deck: Deck, options: BuildOptions) -> Deck:
    """The deck with command-line overrides of country and language applied."""
    updates = {}
    if options.country:
        updates["country"] = options.country.upper()
    if options.language:
        updates["language"] = options.language
    if not updates:
        return deck
    return deck.model_copy(update={"deck": deck.deck.model_copy(update=updates)})


def output_path(deck: Deck, deck_file: Path, options: BuildOptions) -> Path:
    """Where the deck goes: the `output` pattern, relative to the deck file."""
    if options.output is not None:
        return options.output
    settings = deck.deck
    return deck_file.parent / settings.output.format(country=settings.country,
                                                     language=settings.language)


def build(deck_file: Path, options: BuildOptions = BuildOptions(),
          on_progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build (or with `check_only`, only check) the deck described by `deck_file`."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = seconds.get(stage, 0.0) + now - clock
        clock = now

    deck, source = load_deck(deck_file)
    deck = apply_options(deck, options)
    settings = deck.deck
    locale = DeckLocale(settings.language)
    codebook, codebook_source = load_codebook(settings.codebook)
    lap("load deck and codebook")
    survey = load_survey(settings.data, codebook, codebook_source)
    lap("load data")
    prs, builtin = open_template(settings.template)
    planner = Planner(deck=deck, source=source, survey=survey, locale=locale,
                      geometry=geometry(prs))
    slides = planner.plan()
    plans, fit_problems = plan_fonts(slides, prs) if not planner.problems else ({}, [])
    if planner.problems or fit_problems:
        raise InputError(*planner.problems, *fit_problems)
    lap("indicators and layout")
    warnings = _fallback_warnings(planner, locale)
    target = output_path(deck, deck_file, options)
    charted = [s for s in slides if s.chart is not None]
    if options.check_only:
        return BuildResult(None, len(slides), len(charted), RenderStats(), warnings, seconds)

    _check_writable(target)
    jobs = [RenderJob(make_figure(s.chart.data, locale, DEFAULT_THEME), s.chart.data.width_px,
                      s.chart.data.height_px, s.label) for s in charted]
    lap("figures")
    cache_dir = options.cache_dir or settings.cache_dir or target.parent / ".cache"
    renderer = ChartRenderer(cache_dir=cache_dir if options.use_cache else None,
                             timeout=options.render_timeout, on_progress=on_progress)
    images = dict(zip([s.number for s in charted], renderer.render(jobs), strict=False))
    lap("rendering")
    title = planner.text(settings.title, ("deck", "title")) or ""
    data = write_deck(slides, prs, builtin, images, plans, lang=locale.tag, title=title,
                      author=settings.author, show_numbers=settings.footer.slide_numbers)
    save_atomically(data, target)
    lap("writing")
    return BuildResult(target, len(slides), len(charted), renderer.stats, warnings, seconds)


def _fallback_warnings(planner: Planner, locale: DeckLocale) -> list[str]:
    fell_back = sorted(planner.label_fallbacks | locale.fell_back)
    if not fell_back:
        return []
    return [f"no '{locale.code}' wording for {len(fell_back)} label(s), English used: "
            + ", ".join(fell_back)]


def _check_writable(target: Path) -> None:
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(Problem(f"cannot create the output folder: {exc.strerror}",
                                 file=folder, hint="choose another 'output:' path")) from None
    if not os.access(folder, os.W_OK):
        raise InputError(Problem("the output folder is not writable", file=folder,
                                 hint="choose another 'output:' path or fix its permissions"))


def save_atomically(data: bytes, target: Path) -> None:
    """Write `data` to `target` through a temporary file in the same folder."""
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}.",
                                         suffix=".tmp", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except PermissionError:
        raise InputError(Problem(
            "cannot replace the deck: the file is locked or read-only", file=target,
            hint="close it in PowerPoint (or another program) and build again; "
                 "the previous deck is unchanged")) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot write the deck: {exc.strerror}", file=target,
                                 hint="the previous deck is unchanged")) from None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
