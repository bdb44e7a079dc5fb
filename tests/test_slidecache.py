"""Slides kept between builds (`output.slidecache`): added again undrawn, the package is
byte for byte the one drawing every slide gives; bounded; native charts always drawn.

The build-level checks (a watch rebuild after edits of pictures, catalogue, template,
numbering and language equals a fresh build) are in test_authoring.py."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import FIXTURES
from PIL import Image

from generator.output.pptx.slidecache import SlideCache
from generator.output.pptx.writer import write_deck
from generator.run.inputs import load_inputs
from generator.run.options import BuildOptions

COLOURS = ["#336699", "#993366", "#669933", "#996633"]


def png(colour: str) -> bytes:
    """A small real PNG standing where a chart's picture goes."""
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, format="PNG")
    return out.getvalue()


def write(cache: SlideCache | None, colour: str = COLOURS[0], native: int | None = None
          ) -> bytes:
    """The all-kinds deck (every slide type, a link, notes, a picture file) written through
    `cache`; its charts are pictures of `colour`, or the chart on slide `native` a native
    chart."""
    prepared = load_inputs(FIXTURES / "all_kinds.yaml", BuildOptions()).prepared
    images = {}
    for slide in prepared.charted:
        slide.chart.native = slide.number == native
        if not slide.chart.native:
            images[slide.number] = png(colour)
    return write_deck(prepared.slides, prepared.layouts, prepared.prs, prepared.builtin,
                      images, locale=prepared.locale, title=prepared.title, author=None,
                      template=prepared.template, cache=cache)


@pytest.fixture(scope="module")
def drawn() -> bytes:
    return write(None)


def test_kept_slides_give_the_bytes_drawing_gives(drawn):
    cache = SlideCache()
    assert write(cache) == drawn
    slides = cache.misses
    assert (cache.hits, len(cache)) == (0, slides)
    assert write(cache) == drawn  # every slide added again, none drawn
    assert (cache.hits, cache.misses) == (slides, slides)


def test_a_new_picture_draws_only_its_slide_again(drawn):
    cache = SlideCache()
    write(cache)
    slides, charts = len(cache), 2  # all_kinds.yaml: a likert chart, a two-column chart
    assert write(cache, COLOURS[1]) == write(None, COLOURS[1]) != drawn
    assert (cache.hits, cache.misses) == (slides - charts, slides + charts)


def test_a_native_chart_is_always_drawn():
    cache = SlideCache()
    native = load_inputs(FIXTURES / "all_kinds.yaml", BuildOptions()).prepared.charted[0]
    first = write(cache, native=native.number)
    assert write(cache, native=native.number) == first == write(None, native=native.number)
    others = len(cache)  # its slide was drawn both times, never kept
    assert (cache.hits, cache.misses) == (others, others)
    with zipfile.ZipFile(io.BytesIO(first)) as package:  # drawn as a native chart indeed
        assert any(name.startswith("ppt/charts/chart") for name in package.namelist())


def test_the_least_recently_used_slides_go_first():
    cache = SlideCache(limit=3)
    for colour in COLOURS:
        write(cache, colour)
    assert len(cache) == 3
