"""The sector's anonymised figures as open data: what a policymaker or researcher may cite.

The same figures, with the same small groups hidden, as NEMO's overview (nemo/stats.py): each
museum's latest submitted assessment, grouped by country, museum type and size band, and the
trend per year. The JSON's shape is documented in docs/open-data.md and versioned by
``SCHEMA_VERSION``: a change that could break a reader's code raises its major number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone, translation

from assessment import sector
from nemo import stats
from nemo.suppression import MIN_GROUP, Figure

SCHEMA_VERSION = "1.0"
LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "museumai, an AI readiness self-assessment for museums after NEMO's recommendations",
}
GROUPED_BY = ("country", "type", "size", "year")


def selections() -> list[stats.Selection]:
    return [stats.Selection(by=by) for by in GROUPED_BY]


CUBE = ("country", "museum_type", "size_band")


def sector_data() -> list[stats.SectorFigures]:
    """The figures, in English so that column and level names are stable.

    Two queries: the latest figures per country, type and size at once (added up per grouping),
    and the trend per year.
    """
    with translation.override("en"):
        cube = (CUBE, stats.figures_cube(CUBE))
        return [
            stats.sector_figures(selection, cube=None if selection.is_trend else cube)
            for selection in selections()
        ]


def _figure(figure: Figure) -> dict[str, Any]:
    return {"value": figure.value, "hidden": figure.hidden or None}


def _table(table: stats.Table, with_everyone: bool) -> dict[str, Any]:
    # Groups the overview leaves out are left out here too (naming one says it has a museum).
    shown = [row for row in table.rows if row.total.shown]
    rows = [*shown, table.everyone] if with_everyone else shown
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "columns": [{"key": key, "label": label} for key, label in table.columns],
        "rows": [
            {
                "group": "all" if row.key == stats.ALL else "+".join(str(part) for part in row.key),
                "label": row.label,
                "museums": _figure(row.total),
                "cells": [_figure(cell) for cell in row.cells],
                "median_level": row.median or None,
                "quartile_levels": row.quartiles or None,
                "mean_score": row.mean,
            }
            for row in rows
        ],
    }


def as_json(data: list[stats.SectorFigures]) -> dict[str, Any]:
    """The document ``sector.json`` serves (docs/open-data.md describes every field)."""
    latest = data[0]
    return {
        "schema_version": SCHEMA_VERSION,
        "title": "AI readiness of European museums: anonymised sector figures",
        "licence": LICENCE,
        "computed_on": latest.computed_on.isoformat(),
        "framework": latest.framework,
        "museums": _figure(latest.museums),
        "min_group": MIN_GROUP,
        "groupings": [
            {
                "grouped_by": figures.selection.by,
                "data": "by year" if figures.selection.is_trend else "latest",
                "tables": [
                    _table(table, not figures.selection.is_trend)
                    for table in [*figures.levels, figures.stance, *figures.duties]
                ],
            }
            for figures in data
        ],
    }


def document() -> dict[str, Any]:
    """``as_json`` of today's figures, kept until the summary changes or the day does."""
    return sector.cached("open-data", (SCHEMA_VERSION, timezone.localdate()), lambda: as_json(sector_data()))


def csv_rows(data: list[stats.SectorFigures]) -> Iterator[list[Any]]:
    for figures in data:
        yield from stats.csv_rows(figures)
