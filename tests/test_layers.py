"""Layers point one way: planning and layout load neither python-pptx nor Plotly."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded_after(module: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after importing `module`."""
    code = (f"import sys, {module}\n"
            "print('\\n'.join(sorted(sys.modules)))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    return set(found)


@pytest.mark.parametrize("module", ["generator.plan", "generator.plan.planner",
                                    "generator.plan.languages", "generator.plan.alttext",
                                    "generator.layout", "generator.layout.frame",
                                    "generator.slides"])
def test_planning_and_layout_load_no_drawing_library(module):
    loaded = _loaded_after(module)
    assert module in loaded  # the check itself works
    assert not {m for m in loaded if m == "pptx" or m.startswith("pptx.")}
    assert not {m for m in loaded if m == "plotly" or m.startswith("plotly.")}
    assert not {m for m in loaded if m.startswith("generator.output")}


@pytest.mark.parametrize("module", ["generator.plan.planner", "generator.plan.languages"])
def test_planning_does_not_load_the_layout(module):
    assert not {m for m in _loaded_after(module) if m.startswith(("generator.layout",
                                                                  "generator.slides"))}


def test_the_writer_does_load_python_pptx():
    assert "pptx" in _loaded_after("generator.output.pptx")  # the test can fail
