"""The sector summary: each museum's latest submitted assessment per year, in one row, kept current.

NEMO's overview, the museums' benchmarks and the open data aggregate this table
(``SectorResult``), never the assessments themselves: one row per museum and
year with its group columns and its stored scores, so that every figure is one
aggregate over at most one row per museum, fast at 100,000 assessments.

It is kept current by ``refresh``, called wherever what it holds can change:
scores stored for a submitted assessment (a submission), a museum's details or
its choice to be counted, an assessment deleted by NEMO. A deleted museum's rows
go with it (cascade). ``manage.py rebuild_sector_results`` recomputes it all;
tests check it equals a recomputation from scratch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.models import (
    SECTOR_DUTY_SLOTS,
    SECTOR_ITEM_SLOTS,
    Answer,
    AreaScore,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    Museum,
    SectorResult,
    SectorSlot,
)
from recommendations.models import Question

# What a duty column holds besides a level 0-4 (empty: the version has no such question).
DUTY_NOT_APPLICABLE = -1  # answered "not applicable"
DUTY_EXEMPT = -2  # the museum gave a reason the duty does not apply to it
DUTY_UNANSWERED = -3

ITEM_KINDS = ("area", "dimension")
BATCH = 500


def slot_numbers(kind: str, slugs: Iterable[str]) -> dict[str, int]:
    """The summary column of each slug, giving the next free one to a slug never seen (one query if none)."""
    wanted = set(slugs)
    known = dict(SectorSlot.objects.filter(kind=kind, slug__in=wanted).values_list("slug", "number"))
    for slug in sorted(wanted - known.keys()):
        known[slug] = _new_slot(kind, slug)
    return known


def _slot_space(kind: str) -> tuple[str, ...]:
    # Areas and dimensions share the item columns; a slug is given per kind within that space.
    return ITEM_KINDS if kind in ITEM_KINDS else (kind,)


def _new_slot(kind: str, slug: str) -> int:
    limit = SECTOR_ITEM_SLOTS if kind in ITEM_KINDS else SECTOR_DUTY_SLOTS
    for _attempt in range(3):
        taken = set(SectorSlot.objects.filter(kind__in=_slot_space(kind)).values_list("number", flat=True))
        free = next((number for number in range(1, limit + 1) if number not in taken), None)
        if free is None:
            raise RuntimeError(
                f"The sector summary has no free {kind} column for {slug!r}: raise the number of slots "
                "in assessment/models.py and migrate."
            )
        try:
            with transaction.atomic():
                SectorSlot.objects.create(kind=kind, slug=slug, number=free)
            return free
        except IntegrityError:  # another process took it at the same moment: read again
            existing = (
                SectorSlot.objects.filter(kind=kind, slug=slug).values_list("number", flat=True).first()
            )
            if existing is not None:
                return existing
    raise RuntimeError(f"Could not give {kind} {slug!r} a sector summary column.")


def item_slots() -> dict[tuple[str, str], int]:
    """Every (kind, slug) given a column so far (one query)."""
    return {
        (kind, slug): number
        for kind, slug, number in SectorSlot.objects.values_list("kind", "slug", "number")
    }


def refresh(museum_ids: Iterable[int]) -> None:
    """Recompute these museums' summary rows from their submitted assessments (8 queries per 500)."""
    ids = sorted(set(museum_ids))
    for start in range(0, len(ids), BATCH):
        _refresh_batch(ids[start : start + BATCH])


def rebuild() -> int:
    """Recompute the whole summary from the assessments; returns the number of rows."""
    museum_ids = Museum.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    while batch := list(islice(museum_ids, BATCH)):
        _refresh_batch(batch)
    SectorResult.objects.exclude(museum__in=Museum.objects.all()).delete()
    return SectorResult.objects.count()


@transaction.atomic
def _refresh_batch(museum_ids: list[int]) -> None:
    # Locking the museums serialises two refreshes of the same museum (two submissions at once).
    museums = {
        row["pk"]: row
        for row in Museum.objects.select_for_update()
        .filter(pk__in=museum_ids)
        .values("pk", "country", "museum_type", "size_band", "in_sector_figures")
    }
    chosen = list(_latest_per_year(m for m in museums.values() if m["in_sector_figures"]))
    SectorResult.objects.filter(museum_id__in=museum_ids).delete()
    if not chosen:
        return
    assessment_ids = [row["pk"] for row in chosen]
    item_values: dict[int, dict[tuple[str, str], tuple[float | None, int | None]]] = defaultdict(dict)
    for kind, model, field in (
        ("area", AreaScore, "area__slug"),
        ("dimension", DimensionScore, "dimension__slug"),
    ):
        for assessment_id, slug, score, level in model.objects.filter(
            assessment_id__in=assessment_ids
        ).values_list("assessment_id", field, "score", "level"):
            item_values[assessment_id][(kind, slug)] = (score, level)
    duty_values = _duty_values(chosen)
    slots: dict[tuple[str, str], int] = {}
    for kind in ("area", "dimension"):
        slugs = {slug for values in item_values.values() for k, slug in values if k == kind}
        slots.update({(kind, slug): n for slug, n in slot_numbers(kind, slugs).items()})
    duty_slots = slot_numbers("duty", {slug for values in duty_values.values() for slug in values})
    SectorResult.objects.bulk_create(
        [
            _summary_row(
                row,
                museums[row["museum_id"]],
                {
                    f"{prefix}_{slots[key]}": value
                    for key, pair in item_values[row["pk"]].items()
                    for prefix, value in zip(("score", "level"), pair, strict=True)
                },
                {f"duty_{duty_slots[slug]}": value for slug, value in duty_values[row["pk"]].items()},
            )
            for row in chosen
        ],
        batch_size=1000,
    )


def _latest_per_year(museums: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Per museum and year its latest submitted assessment; ``latest`` marks the latest of all."""
    ids = [museum["pk"] for museum in museums]
    if not ids:
        return
    rows = (
        Assessment.objects.filter(museum_id__in=ids, status=AssessmentStatus.SUBMITTED)
        .order_by("museum_id", "submitted_at", "pk")
        .values(
            "pk",
            "museum_id",
            "submitted_at",
            "ai_stance",
            "uses_ai",
            "framework_id",
            "framework__version",
            "overall_score",
            "overall_level",
        )
    )
    per_museum_year: dict[tuple[int, int], dict[str, Any]] = {}
    latest_of_museum: dict[int, int] = {}
    for row in rows:  # oldest first, so each later one replaces the earlier
        row["year"] = timezone.localtime(row["submitted_at"]).year
        per_museum_year[(row["museum_id"], row["year"])] = row
        latest_of_museum[row["museum_id"]] = row["pk"]
    for row in per_museum_year.values():
        row["latest"] = latest_of_museum[row["museum_id"]] == row["pk"]
        yield row


def _duty_values(chosen: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    """Per assessment and duty question of its version (by slug): the answer, as its column holds it."""
    versions = {row["framework_id"] for row in chosen}
    duty_slugs: dict[int, dict[int, str]] = defaultdict(dict)  # framework -> question id -> slug
    for question_id, slug, framework_id in Question.objects.filter(
        legal_duty=True, dimension__recommendation__framework_id__in=versions
    ).values_list("pk", "slug", "dimension__recommendation__framework_id"):
        duty_slugs[framework_id][question_id] = slug
    values = {
        row["pk"]: dict.fromkeys(duty_slugs[row["framework_id"]].values(), DUTY_UNANSWERED) for row in chosen
    }
    framework_of = {row["pk"]: row["framework_id"] for row in chosen}
    question_ids = [question_id for questions in duty_slugs.values() for question_id in questions]
    for assessment_id, question_id, level, not_applicable, exemption in Answer.objects.filter(
        assessment_id__in=values, question_id__in=question_ids
    ).values_list("assessment_id", "question_id", "level", "not_applicable", "duty_exemption"):
        slug = duty_slugs[framework_of[assessment_id]][question_id]
        if exemption:
            values[assessment_id][slug] = DUTY_EXEMPT
        elif not_applicable:
            values[assessment_id][slug] = DUTY_NOT_APPLICABLE
        elif level is not None:
            values[assessment_id][slug] = level
    return values


def _summary_row(
    row: dict[str, Any], museum: dict[str, Any], items: dict[str, Any], duties: dict[str, int]
) -> SectorResult:
    return SectorResult(
        museum_id=row["museum_id"],
        assessment_id=row["pk"],
        year=row["year"],
        latest=row["latest"],
        country=museum["country"],
        museum_type=museum["museum_type"],
        size_band=museum["size_band"],
        ai_stance=row["ai_stance"],
        uses_ai=row["uses_ai"],
        framework_version=row["framework__version"],
        overall_score=row["overall_score"],
        overall_level=row["overall_level"],
        **items,
        **duties,
    )
