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

The code measured is a snapshot of the working tree taken at the start, so edits
made while the benchmark runs do not mix versions. Scenarios 1-4 run in a fresh
Python process each (``run.py --one ...``) so imports count as a user sees them;
the child prints one JSON line with its stage times, render statistics and peak
memory. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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
NOT_SNAPSHOT = shutil.ignore_patterns(".git", ".ci", "output", "tests", "tools", "benchmarks",
                                      ".*cache", ".hypothesis", "*.egg-info", "__pycache__")
# An unconfigured Chromium looks up accounts.google.com at every start. The naive run
# gets the dead proxy render.py gives its browser (--proxy-server), through the
# environment, so neither side touches the network (checked with strace; see README).
OFFLINE_ENV = {"all_proxy": "http://127.0.0.1:9"}
CHANGED_SLIDE = "samordning"  # a bullets slide: changing its title touches no chart
CHANGED_TITLE = "Samordning (endret)"

TARGET_NAIVE_SPEEDUP = 5.0  # cold at least 5x faster than naive
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

    import generator.build
    from generator.render import ChartRenderer, RenderJob

    counts = {"browser_starts": 0, "seconds_browser_start": 0.0}

    class NaiveRenderer(ChartRenderer):
        """``fig.write_image(path, width=…, height=…, scale=2)`` per chart, through the sync API."""

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

    generator.build.ChartRenderer = NaiveRenderer  # type: ignore[misc]


def child_build(deck: Path, output: Path, cache_dir: Path, all_countries: bool,
                naive_workdir: Path | None = None) -> dict[str, Any]:
    """One `generator.build.build` call, as the command line makes it; stage times."""
    started = time.perf_counter()
    from generator.build import BuildOptions, build

    imports = time.perf_counter() - started
    if naive_workdir is not None:
        _use_naive_renderer(naive_workdir)
    options = BuildOptions(output=None if all_countries else output, cache_dir=cache_dir,
                           all_countries=all_countries)
    result = build(deck, options)
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


def child_main(args: argparse.Namespace) -> int:
    """``--one build|naive``: measure one build in this process and print it as JSON."""
    sys.path.insert(0, str(args.root))  # the snapshot's generator, not the live one
    import generator

    if not Path(generator.__file__ or "").is_relative_to(args.root):
        raise RuntimeError(f"imported {generator.__file__}, not the snapshot in {args.root}")
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
    variant = _variant(project, tmp / "large.yaml", deck={"data": str(large_data(project))})
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


def snapshot(into: Path) -> Project:
    """Copy the working tree's code and data into `into`; check it imports; find the countries."""
    root = into / "project"
    shutil.copytree(REPO, root, ignore=NOT_SNAPSHOT)
    code = ("from pathlib import Path; import generator.build; "
            "assert Path(generator.__file__).is_relative_to(Path.cwd()), generator.__file__; "
            "from generator.codebook import load_codebook; "
            "from generator.deck import load_deck; from generator.survey import load_survey; "
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
    "large": ("6. cold build, 100× the respondents (775k rows, Parquet, +50 unused columns)",
              scenario_large),
}
STAGES = ["python start and exit", "imports", "load deck and codebook", "load data",
          "indicators and layout", "figures", "rendering: browser start", "rendering: charts",
          "rendering: other", "writing"]
STAGE_NOTES = {
    "python start and exit": "interpreter start, run.py, exit (wall minus in-process time)",
    "imports": "`import generator.build` (pandas, plotly, pptx, pydantic …)",
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
            f"| 2/1 naive ÷ cold | {naive_ratio:.2f} (cold is {naive_ratio:.1f}× faster) "
            f"| ≥ {TARGET_NAIVE_SPEEDUP:g} | {_verdict(naive_ratio >= TARGET_NAIVE_SPEEDUP)} |",
            f"| 3/1 warm ÷ cold | {warm_ratio:.2f}, {warm_rendered} charts rendered "
            f"| ≤ {TARGET_WARM_RATIO:g}, 0 charts "
            f"| {_verdict(warm_ratio <= TARGET_WARM_RATIO and warm_rendered == 0)} |",
            f"| 4/5 all-countries ÷ 16 separate | {all_ratio:.2f} | ≤ {TARGET_ALL_RATIO:g} "
            f"| {_verdict(all_ratio <= TARGET_ALL_RATIO)} |",
            f"| peak RSS, one deck (cold, Python process) | {peak:.0f} MB "
            f"| < {TARGET_PEAK_MB:g} MB | {_verdict(peak < TARGET_PEAK_MB)} |",
            f"| 6/1 peak RSS, 100× the respondents ÷ shipped | {large_ratio:.2f} "
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
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results.md",
                        help="Markdown report")
    parser.add_argument("--only", nargs="+", choices=list(SCENARIOS),
                        help="run only these scenarios (development; the report needs all)")
    child = parser.add_argument_group("internal: one measured build in this process")
    child.add_argument("--one", choices=["build", "naive"], help=argparse.SUPPRESS)
    child.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--deck", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    child.add_argument("--all-countries", action="store_true", help=argparse.SUPPRESS)
    child.add_argument("--make-large", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.make_large:
        make_large_data(args.root, args.make_large)
        return 0
    if args.one:
        return child_main(args)
    info = machine()
    chosen = args.only or list(SCENARIOS)
    results: dict[str, list[Sample]] = {k: [] for k in chosen}
    with tempfile.TemporaryDirectory(prefix="deckbench-") as snap:
        project = snapshot(Path(snap))
        for run in range(1, args.runs + 1):
            for key in chosen:
                with tempfile.TemporaryDirectory(prefix=f"deckbench-{key}-") as tmp:
                    sample = SCENARIOS[key][1](project, Path(tmp))
                results[key].append(sample)
                peak = f"  peak RSS {_mb(sample.peak_rss_mb)} MB" if sample.peak_rss_mb else ""
                print(f"run {run}/{args.runs} {key:<9} {sample.seconds:7.2f} s  rendered "
                      f"{sample.rendered:3d}  browser starts {sample.browser_starts:2d}{peak}",
                      file=sys.stderr, flush=True)
    if set(chosen) != set(SCENARIOS):  # a partial run prints its samples only
        if {"cold", "large"} <= set(chosen):
            ratio = memory_ratio(results)
            print(f"peak RSS large ÷ cold: {ratio:.2f} (target ≤ {TARGET_LARGE_MEMORY_RATIO:g}: "
                  f"{'PASS' if ratio <= TARGET_LARGE_MEMORY_RATIO else 'FAIL'})", file=sys.stderr)
        return 0
    text = report(results, info, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
