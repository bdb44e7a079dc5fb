"""Command-line runs in fresh processes, without paying for Python's start each time.

`FreshProcesses` starts one process that loads the command line and the build's
modules and runs nothing; each `run` forks a child from it, which runs
``python -m generator`` with the given arguments and exits. A run thus starts from
a process that shares no state with the test process nor with the runs before it
(nothing was built, parsed or cached in the process it was forked from), as a new
``python -m generator`` would, but without importing pandas and the generator again
(a second of CPU each time).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER = """
import json, os, sys, traceback

from generator.cli import main
# what main loads later, loaded once here, before any fork: modules only, no state
import generator.run.build, generator.charts.native, jinja2.sandbox, pptx.chart.data

for request in sys.stdin:
    args, log = json.loads(request)
    pid = os.fork()
    if pid == 0:  # the child: one run of the command line, then out
        status = 1
        try:
            output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(output, 1)
            os.dup2(output, 2)
            status = main(args)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status or 0)
    _, wait = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(wait), flush=True)
"""


@dataclass
class Run:
    """A run's exit status and what it wrote to stdout and stderr (together)."""

    returncode: int
    output: str


class FreshProcesses:
    """Forks command-line runs from one process kept ready; use as a context manager.

    Started with the test's environment (its PATH and stand-ins), which every run
    inherits.
    """

    def __enter__(self) -> FreshProcesses:
        self.folder = tempfile.TemporaryDirectory(prefix="fresh-")
        self.server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)
        self.runs = 0
        return self

    def run(self, args: list[str]) -> Run:
        """``python -m generator *args`` in a fresh child."""
        self.runs += 1
        log = Path(self.folder.name, f"run{self.runs}.log")
        self.server.stdin.write(json.dumps([args, str(log)]) + "\n")
        self.server.stdin.flush()
        status = self.server.stdout.readline()
        assert status, f"the process the runs are forked from ended ({self.server.wait()})"
        return Run(int(status), log.read_text(encoding="utf-8", errors="replace"))

    def __exit__(self, *exc) -> None:
        self.server.stdin.close()
        assert self.server.wait(timeout=60) == 0
        self.server.stdout.close()
        self.folder.cleanup()
