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

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from assessment.models import (
    SECTOR_ITEM_SLOTS,
    SECTOR_QUESTION_SLOTS,
    SECTOR_SCORE_SCALE,
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

# What an answer column holds besides a level 0-4 (empty: the version has no such question).
ANSWER_NOT_APPLICABLE = -1  # answered "not applicable"
ANSWER_EXEMPT = -2  # a legal duty the museum gave a reason for not applying to it
ANSWER_UNANSWERED = -3

ITEM_KINDS = ("area", "dimension")
# What a summary row says, its museum first: every field but its id.
CONTENT_FIELDS = [
    "museum_id",
    *(f.attname for f in SectorResult._meta.concrete_fields if f.attname not in ("id", "museum_id")),
]
T = TypeVar("T")
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
    limit = SECTOR_ITEM_SLOTS if kind in ITEM_KINDS else SECTOR_QUESTION_SLOTS
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
    """Recompute these museums' summary rows from their submitted assessments (9 queries per 500)."""
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
    museums: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in Museum.objects.select_for_update()
        .filter(pk__in=museum_ids)
        .values("pk", "country", "museum_type", "size_band", "in_sector_figures")
    }
    chosen = list(_latest_per_year(m for m in museums.values() if m["in_sector_figures"]))
    rows = _summary_rows(chosen, museums) if chosen else []
    # A museum whose rows would come out the same keeps them, ids included: the summary changes
    # (and NEMO's cached figures and the open data count a change) only when its figures do.
    stored: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for values in SectorResult.objects.filter(museum_id__in=museum_ids).values_list(*CONTENT_FIELDS):
        stored[values[0]].add(values)
    computed: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for row in rows:
        computed[row.museum_id].add(tuple(getattr(row, field) for field in CONTENT_FIELDS))
    changed = [museum_id for museum_id in museum_ids if stored[museum_id] != computed[museum_id]]
    if not changed:
        return
    SectorResult.objects.filter(museum_id__in=changed).delete()
    wanted = set(changed)
    SectorResult.objects.bulk_create([row for row in rows if row.museum_id in wanted], batch_size=1000)


def _summary_rows(chosen: list[dict[str, Any]], museums: dict[int, dict[str, Any]]) -> list[SectorResult]:
    """The summary rows of these assessments (chosen by ``_latest_per_year``), not yet saved."""
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
    answer_values = _answer_values(chosen)
    slots: dict[tuple[str, str], int] = {}
    for kind in ("area", "dimension"):
        slugs = {slug for values in item_values.values() for k, slug in values if k == kind}
        slots.update({(kind, slug): n for slug, n in slot_numbers(kind, slugs).items()})
    question_slots = slot_numbers("question", {slug for values in answer_values.values() for slug in values})
    return [
        _summary_row(
            row,
            museums[row["museum_id"]],
            {
                column: value
                for key, (score, level) in item_values[row["pk"]].items()
                for column, value in (
                    (f"score_{slots[key]}", stored_score(score)),
                    (f"level_{slots[key]}", level),
                )
            },
            {f"answer_{question_slots[slug]}": value for slug, value in answer_values[row["pk"]].items()},
        )
        for row in chosen
    ]


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
    for values in rows:  # oldest first, so each later one replaces the earlier
        row: dict[str, Any] = dict(values)
        row["year"] = timezone.localtime(row["submitted_at"]).year
        per_museum_year[(row["museum_id"], row["year"])] = row
        latest_of_museum[row["museum_id"]] = row["pk"]
    for chosen in per_museum_year.values():
        chosen["latest"] = latest_of_museum[chosen["museum_id"]] == chosen["pk"]
        yield chosen


def _answer_values(chosen: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    """Per assessment and question of its version (by slug): the answer, as its column holds it."""
    versions = {row["framework_id"] for row in chosen}
    slugs: dict[int, dict[int, str]] = defaultdict(dict)  # framework -> question id -> slug
    for question_id, slug, framework_id in Question.objects.filter(
        dimension__recommendation__framework_id__in=versions
    ).values_list("pk", "slug", "dimension__recommendation__framework_id"):
        slugs[framework_id][question_id] = slug
    values = {
        row["pk"]: dict.fromkeys(slugs[row["framework_id"]].values(), ANSWER_UNANSWERED) for row in chosen
    }
    framework_of = {row["pk"]: row["framework_id"] for row in chosen}
    for assessment_id, question_id, level, not_applicable, exemption in Answer.objects.filter(
        assessment_id__in=values
    ).values_list("assessment_id", "question_id", "level", "not_applicable", "duty_exemption"):
        question_slug = slugs[framework_of[assessment_id]].get(question_id)
        if question_slug is None:
            continue
        if exemption:
            values[assessment_id][question_slug] = ANSWER_EXEMPT
        elif not_applicable:
            values[assessment_id][question_slug] = ANSWER_NOT_APPLICABLE
        elif level is not None:
            values[assessment_id][question_slug] = level
    return values


def stored_score(score: float | None) -> int | None:
    """A score as a summary column holds it: in hundredths, rounded."""
    return None if score is None else round(score * SECTOR_SCORE_SCALE)


def _summary_row(
    row: dict[str, Any], museum: dict[str, Any], items: dict[str, Any], answers: dict[str, int]
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
        **answers,
    )


# --- Aggregates over the summary ----------------------------------------------------------------
# A page of sector figures asks for hundreds of filtered counts in one query. Built with the ORM,
# compiling them costs more than the database spends on 100,000 rows (about 1 ms per count), so
# they are written here as plain SQL over the summary's own columns, with every value a parameter.

SUMMARY_COLUMNS = frozenset(field.column for field in SectorResult._meta.concrete_fields)


@dataclass(frozen=True)
class Where:
    """A condition on summary rows, as SQL with its parameters; combine with &, | and ~."""

    sql: str
    params: tuple[Any, ...] = ()

    def __and__(self, other: Where) -> Where:
        return Where(f"({self.sql} AND {other.sql})", self.params + other.params)

    def __or__(self, other: Where) -> Where:
        return Where(f"({self.sql} OR {other.sql})", self.params + other.params)

    def __invert__(self) -> Where:
        return Where(f"(NOT {self.sql})", self.params)


ALWAYS = Where("1 = 1")
NEVER = Where("1 = 0")


def _column(name: str) -> str:
    if name not in SUMMARY_COLUMNS:
        raise ValueError(f"Not a column of the sector summary: {name!r}")
    return connection.ops.quote_name(name)


def equals(column: str, value: Any) -> Where:
    return Where(f"{_column(column)} = %s", (value,))


def one_of(column: str, values: Sequence[Any]) -> Where:
    if not values:
        return NEVER
    return Where(f"{_column(column)} IN ({', '.join(['%s'] * len(values))})", tuple(values))


def below(column: str, value: Any) -> Where:
    return Where(f"{_column(column)} < %s", (value,))


def is_set(column: str) -> Where:
    return Where(f"{_column(column)} IS NOT NULL")


def is_false(column: str) -> Where:
    """False, and not empty: never unknown, so ``~is_false(…)`` holds for an empty column."""
    return Where(f"{_column(column)} IS FALSE")


SUMMARY_CACHE_SECONDS = 60 * 60


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """A result computed over the summary, kept in the cache until the summary changes (one query).

    Every change to the summary deletes rows or adds new ones (``refresh`` replaces a museum's
    rows), so its row count and newest row id tell whether anything changed, in every process.
    """
    state = SectorResult.objects.aggregate(rows=Count("pk"), newest=Max("pk"))
    key = "sector:" + hashlib.sha256(repr((name, parts, state["rows"], state["newest"])).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SUMMARY_CACHE_SECONDS)
    return value


def aggregate(
    where: Where,
    group_by: Sequence[str] = (),
    *,
    counts: Mapping[str, Where],
    sums: Mapping[str, str] = {},
    group_by_conditions: Sequence[Where] = (),
) -> list[dict[str, Any]]:
    """Per group of summary rows: ``museums`` (rows), each named count, each named column's sum (one query).

    Rows are grouped by the ``group_by`` columns, then by whether each of ``group_by_conditions``
    holds (given back as ``condition_0``, ``condition_1`` …, true or false).
    """
    names = [*counts, *sums]
    params: list[Any] = []
    selected = [_column(column) for column in group_by]
    for condition in group_by_conditions:
        selected.append(f"CASE WHEN {condition.sql} THEN 1 ELSE 0 END")
        params.extend(condition.params)
    selected.append("COUNT(*)")
    for condition in counts.values():
        # FILTER: PostgreSQL, and SQLite since 3.30 (2019); evaluated faster than SUM(CASE …).
        selected.append(f"COUNT(*) FILTER (WHERE {condition.sql})")
        params.extend(condition.params)
    selected.extend(f"SUM({_column(column)})" for column in sums.values())
    sql = f"SELECT {', '.join(selected)} FROM {SectorResult._meta.db_table} WHERE {where.sql}"
    params.extend(where.params)
    grouped = len(group_by) + len(group_by_conditions)
    if grouped:
        sql += f" GROUP BY {', '.join(str(position) for position in range(1, grouped + 1))}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    conditions = [f"condition_{index}" for index in range(len(group_by_conditions))]
    keys = [*group_by, *conditions, "museums", *names]
    return [dict(zip(keys, row, strict=True)) for row in rows]
