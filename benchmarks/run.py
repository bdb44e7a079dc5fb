"""Benchmark of the deck build on the shipped data (slides.yaml: 20 slides, 8 charts).

Run from the repository root:

    python benchmarks/run.py [--runs N] [--out benchmarks/results.md]

Five scenarios, each repeated N times (interleaved, so drift in the machine's
load spreads over all of them), reported as medians:

1. cold     one build of the Norwegian deck with an empty chart cache;
2. naive    the same build with one ``fig.write_image`` (its own browser) per chart
            instead of the renderer: the baseline;
3. warm     a rebuild after one slide's text changed, the cache full: renders nothing;
4. all      the 16 country decks with ``all_countries=True``, cold;
5. separate 16 cold single-country builds, one ``python -m generator`` process each;
6. large    the cold build on 100x the respondents (775,000 rows, Parquet, with 50
            extra columns the deck does not use), made from the shipped data at the start.

and the authoring loop (``--only watch jobs many``):

6. watch    ``--watch``: seconds from saving the deck file to the new deck written,
            after a text edit and after a chart edit (median over several edits);
7. jobs     ``--all-countries`` (16 decks) with ``--jobs 1`` and ``--jobs N``: image charts
            from an empty cache, the same with every chart cached, native charts;
8. many     ``--for-each org`` over a copy of the data with a few hundred
            organisations: decks per minute and memory over the run.

The code measured is a snapshot of the working tree taken at the start, so edits
made while the benchmark runs do not mix versions. Scenarios 1-4 run in a fresh
Python process each (``run.py --one ...``) so imports count as a user sees them;
the child prints one JSON line with its stage times, render statistics and peak
memory. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve()
JSON_MARK = "BENCH-JSON "
# Left out of the snapshot of the working tree that the scenarios build from.
NOT_SNAPSHOT = shutil.ignore_patterns(".git", ".ci", ".venv", "output", "tests", "tools",
                                      "benchmarks", ".*cache", ".hypothesis", "*.egg-info",
                                      "__pycache__")
# An unconfigured Chromium looks up accounts.google.com at every start. The naive run
# gets the dead proxy render.py gives its browser (--proxy-server), through the
# environment, so neither side touches the network (checked with strace; see README).
OFFLINE_ENV = {"all_proxy": "http://127.0.0.1:9"}
CHANGED_SLIDE = "samordning"  # a bullets slide: changing its title touches no chart
CHANGED_TITLE = "Samordning (endret)"

TARGET_NAIVE_SPEEDUP = 1 / 0.15  # cold at most 0.15x naive (6.7x faster)
TARGET_WATCH_TEXT = 0.3  # seconds from save to new deck, text edit (median)
TARGET_WATCH_CHART = 1.0  # ... chart edit
TARGET_JOBS_RATIO = 0.65  # --jobs 2 at most 0.65x --jobs 1, 16 decks
TARGET_WARM_RATIO = 0.3  # warm at most 0.3x cold
TARGET_ALL_RATIO = 0.5  # all-countries at most 0.5x of 16 separate builds
TARGET_PEAK_MB = 400.0  # peak RSS of the Python process, one deck
TARGET_LARGE_MEMORY_RATIO = 2.5  # peak RSS on 100x the respondents at most 2.5x the shipped
LARGE_REPEATS = 100  # the large scenario's data: the shipped respondents this many times
LARGE_UNUSED_COLUMNS = 50  # ... plus this many columns no slide reads


# --------------------------------------------------------------------------------------
# Child side: one measured build in this (fresh) process, reported as a JSON line.
# --------------------------------------------------------------------------------------


def _peak_memory() -> dict[str, float]:
    """Peak RSS in MB of this process and of the largest reaped child (Chromium)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": own, "child_peak_rss_mb": children}


def _offline_write_image_defaults(workdir: Path) -> None:
    """Make ``write_image`` load the local plotly.js and no MathJax: no network request.

    plotly 7 has no ``pio.kaleido.scope`` any more; ``pio.defaults`` feeds Kaleido's
    page, but only truthy values are passed on, so ``mathjax = False`` would be
    dropped and Kaleido would fall back to MathJax from a CDN. An empty local script
    in its place keeps the page offline.
    """
    import plotly
    import plotly.io as pio
    from kaleido._page_generator import PageGenerator

    stub = workdir / "no-mathjax.js"
    stub.write_text("/* MathJax left out: the charts use no LaTeX */\n")
    pio.defaults.plotlyjs = (Path(plotly.__file__).parent / "package_data" /
                             "plotly.min.js").as_uri()
    pio.defaults.mathjax = stub.as_uri()
    page = PageGenerator(plotly=pio.defaults.plotlyjs, mathjax=pio.defaults.mathjax)
    scripts = re.findall(r'<script src="([^"]+)"', page.generate_index())
    remote = [s for s in scripts if not s.startswith("file://")]
    if remote:
        raise RuntimeError(f"write_image would load {remote} from the network")


def _count_kaleido_sessions(counts: dict[str, float]) -> None:
    """Count (and time) every Kaleido browser start, without changing it."""
    import kaleido

    opened = kaleido.Kaleido.open

    async def counting_open(self: kaleido.Kaleido) -> None:
        start = time.perf_counter()
        await opened(self)
        counts["browser_starts"] += 1
        counts["seconds_browser_start"] += time.perf_counter() - start

    kaleido.Kaleido.open = counting_open  # type: ignore[method-assign]


def _use_naive_renderer(workdir: Path) -> None:
    """Swap build.py's renderer for one ``write_image`` per chart (no cache, no shared browser).

    Everything else — figures, writer, atomic save, stage clock — stays build.py's
    own, so the comparison isolates how the charts are drawn.
    """
    import kaleido

    import generator.run.session
    from generator.output.render.renderer import ChartRenderer, RenderJob

    counts = {"browser_starts": 0, "seconds_browser_start": 0.0}

    class NaiveRenderer(ChartRenderer):
        """``fig.write_image(path, width=…, height=…, scale=2)`` per chart, through the sync API."""

        def start(self, tabs: int | None = None) -> None:
            """The naive way starts no browser ahead: write_image starts its own."""

        def render(self, jobs: Sequence[RenderJob]) -> list[bytes]:
            _offline_write_image_defaults(workdir)
            _count_kaleido_sessions(counts)
            if kaleido._global_server.is_running():
                raise RuntimeError("a Kaleido sync server is running: write_image would share it")
            pngs, calls = [], 0.0
            for number, job in enumerate(jobs):
                path = workdir / f"chart{number:03d}.png"
                call = time.perf_counter()
                job.made().write_image(path, width=job.width, height=job.height, scale=self.scale)
                calls += time.perf_counter() - call
                pngs.append(path.read_bytes())
            # as render.py counts: starts apart, the rest (drawing, closing) as rendering
            self.stats.browser_starts += int(counts["browser_starts"])
            self.stats.rendered += len(jobs)
            self.stats.seconds_browser_start += counts["seconds_browser_start"]
            self.stats.seconds_rendering += calls - counts["seconds_browser_start"]
            return pngs

    generator.run.session.ChartRenderer = NaiveRenderer  # type: ignore[misc]


def child_build(deck: Path, output: Path, cache_dir: Path, all_countries: bool,
                naive_workdir: Path | None = None) -> dict[str, Any]:
    """One `generator.run.build.build` call, as the command line makes it (the browser
    started from the deck file before the build's imports); stage times."""
    started = time.perf_counter()
    from generator.run.collector import collect_less, settle_loaded_modules
    from generator.run.earlystart import start_browser_early
    from generator.run.options import BuildOptions

    collect_less()
    options = BuildOptions(output=None if all_countries else output, cache_dir=cache_dir,
                           all_countries=all_countries)
    early = start_browser_early(deck, options) if naive_workdir is None else None
    from generator.run.build import build
    from generator.run.session import BuildSession

    settle_loaded_modules()
    imports = time.perf_counter() - started
    if naive_workdir is not None:
        _use_naive_renderer(naive_workdir)
    with contextlib.closing(BuildSession(renderer=early)) as session:
        result = build(deck, options, session=session)
    stats = result.render
    return {
        "in_process": time.perf_counter() - started,
        "stages": {"imports": imports, **result.seconds},
        "browser_starts": stats.browser_starts,
        "rendered": stats.rendered,
        "cache_hits": stats.cache_hits,
        "seconds_browser_start": stats.seconds_browser_start,
        "seconds_rendering": stats.seconds_rendering,
        "charts": result.charts,
        "decks": len(result.outputs),
        **_peak_memory(),
    }


def child_many(deck: Path, cache_dir: Path, for_each: str, jobs: int) -> dict[str, Any]:
    """One ``--for-each`` build of many decks in this process (workers as the CLI makes
    them); the resident memory after each batch, in every worker."""
    started = time.perf_counter()
    from generator.run.collector import collect_less, settle_loaded_modules

    collect_less()
    from generator.run.build import build
    from generator.run.options import BuildOptions

    settle_loaded_modules()
    result = build(deck, BuildOptions(for_each=for_each, jobs=jobs, cache_dir=cache_dir))
    stats = result.render
    return {"in_process": time.perf_counter() - started, "decks": len(result.outputs),
            "charts": result.charts, "rendered": stats.rendered,
            "browser_starts": stats.browser_starts, "memory_mb": result.memory_mb,
            **_peak_memory()}


def child_main(args: argparse.Namespace) -> int:
    """``--one build|naive``: measure one build in this process and print it as JSON."""
    sys.path.insert(0, str(args.root))  # the snapshot's generator, not the live one
    import generator

    if not Path(generator.__file__ or "").is_relative_to(args.root):
        raise RuntimeError(f"imported {generator.__file__}, not the snapshot in {args.root}")
    if args.one == "many":
        report = child_many(args.deck, args.cache_dir, args.for_each, args.jobs)
    else:
        report = child_build(args.deck, args.output, args.cache_dir, args.all_countries,
                             args.workdir if args.one == "naive" else None)
    print(JSON_MARK + json.dumps(report), flush=True)
    gc.freeze()  # as the command line does before it exits (see generator/cli.py)
    return 0


# --------------------------------------------------------------------------------------
# Parent side: the scenarios, each timed from outside its process(es).
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """The snapshot of the working tree that every scenario builds from."""

    root: Path
    countries: tuple[str, ...]

    @property
    def deck(self) -> Path:
        return self.root / "slides.yaml"


@dataclass
class Sample:
    """One run of one scenario."""

    seconds: float  # wall time seen by the parent, process start to exit
    rendered: int
    browser_starts: int
    peak_rss_mb: float | None = None
    child_peak_rss_mb: float | None = None
    stages: dict[str, float] = field(default_factory=dict)
    decks: int = 1


def _run_child(project: Project, *args: str,
               env: dict[str, str] | None = None) -> tuple[float, dict[str, Any]]:
    """Run ``run.py --one ...`` in a fresh interpreter; wall seconds and its JSON report."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(SCRIPT), "--root", str(project.root), *args],
                          cwd=project.root, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith(JSON_MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark child {args} failed ({proc.returncode}):\n"
                           f"{proc.stdout}\n{proc.stderr}")
    return wall, json.loads(lines[-1][len(JSON_MARK):])


def _sample(wall: float, report: dict[str, Any]) -> Sample:
    stages = dict(report["stages"])
    rendering = stages.pop("rendering", 0.0)
    start, charts = report["seconds_browser_start"], report["seconds_rendering"]
    stages["rendering: browser start"] = start
    stages["rendering: charts"] = charts
    stages["rendering: other"] = max(0.0, rendering - start - charts)
    stages["python start and exit"] = max(0.0, wall - report["in_process"])
    return Sample(wall, report["rendered"], report["browser_starts"], report["peak_rss_mb"],
                  report["child_peak_rss_mb"], stages, report["decks"])


def _variant(project: Project, path: Path, deck: dict[str, str] | None = None,
             slides: list[dict[str, Any]] | None = None) -> Path:
    """Write a variant deck file extending slides.yaml (JSON strings are valid YAML)."""
    lines = [f"extends: {json.dumps(str(project.deck))}"]
    if deck:
        lines += ["deck:", *(f"  {k}: {json.dumps(v)}" for k, v in deck.items())]
    if slides:
        lines.append("slides:")
        for slide in slides:
            first, *rest = slide.items()
            lines.append(f"  - {first[0]}: {json.dumps(first[1], ensure_ascii=False)}")
            lines += [f"    {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in rest]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _deck_contains(pptx: Path, text: str) -> bool:
    """Whether any slide of the .pptx holds `text` (checked in the slide XML)."""
    with zipfile.ZipFile(pptx) as deck:
        return any(text in deck.read(name).decode("utf-8") for name in deck.namelist()
                   if name.startswith("ppt/slides/slide") and name.endswith(".xml"))


def scenario_cold(project: Project, tmp: Path) -> Sample:
    """1. One build of slides.yaml with an empty chart cache."""
    wall, report = _run_child(project, "--one", "build", "--deck", str(project.deck),
                              "--output", str(tmp / "cold.pptx"),
                              "--cache-dir", str(tmp / "cache-cold"))
    return _sample(wall, report)


def scenario_naive(project: Project, tmp: Path) -> Sample:
    """2. The same build, one ``write_image`` (one browser) per chart instead of the renderer."""
    workdir = tmp / "naive"
    workdir.mkdir()
    wall, report = _run_child(project, "--one", "naive", "--deck", str(project.deck),
                              "--output", str(tmp / "naive.pptx"),
                              "--cache-dir", str(tmp / "cache-naive"), "--workdir", str(workdir),
                              env=OFFLINE_ENV)
    sample = _sample(wall, report)
    if sample.rendered != report["charts"] or sample.browser_starts != sample.rendered:
        raise RuntimeError(f"naive: {sample.browser_starts} browser starts for "
                           f"{sample.rendered} of {report['charts']} charts; expected one each")
    return sample


def scenario_warm(project: Project, tmp: Path) -> Sample:
    """3. Rebuild after one slide's title changed; the cache is full from a previous build."""
    cache = tmp / "cache-warm"
    _run_child(project, "--one", "build", "--deck", str(project.deck),
               "--output", str(tmp / "warm.pptx"),
               "--cache-dir", str(cache))  # the previous build: fills the cache, not timed
    variant = _variant(project, tmp / "warm.yaml",
                       slides=[{"id": CHANGED_SLIDE, "title": CHANGED_TITLE}])
    wall, report = _run_child(project, "--one", "build", "--deck", str(variant),
                              "--output", str(tmp / "warm.pptx"), "--cache-dir", str(cache))
    sample = _sample(wall, report)
    if sample.rendered != 0 or report["cache_hits"] != report["charts"]:
        raise AssertionError(f"warm rebuild rendered {sample.rendered} chart(s), "
                             f"{report['cache_hits']} of {report['charts']} from cache")
    if not _deck_contains(tmp / "warm.pptx", CHANGED_TITLE):
        raise AssertionError(f"the rebuilt deck lacks the changed title {CHANGED_TITLE!r}")
    return sample


# slides.yaml marks texts written about Norway (country_specific), which a deck about
# another country must replace; the benchmark measures speed, so it keeps them
SAME_TEXT_FOR_EVERY_COUNTRY = [{"id": "work-package-5", "country_specific": False},
                               {"id": "samordningskvalitet-prosent", "country_specific": False}]


def scenario_all_countries(project: Project, tmp: Path) -> Sample:
    """4. The 16 country decks in one build (one browser), empty cache."""
    out = tmp / "all"
    variant = _variant(project, tmp / "all.yaml",
                       deck={"output": str(out / "cocops_{country}_{language}.pptx")},
                       slides=SAME_TEXT_FOR_EVERY_COUNTRY)
    wall, report = _run_child(project, "--one", "build", "--deck", str(variant),
                              "--all-countries", "--output", str(out / "unused.pptx"),
                              "--cache-dir", str(tmp / "cache-all"))
    return _sample(wall, report)


def large_data(project: Project) -> Path:
    """The large scenario's data file, made once per benchmark in a process of its own:
    a child inherits its parent's peak RSS through exec on Linux, so the 1 GB the
    making takes must not be in the process that starts the measured builds."""
    path = project.root.parent / "large" / f"cocops_x{LARGE_REPEATS}.parquet"
    if not path.exists():
        subprocess.run([sys.executable, str(SCRIPT), "--root", str(project.root),
                        "--make-large", str(path)], check=True)
    return path


def make_large_data(root: Path, path: Path) -> None:
    """The shipped data repeated `LARGE_REPEATS` times (new ids), plus
    `LARGE_UNUSED_COLUMNS` columns of random codes, written to `path` as Parquet."""
    import numpy as np
    import pandas as pd

    shipped = pd.read_csv(root / "data" / "cocops_synthetic.csv")
    frame = pd.concat([shipped] * LARGE_REPEATS, ignore_index=True)
    frame["id"] = np.arange(1, len(frame) + 1)
    rng = np.random.default_rng(17)
    unused = pd.DataFrame({f"unused_{i + 1}": rng.integers(1, 8, len(frame)).astype("float64")
                           for i in range(LARGE_UNUSED_COLUMNS)})
    path.parent.mkdir()
    pd.concat([frame, unused], axis=1).to_parquet(path, index=False)
    print(f"large data: {len(frame):,} rows, {len(frame.columns) + len(unused.columns)} columns, "
          f"{path.stat().st_size / 1e6:.0f} MB", file=sys.stderr, flush=True)


def scenario_large(project: Project, tmp: Path) -> Sample:
    """6. The cold build of slides.yaml on `large_data` (the file is made before timing)."""
    data = large_data(project)  # the variant beside it: a deck file reads only its own tree
    variant = _variant(project, data.parent / "large.yaml", deck={"data": str(data)})
    wall, report = _run_child(project, "--one", "build", "--deck", str(variant),
                              "--output", str(tmp / "large.pptx"),
                              "--cache-dir", str(tmp / "cache-large"))
    return _sample(wall, report)


def scenario_separate(project: Project, tmp: Path) -> Sample:
    """5. One cold ``python -m generator --country XX`` process per country, in turn."""
    rendered = starts = 0
    deck = _variant(project, tmp / "separate.yaml", slides=SAME_TEXT_FOR_EVERY_COUNTRY)
    started = time.perf_counter()
    for code in project.countries:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", str(deck), "--country", code,
             "--cache-dir", str(tmp / f"cache-{code}"), "--output", str(tmp / f"{code}.pptx")],
            cwd=project.root, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"build for {code} failed:\n{proc.stdout}\n{proc.stderr}")
        found = re.search(r"\((\d+) rendered", proc.stderr)
        count = int(found.group(1)) if found else 0
        rendered += count
        starts += count > 0  # a build starts one browser when it renders anything
    return Sample(time.perf_counter() - started, rendered, starts, decks=len(project.countries))


# -- the authoring loop: watch, jobs, many decks -----------------------------------------

WATCH_EDITS = 5  # measured edits of each kind (after one warm-up edit)
CHART_SLIDE = "samordningskvalitet-prosent"  # a pct_range bar chart: a new range redraws it
CHART_RANGES = [[4, 7], [6, 7], [3, 7], [2, 7], [4, 6], [5, 6], [3, 6]]


@dataclass
class Authoring:
    """One run of the authoring scenarios' measurements."""

    text_edits: list[float] = field(default_factory=list)  # seconds, save -> new deck
    chart_edits: list[float] = field(default_factory=list)
    text_cpu: list[float] = field(default_factory=list)  # CPU seconds of the watch process
    chart_cpu: list[float] = field(default_factory=list)
    # (variant, jobs) -> wall seconds; -> CPU seconds of the process tree
    jobs_seconds: dict[tuple[str, int], float] = field(default_factory=dict)
    jobs_cpu: dict[tuple[str, int], float] = field(default_factory=dict)
    many: dict[str, Any] = field(default_factory=dict)


def _lines_of(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)


def _wait_for_line(lines: queue.Queue, marker: str, timeout: float = 600) -> str:
    """The next line holding `marker` (raises on a failed build or a timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        if marker in line:
            return line
        if "Cannot build" in line or "Internal error" in line:
            raise RuntimeError(f"watch build failed: {line}")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process `pid` has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _saved_to_written(lines: queue.Queue, output: Path, write: Callable[[], None],
                      pid: int) -> tuple[float, float]:
    """Seconds from `write` (saving the deck file) to the new deck renamed into place,
    and the CPU seconds the watch process used meanwhile (what a busy machine stretches)."""
    before = _stamp(output)
    cpu = _cpu_seconds(pid)
    started = time.perf_counter()
    write()
    while _stamp(output) == before:
        time.sleep(0.002)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds(pid) - cpu
    _wait_for_line(lines, "built in")
    return seconds, cpu


def scenario_watch(project: Project, tmp: Path) -> Authoring:
    """6. ``--watch``: text edits (a bullets slide's title) and chart edits (a chart's
    range, a new one each time, so one chart is drawn) from save to new deck."""
    variant, output = tmp / "watch.yaml", tmp / "watch.pptx"
    _variant(project, variant, slides=[{"id": CHANGED_SLIDE, "title": "Samordning 0"}])
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", str(variant), "--watch", "-o", str(output),
         "--cache-dir", str(tmp / "cache")], cwd=project.root, stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines_of, args=(proc.stderr, lines), daemon=True).start()
    result = Authoring()
    try:
        _wait_for_line(lines, "built in")  # the first build draws every chart
        for n in range(WATCH_EDITS + 1):
            slides = [{"id": CHANGED_SLIDE, "title": f"Samordning {n + 1}"}]
            seconds, cpu = _saved_to_written(
                lines, output, lambda s=slides: _variant(project, variant, slides=s), proc.pid)
            if n:  # the first edit warms up what a first rebuild does once
                result.text_edits.append(seconds)
                result.text_cpu.append(cpu)
            time.sleep(0.3)  # edits apart, as a person makes them
        for n in range(WATCH_EDITS):
            slides = [{"id": CHANGED_SLIDE, "title": f"Samordning {n}"},
                      {"id": CHART_SLIDE, "range": CHART_RANGES[n]}]
            seconds, cpu = _saved_to_written(
                lines, output, lambda s=slides: _variant(project, variant, slides=s), proc.pid)
            result.chart_edits.append(seconds)
            result.chart_cpu.append(cpu)
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if not _deck_contains(output, f"Samordning {WATCH_EDITS - 1}"):
        raise AssertionError("the watched deck lacks the last edit")
    return result


def _processes() -> dict[int, tuple[int, float]]:
    """Every process now: pid -> (parent pid, CPU seconds used so far), from /proc."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # ended meanwhile
            found[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12]))
                                / os.sysconf("SC_CLK_TCK"))
    return found


class TreeCPU(threading.Thread):
    """The CPU seconds of a process and all its descendants (workers, every Chromium
    process), sampled from /proc every 0.1 s; each process counts with its last sample.
    Chromium's processes are not all waited for by their parents, so `RUSAGE_CHILDREN`
    would miss most of their time."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop, self.last = pid, threading.Event(), {}

    def run(self) -> None:
        while not self.stop.is_set():
            table = _processes()
            tree, grew = {self.pid}, True
            while grew:
                children = {p for p, (parent, _) in table.items()
                            if parent in tree and p not in tree}
                tree |= children
                grew = bool(children)
            self.last.update({p: table[p][1] for p in tree if p in table})
            self.stop.wait(0.1)

    def seconds(self) -> float:
        return sum(self.last.values())


JOBS_VARIANTS = {  # name -> (extra options, whether the chart cache is filled first)
    "image charts, empty cache": ([], False),
    "image charts, every chart cached (a rebuild)": ([], True),
    "native charts (no browser)": (["--charts", "native"], False),
}


def scenario_jobs(project: Project, tmp: Path) -> Authoring:
    """7. ``--all-countries`` (16 decks) with ``--jobs 1`` and ``--jobs N``: image charts
    with an empty cache, the same with every chart cached, and native charts."""
    result = Authoring()
    for number, (variant, (extra, filled)) in enumerate(JOBS_VARIANTS.items()):
        folder = tmp / f"jobs-variant{number}"
        if filled:  # the previous build, not timed: every chart in the cache
            _run_many(project, folder / "fill", folder / "cache", extra, 1)
        for jobs in sorted({1, os.cpu_count() or 1}):
            cache = folder / ("cache" if filled else f"cache-jobs{jobs}")
            wall, cpu = _run_many(project, folder / f"jobs{jobs}", cache, extra, jobs)
            result.jobs_seconds[variant, jobs] = wall
            result.jobs_cpu[variant, jobs] = cpu
    return result


def _run_many(project: Project, out: Path, cache: Path, extra: list[str],
              jobs: int) -> tuple[float, float]:
    """One ``--all-countries`` run: its wall seconds and the CPU seconds of its tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", str(project.deck), "--all-countries", "-q",
         "--jobs", str(jobs), "-o", str(out / "{country}.pptx"), "--cache-dir", str(cache),
         *extra],
        cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeCPU(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"--jobs {jobs} {' '.join(extra)} failed:\n{stderr}")
    made = len(list(out.glob("*.pptx")))
    if made != len(project.countries):
        raise AssertionError(f"--jobs {jobs} wrote {made} decks")
    return wall, sampler.seconds()


def organisations_data(project: Project, into: Path, organisations: int,
                       per_organisation: int = 40) -> Path:
    """A copy of the data and codebook with an ``org`` background variable: the Norwegian
    respondents resampled into `organisations` organisations of `per_organisation` each
    (a staff survey's shape); a deck file extending slides.yaml that reads them."""
    import numpy as np
    import pandas as pd

    frame = pd.read_csv(project.root / "data" / "cocops_synthetic.csv", low_memory=False)
    norway = frame[frame["country"] == "NO"]
    staff = norway.sample(n=organisations * per_organisation, replace=True, random_state=16)
    staff = staff.assign(org=np.repeat(np.arange(1, organisations + 1), per_organisation),
                         id=np.arange(len(staff)) + 10_000_000)
    pd.concat([frame[frame["country"] != "NO"], staff]).to_csv(into / "orgs.csv", index=False)
    codebook = (project.root / "data" / "codebook.yaml").read_text(encoding="utf-8")
    extra = ("  org:\n    column: org\n    label:\n      en: Organisation\n"
             "      nb: Organisasjon\n")
    (into / "codebook.yaml").write_text(codebook.replace("background:\n", "background:\n" + extra,
                                                         1), encoding="utf-8")
    return _variant(project, into / "orgs.yaml",
                    deck={"data": str(into / "orgs.csv"),
                          "codebook": str(into / "codebook.yaml"),
                          "output": str(into / "out" / "org_{country}_{group}.pptx")})


def scenario_many(project: Project, tmp: Path, organisations: int) -> Authoring:
    """8. ``--for-each org`` over `organisations` organisations, all cores, empty cache."""
    deck = organisations_data(project, tmp, organisations)
    jobs = os.cpu_count() or 1
    wall, report = _run_child(project, "--one", "many", "--deck", str(deck), "--cache-dir",
                              str(tmp / "cache-many"), "--for-each", "org",
                              "--jobs", str(jobs))
    if report["decks"] != organisations:
        raise AssertionError(f"{report['decks']} decks for {organisations} organisations")
    return Authoring(many={**report, "wall": wall, "jobs": jobs})


def authoring_report(runs: list[Authoring], organisations: int) -> str:
    """The Markdown section of the authoring scenarios (medians over the runs)."""
    def med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    text = [x for r in runs for x in r.text_edits]
    chart = [x for r in runs for x in r.chart_edits]
    text_cpu = [x for r in runs for x in r.text_cpu]
    chart_cpu = [x for r in runs for x in r.chart_cpu]
    many_runs = [r.many for r in runs if r.many]
    out = ["## The authoring loop", "",
           "| scenario | measured | target | result |", "| --- | --- | --- | --- |"]
    if text:
        out += [f"| 6. watch, text edit: save → new deck (median of {len(text)}) "
                f"| {med(text):.3f} s (each: {', '.join(f'{x:.3f}' for x in text)}) "
                f"| ≤ {TARGET_WATCH_TEXT:g} s | {_verdict(med(text) <= TARGET_WATCH_TEXT)} |",
                f"| 6. watch, chart edit: save → new deck, one chart drawn (median of "
                f"{len(chart)}) | {med(chart):.3f} s (each: {', '.join(f'{x:.3f}' for x in chart)})"
                f" | ≤ {TARGET_WATCH_CHART:g} s | {_verdict(med(chart) <= TARGET_WATCH_CHART)} |",
                f"| 6. CPU seconds of the watch process per rebuild (median): text edit, "
                f"chart edit | {med(text_cpu):.3f} s, {med(chart_cpu):.3f} s (Chromium's "
                "own not counted) | what the wall times are made of on an idle machine | – |"]
    keys = sorted({k for r in runs for k in r.jobs_seconds}, key=lambda k: (
        list(JOBS_VARIANTS).index(k[0]), k[1]))
    wall = {k: med([r.jobs_seconds[k] for r in runs if k in r.jobs_seconds]) for k in keys}
    cpu = {k: med([r.jobs_cpu[k] for r in runs if k in r.jobs_cpu]) for k in keys}
    for variant in JOBS_VARIANTS:
        counts = sorted(j for v, j in keys if v == variant)
        if len(counts) < 2:
            continue
        one, most = wall[variant, 1], wall[variant, counts[-1]]
        busy = "; ".join(f"--jobs {j}: {cpu[variant, j]:.1f} s CPU, "
                         f"{cpu[variant, j] / wall[variant, j]:.2f} cores busy" for j in counts)
        out.append(f"| 7. 16 decks, {variant}: --jobs {counts[-1]} ÷ --jobs 1 "
                   f"| {most:.2f} s ÷ {one:.2f} s = {most / one:.2f} ({busy}) "
                   f"| ≤ {TARGET_JOBS_RATIO:g} | {_verdict(most / one <= TARGET_JOBS_RATIO)} |")
    for many in many_runs:
        memory = many["memory_mb"]
        tenth = max(1, len(memory) // 10)
        first, last = max(memory[:tenth]), max(memory[-tenth:])
        out.append(f"| 8. --for-each org, {many['decks']} decks, --jobs {many['jobs']} "
                   f"| {many['wall']:.1f} s: {60 * many['decks'] / many['wall']:.1f} decks/min; "
                   f"{many['rendered']} charts drawn, {many['browser_starts']} browser starts "
                   f"| memory flat | worker memory after the first tenth of batches ≤ "
                   f"{first:.0f} MB, after the last tenth ≤ {last:.0f} MB "
                   f"(+{last - first:.0f} MB); largest process {many['child_peak_rss_mb']:.0f} "
                   f"MB, parent {many['peak_rss_mb']:.0f} MB |")
    out += ["", "Watch latency is measured from outside the `--watch` process: from writing "
            "the deck file to the new deck renamed into place (its inode changes). Scenario 8 "
            f"makes {organisations} organisations of 40 respondents each from the Norwegian "
            "respondents (resampled) at benchmark time; worker memory is each worker's "
            "resident set after each batch of decks.", ""]
    return "\n".join(out)


def snapshot(into: Path) -> Project:
    """Copy the working tree's code and data into `into`; check it imports; find the countries."""
    root = into / "project"
    shutil.copytree(REPO, root, ignore=NOT_SNAPSHOT)
    # compiled once, as an installation is: with PYTHONDONTWRITEBYTECODE set, every
    # process would otherwise compile the whole package again (about 0.4 s)
    compileall.compile_dir(root / "generator", quiet=1)
    code = ("from pathlib import Path; import generator.run.build; "
            "assert Path(generator.__file__).is_relative_to(Path.cwd()), generator.__file__; "
            "from generator.survey.codebook import load_codebook; "
            "from generator.deckfile.deck import load_deck; "
            "from generator.survey.dataset import load_survey; "
            "d, _ = load_deck(Path('slides.yaml')); c, s = load_codebook(d.deck.codebook); "
            "print(' '.join(load_survey(d.deck.data, c, s).countries()))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"the working tree does not load (someone mid-edit?):\n{proc.stderr}")
    return Project(root, tuple(proc.stdout.split()))


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

SCENARIOS: dict[str, tuple[str, Callable[[Project, Path], Sample]]] = {
    "cold": ("1. cold build, one deck (empty cache)", scenario_cold),
    "naive": ("2. naive: write_image per chart, same writer", scenario_naive),
    "warm": ("3. warm rebuild, one slide's text changed", scenario_warm),
    "all": ("4. --all-countries, 16 decks, cold", scenario_all_countries),
    "separate": ("5. 16 separate cold builds, one process each", scenario_separate),
    "large": ("9. cold build, 100× the respondents (775k rows, Parquet, +50 unused columns)",
              scenario_large),
}
STAGES = ["python start and exit", "imports", "load deck and codebook", "load data",
          "indicators and layout", "figures", "rendering: browser start", "rendering: charts",
          "rendering: other", "writing"]
STAGE_NOTES = {
    "python start and exit": "interpreter start, run.py, exit (wall minus in-process time)",
    "imports": "the browser started from the deck file, then `import generator.run.build` "
               "(pandas, plotly, pptx, pydantic …)",
    "indicators and layout": "plan: indicators, placeholders, font fitting",
    "figures": "Plotly figures (`make_figure`)",
    "rendering: browser start": "`RenderStats.seconds_browser_start`: Chromium start, "
                                "then its page with plotly.js in every tab",
    "rendering: charts": "`RenderStats.seconds_rendering`: drawing (the page is reloaded "
                         "every 16 charts) and closing the browser",
    "rendering: other": "the rest of the rendering stage: cache keys, `import kaleido`, "
                        "finding the browser",
    "writing": "python-pptx deck, atomic save",
}


def _git(*args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def machine() -> dict[str, str]:
    """CPU, cores, RAM, Python, Chromium and the code measured."""
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    try:
        chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True,
                                  check=False).stdout.strip() or "unknown"
    except OSError:
        chromium = "not found"
    versions = subprocess.run(
        [sys.executable, "-c", "from importlib.metadata import version as v; "
         "print(*(f'{p} {v(p)}' for p in ('plotly', 'kaleido', 'choreographer')), sep=', ')"],
        capture_output=True, text=True, check=False).stdout.strip()
    changed = len(_git("status", "--porcelain", "--", "generator", "slides.yaml",
                       "data").splitlines())
    return {"date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram,
            "Python": platform.python_version(),
            "Chromium": chromium, "libraries": versions,
            "code": f"{_git('rev-parse', '--short', 'HEAD')} + working tree "
                    f"({changed} changed file(s) in generator/, slides.yaml, data/), "
                    "snapshot taken at the start",
            "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def _median_sample(samples: list[Sample]) -> Sample:
    """The run whose wall time is the median (the lower middle one for even N)."""
    ordered = sorted(samples, key=lambda s: s.seconds)
    return ordered[(len(ordered) - 1) // 2]


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"


def memory_ratio(results: dict[str, list[Sample]]) -> float:
    """Peak RSS of the build on 100x the respondents over the shipped deck's (max of runs)."""
    large = max(s.peak_rss_mb or 0.0 for s in results["large"])
    return large / max(s.peak_rss_mb or 0.0 for s in results["cold"])


def report(results: dict[str, list[Sample]], info: dict[str, str], runs: int) -> str:
    """The Markdown report: machine, scenarios, targets, stage breakdown."""
    med = {key: statistics.median(s.seconds for s in results[key]) for key in SCENARIOS}
    one = {key: _median_sample(results[key]) for key in SCENARIOS}
    out = ["# Deck build benchmark", "",
           "Shipped data: `slides.yaml` (20 slides, 8 charts), synthetic COCOPS survey, "
           "16 countries.", "",
           "| machine | |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in info.items()),
           f"| runs per scenario | {runs} (median reported) |", "",
           "## Scenarios", "",
           "| scenario | median s | runs s | decks | charts rendered | browser starts "
           "| peak RSS Python MB | largest child MB |",
           "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for key, (label, _) in SCENARIOS.items():
        samples = results[key]
        peak = max((s.peak_rss_mb for s in samples if s.peak_rss_mb), default=None)
        child = max((s.child_peak_rss_mb for s in samples if s.child_peak_rss_mb),
                    default=None)
        runs_text = ", ".join(f"{s.seconds:.2f}" for s in samples)
        out.append(f"| {label} | {med[key]:.2f} | {runs_text} | {one[key].decks} "
                   f"| {one[key].rendered} | {one[key].browser_starts} | {_mb(peak)} "
                   f"| {_mb(child)} |")
    out += ["", "Times are wall-clock from process start to exit, as a user waits. Peak RSS is "
            "`ru_maxrss` of the Python process (max over the runs); Chromium runs in separate "
            "processes that this does not include. \"Largest child\" is `RUSAGE_CHILDREN` "
            "`ru_maxrss` in the same process: the largest *single* process among the reaped "
            "descendants, i.e. the largest Chromium process, not Chromium's total (browser, "
            "renderer, GPU and utility processes together). Scenario 5 reports neither; its "
            "browser starts are inferred (one per process that rendered anything).", ""]
    naive_ratio = med["naive"] / med["cold"]
    warm_ratio = med["warm"] / med["cold"]
    all_ratio = med["all"] / med["separate"]
    peak = max(s.peak_rss_mb or 0.0 for s in results["cold"])
    large_ratio = memory_ratio(results)
    warm_rendered = max(s.rendered for s in results["warm"])
    out += ["## Targets", "",
            "| ratio | measured | target | result |", "| --- | ---: | --- | --- |",
            f"| 1/2 cold ÷ naive | {1 / naive_ratio:.3f} (cold is {naive_ratio:.1f}× faster) "
            f"| ≤ {1 / TARGET_NAIVE_SPEEDUP:.2f} "
            f"| {_verdict(naive_ratio >= TARGET_NAIVE_SPEEDUP)} |",
            f"| 3/1 warm ÷ cold | {warm_ratio:.2f}, {warm_rendered} charts rendered "
            f"| ≤ {TARGET_WARM_RATIO:g}, 0 charts "
            f"| {_verdict(warm_ratio <= TARGET_WARM_RATIO and warm_rendered == 0)} |",
            f"| 4/5 all-countries ÷ 16 separate | {all_ratio:.2f} | ≤ {TARGET_ALL_RATIO:g} "
            f"| {_verdict(all_ratio <= TARGET_ALL_RATIO)} |",
            f"| peak RSS, one deck (cold, Python process) | {peak:.0f} MB "
            f"| < {TARGET_PEAK_MB:g} MB | {_verdict(peak < TARGET_PEAK_MB)} |",
            f"| 9/1 peak RSS, 100× the respondents ÷ shipped | {large_ratio:.2f} "
            f"| ≤ {TARGET_LARGE_MEMORY_RATIO:g} "
            f"| {_verdict(large_ratio <= TARGET_LARGE_MEMORY_RATIO)} |", ""]
    shown = ["cold", "naive", "warm", "all", "large"]
    out += ["## Where the time goes (the median run of each scenario, seconds)", "",
            "| stage | " + " | ".join(shown) + " | what it is |",
            "| --- |" + " ---: |" * len(shown) + " --- |"]
    for stage in STAGES:
        cells = " | ".join(f"{one[k].stages.get(stage, 0.0):.2f}" for k in shown)
        out.append(f"| {stage} | {cells} | {STAGE_NOTES.get(stage, '')} |")
    totals = " | ".join(f"**{one[k].seconds:.2f}**" for k in shown)
    out += [f"| **total (wall)** | {totals} | |", "",
            "In the naive column, browser start is the sum over its "
            f"{one['naive'].browser_starts} Kaleido sessions and \"charts\" is the rest of "
            "the `write_image` calls (drawing and closing).", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median kept)")
    parser.add_argument("--out", type=Path,
                        help="Markdown report (default: benchmarks/results.md for a full run)")
    parser.add_argument("--only", nargs="+", choices=[*SCENARIOS, *AUTHORING],
                        help="run only these scenarios (the timing report needs 1-5)")
    parser.add_argument("--organisations", type=int, default=300,
                        help="organisations (decks) of scenario 8 (default 300)")
    child = parser.add_argument_group("internal: one measured build in this process")
    child.add_argument("--one", choices=["build", "naive", "many"], help=argparse.SUPPRESS)
    child.add_argument("--for-each", help=argparse.SUPPRESS)
    child.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    child.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--deck", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--all-countries", action="store_true", help=argparse.SUPPRESS)
    child.add_argument("--make-large", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


AUTHORING = {
    "watch": scenario_watch,
    "jobs": scenario_jobs,
    "many": scenario_many,
}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.make_large:
        make_large_data(args.root, args.make_large)
        return 0
    if args.one:
        return child_main(args)
    info = machine()
    chosen = args.only or [*SCENARIOS, *AUTHORING]
    results: dict[str, list[Sample]] = {k: [] for k in chosen if k in SCENARIOS}
    authoring: list[Authoring] = []
    with tempfile.TemporaryDirectory(prefix="deckbench-") as snap:
        project = snapshot(Path(snap))
        for run in range(1, args.runs + 1):
            for key in chosen:
                with tempfile.TemporaryDirectory(prefix=f"deckbench-{key}-") as tmp:
                    if key in AUTHORING:
                        made = (scenario_many(project, Path(tmp), args.organisations)
                                if key == "many" else AUTHORING[key](project, Path(tmp)))
                        authoring.append(made)
                        print(f"run {run}/{args.runs} {key:<9} {made}", file=sys.stderr,
                              flush=True)
                        continue
                    sample = SCENARIOS[key][1](project, Path(tmp))
                results[key].append(sample)
                peak = f"  peak RSS {_mb(sample.peak_rss_mb)} MB" if sample.peak_rss_mb else ""
                print(f"run {run}/{args.runs} {key:<9} {sample.seconds:7.2f} s  rendered "
                      f"{sample.rendered:3d}  browser starts {sample.browser_starts:2d}{peak}",
                      file=sys.stderr, flush=True)
    if {"cold", "large"} <= set(results):
        ratio = memory_ratio(results)
        print(f"peak RSS large ÷ cold: {ratio:.2f} (target ≤ {TARGET_LARGE_MEMORY_RATIO:g}: "
              f"{'PASS' if ratio <= TARGET_LARGE_MEMORY_RATIO else 'FAIL'})", file=sys.stderr)
    sections = []
    if set(results) == set(SCENARIOS):
        sections.append(report(results, info, args.runs))
    if authoring:
        if not sections:
            sections.append("# Deck build benchmark: the authoring loop\n\n"
                            + "\n".join(f"- {k}: {v}" for k, v in info.items()) + "\n")
        sections.append(authoring_report(authoring, args.organisations))
    text = "\n".join(sections)
    # a full run writes the report (benchmarks/results.md unless --out); a partial one
    # only where --out says
    out = args.out or (REPO / "benchmarks" / "results.md" if not args.only else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
