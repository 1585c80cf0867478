"""Sector-wide aggregates for NEMO, computed in SQL over the stored scores and levels.

The scores and the levels reached come from scoring.py (stored on every change
by assessment/scores.py); this module only averages and counts them, so that
the overview stays fast at 100,000 assessments. Areas and dimensions are those
of the current framework version, matched on their slugs, so assessments made
on every version count alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from assessment.models import (
    AreaScore,
    Assessment,
    DimensionScore,
    Museum,
    MuseumType,
    SizeBand,
)
from assessment.scoring import level_name, rounded
from recommendations.content import current_areas, current_framework_content, level_names
from recommendations.models import Dimension, Recommendation

BREAKDOWNS = {
    "country": (_("Country"), "museum__country"),
    "type": (_("Museum type"), "museum__museum_type"),
    "size": (_("Size"), "museum__size_band"),
}


@dataclass
class GroupRow:
    """One country, museum type or size band."""

    key: str
    label: str
    # Museums with a submitted assessment: each counts once, with its latest (the means and levels).
    museums: int
    # Every submitted assessment of those museums, earlier ones included (a museum re-assesses yearly).
    submitted_assessments: int
    # Museums per overall level reached, in the order of SectorOverview.level_counts.
    level_counts: list[int]
    area_means: list[float | None]
    dimension_means: list[float | None]


@dataclass
class SectorOverview:
    """What NEMO sees of the sector: submitted assessments only, never drafts."""

    by: str
    by_label: str
    museums: int
    museums_assessed: int
    submitted: int
    # (level or None for "not scored", its name, museums whose latest assessment reached it)
    level_counts: list[tuple[int | None, str, int]]
    areas: list[Recommendation]
    dimensions: list[Dimension]
    overall_area_means: list[float | None]
    overall_dimension_means: list[float | None]
    groups: list[GroupRow]

    @property
    def dimension_rows(self) -> list[tuple[Dimension, list[float | None], float | None]]:
        """Per dimension, its mean in each group and over all (the table's rows)."""
        return [
            (
                dimension,
                [group.dimension_means[index] for group in self.groups],
                self.overall_dimension_means[index],
            )
            for index, dimension in enumerate(self.dimensions)
        ]

    @property
    def area_table_width(self) -> int:
        """The area table's columns: the group, its two counts, one per area."""
        return 3 + len(self.areas)

    @property
    def level_rows(self) -> list[tuple[int | None, str, int, list[int]]]:
        """Per level, the museums at it over all and in each group (the table's rows)."""
        return [
            (level, name, count, [group.level_counts[index] for group in self.groups])
            for index, (level, name, count) in enumerate(self.level_counts)
        ]


def _label(by: str, key: str) -> str:
    if by == "country":
        return str(countries.name(key)) or key
    choices = MuseumType if by == "type" else SizeBand
    return str(choices(key).label) if key in choices.values else key


def sector_overview(by: str = "country") -> SectorOverview:
    """Counts, the distribution of overall levels, and mean area and dimension scores per group.

    Only submitted assessments count; drafts are never shown to NEMO. Levels
    and means cover each museum's latest submitted assessment, whatever its
    framework version. A fixed number of queries, each an aggregate in the
    database.
    """
    if by not in BREAKDOWNS:
        by = "country"
    by_label, group_field = BREAKDOWNS[by]
    submitted_assessments = Assessment.objects.submitted()
    # Each museum counts once, with its latest submitted assessment: where the sector stands now.
    newest_of_museum = (
        submitted_assessments.filter(museum=OuterRef("museum"))
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    latest = submitted_assessments.filter(pk=Subquery(newest_of_museum))
    framework = current_framework_content()
    areas = current_areas()
    dimensions = [dimension for area in areas for dimension in area.dimensions.all()]
    names = level_names(framework) if framework else ()

    submitted_per_group: dict[str, int] = dict(
        submitted_assessments.values(group_field).annotate(n=Count("pk")).values_list(group_field, "n")
    )
    # (group, level) -> museums whose latest assessment reached that level.
    by_group_and_level: dict[tuple[str, int | None], int] = {
        (key, level): n
        for key, level, n in latest.values(group_field, "overall_level")
        .annotate(n=Count("pk"))
        .values_list(group_field, "overall_level", "n")
    }
    levels: list[int | None] = list(range(5))
    if any(level is None for _key, level in by_group_and_level):
        levels.append(None)
    group_keys = {key for key, _level in by_group_and_level}

    def museums_at(level: int | None, keys: set[str]) -> int:
        return sum(by_group_and_level.get((key, level), 0) for key in keys)

    level_counts: list[tuple[int | None, str, int]] = [
        (
            level,
            (level_name(level, names) or str(level)) if level is not None else str(_("Not scored")),
            museums_at(level, group_keys),
        )
        for level in levels
    ]

    def means(stored: QuerySet[Any], item: str) -> tuple[dict[tuple[str, str], float | None], dict[str, Any]]:
        """Mean stored score per (group, item slug), and per item slug over all groups."""
        rows = stored.filter(assessment__in=latest)
        by_group = {
            (row[f"assessment__{group_field}"], row[item]): row["mean"]
            for row in rows.values(f"assessment__{group_field}", item).annotate(mean=Avg("score"))
        }
        return by_group, dict(rows.values(item).annotate(mean=Avg("score")).values_list(item, "mean"))

    area_means, overall_area = means(AreaScore.objects.all(), "area__slug")
    # Dimensions are matched on their slug, so assessments on every framework version count alike.
    dimension_means, overall_dimension = means(DimensionScore.objects.all(), "dimension__slug")
    groups = []
    for key in group_keys:
        group_levels = [museums_at(level, {key}) for level in levels]
        groups.append(
            GroupRow(
                key=key,
                label=_label(by, key),
                museums=sum(group_levels),
                submitted_assessments=submitted_per_group.get(key, 0),
                level_counts=group_levels,
                area_means=[area_means.get((key, area.slug)) for area in areas],
                dimension_means=[dimension_means.get((key, d.slug)) for d in dimensions],
            )
        )
    groups.sort(key=lambda group: group.label)
    return SectorOverview(
        by=by,
        by_label=str(by_label),
        museums=Museum.objects.count(),
        museums_assessed=sum(group.museums for group in groups),
        submitted=sum(submitted_per_group.values()),
        level_counts=level_counts,
        areas=areas,
        dimensions=dimensions,
        overall_area_means=[overall_area.get(area.slug) for area in areas],
        overall_dimension_means=[overall_dimension.get(d.slug) for d in dimensions],
        groups=groups,
    )


# The aggregates as rows, each column named for what it counts. Every group has its rows, and a
# last group "all" covers every museum: the overall level distribution and means.
OVERVIEW_CSV_HEADER = [
    "breakdown",
    "group",
    "group_label",
    "museums",  # museums with a submitted assessment, each counted once (with its latest)
    "submitted_assessments",  # all their submitted assessments, earlier ones included
    "kind",  # "level", "area" or "dimension"
    "item",  # the level (empty: not scored), the area's number or the dimension's slug
    "item_label",  # the level's name, the area's or the dimension's title
    "museums_at_level",  # level rows: museums whose latest assessment reached the level
    "mean_score",  # area and dimension rows: the mean of the latest assessments' scores (0–4)
]
ALL_GROUPS = "all"


def overview_csv_rows(overview: SectorOverview) -> Iterator[list[Any]]:
    """Per group, then for all museums: the level distribution, then mean area and dimension scores."""
    everyone = GroupRow(
        key=ALL_GROUPS,
        label=str(_("All museums")),
        museums=overview.museums_assessed,
        submitted_assessments=overview.submitted,
        level_counts=[count for _level, _name, count in overview.level_counts],
        area_means=overview.overall_area_means,
        dimension_means=overview.overall_dimension_means,
    )
    for group in [*overview.groups, everyone]:
        prefix = [overview.by, group.key, group.label, group.museums, group.submitted_assessments]
        for (level, name, _count), museums in zip(overview.level_counts, group.level_counts, strict=True):
            yield [*prefix, "level", level, name, museums, None]
        for area, mean in zip(overview.areas, group.area_means, strict=True):
            yield [*prefix, "area", area.number, area.title, None, rounded(mean)]
        for dimension, mean in zip(overview.dimensions, group.dimension_means, strict=True):
            yield [*prefix, "dimension", dimension.slug, dimension.title, None, rounded(mean)]
