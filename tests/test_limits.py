"""Bounded work: a hostile deck file, or a large data file, cannot exhaust the machine.

Each case runs the command line (`generator.cli.main`) in a child forked from
the test process, whose address space (RLIMIT_AS) may grow a little more than
checking the shipped deck makes it grow on this machine, and whose CPU time
(RLIMIT_CPU) is capped. Without the limits in yamlsource.py, templating.py and
survey.py these cases grow past gigabytes or run for minutes: the child then dies
(MemoryError, exit 1, or SIGXCPU) and the test fails, rather than the machine.
With them, each ends in exit status 2 and a message that says what to change,
and the previous deck is left as it was.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from generator.cli import main
from generator.survey.dataset import narrowest, read_frame

CSV = ROOT / "data" / "cocops_synthetic.csv"
HEADROOM_MB = 300  # above the shipped deck's own peak; every bomb below needs far more
CPU_SECONDS = 60  # checking the shipped deck takes about 3 s of CPU


WIDE = {"COLUMNS": "1000"}  # rich would fold a long path in the middle


@dataclass
class Outcome:
    """What a bounded child did: its exit status (minus the signal that killed it)
    and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def _address_space() -> int:
    """This process's address space now, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def run_bounded(args: list[str], memory_mb: int, *, code=None) -> Outcome:
    """``generator.cli.main(args)`` (or ``code()``) in a child forked from this
    process, whose address space may grow by `memory_mb` and which may use
    `CPU_SECONDS` of CPU. Forked rather than started afresh: the child finds
    Python, pandas and the generator already imported."""
    memory = _address_space() + memory_mb * 2**20
    with tempfile.TemporaryDirectory(prefix="bounded-") as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 1
            try:
                for fd, path in ((1, out), (2, err)):
                    os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT), fd)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                os.chdir(ROOT)
                os.environ.update(WIDE)
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
                resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
                status = code() if code else main(args)
            except BaseException:  # what an uncaught exception does to a process
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status or 0)
        _, status = os.waitpid(pid, 0)
        returncode = (-os.WTERMSIG(status) if os.WIFSIGNALED(status)
                      else os.WEXITSTATUS(status))
        return Outcome(returncode, out.read_text(encoding="utf-8", errors="replace"),
                       err.read_text(encoding="utf-8", errors="replace"))


def _dies_of_the_limit(proc: Outcome) -> str:
    return f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr[-3000:]}"


@pytest.fixture(scope="session")
def parquet_copy(tmp_path_factory) -> Path:
    """The shipped data as Parquet, so the baseline has pyarrow loaded like the wide case."""
    path = tmp_path_factory.mktemp("parquet") / "shipped.parquet"
    pd.read_csv(CSV).to_parquet(path, index=False)
    return path


GROWTH = """
import sys
import pyarrow.parquet
from generator.cli import main
size = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmSize")][0]
status = main(sys.argv[1:])
peak = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmPeak")][0]
print(int(peak) - int(size))
sys.exit(status)
"""


@pytest.fixture(scope="session")
def warm_parent() -> None:
    """Check the shipped deck in this process once, so that the children forked from it
    find every module a check imports already loaded (each would load them anew)."""
    from generator.run.build import build
    from generator.run.options import BuildOptions

    build(ROOT / "slides.yaml", BuildOptions(check_only=True))


@pytest.fixture(scope="session")
def memory_mb(tmp_path_factory, parquet_copy, warm_parent) -> int:
    """How far a bounded child's address space may grow: what checking the shipped deck
    (from Parquet) adds to a process that has imported the generator, plus
    `HEADROOM_MB`. Measured, because the virtual size pandas and pyarrow take (thread
    stacks and arenas per core) depends on the machine; measured in a fresh process,
    whose peak before the check is only its imports."""
    deck = _variant(tmp_path_factory.mktemp("baseline"), f"deck:\n  data: {parquet_copy}\n")
    proc = subprocess.run([sys.executable, "-c", GROWTH, str(deck), "--check",
                           "--allow-path", str(parquet_copy.parent)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1]) // 1024 + HEADROOM_MB


def _variant(folder: Path, text: str, name: str = "deck.yaml") -> Path:
    path = folder / name
    path.write_text(f"extends: {ROOT / 'slides.yaml'}\n{text}", encoding="utf-8")
    return path


ALIAS_BOMB = "".join(
    [f'a0: &a0 ["{"lol" * 3}"]\n']
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)])
SLIDE = "slides:\n  - id: samordning\n    {key}: {value}\n"  # a slide slides.yaml has
SLIDE_LINE = 4  # "extends" on line 1, "slides:" 2, "- id:" 3, the key on 4


def _hostile_deck(kind: str, folder: Path) -> tuple[Path, int | None, list[str]]:
    """A deck file of the given kind; the line the message must name and its words."""
    if kind == "alias bomb":  # 9**9 strings once expanded: gigabytes
        return (_variant(folder, ALIAS_BOMB), 3,
                ["YAML aliases (*name) are not allowed", "write the value out", "extends:"])
    if kind == "deep nesting":
        value = "[" * 100_000 + "]" * 100_000
        return (_variant(folder, SLIDE.format(key="title", value=value)), SLIDE_LINE,
                ["nests more than 50 levels deep", "check the indentation"])
    if kind == "huge file":
        bullets = "    bullets:\n" + "      - Samordning i forvaltningen\n" * 150_000
        deck = _variant(folder, "slides:\n  - id: samordning\n" + bullets)
        size = deck.stat().st_size / 1e6
        assert size > 5
        return (deck, None, [f"the file is {size:.1f} MB; a YAML file here may be at most 1 MB",
                             "is this the right file?"])
    placeholders = {
        "huge string placeholder": ("title", "'{{ \"x\" * 10**9 }}'",
                                    "an expression with operators (+, *, …) is not allowed"),
        "huge figure placeholder": ("title", "'{{ n.all * 999999999 }}'",
                                    "an expression with operators (+, *, …) is not allowed"),
        # the sandbox alone stops one range past 100,000, not two nested below it
        "long loop placeholder": ("notes", "'{% for i in range(99999) %}{% for j in "
                                  "range(99999) %}{{ n.all }}{% endfor %}{% endfor %}'",
                                  "a loop ({% for %}) is not allowed"),
        "range filter placeholder": ("notes", "'{{ range(10**9) | list }}'",
                                     "is not allowed"),
    }
    key, value, message = placeholders[kind]
    return (_variant(folder, SLIDE.format(key=key, value=value)), SLIDE_LINE,
            [message, "placeholders may only name a figure, such as {{ n.all }}",
             "known: n.all, n.country"])


HOSTILE = ["alias bomb", "deep nesting", "huge file", "huge string placeholder",
           "huge figure placeholder", "long loop placeholder", "range filter placeholder"]


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.ooxml_unchecked("deck.pptx")  # the previous deck: a stand-in kept as it was
def test_a_hostile_deck_is_refused_within_bounds(tmp_path, memory_mb, kind):
    deck, line, words = _hostile_deck(kind, tmp_path)
    previous = tmp_path / "deck.pptx"
    previous.write_bytes(b"the previous deck")
    proc = run_bounded([str(deck), "--output", str(previous), "--charts", "native"], memory_mb)
    assert proc.returncode == 2, _dies_of_the_limit(proc)
    message = " ".join(proc.stderr.split())  # rich wraps long lines
    where = f"{deck}:{line}:" if line else f"{deck}:"
    assert where in message, message
    for word in words:
        assert word in message, message
    assert "Internal error" not in message
    assert previous.read_bytes() == b"the previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx", "deck.yaml"]


def test_an_alias_in_the_codebook_is_refused_there(tmp_path, memory_mb):
    text = (ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8")
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(ALIAS_BOMB + text, encoding="utf-8")
    deck = _variant(tmp_path, f"deck:\n  codebook: {codebook}\n")
    proc = run_bounded([str(deck), "--check"], memory_mb)
    assert proc.returncode == 2, _dies_of_the_limit(proc)
    message = " ".join(proc.stderr.split())
    assert f"{codebook}:2:" in message
    assert "YAML aliases (*name) are not allowed" in message


# -- data files ----------------------------------------------------------------------------

UNUSED_COLUMNS = 60  # open answers, say: the same 1,000 characters in every row
REPEATS = 10  # 77,490 respondents


@pytest.fixture(scope="session")
def wide_file(tmp_path_factory) -> Path:
    """The shipped data ten times over, plus 60 text columns the deck does not use: 4.6 GB
    of text if all were read, several times what a child may grow by here (1.6 GB,
    most of it the address space pyarrow reserves), 6 MB on disk (each column's one
    value is stored once)."""
    frame = pd.concat([pd.read_csv(CSV)] * REPEATS, ignore_index=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    text = pa.DictionaryArray.from_arrays(pa.array(np.zeros(len(frame), dtype="int32")),
                                          pa.array(["x" * 1000]))
    for i in range(UNUSED_COLUMNS):
        table = table.append_column(f"unused_{i}", text)
    path = tmp_path_factory.mktemp("wide") / "wide.parquet"
    # without the Arrow schema the columns are plain text when read, not categories
    pq.write_table(table, path, store_schema=False)
    assert pq.read_schema(path).field("unused_0").type == pa.string()
    return path


def test_a_wide_data_file_is_read_within_bounds(tmp_path, memory_mb, wide_file):
    deck = _variant(tmp_path, f"deck:\n  data: {wide_file}\n")
    proc = run_bounded([str(deck), "--check", "--allow-path", str(wide_file.parent)],
                       memory_mb)
    assert proc.returncode == 0, _dies_of_the_limit(proc)
    assert "OK (20 slides, 9 charts)" in " ".join(proc.stderr.split())


def test_the_wide_file_would_not_fit_if_every_column_were_read(memory_mb, wide_file):
    # the control: what the previous reader did dies of the same limit
    proc = run_bounded([], memory_mb, code=lambda: pd.read_parquet(wide_file))
    assert proc.returncode == 1
    assert "MemoryError" in proc.stderr or "std::bad_alloc" in proc.stderr or (
        "Out of memory" in proc.stderr), proc.stderr[-2000:]


def test_a_data_file_over_the_limit_is_refused_before_reading(tmp_path, memory_mb):
    data = tmp_path / "huge.csv"
    with data.open("wb") as sparse:  # 5 GB that take no disk space, and more than the
        sparse.truncate(5_000_000_000)  # child's memory: reading it whole would fail
    deck = _variant(tmp_path, f"deck:\n  data: {data}\n")
    proc = run_bounded([str(deck), "--check"], memory_mb)
    assert proc.returncode == 2, _dies_of_the_limit(proc)
    message = " ".join(proc.stderr.split())
    assert f"{data}: the data file is 5,000 MB, more than the limit of 500 MB" in message
    assert "raise the limit with --max-data-mb" in message
    assert "max_data_mb under deck:" in message


@pytest.mark.parametrize(("deck_limit", "cli_limit", "status"), [
    (None, "0.5", 2),  # the shipped CSV is 0.84 MB
    ("0.5", None, 2),
    ("0.5", "2", 0),  # the command line overrides the deck
    ("2", None, 0),
])
def test_the_data_limit_is_set_in_the_deck_or_on_the_command_line(
        tmp_path, capsys, monkeypatch, deck_limit, cli_limit, status):
    deck = _variant(tmp_path, f"deck:\n  max_data_mb: {deck_limit}\n" if deck_limit else "")
    args = [str(deck), "--check", *(["--max-data-mb", cli_limit] if cli_limit else [])]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", WIDE["COLUMNS"])
    returncode = main(args)
    stderr = capsys.readouterr().err
    assert returncode == status, stderr
    if status:
        limit = cli_limit or deck_limit
        message = " ".join(stderr.split())
        assert f"the data file is 0.8 MB, more than the limit of {limit} MB" in message


def _written(frame: pd.DataFrame, path: Path) -> Path:
    """`frame` saved in the format `path`'s suffix names."""
    import pyreadstat

    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        (pyreadstat.write_sav if path.suffix == ".sav" else pyreadstat.write_dta)(
            frame, str(path))
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".sav", ".dta", ".xlsx"])
def test_only_the_wanted_columns_are_read(tmp_path, suffix):
    frame = pd.DataFrame({"id": [1, 2, 3], "country": ["NO", "SE", "DE"],
                          "q1": [1.0, np.nan, 7.0], "notes": ["a", "b", "c"],
                          "q2": [8, 2, 3]})
    path = _written(frame, tmp_path / f"data{suffix}")
    read, _ = read_frame(path, {"country", "q2", "q1", "absent"})
    # the file's order; a column called id is read too: it names respondents in messages
    assert list(read.columns) == ["id", "country", "q1", "q2"]
    assert read["q1"].dtype == np.float32 and read["q2"].dtype == np.float32
    np.testing.assert_array_equal(read["q1"].to_numpy(), np.array([1, np.nan, 7], "float32"))
    np.testing.assert_array_equal(read["q2"].to_numpy(), np.array([8, 2, 3], "float32"))
    # none of the wanted columns: the first column keeps the rows, so that the
    # missing columns are reported by name rather than as an empty file
    read, _ = read_frame(path, {"absent"})
    assert list(read.columns) == ["id"] and len(read) == 3


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".sav", ".dta", ".xlsx"])
def test_without_an_id_column_and_nothing_wanted_the_first_column_keeps_the_rows(
        tmp_path, suffix):
    frame = pd.DataFrame({"country": ["NO", "SE", "DE"], "q1": [1.0, 2.0, 7.0]})
    read, _ = read_frame(_written(frame, tmp_path / f"data{suffix}"), {"absent"})
    assert list(read.columns) == ["country"] and list(read["country"]) == ["NO", "SE", "DE"]


def test_codes_narrow_to_float32_and_other_numbers_keep_float64():
    codes = pd.Series([1, 7, None, 8, 99, -9], dtype="Int64")
    assert narrowest(codes).dtype == np.float32
    np.testing.assert_array_equal(narrowest(codes).to_numpy("float64"),
                                  [1, 7, np.nan, 8, 99, -9])
    for needs_float64 in ([0.1, 1.0], [16_777_217.0, 1.0], [1e300, 2.0], [1 / 3, np.nan]):
        values = pd.Series(needs_float64)
        assert narrowest(values).dtype == np.float64, needs_float64
        np.testing.assert_array_equal(narrowest(values).to_numpy(), values.to_numpy())
    assert narrowest(pd.Series([0.5, 0.25, np.nan])).dtype == np.float32  # exact in binary
    text = pd.Series(["NO", "SE"])
    assert narrowest(text) is text


def test_a_deck_weight_column_outside_the_codebook_is_read(tmp_path, capsys, monkeypatch):
    # the codebook does not name "id"; the deck's weight must still be read
    deck = _variant(tmp_path, "deck:\n  weight: id\n")
    monkeypatch.chdir(ROOT)
    assert main([str(deck), "--check"]) == 0, capsys.readouterr().err


def test_memory_limits_really_apply_in_the_child():
    # the harness itself: a child that allocates past the cap dies of it
    proc = run_bounded([], 300, code=lambda: bytearray(600 * 2**20))
    assert proc.returncode == 1 and "MemoryError" in proc.stderr, _dies_of_the_limit(proc)
