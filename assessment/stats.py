"""Sector-wide aggregates for NEMO, computed in SQL over the stored scores.

The scores themselves come from scoring.py (stored on every change); this
module only averages and counts them, so that the overview stays fast at
100,000 assessments.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from assessment.models import (
    AREA_NUMBERS,
    AreaScore,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    Museum,
    MuseumType,
    SizeBand,
)
from recommendations.models import Dimension, FrameworkVersion, Recommendation

BREAKDOWNS = {
    "country": (_("Country"), "museum__country"),
    "type": (_("Museum type"), "museum__museum_type"),
    "size": (_("Size"), "museum__size_band"),
}


@dataclass
class GroupRow:
    key: str
    label: str
    assessments: int
    area_means: list[float | None]
    dimension_means: list[float | None]


@dataclass
class SectorOverview:
    by: str
    by_label: str
    museums: int
    museums_assessed: int
    submitted: int
    drafts: int
    level_counts: list[tuple[int | None, str, int]]
    areas: list[Recommendation]
    dimensions: list[Dimension]
    overall_area_means: list[float | None]
    groups: list[GroupRow]

    @property
    def dimension_rows(self) -> list[tuple[Dimension, list[float | None]]]:
        """Per dimension, its mean in each group (the table's rows)."""
        return [
            (dimension, [group.dimension_means[index] for group in self.groups])
            for index, dimension in enumerate(self.dimensions)
        ]


def _label(by: str, key: str) -> str:
    if by == "country":
        return str(countries.name(key)) or key
    choices = MuseumType if by == "type" else SizeBand
    return str(choices(key).label) if key in choices.values else key


def sector_overview(by: str = "country") -> SectorOverview:
    """Counts, the distribution of overall levels, and mean area and dimension scores per group.

    Levels and means cover each museum's latest submitted assessment, whatever
    its framework version. A fixed number of queries, each an aggregate in the
    database.
    """
    if by not in BREAKDOWNS:
        by = "country"
    by_label, group_field = BREAKDOWNS[by]
    # Each museum counts once, with its latest submitted assessment: where the sector stands now.
    newest_of_museum = (
        Assessment.objects.filter(museum=OuterRef("museum"), status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    submitted = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, pk=Subquery(newest_of_museum))
    framework = FrameworkVersion.objects.current()
    areas = list(Recommendation.objects.filter(framework=framework).order_by("number")) if framework else []
    dimensions = (
        list(
            Dimension.objects.filter(recommendation__framework=framework).order_by(
                "recommendation__number", "position"
            )
        )
        if framework
        else []
    )
    level_names = list(framework.levels.order_by("level").values_list("name", flat=True)) if framework else []

    counts = Assessment.objects.aggregate(
        submitted=Count("pk", filter=Q(status=AssessmentStatus.SUBMITTED)),
        drafts=Count("pk", filter=Q(status=AssessmentStatus.DRAFT)),
        museums_assessed=Count("museum", filter=Q(status=AssessmentStatus.SUBMITTED), distinct=True),
    )
    # The level fully reached: floor of the overall score, as scoring.py names it.
    level_bucket = Case(
        *[When(overall_score__gte=level, then=Value(level)) for level in (4, 3, 2, 1)],
        When(overall_score__isnull=False, then=Value(0)),
        default=Value(None),
        output_field=IntegerField(),
    )
    by_level = dict(
        submitted.annotate(level=level_bucket)
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    level_counts = [
        (level, level_names[level] if level < len(level_names) else str(level), by_level.get(level, 0))
        for level in range(5)
    ]
    if by_level.get(None):
        level_counts.append((None, str(_("Not scored")), by_level[None]))

    area_rows = (
        AreaScore.objects.filter(assessment__in=submitted)
        .values(f"assessment__{group_field}", "number")
        .annotate(mean=Avg("score"))
    )
    overall_area = dict(
        AreaScore.objects.filter(assessment__in=submitted)
        .values("number")
        .annotate(mean=Avg("score"))
        .values_list("number", "mean")
    )
    # Dimensions are matched on their slug, so assessments on every framework version count alike.
    dimension_rows = (
        DimensionScore.objects.filter(assessment__in=submitted)
        .values(f"assessment__{group_field}", "dimension__slug")
        .annotate(mean=Avg("score"))
    )
    group_sizes: dict[str, int] = dict(
        submitted.values(group_field).annotate(n=Count("pk")).values_list(group_field, "n")
    )
    area_means: dict[tuple[str, int], float | None] = {
        (row[f"assessment__{group_field}"], row["number"]): row["mean"] for row in area_rows
    }
    dimension_means: dict[tuple[str, str], float | None] = {
        (row[f"assessment__{group_field}"], row["dimension__slug"]): row["mean"] for row in dimension_rows
    }
    groups = sorted(
        (
            GroupRow(
                key=key,
                label=_label(by, key),
                assessments=size,
                area_means=[area_means.get((key, number)) for number in AREA_NUMBERS],
                dimension_means=[dimension_means.get((key, d.slug)) for d in dimensions],
            )
            for key, size in group_sizes.items()
        ),
        key=lambda group: group.label,
    )
    return SectorOverview(
        by=by,
        by_label=str(by_label),
        museums=Museum.objects.count(),
        museums_assessed=counts["museums_assessed"],
        submitted=counts["submitted"],
        drafts=counts["drafts"],
        level_counts=level_counts,
        areas=areas,
        dimensions=dimensions,
        overall_area_means=[overall_area.get(number) for number in AREA_NUMBERS],
        groups=groups,
    )


def overview_csv_rows(overview: SectorOverview):
    """The aggregates as rows: one per group and area or dimension."""
    for group in overview.groups:
        for area, mean in zip(overview.areas, group.area_means, strict=False):
            yield [overview.by, group.key, group.label, group.assessments, "area", area.number, _round(mean)]
        for dimension, mean in zip(overview.dimensions, group.dimension_means, strict=True):
            yield [
                overview.by,
                group.key,
                group.label,
                group.assessments,
                "dimension",
                dimension.slug,
                _round(mean),
            ]


OVERVIEW_CSV_HEADER = [
    "breakdown",
    "group",
    "group_label",
    "submitted_assessments",
    "kind",
    "item",
    "mean_score",
]


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)
