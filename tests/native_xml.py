"""Reading a native chart's XML as the tests need it: a row chart's series (intervals,
dots, item labels), a scatter series' values with its blanks, an interval line's
segments."""

from __future__ import annotations

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def numbers(ser, tag) -> list[float | None]:
    """A scatter series' x or y values by point (None: a blank, a gap in a line)."""
    count = int(ser.xpath(f"./{tag}//c:ptCount/@val", namespaces=NS)[0])
    values: list[float | None] = [None] * count
    for pt in ser.xpath(f"./{tag}//c:pt", namespaces=NS):
        values[int(pt.get("idx"))] = float(pt.xpath("./c:v/text()", namespaces=NS)[0])
    return values


def scatter_series(chart) -> tuple[list, list, object]:
    """A row chart's interval series (a line, no markers), dot series and item labels."""
    from lxml import etree

    space = etree.fromstring(etree.tostring(chart._chartSpace))
    series = space.xpath(".//c:ser", namespaces=NS)
    lines = [s for s in series if s.xpath("./c:spPr/a:ln/a:solidFill", namespaces=NS)]
    assert series[:len(lines)] == lines  # drawn first
    return lines, series[len(lines):-1], series[-1]


def segments(line) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The line segments of an interval series: runs of two points between gaps."""
    xs, ys = numbers(line, "c:xVal"), numbers(line, "c:yVal")
    assert len(xs) % 3 == 0 and all(y is None for y in ys[2::3])
    return [((xs[k], ys[k]), (xs[k + 1], ys[k + 1])) for k in range(0, len(xs), 3)]
