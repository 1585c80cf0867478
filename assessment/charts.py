"""Charts drawn on the server as SVG, for the PDF report: pure functions from numbers to markup.

No browser and no JavaScript: WeasyPrint draws the SVG as it is. The callers pass the numbers as the
page shows them (``display.score_shown``: one decimal, rounded half up) and the words already
translated; every text is escaped here, so the markup can be inserted as it is. Each chart is an
image with a title (``role="img"``); the report prints the same numbers in a table beside it.

- ``radar``: one axis per dimension, numbered as the results page's dimension table numbers them,
  rings at the levels 0–4, one polygon per series (current, target, previous).
- ``bars``: one horizontal bar per area on the 0–4 scale, its value written in a column on the right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

SCALE_MAX = 4  # the framework's levels: 0 (not started) to 4
FONT = "DejaVu Sans, sans-serif"
INK = "#1f3a5f"  # the site's dark blue (static/css/museumai.css)
GRID = "#b8bec6"
TEXT = "#222222"

# The radar's geometry, in its own units (the report sets its printed width).
RADAR_CENTRE = (160.0, 150.0)
RADAR_RADIUS = 112.0
RADAR_SIZE = (320, 290)  # the legend's lines below it add to the height
LEGEND_LINE = 15.0


@dataclass(frozen=True)
class Series:
    """One line of a chart: its name in the legend, a value per axis (``None``: not scored) and its look."""

    label: str
    values: Sequence[float | None]
    style: str  # a key of SERIES_STYLES


# How each series is drawn; the legend repeats it, so no series is told apart by colour alone.
SERIES_STYLES = {
    "current": {"stroke": INK, "fill": INK, "fill-opacity": "0.18", "stroke-width": "2"},
    "target": {"stroke": "#9a5b00", "fill": "none", "stroke-width": "1.6", "stroke-dasharray": "6 3"},
    "previous": {"stroke": "#6c757d", "fill": "none", "stroke-width": "1.2", "stroke-dasharray": "2 2"},
}


def _number(value: float) -> str:
    """A coordinate with two decimals at most, as SVG reads it (always a point, never a comma)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attributes(style: dict[str, str]) -> str:
    return " ".join(f'{name}="{escape(value)}"' for name, value in style.items())


def radar_point(index: int, count: int, value: float | None) -> tuple[float, float]:
    """Where ``value`` lies on axis ``index`` of ``count``: the first axis points up, then clockwise.

    ``None`` (a dimension not scored) lies at the centre, as 0 does; the table says "not scored".
    """
    angle = -math.pi / 2 + 2 * math.pi * index / count
    radius = RADAR_RADIUS * min(max(value or 0.0, 0.0), SCALE_MAX) / SCALE_MAX
    return RADAR_CENTRE[0] + radius * math.cos(angle), RADAR_CENTRE[1] + radius * math.sin(angle)


def _points(pairs: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in pairs)


def _legend(series: Sequence[Series], top: float) -> list[str]:
    """The series' names with a sample of their line, one a line under the chart."""
    parts = []
    for position, line in enumerate(series):
        y = top + position * LEGEND_LINE
        style = {key: value for key, value in SERIES_STYLES[line.style].items() if key != "fill-opacity"}
        style["fill"] = "none"
        parts.append(
            f'<line x1="8" y1="{_number(y)}" x2="30" y2="{_number(y)}" {_attributes(style)}/>'
            f'<text x="36" y="{_number(y + 4)}" font-size="11">{escape(line.label)}</text>'
        )
    return parts


def radar(series: Sequence[Series], *, title: str) -> str:
    """A radar chart of the dimensions' scores: axes numbered 1…n, rings at 0–4, a polygon per series.

    Every series has one value per axis; the first series decides the number of axes.
    """
    if not series or not series[0].values:
        raise ValueError("A radar needs at least one series with one value per axis.")
    count = len(series[0].values)
    if any(len(line.values) != count for line in series):
        raise ValueError("Every series of a radar needs one value per axis.")
    width, height = RADAR_SIZE
    height += round(LEGEND_LINE * len(series))
    centre_x, centre_y = RADAR_CENTRE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar" role="img" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" fill="{TEXT}">',
        f"<title>{escape(title)}</title>",
    ]
    # Rings at each level, and the level's number up the first axis.
    for level in range(1, SCALE_MAX + 1):
        ring = [radar_point(index, count, level) for index in range(count)]
        parts.append(f'<polygon class="ring" points="{_points(ring)}" fill="none" stroke="{GRID}"/>')
    for level in range(SCALE_MAX + 1):
        _x, y = radar_point(0, count, level)
        parts.append(f'<text x="{_number(centre_x + 3)}" y="{_number(y + 10)}" font-size="9">{level}</text>')
    # One spoke per axis, and the axis's number beyond the outer ring.
    for index in range(count):
        x, y = radar_point(index, count, SCALE_MAX)
        parts.append(
            f'<line x1="{_number(centre_x)}" y1="{_number(centre_y)}" x2="{_number(x)}" y2="{_number(y)}" '
            f'stroke="{GRID}"/>'
        )
        angle = -math.pi / 2 + 2 * math.pi * index / count
        label_x = centre_x + (RADAR_RADIUS + 15) * math.cos(angle)
        label_y = centre_y + (RADAR_RADIUS + 15) * math.sin(angle) + 4
        parts.append(
            f'<text class="axis" x="{_number(label_x)}" y="{_number(label_y)}" font-size="11" '
            f'text-anchor="middle">{index + 1}</text>'
        )
    for line in series:
        points = [radar_point(index, count, value) for index, value in enumerate(line.values)]
        parts.append(
            f'<polygon class="series {escape(line.style)}" points="{_points(points)}" '
            f"{_attributes(SERIES_STYLES[line.style])}/>"
        )
    parts.extend(_legend(series, RADAR_SIZE[1] + 4))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    value_text: str  # the value as the page writes it ("1.7", in French "1,7"; "—" when not scored)


BAR_LABEL_WIDTH = 70.0
BAR_WIDTH = 200.0
BAR_HEIGHT = 16.0
BAR_GAP = 8.0
BAR_VALUE_WIDTH = 36.0  # the values in a column of their own, right of the scale


def bar_length(value: float | None) -> float:
    """A bar's length for ``value`` on the 0–4 scale (``None``: no bar)."""
    return BAR_WIDTH * min(max(value or 0.0, 0.0), SCALE_MAX) / SCALE_MAX


def bars(rows: Sequence[Bar], *, title: str) -> str:
    """A horizontal bar per row on the 0–4 scale, with the scale's ticks and each value on the right."""
    top = 6.0
    height = top + len(rows) * (BAR_HEIGHT + BAR_GAP) + 16
    width = BAR_LABEL_WIDTH + BAR_WIDTH + BAR_VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" role="img" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" font-family="{FONT}" fill="{TEXT}">',
        f"<title>{escape(title)}</title>",
    ]
    axis_y = top + len(rows) * (BAR_HEIGHT + BAR_GAP)
    for level in range(SCALE_MAX + 1):
        x = BAR_LABEL_WIDTH + BAR_WIDTH * level / SCALE_MAX
        parts.append(
            f'<line x1="{_number(x)}" y1="{_number(top - 2)}" x2="{_number(x)}" y2="{_number(axis_y)}" '
            f'stroke="{GRID}"/>'
            f'<text x="{_number(x)}" y="{_number(axis_y + 12)}" font-size="9" '
            f'text-anchor="middle">{level}</text>'
        )
    for position, row in enumerate(rows):
        y = top + position * (BAR_HEIGHT + BAR_GAP)
        length = bar_length(row.value)
        parts.append(
            f'<text x="0" y="{_number(y + BAR_HEIGHT - 4)}" font-size="11">{escape(row.label)}</text>'
            f'<rect class="bar" x="{_number(BAR_LABEL_WIDTH)}" y="{_number(y)}" width="{_number(length)}" '
            f'height="{_number(BAR_HEIGHT)}" fill="{INK}"/>'
            f'<text x="{_number(width)}" y="{_number(y + BAR_HEIGHT - 4)}" text-anchor="end" '
            f'font-size="11" font-weight="bold">{escape(row.value_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
