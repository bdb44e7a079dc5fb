"""Layers point one way: planning and layout load neither python-pptx nor Plotly."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PLANNING_AND_LAYOUT = ["generator.plan", "generator.plan.planner", "generator.plan.languages",
                       "generator.plan.alttext", "generator.layout", "generator.layout.frame",
                       "generator.slides"]
PLANNING = ["generator.plan.planner", "generator.plan.languages"]
WRITER = "generator.output.pptx.writer"
BUILD = "generator.run.build"

# Libraries any layer may load, imported once before the modules are tried (each
# module then costs a fork, not an interpreter start). None of them loads python-pptx,
# Plotly or the generator: `test_the_preloaded_libraries_load_no_layer` checks it.
PRELOADED = ["numpy", "pandas", "pydantic", "babel", "yaml", "scipy"]

PROBE = r"""
import importlib, json, os, sys
preloaded, modules = json.loads(sys.argv[1])
for name in preloaded:
    importlib.import_module(name)
found = {"": sorted(sys.modules)}
for module in modules:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child imports one module and reports what is loaded then
        os.close(read)
        try:
            importlib.import_module(module)
            report = sorted(sys.modules)
        except BaseException as exc:
            report = f"importing {module} failed: {exc!r}"
        with os.fdopen(write, "w") as out:
            json.dump(report, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as got:
        found[module] = json.load(got)
    os.waitpid(pid, 0)
json.dump(found, sys.stdout)
"""


@pytest.fixture(scope="module")
def loaded_after() -> dict[str, set[str]]:
    """For each module the tests name, the modules loaded after importing it into an
    interpreter that had loaded only `PRELOADED` (key "": those alone)."""
    modules = sorted({*PLANNING_AND_LAYOUT, *PLANNING, WRITER, BUILD})
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps([PRELOADED, modules])],
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    failed = [report for report in found.values() if isinstance(report, str)]
    assert not failed, failed
    return {module: set(loaded) for module, loaded in found.items()}


def _of(loaded: set[str], *packages: str) -> set[str]:
    return {m for m in loaded if m in packages or m.startswith(tuple(f"{p}." for p in packages))}


def test_the_preloaded_libraries_load_no_layer(loaded_after):
    before = loaded_after[""]
    assert set(PRELOADED) <= before  # the check itself works
    assert not _of(before, "pptx", "plotly", "kaleido", "generator")


@pytest.mark.parametrize("module", PLANNING_AND_LAYOUT)
def test_planning_and_layout_load_no_drawing_library(module, loaded_after):
    loaded = loaded_after[module]
    assert module in loaded  # the check itself works
    assert not _of(loaded, "pptx")
    assert not _of(loaded, "plotly")
    assert not _of(loaded, "generator.output")


@pytest.mark.parametrize("module", PLANNING)
def test_planning_does_not_load_the_layout(module, loaded_after):
    assert not _of(loaded_after[module], "generator.layout", "generator.slides")


def test_the_writer_does_load_python_pptx(loaded_after):
    assert "pptx" in loaded_after[WRITER]  # the test can fail


def test_a_build_loads_no_chart_drawing_library_before_it_draws(loaded_after):
    """Plotly is loaded when a figure is made, python-pptx's chart data (and xlsxwriter)
    when a native chart is drawn: a rebuild from cached pictures needs neither."""
    loaded = loaded_after[BUILD]
    assert "pptx" in loaded  # the test can fail
    assert not _of(loaded, "plotly", "kaleido", "xlsxwriter", "pptx.chart.data")
