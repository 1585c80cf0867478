"""The report's charts: SVG drawn from numbers, read back with an XML parser."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from assessment import charts
from assessment.display import score_shown, score_text

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _points(polygon: ET.Element) -> list[tuple[float, float]]:
    pairs = [pair.split(",") for pair in polygon.get("points", "").split()]
    return [(float(x), float(y)) for x, y in pairs]


def _series(root: ET.Element, style: str) -> ET.Element:
    (polygon,) = [p for p in root.iter(f"{SVG}polygon") if p.get("class") == f"series {style}"]
    return polygon


SCORES = [1.3, 2.0, 2.1, 2.0, 1.0, 1.1, 2.0, 3.4, 2.1, 2.0, 2.0, 0.3, 1.0, 1.7, 1.3, 1.0]


def test_a_radar_has_one_point_per_dimension_at_its_score():
    svg = charts.radar(
        [
            charts.Series("Current", SCORES, "current"),
            charts.Series("Target", [2.0] * len(SCORES), "target"),
            charts.Series("Previous assessment", [None, *SCORES[1:]], "previous"),
        ],
        title="Score per dimension (0–4)",
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Score per dimension (0–4)"
    current = _points(_series(root, "current"))
    assert len(current) == len(SCORES) == len(_points(_series(root, "previous")))
    centre_x, centre_y = charts.RADAR_CENTRE
    # The first axis points straight up: its point lies 1.3/4 of the radius above the centre.
    assert current[0] == pytest.approx((centre_x, centre_y - charts.RADAR_RADIUS * 1.3 / 4), abs=0.01)
    # The eighth (3.4) lies on its axis at 3.4/4 of the radius, wherever the axis points.
    x, y = current[7]
    assert math.dist((x, y), (centre_x, centre_y)) == pytest.approx(charts.RADAR_RADIUS * 3.4 / 4, abs=0.02)
    # A target of 2 on every axis is the second ring; a dimension not scored lies at the centre.
    target = _points(_series(root, "target"))
    assert all(
        math.dist(point, (centre_x, centre_y)) == pytest.approx(charts.RADAR_RADIUS / 2, abs=0.02)
        for point in target
    )
    assert _points(_series(root, "previous"))[0] == pytest.approx((centre_x, centre_y), abs=0.01)
    # Axes numbered 1…16 as the page's table numbers the dimensions; rings 0–4.
    axes = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "axis"]
    assert axes == [str(number) for number in range(1, len(SCORES) + 1)]
    assert len([p for p in root.iter(f"{SVG}polygon") if p.get("class") == "ring"]) == 4
    legend = [text.text for text in root.iter(f"{SVG}text") if text.get("class") is None]
    assert {"Current", "Target", "Previous assessment"} <= set(legend)


def test_chart_text_is_escaped():
    svg = charts.radar([charts.Series('<b>"Now"</b> & then', [1.0, 2.0, 3.0], "current")], title="</svg><x>")
    root = _parse(svg)  # well-formed despite the markup in the words
    assert root.find(f"{SVG}title").text == "</svg><x>"
    assert '<b>"Now"</b> & then' in [text.text for text in root.iter(f"{SVG}text")]
    bars = _parse(charts.bars([charts.Bar("Area <1>", 1.0, "1.0")], title="A & B"))
    assert bars.find(f"{SVG}title").text == "A & B"


def test_a_radar_needs_a_value_per_axis_in_every_series():
    with pytest.raises(ValueError):
        charts.radar(
            [charts.Series("a", [1.0, 2.0], "current"), charts.Series("b", [1.0], "target")], title=""
        )
    with pytest.raises(ValueError):
        charts.radar([], title="")


def test_area_bars_are_as_long_as_their_scores_and_say_them():
    rows = [
        charts.Bar("Area 1", 1.7, "1.7"),
        charts.Bar("Area 2", 4.0, "4.0"),
        charts.Bar("Area 3", None, "—"),
    ]
    root = _parse(charts.bars(rows, title="Score per area (0–4)"))
    assert root.get("role") == "img"
    widths = [float(rect.get("width", "")) for rect in root.iter(f"{SVG}rect")]
    assert widths == pytest.approx([charts.BAR_WIDTH * 1.7 / 4, charts.BAR_WIDTH, 0.0])
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert {"Area 1", "1.7", "4.0", "—"} <= set(texts)
    assert {"0", "1", "2", "3", "4"} <= set(texts)  # the scale


@pytest.mark.parametrize(
    "value", [0.05, 0.15, 0.25, 1.25, 1.35, 1.85, 2.45, 2.55, 3.95, 1.0 / 3, 2 / 3, 4.0, 0]
)
def test_a_chart_plots_the_number_the_page_writes(value):
    assert score_text(score_shown(value)) == score_text(value)
    assert f"{score_shown(value):.1f}" == score_text(value)
    assert score_shown(None) is None
