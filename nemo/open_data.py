"""The sector's anonymised figures as open data: what a policymaker or researcher may cite.

The same figures, with the same small groups hidden, as NEMO's overview (nemo/stats.py): each
museum's latest submitted assessment, grouped by country, museum type and size band, and the
trend per year. The JSON's shape is documented in docs/open-data.md and versioned by
``SCHEMA_VERSION``: a change that could break a reader's code raises its major number.

They are released (``OpenDataRelease``), not computed on each request: a figure cited stays the
figure of its release, retrievable by its day, and a download costs one query. Once a day
(``manage.py publish_open_data`` from a scheduler, or else the day's first request) it is checked
whether a new release is due: only when at least ``MIN_GROUP`` museums joined, changed or left
since the last one, or, with none changed, the law, the questionnaire or the year did. Two
releases that differed by one museum's submission, or by one museum leaving (its lead opted out
or deleted it), would give that museum's results by difference.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.models import OpenDataRelease, SectorResult
from assessment.scoring import level_name
from nemo import stats
from nemo.suppression import MIN_GROUP, Figure
from recommendations.content import current_framework_content, level_names, questions_of
from recommendations.models import FrameworkVersion

SCHEMA_VERSION = "1.1"
LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "museumai, an AI readiness self-assessment for museums after NEMO's recommendations",
}
GROUPED_BY = ("country", "type", "size", "year")


def selections() -> list[stats.Selection]:
    return [stats.Selection(by=by) for by in GROUPED_BY]


CUBE = ("country", "museum_type", "size_band")


def sector_data(today: datetime.date | None = None) -> list[stats.SectorFigures]:
    """The figures, in English so that column and level names are stable.

    Two queries: the latest figures per country, type and size at once (added up per grouping),
    and the trend per year.
    """
    with translation.override("en"):
        cube = (CUBE, stats.figures_cube(CUBE, today=today))
        return [
            stats.sector_figures(selection, today=today, cube=None if selection.is_trend else cube)
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
        "groups_not_shown": table.hidden_rows,
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


def document(today: datetime.date | None = None) -> dict[str, Any]:
    """The release the public gets today (``as_json``): one query, once today's check is done."""
    return current_release(today).document


def current_release(today: datetime.date | None = None) -> OpenDataRelease:
    """The latest release, or a new one if it is due (checked on the day's first call)."""
    return check_release(today)[0]


def check_release(today: datetime.date | None = None) -> tuple[OpenDataRelease, str]:
    """The current release, and why it was published now ("" if it was not)."""
    today = today or timezone.localdate()
    latest = OpenDataRelease.objects.order_by("-day").first()
    if latest is not None and latest.checked_on >= today and _same_major(latest.schema_version):
        return latest, ""
    why = _new_release_due(latest, today)
    if latest is not None and not why:
        OpenDataRelease.objects.filter(pk=latest.pk).update(checked_on=today)
        return latest, ""
    # One process computes; the others meanwhile serve the latest release (if there is one).
    if latest is not None and _same_major(latest.schema_version) and not cache.add(PUBLISHING, True, 60):
        return latest, ""
    try:
        return publish(today, replace=latest is not None and latest.day == today), why
    finally:
        cache.delete(PUBLISHING)


PUBLISHING = "open-data:publishing"


def _same_major(version: str) -> bool:
    return version.split(".")[0] == SCHEMA_VERSION.split(".")[0]


def readable(released: dict[str, Any]) -> bool:
    """Whether ``figures_of`` reads this release: one in this major version of the schema."""
    return _same_major(str(released.get("schema_version", "")))


def _new_release_due(latest: OpenDataRelease | None, today: datetime.date) -> str:
    """Why a new release is due today, or "" if the latest one stays current.

    Museums' changes bring one once there are at least ``MIN_GROUP``. The law, the questionnaire or
    the year bring one too, but only with no museum's change pending, or enough of them: else it
    would publish the few changes along with them.
    """
    if latest is None:
        return "first release"
    if not _same_major(latest.schema_version):
        # The page and the CSV read the current major version only: a deployment that changes it
        # publishes the figures in it at once, replacing the day's release if there is one.
        return "new schema"
    changed = museums_changed_since(latest)
    if changed >= MIN_GROUP:
        return f"{changed} museums joined, changed or left"
    if changed:
        return ""
    if latest.day.year != today.year:
        return "a new year: the trend gains a whole year"
    framework = current_framework_content()
    if not _is_current_framework(latest.document, framework):
        return "new questionnaire version"
    if framework is not None and any(
        question.legal_duty
        and question.duty_applies_from is not None
        and latest.day < question.duty_applies_from <= today
        for question in questions_of(framework)
    ):
        return "a legal duty came into force"
    return ""


def museums_changed_since(release: OpenDataRelease) -> int:
    """How many museums joined, changed or left the figures since ``release``, at least (one query).

    A museum's summary rows are written anew (newer ids) only when its figures change
    (``assessment.sector.refresh``); a museum that left has none. Those that left are counted as
    the fall in museums counted, which is no more than their number: the count is never too high,
    so a release never comes too soon.
    """
    now = SectorResult.objects.filter(latest=True).aggregate(
        museums=Count("pk"), rewritten=Count("pk", filter=Q(pk__gt=release.summary_newest))
    )
    return now["rewritten"] + max(0, release.museums_counted - now["museums"])


def publish(today: datetime.date | None = None, *, replace: bool = False) -> OpenDataRelease:
    """Compute the figures and store them as the day's release.

    The first release of a day stays: another process publishing at the same moment gets it
    (``replace`` is for a new major schema version, deployed during the day).
    """
    today = today or timezone.localdate()
    document = as_json(sector_data(today))
    # Read after the figures: a change made while they were computed, in them or not, is then never
    # counted for the next release. Counting too few only delays it; too many could bring it early.
    state = SectorResult.objects.aggregate(newest=Max("pk"), museums=Count("pk", filter=Q(latest=True)))
    values = {
        "schema_version": SCHEMA_VERSION,
        "document": document,
        "summary_newest": state["newest"] or 0,
        "museums_counted": state["museums"],
        "checked_on": today,
    }
    if replace:
        release, _created = OpenDataRelease.objects.update_or_create(day=today, defaults=values)
    else:
        release, _created = OpenDataRelease.objects.get_or_create(day=today, defaults=values)
    return release


def released_on(day: datetime.date) -> dict[str, Any] | None:
    """The release of that day as it was served, whatever its schema version (None: none that day)."""
    return OpenDataRelease.objects.filter(day=day).values_list("document", flat=True).first()


def earlier_releases(current: OpenDataRelease, limit: int = 30) -> list[datetime.date]:
    """The days of the latest releases before the current one, newest first: a figure cited stays
    retrievable."""
    return list(OpenDataRelease.objects.filter(day__lt=current.day).values_list("day", flat=True)[:limit])


def _figure_of(stored: dict[str, Any]) -> Figure:
    return Figure(stored["value"], stored["hidden"] or "")


def _row_of(stored: dict[str, Any]) -> stats.Row:
    group = stored["group"]
    return stats.Row(
        key=stats.ALL if group == "all" else tuple(group.split("+")),
        label=stored["label"],
        total=_figure_of(stored["museums"]),
        cells=[_figure_of(cell) for cell in stored["cells"]],
        median=stored["median_level"] or "",
        quartiles=stored["quartile_levels"] or "",
        mean=stored["mean_score"],
    )


def _table_of(stored: dict[str, Any]) -> stats.Table:
    rows = [_row_of(row) for row in stored["rows"]]
    # The trend has no row for all museums (each year is its own whole).
    everyone = next((row for row in rows if row.key == stats.ALL), stats.Row(stats.ALL, "", Figure(None), []))
    return stats.Table(
        key=stored["key"],
        title=stored["title"],
        columns=[(column["key"], column["label"]) for column in stored["columns"]],
        rows=[row for row in rows if row.key != stats.ALL],
        everyone=everyone,
        note=stored["note"],
        left_out=stored.get("groups_not_shown", 0),  # from schema 1.1
    )


def figures_of(released: dict[str, Any]) -> list[stats.SectorFigures]:
    """A release as the figures it was made from (names in English, as stored): the CSV."""
    return [_grouping_figures(released, grouping) for grouping in released["groupings"]]


def figures_by(released: dict[str, Any], grouped_by: str) -> stats.SectorFigures:
    """One grouping of a release, as ``figures_of`` gives it: the page shows only the first."""
    grouping = next(grouping for grouping in released["groupings"] if grouping["grouped_by"] == grouped_by)
    return _grouping_figures(released, grouping)


def _grouping_figures(released: dict[str, Any], grouping: dict[str, Any]) -> stats.SectorFigures:
    tables = [_table_of(table) for table in grouping["tables"]]
    return stats.SectorFigures(
        selection=stats.Selection(by=grouping["grouped_by"]),
        framework=released["framework"],
        computed_on=datetime.date.fromisoformat(released["computed_on"]),
        museums=_figure_of(released["museums"]),
        groups=[],
        levels=[table for table in tables if table.key.startswith("level:")],
        stance=next(table for table in tables if table.key == "stance"),
        duties=[table for table in tables if table.key.startswith("duty:")],
    )


def _is_current_framework(released: dict[str, Any], framework: FrameworkVersion | None) -> bool:
    """Whether the release counts answers to ``framework`` (the current one): it names it in English."""
    with translation.override("en"):
        return released["framework"] == str(framework or "")


def framework_in_reader_language(released: dict[str, Any]) -> str:
    """The release's questionnaire version, named in the reader's language if it is the current one."""
    framework = current_framework_content()
    return (
        str(framework) if framework and _is_current_framework(released, framework) else released["framework"]
    )


def in_reader_language(table: stats.Table, by: str) -> stats.Table:
    """A released level table with its groups' and levels' names in the reader's language (the page)."""
    framework = current_framework_content()
    names = level_names(framework) if framework else ()
    with translation.override("en"):
        in_english = level_names(framework) if framework else ()
    reader_name = dict(zip(in_english, names, strict=True))

    def column_label(key: str) -> str:
        return level_name(int(key), names) or key if key.isdigit() else _("Not scored")

    def levels_named(text: str) -> str:  # "Exploring", or the quartiles "Exploring – Managed"
        return " – ".join(reader_name.get(name, name) for name in text.split(" – ")) if text else text

    for row in [*table.rows, table.everyone]:
        row.median, row.quartiles = levels_named(row.median), levels_named(row.quartiles)
    for row in table.rows:
        row.label = stats.group_label(by, row.key[0])
    table.everyone.label = _("All museums")
    table.columns = [(key, column_label(key)) for key, _label in table.columns]
    return table


def csv_rows(released: dict[str, Any]) -> Iterator[list[Any]]:
    for figures in figures_of(released):
        yield from stats.csv_rows(figures)
