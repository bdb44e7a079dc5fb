"""The authoring loop: watch mode, many decks (jobs, shards, --for-each) and the
command line's conventions.

The watch loop runs in a thread with a bounded number of builds; the tests wait
on its reports (a queue), never on the clock.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import queue
import sys
import threading
import weakref
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from fresh_process import FreshProcesses
from small_project import DECK as SMALL_DECK
from small_project import replace_in, write_project

from generator.cli import main, parse_args
from generator.deckfile.deck import load_deck
from generator.run import batches as building
from generator.run import jobs as parallel
from generator.run.build import build
from generator.run.options import BuildOptions, default_cache_dir
from generator.run.prepare import prepare
from generator.run.results import DeckTarget
from generator.run.targets import apply_options, select_shard
from generator.run.watch import Rebuild, Watcher
from generator.survey.codebook import load_codebook
from generator.survey.dataset import load_survey

DECK = SMALL_DECK.replace('["Nytt eller gammelt?"]',
                          '["N = {{ n.all }} ({{ country_name }}: {{ n.country }})"]')
COUNTRIES = ["DK", "FI", "NO"]


@pytest.fixture
def project(tmp_path) -> Path:
    """deck.yaml, codebook.yaml and data.csv with the respondents of three countries."""
    return write_project(tmp_path, tuple(COUNTRIES), DECK)


def slide_text(pptx: Path) -> str:
    """The text of every slide's XML, joined."""
    with zipfile.ZipFile(pptx) as deck:
        return " ".join(deck.read(n).decode("utf-8") for n in sorted(deck.namelist())
                        if n.startswith("ppt/slides/slide") and n.endswith(".xml"))


# -- watch mode ------------------------------------------------------------------------------


class WatchThread:
    """A `Watcher` running in a thread; its reports come through `next()`."""

    def __init__(self, deck: Path, options: BuildOptions, builds: int) -> None:
        self.reports: queue.Queue[Rebuild] = queue.Queue()
        self.stop = threading.Event()
        self.watcher = Watcher(deck, options, self.reports.put, stop=self.stop)
        self.thread = threading.Thread(target=self.watcher.run, args=(builds,), daemon=True)
        self.thread.start()

    def next(self) -> Rebuild:
        return self.reports.get(timeout=180)  # a bound against hanging, not a measurement

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()


def test_watch_rebuilds_on_save_and_keeps_the_last_good_deck(project, browser, tmp_path):
    deck_file, output = project / "deck.yaml", project / "out" / "deck_NO.pptx"
    watch = WatchThread(deck_file, BuildOptions(cache_dir=tmp_path / "cache"), builds=5)
    try:
        first = watch.next()
        assert first.ok and first.changed == [] and first.result.render.rendered == 1
        assert "Samordning" in slide_text(output)

        # a text edit: a new deck, no chart drawn again
        replace_in(deck_file, "title: Samordning", "title: Koordinering")
        text_edit = watch.next()
        assert text_edit.ok and text_edit.changed == [deck_file.resolve()]
        assert (text_edit.result.render.rendered, text_edit.result.render.cache_hits) == (0, 1)
        assert "Koordinering" in slide_text(output)
        good = output.read_bytes()

        # a broken edit: the problem is reported, the last good deck stays
        replace_in(deck_file, "    indicator: pct_range", "    indicatr: pct_range")
        broken = watch.next()
        assert not broken.ok and broken.result is None
        (problem,) = broken.problems
        assert problem.file == deck_file and problem.line == 17
        assert "indicatr" in str(problem) and "indicator" in str(problem)
        assert output.read_bytes() == good

        # fixed: the same deck as before the broken edit
        replace_in(deck_file, "    indicatr: pct_range", "    indicator: pct_range")
        fixed = watch.next()
        assert fixed.ok and fixed.result.render.rendered == 0
        assert "Koordinering" in slide_text(output)

        # the data changed: the chart is drawn again, by the browser kept open
        frame = pd.read_csv(project / "data.csv", dtype=str)
        frame[frame["field"] != "1"].to_csv(project / "data.new", index=False)
        (project / "data.new").replace(project / "data.csv")  # saved whole, not half-read
        new_data = watch.next()
        assert new_data.ok and new_data.changed == [(project / "data.csv").resolve()]
        stats = new_data.result.render
        assert (stats.rendered, stats.browser_starts) == (1, 0)
    finally:
        watch.close()
    assert watch.watcher.builds == 5


def fresh_build(fresh: FreshProcesses, deck_file: Path, output: Path, cache: Path) -> bytes:
    """The deck a new process (forked by `fresh`, sharing nothing with this one nor with
    the builds before it) builds from `deck_file` with a chart cache of its own."""
    done = fresh.run([str(deck_file), "-q", "-o", str(output), "--cache-dir", str(cache)])
    assert done.returncode == 0, done.output
    return output.read_bytes()


def test_a_watch_rebuild_equals_a_fresh_build_of_the_edited_file(project, browser, tmp_path):
    """What a rebuild keeps from the builds before it (parsed files, indicator tables,
    text measurements, slide records) never shows in the deck: after each kind of edit
    the watched deck is, byte for byte, the deck a new process builds from the file."""
    deck_file, output = project / "deck.yaml", project / "out" / "deck_NO.pptx"
    replace_in(deck_file, "  output: out/deck_{country}.pptx\n",
               "  output: out/deck_{country}.pptx\n  compare_with: all\n")
    edits = [("title: Samordning", "title: Koordinering"),  # text: every table kept
             ("range: [5, 7]", "range: [6, 7]"),  # a chart's numbers and picture
             ("compare_with: all", "compare_with: others")]  # every table
    with FreshProcesses() as processes:
        watch = WatchThread(deck_file, BuildOptions(cache_dir=tmp_path / "cache"),
                            builds=1 + len(edits))
        try:
            assert watch.next().ok
            for n, (old, new) in enumerate(edits):
                replace_in(deck_file, old, new)
                rebuilt = watch.next()
                assert rebuilt.ok, rebuilt.problems
                fresh = fresh_build(processes, deck_file, tmp_path / f"fresh{n}.pptx",
                                    tmp_path / f"cache{n}")
                assert output.read_bytes() == fresh, f"after the edit {new!r}"
            assert "Koordinering" in slide_text(output)
        finally:
            watch.close()


KEPT_SLIDES_DECK = """deck:
  title: Test deck
  country: NO
  language: nb
  data: data.csv
  codebook: codebook.yaml
  catalogue: words.yaml
  template: house.pptx
  charts: native
  output: out/deck_{country}.pptx
  footer: {source: true, slide_numbers: true}
slides:
  - type: title
    id: opening
    title: Samordning
  - type: bullets
    id: first
    title: Samordning
    bullets: ["Nytt eller gammelt?", "www.cocops.eu"]
    notes: "Mer på www.cocops.eu"
  - type: table
    id: numbers
    title: Samordningskvalitet
    battery: coordination_quality
    indicator: pct_range
    range: [5, 7]
  - type: image
    id: picture
    title: Et bilde
    path: picture.png
  - type: chart
    id: quality
    title: Samordningskvalitet
    battery: coordination_quality
    indicator: pct_range
    range: [5, 7]
"""


def write_picture(path: Path, colour: str) -> None:
    """A small PNG of one colour, saved whole (a watcher never sees half of it)."""
    from PIL import Image

    Image.new("RGB", (64, 48), colour).save(path.with_suffix(".new"), format="PNG")
    path.with_suffix(".new").replace(path)


def write_template(path: Path, title_name: str) -> None:
    """python-pptx's own template, as a user's .pptx, its content layout's title
    placeholder named `title_name` (a slide copies the name; the geometry stays)."""
    from pptx import Presentation

    template = Presentation()
    template.slide_layouts.get_by_name("Title and Content").placeholders[0].name = title_name
    template.save(str(path.with_suffix(".new")))
    path.with_suffix(".new").replace(path)


def test_slides_kept_between_rebuilds_never_go_stale(project, tmp_path):
    """A rebuild adds the slides it drew before from the same inputs without drawing
    them again (`output.slidecache`); after edits that change a slide's look but not its
    deck text (a picture's bytes, the catalogue's wording, the template, the slides'
    numbers, the language) the watched deck is still, byte for byte, a fresh build's."""
    (project / "deck.yaml").write_text(KEPT_SLIDES_DECK, encoding="utf-8")
    (project / "words.yaml").write_text(
        'language: nb\ncodebook:\n  "batteries.coordination_quality.items.internal_vertical":'
        ' "Intern vertikal"\n', encoding="utf-8")
    write_picture(project / "picture.png", "#336699")
    write_template(project / "house.pptx", "Tittel")
    deck_file, output = project / "deck.yaml", project / "out" / "deck_NO.pptx"
    edits = [
        lambda: replace_in(deck_file, "Nytt eller gammelt?", "Nytt eller kjent?"),
        lambda: write_picture(project / "picture.png", "#993366"),
        lambda: replace_in(project / "words.yaml", '"Intern vertikal"', '"Innad, vertikalt"'),
        lambda: write_template(project / "house.pptx", "Overskrift"),
        lambda: replace_in(deck_file, "  - type: title\n    id: opening\n    title: Samordning\n",
                           ""),  # every slide after it gets a new number
        lambda: deck_file.write_text(deck_file.read_text(encoding="utf-8").replace(
            "  language: nb\n", "  language: en\n").replace("  catalogue: words.yaml\n", ""),
            encoding="utf-8"),
    ]
    # slides added again undrawn after each edit: the three it did not touch, then none
    # (the template, every slide's number, every text's language changed)
    undrawn = [3, 3, 3, 0, 0, 0]
    with FreshProcesses() as processes:
        watch = WatchThread(deck_file, BuildOptions(cache_dir=tmp_path / "cache"),
                            builds=1 + len(edits))
        kept = watch.watcher.session.slides
        try:
            first = watch.next()
            assert first.ok, first.problems
            before = output.read_bytes()
            for n, edit in enumerate(edits):
                hits = kept.hits
                edit()
                rebuilt = watch.next()
                assert rebuilt.ok, (n, rebuilt.problems)
                assert kept.hits - hits == undrawn[n], f"edit {n}"
                now = output.read_bytes()
                assert now != before, f"edit {n} changed nothing"
                fresh = fresh_build(processes, deck_file, tmp_path / f"fresh{n}.pptx",
                                    tmp_path / "cache")
                assert now == fresh, f"after edit {n}"
                before = now
        finally:
            watch.close()
    assert 0 < len(kept) <= kept.limit


def test_watch_follows_the_base_of_a_variant(project):
    (project / "variant.yaml").write_text(
        "extends: deck.yaml\ndeck:\n  output: out/variant.pptx\n  charts: native\n",
        encoding="utf-8")
    output = project / "out" / "variant.pptx"
    watch = WatchThread(project / "variant.yaml", BuildOptions(), builds=2)
    try:
        assert watch.next().ok
        assert "Samordning" in slide_text(output)
        replace_in(project / "deck.yaml", "title: Samordning", "title: Koordinering")
        again = watch.next()
        assert again.ok and again.changed == [(project / "deck.yaml").resolve()]
        assert "Koordinering" in slide_text(output)
    finally:
        watch.close()


# -- many decks: shards, jobs, --for-each -----------------------------------------------------


@pytest.mark.parametrize("decks", [0, 1, 2, 7, 16, 300])
def test_shards_cover_every_deck_once(decks):
    targets = [DeckTarget(f"C{i}") for i in range(decks)]
    for parts in (1, 2, 3, 4, 16):
        shards = [select_shard(targets, (i, parts)) for i in range(1, parts + 1)]
        assert [t for shard in shards for t in shard] == targets  # in order, each once
        sizes = [len(shard) for shard in shards]
        assert max(sizes) - min(sizes) <= 1


def test_shards_on_the_command_line_build_every_country_once(project, capsys):
    args = [str(project / "deck.yaml"), "--all-countries", "--charts", "native",
            "-o", str(project / "out" / "{country}.pptx")]
    written = []
    for shard in ("1/2", "2/2"):
        assert main([*args, "--shard", shard, "-j", "1"]) == 0
        written += capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in written) == ["DK.pptx", "FI.pptx", "NO.pptx"]
    with pytest.raises(SystemExit) as exited:
        main([*args, "--shard", "3/2"])
    assert exited.value.code == 2
    assert "--shard: '3/2': I must be 1 to N" in capsys.readouterr().err


def package_digest(pptx: Path) -> str:
    """A hash of every part of the deck but the charts' embedded workbooks (their
    own properties carry the time they were made)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(pptx) as deck:
        for name in sorted(deck.namelist()):
            if not name.startswith("ppt/embeddings/"):
                digest.update(name.encode() + deck.read(name))
    return digest.hexdigest()


def test_two_jobs_write_the_same_decks_as_one(project, capsys):
    digests = {}
    for jobs in (1, 2):
        out = project / f"jobs{jobs}"
        assert main([str(project / "deck.yaml"), "--all-countries", "--charts", "native",
                     "-o", str(out / "{country}.pptx"), "--jobs", str(jobs)]) == 0
        digests[jobs] = {p.name: package_digest(p) for p in out.iterdir()}
    assert sorted(digests[2]) == ["DK.pptx", "FI.pptx", "NO.pptx"]
    assert digests[1] == digests[2]


_BUILD_PART = parallel._build_part


def _part_noting_frozen(deck_file, options, targets):
    """The worker's part, with how many objects it found frozen when it forked."""
    part = _BUILD_PART(deck_file, options, targets)
    part.warnings.append(f"frozen {gc.get_freeze_count()}")
    return part


def test_workers_fork_with_the_parents_objects_frozen(project, monkeypatch):
    """Frozen, the parent's objects are never walked by the workers' collections, so their
    pages stay shared; the parent's own freeze is undone once the workers exist."""
    monkeypatch.setattr(parallel, "_build_part", _part_noting_frozen)
    gc.unfreeze()  # as a caller that froze nothing (the test run freezes what it loads)
    try:
        result = build(project / "deck.yaml", BuildOptions(
            all_countries=True, charts="native", jobs=2,
            output=project / "out" / "{country}.pptx"))
        frozen = [int(w.split()[1]) for w in result.warnings if w.startswith("frozen ")]
        assert frozen and min(frozen) > 10_000  # the modules and the parsed data at least
        assert gc.get_freeze_count() == 0
    finally:
        gc.freeze()


def test_each_batch_of_decks_is_freed_before_the_next(project, monkeypatch):
    """A deck is cycles of python-pptx objects: left to the collector, which may run
    rarely, batch after batch would pile up. Watched with the collector off."""
    monkeypatch.setattr(building, "BATCH_DECKS", 1)
    written: list[weakref.ref] = []  # each deck's presentation, as it is written
    alive_then = []  # for each deck, whether the decks written before it are alive
    write_deck = building.write_deck

    def watching(slides, layouts, prs, *args, **kwargs):
        alive_then.append([deck() is not None for deck in written])
        written.append(weakref.ref(prs))
        return write_deck(slides, layouts, prs, *args, **kwargs)

    monkeypatch.setattr(building, "write_deck", watching)
    gc.collect()
    gc.disable()
    try:
        result = build(project / "deck.yaml", BuildOptions(
            all_countries=True, charts="native", jobs=1,
            output=project / "out" / "{country}.pptx"))
    finally:
        gc.enable()
    assert len(result.outputs) == 3
    assert alive_then == [[], [False], [False, False]]


def test_a_watch_rebuild_frees_its_deck_once_it_is_written(project, monkeypatch):
    written: list[weakref.ref] = []
    write_deck = building.write_deck

    def watching(slides, layouts, prs, *args, **kwargs):
        written.append(weakref.ref(prs))
        return write_deck(slides, layouts, prs, *args, **kwargs)

    monkeypatch.setattr(building, "write_deck", watching)
    watcher = Watcher(project / "deck.yaml", BuildOptions(charts="native"), lambda _: None)
    gc.collect()
    gc.disable()
    try:
        assert watcher.rebuild([]).ok
        assert [deck() for deck in written] == [None]
    finally:
        gc.enable()
        watcher.session.close()


def test_for_each_shows_the_subgroup_against_its_country(project):
    deck, source = load_deck(project / "deck.yaml")
    codebook, codebook_source = load_codebook(deck.deck.codebook)
    survey = load_survey(deck.deck.data, codebook, codebook_source)
    options = BuildOptions(for_each="policy_field")
    from generator.plan import subgroups
    from generator.run.targets import deck_targets

    targets = deck_targets(deck, source, survey, options)
    assert [(t.country, t.group.code, t.file_part) for t in targets] == [
        ("NO", "1", "sentralforvaltning"), ("NO", "2", "helse"),
        ("NO", "3", "arbeid-og-velferd")]
    view = subgroups.select(survey, "NO", "policy_field")
    health = prepare(apply_options(deck, options), source, survey, options,
                     target=targets[1], view=view)
    assert health.target == project / "out" / "deck_NO_helse.pptx"

    # independently: the NO respondents in health, and all NO respondents
    raw = pd.read_csv(project / "data.csv")
    norway = raw[raw["country"] == "NO"]
    in_health = norway[norway["field"] == 2]
    column = codebook.batteries["coordination_quality"].items
    (item_key, item), *_ = column.items()
    valid = lambda rows: rows[item.column].isin(range(1, 8))  # noqa: E731
    share = lambda rows: 100 * rows.loc[valid(rows), item.column].between(5, 7).mean()  # noqa: E731

    chart = health.charted[0].chart.data
    table = chart.table.set_index(["group", "item"])
    assert table.loc[("country", item_key), "n"] == valid(in_health).sum()
    assert table.loc[("comparison", item_key), "n"] == valid(norway).sum()
    assert table.loc[("country", item_key), "value"] == pytest.approx(share(in_health))
    assert table.loc[("comparison", item_key), "value"] == pytest.approx(share(norway))
    assert (chart.country_label, chart.comparison_label) == ("Helse", "Norge")
    quoted = health.slides[0].body[0].text
    assert quoted == f"N = {len(norway)} (Helse:\u00a0{len(in_health)})"  # kept together
    # a test compares the group with the rest of its country, and says so
    assert health.locale.message("sig.note", level="0,05") == (
        "▲▼ signifikant høyere/lavere enn de andre respondentene i Norge, p < 0,05")


def test_for_each_builds_one_deck_per_value(project, capsys):
    assert main([str(project / "deck.yaml"), "--for-each", "policy_field",
                 "--charts", "native", "-q"]) == 0
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "deck_NO_arbeid-og-velferd.pptx", "deck_NO_helse.pptx",
        "deck_NO_sentralforvaltning.pptx"]
    assert "Helse" in slide_text(project / "out" / "deck_NO_helse.pptx")
    assert main([str(project / "deck.yaml"), "--for-each", "policy_feld", "--check"]) == 2
    assert "did you mean 'policy_field'" in " ".join(capsys.readouterr().err.split())


# -- command-line conventions -----------------------------------------------------------------


def test_output_pattern_fills_in_country_and_language(project, capsys):
    assert main([str(project / "deck.yaml"), "--charts", "native", "--country", "dk",
                 "--language", "en", "-o", str(project / "made" / "x_{country}_{language}.pptx"),
                 ]) == 0
    assert [p.name for p in (project / "made").iterdir()] == ["x_DK_en.pptx"]
    assert capsys.readouterr().out.strip() == str(project / "made" / "x_DK_en.pptx")
    assert main([str(project / "deck.yaml"), "-o", str(project / "{land}.pptx")]) == 2
    assert "unknown field(s) {land}" in capsys.readouterr().err


def test_quiet_prints_nothing_and_verbose_says_more(project, capsys):
    deck = str(project / "deck.yaml")
    assert main([deck, "--charts", "native", "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main([deck, "--charts", "native", "-v"]) == 0
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert f"wrote {project / 'out' / 'deck_NO.pptx'}" in err
    assert "time: load deck and codebook" in err
    assert captured.out.strip() == str(project / "out" / "deck_NO.pptx")
    assert main([deck, "-q", "--country", "XX"]) == 2  # problems still show
    assert "country 'XX' is not in the data" in " ".join(capsys.readouterr().err.split())


def test_help_lists_exit_statuses_and_examples(capsys):
    with pytest.raises(SystemExit) as exited:
        parse_args(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for line in ("  0    built", "  1    internal fault", "  2    bad input",
                 "  130  interrupted", "survey-deck slides.yaml --watch",
                 "--shard 2/4", "-o PATTERN, --output PATTERN", "-q, --quiet", "-v, --verbose"):
        assert line in text, line


def test_the_chart_cache_stays_in_one_place(project, browser, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    cache = tmp_path / "user-cache" / "survey-deck" / "charts"
    assert default_cache_dir() == cache
    deck = str(project / "deck.yaml")
    assert main([deck, "-o", str(project / "a" / "deck.pptx")]) == 0
    assert "(1 rendered, 0 from cache)" in capsys.readouterr().err
    assert len(list(cache.glob("*.png"))) == 1
    # another output folder: the same cache, nothing hidden beside the deck
    assert main([deck, "-o", str(project / "b" / "deck.pptx")]) == 0
    assert "(0 rendered, 1 from cache)" in capsys.readouterr().err
    assert [p.name for p in (project / "b").iterdir()] == ["deck.pptx"]
    # --cache-dir says otherwise
    assert main([deck, "--cache-dir", str(tmp_path / "mine")]) == 0
    assert "(1 rendered, 0 from cache)" in capsys.readouterr().err
    assert len(list((tmp_path / "mine").glob("*.png"))) == 1


def test_the_browser_starts_early_only_when_charts_will_be_drawn(project, browser, tmp_path):
    import dataclasses

    from generator.output.render.renderer import ChartRenderer
    from generator.run.earlystart import worth_starting

    deck_file = project / "deck.yaml"
    options = BuildOptions(cache_dir=tmp_path / "cache")

    def early(options: BuildOptions, cache: Path = tmp_path / "cache",
              files: tuple[Path, ...] = (deck_file,), deck_charts: str | None = None):
        renderer = ChartRenderer(cache_dir=cache)
        return worth_starting(renderer, [str(f.resolve()) for f in files], deck_charts,
                              options)

    assert early(options)  # nothing known: a cold build starts the browser at once
    assert not early(dataclasses.replace(options, charts="native"))
    assert not early(options, deck_charts="native")
    assert early(dataclasses.replace(options, charts="image"), deck_charts="native")
    assert not early(dataclasses.replace(options, check_only=True))
    assert not early(dataclasses.replace(options, all_countries=True, jobs=2))
    assert early(dataclasses.replace(options, all_countries=True, jobs=1))
    cold = build(deck_file, options)
    assert (cold.render.browser_starts, cold.render.rendered) == (1, 1)
    assert not early(options)  # a rebuild: every chart of the last build is cached
    assert early(options, cache=tmp_path / "another")
    # a variant's first build goes by its base's last build
    variant = project / "variant.yaml"
    assert not early(options, files=(variant, deck_file))
    variant.write_text("extends: deck.yaml\ndeck: {country: DK}\n", encoding="utf-8")
    other = build(variant, options)  # another country: its chart is drawn
    assert other.render.rendered == 1
    assert not early(options, files=(variant, deck_file))


@pytest.mark.browser
def test_the_command_line_starts_the_browser_before_loading_the_build(project, tmp_path):
    """From the deck file alone, before pandas, Plotly or python-pptx are imported."""
    import subprocess

    script = (
        "import sys; from pathlib import Path\n"
        "from generator.run.earlystart import start_browser_early\n"
        "from generator.run.options import BuildOptions\n"
        "options = BuildOptions(cache_dir=Path(sys.argv[2]))\n"
        "renderer = start_browser_early(Path(sys.argv[1]), options)\n"
        "heavy = sorted(m for m in ('pandas', 'plotly', 'pptx', 'pydantic', 'generator.run.build')"
        " if m in sys.modules)\n"
        "print(renderer is not None and renderer.started, heavy)\n"
        "if renderer is not None: renderer.close()\n")
    done = subprocess.run([sys.executable, "-c", script, str(project / "deck.yaml"),
                           str(tmp_path / "cache")], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split("\n")[0] == "True []"


def test_no_early_browser_for_a_deck_without_charts_or_unreadable(project, tmp_path):
    from generator.run.earlystart import start_browser_early

    options = BuildOptions(cache_dir=tmp_path / "cache")
    text = (project / "deck.yaml").read_text(encoding="utf-8")
    plain = project / "plain.yaml"
    plain.write_text(text.replace("type: chart", "type: bullets"), encoding="utf-8")
    assert start_browser_early(plain, options) is None
    broken = project / "broken.yaml"
    broken.write_text("deck: [unclosed\n", encoding="utf-8")
    assert start_browser_early(broken, options) is None
    assert start_browser_early(project / "missing.yaml", options) is None
    native = dataclasses.replace(options, charts="native")
    assert start_browser_early(project / "deck.yaml", native) is None


def test_an_early_browser_opens_a_second_tab_for_a_deck_of_several_charts(project, tmp_path,
                                                                         monkeypatch):
    from generator.output.render.renderer import ChartRenderer
    from generator.run import earlystart

    opened = []
    monkeypatch.setattr(ChartRenderer, "start", lambda self, tabs=None: opened.append(tabs))
    options = BuildOptions(cache_dir=tmp_path / "cache")
    text = (project / "deck.yaml").read_text(encoding="utf-8")
    chart = text[text.index("  - type: chart"):]
    for charts in (1, earlystart.SECOND_TAB_FROM):
        deck = project / f"charts{charts}.yaml"
        deck.write_text(text + "".join(chart.replace("id: quality", f"id: q{k}")
                                       for k in range(charts - 1)), encoding="utf-8")
        assert earlystart.start_browser_early(deck, options) is not None
    assert opened == [1, 2]


def test_an_early_browser_is_the_one_the_build_uses(project, browser, tmp_path, capsys):
    assert main([str(project / "deck.yaml"), "-v", "--cache-dir", str(tmp_path / "c"),
                 "-o", str(tmp_path / "deck.pptx")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "(1 rendered, 0 from cache)" in err and "browser starts 1" in err

def test_watch_on_the_command_line_reports_a_broken_save_and_goes_on(project):
    import subprocess
    import sys

    deck_file = project / "deck.yaml"
    watch = subprocess.Popen(
        [sys.executable, "-m", "generator", str(deck_file), "--watch", "--charts", "native"],
        cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in watch.stderr], daemon=True).start()

    def line_with(words: str) -> str:
        """The output up to `words` (lines joined: the terminal width wraps them)."""
        seen = ""
        while words not in " ".join(seen.split()):
            seen += lines.get(timeout=180)  # a bound against hanging, not a measurement
        return " ".join(seen.split())

    try:
        line_with("built in")
        replace_in(deck_file, "    battery: coordination_quality", "    battery: coordination")
        said = line_with("no battery 'coordination' in the codebook")
        assert "Cannot build" in said and "the previous deck is unchanged. Still watching." in said
        replace_in(deck_file, "    battery: coordination", "    battery: coordination_quality")
        assert "after a change to deck.yaml" in line_with("built in")
    finally:
        watch.terminate()  # SIGTERM ends a watch as Ctrl-C does
        assert watch.wait(timeout=60) == 0
