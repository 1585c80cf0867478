"""CSV exports: one row format per kind, streamed, safe to open in a spreadsheet.

Files start with a UTF-8 byte-order mark so that Excel reads accents correctly
(LibreOffice ignores it). Text cells that a spreadsheet would run as a formula
are neutralised with a leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from assessment.models import AREA_NUMBERS, Answer, Assessment, DimensionScore
from assessment.scoring import Result, Score, named_score
from recommendations.models import Dimension, FrameworkVersion, MaturityLevel, Question

BOM = "\ufeff"
FORMULA_PREFIXES = frozenset({"=", "+", "-", "@", "\t", "\r"})


def neutralise(value: Any) -> Any:
    """A text cell starting like a formula gets a leading apostrophe; other values pass unchanged."""
    # Called for every cell of exports with millions of cells: keep it to one cheap test.
    if value.__class__ is str and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _when(value, tz=None) -> str:
    """Local time to the minute; loops pass ``tz``: looking up the zone costs more than formatting."""
    if not value:
        return ""
    return value.astimezone(tz or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")


def _number(value: float | None, digits: int = 2) -> float | str:
    return "" if value is None else round(value, digits)


# --- One assessment's scores, as its museum's staff export them ----------------------
# (Its answers export through long_rows below, like NEMO's.)

SCORE_HEADER = ["kind", "area", "dimension", "score", "percent", "level_name", "target", "gap", "priority"]


def assessment_score_rows(framework: FrameworkVersion, result: Result) -> Iterator[list[Any]]:
    """The overall score, then per area, then per dimension with target, gap and priority."""
    yield ["overall", "", "", *_score_cells(result.overall), "", "", ""]
    for area, area_result in zip(framework.recommendations.all(), result.areas, strict=True):
        area_name = f"{area.number}. {area.title}"
        yield ["area", area_name, "", *_score_cells(area_result.score), "", "", ""]
        for dimension, dimension_result in zip(area.dimensions.all(), area_result.dimensions, strict=True):
            yield [
                "dimension",
                area_name,
                dimension.title,
                *_score_cells(dimension_result.score),
                "" if dimension_result.target is None else dimension_result.target,
                _number(dimension_result.gap),
                _number(dimension_result.priority if dimension_result.gap is not None else None),
            ]


def _score_cells(score: Score) -> list[Any]:
    return [
        _number(score.value),
        "" if score.percent is None else score.percent,
        score.level_name or "not scored",
    ]


def _name(first: str | None, last: str | None, email: str | None) -> str:
    """Who answered; empty when that account has since been deleted."""
    return " ".join(part for part in (first, last) if part) or email or ""


def assessment_filename(assessment: Assessment, kind: str) -> str:
    date = timezone.localtime(assessment.submitted_at or assessment.created_at).strftime("%Y-%m-%d")
    return f"museumai-assessment-{assessment.pk}-{date}-{kind}.csv"


# --- Many assessments, as NEMO exports them (admin actions, export_assessments) -----------

MUSEUM_HEADER = ["assessment_id", "museum", "country", "museum_type", "size_band"]

LONG_HEADER = [
    *MUSEUM_HEADER,
    "status",
    "submitted_at",
    "area",
    "dimension_slug",
    "dimension",
    "question_slug",
    "question",
    "legal_reference",
    "level",
    "level_name",
    "not_applicable",
    "not_applicable_reason",
    "note",
    "answered_by",
    "answered_at",
]

_ASSESSMENT_COLUMNS = (
    "pk",
    "framework_id",
    "museum__name",
    "museum__country",
    "museum__museum_type",
    "museum__size_band",
    "status",
    "submitted_at",
)


def _level_names(framework_ids) -> dict[int, tuple[str, ...]]:
    names: dict[int, list[str]] = {}
    for framework_id, name in (
        MaturityLevel.objects.filter(framework_id__in=framework_ids)
        .order_by("framework_id", "level")
        .values_list("framework_id", "name")
    ):
        names.setdefault(framework_id, []).append(name)
    return {framework_id: tuple(level_names) for framework_id, level_names in names.items()}


def _framework_ids(assessments: QuerySet[Assessment]) -> list[int]:
    return list(assessments.order_by().values_list("framework_id", flat=True).distinct())


def _museum_cells(row: tuple) -> list[Any]:
    _pk, _framework_id, name, country, museum_type, size_band, *_rest = row
    return [row[0], name, country, museum_type, size_band]


def long_rows(assessments: QuerySet[Assessment], *, include_unanswered: bool = False) -> Iterator[list[Any]]:
    """One row per answer (or per question, with ``include_unanswered``), streamed.

    Four queries whatever the number of assessments: level names, questions,
    then the assessments and their answers as two ordered streams merged here.
    """
    framework_ids = _framework_ids(assessments)
    level_names = _level_names(framework_ids)
    questions_by_framework: dict[int, list[tuple]] = {}
    for row in (
        Question.objects.filter(dimension__recommendation__framework_id__in=framework_ids)
        .order_by("dimension__recommendation__number", "dimension__position", "position")
        .values_list(
            "dimension__recommendation__framework_id",
            "pk",
            "dimension__recommendation__number",
            "dimension__slug",
            "dimension__title",
            "slug",
            "text",
            "legal_reference",
        )
    ):
        # (question id, [area, dimension slug, dimension, question slug, question, legal reference])
        questions_by_framework.setdefault(row[0], []).append((row[1], list(row[2:])))
    answers = (
        Answer.objects.filter(assessment__in=assessments)
        .order_by("assessment_id")
        .values_list(
            "assessment_id",
            "question_id",
            "level",
            "not_applicable",
            "not_applicable_reason",
            "note",
            "answered_by__first_name",
            "answered_by__last_name",
            "answered_by__email",
            "answered_at",
        )
        .iterator(chunk_size=5000)
    )
    pending = next(answers, None)
    tz = timezone.get_current_timezone()
    for assessment in assessments.order_by("pk").values_list(*_ASSESSMENT_COLUMNS).iterator(chunk_size=2000):
        assessment_id, framework_id = assessment[0], assessment[1]
        own = {}
        while pending is not None and pending[0] <= assessment_id:
            if pending[0] == assessment_id:
                own[pending[1]] = pending
            pending = next(answers, None)
        names = level_names.get(framework_id, ())
        prefix = [*_museum_cells(assessment), assessment[6], _when(assessment[7], tz)]
        for question_id, question_cells in questions_by_framework.get(framework_id, []):
            answer = own.get(question_id)
            if answer is None and not include_unanswered:
                continue
            level = answer[2] if answer else None
            yield [
                *prefix,
                *question_cells,
                "" if level is None else level,
                names[level] if level is not None and level < len(names) else "",
                "yes" if answer and answer[3] else "no",
                answer[4] if answer else "",
                answer[5] if answer else "",
                _name(*answer[6:9]) if answer else "",
                _when(answer[9], tz) if answer else "",
            ]


def wide_header(assessments: QuerySet[Assessment]) -> list[str]:
    return [
        *MUSEUM_HEADER,
        "city",
        "framework_version",
        "status",
        "started_at",
        "submitted_at",
        "answered",
        "applicable",
        "overall_score",
        "overall_percent",
        "overall_level",
        *[f"area_{number}_score" for number in AREA_NUMBERS],
        *[f"dimension_{slug}" for slug in _dimension_slugs(assessments)],
        "compliance_flag_count",
        "compliance_flags",
    ]


def _dimension_slugs(assessments: QuerySet[Assessment]) -> list[str]:
    slugs = (
        Dimension.objects.filter(recommendation__framework_id__in=_framework_ids(assessments))
        .order_by("recommendation__number", "position")
        .values_list("slug", flat=True)
    )
    return list(dict.fromkeys(slugs))


def wide_rows(assessments: QuerySet[Assessment]) -> Iterator[list[Any]]:
    """One row per assessment with its stored scores, streamed in a fixed number of queries."""
    slugs = _dimension_slugs(assessments)
    level_names = _level_names(_framework_ids(assessments))
    dimension_scores = (
        DimensionScore.objects.filter(assessment__in=assessments)
        .order_by("assessment_id")
        .values_list("assessment_id", "dimension__slug", "score")
        .iterator(chunk_size=5000)
    )
    pending = next(dimension_scores, None)
    columns = (
        *_ASSESSMENT_COLUMNS,
        "museum__city",
        "framework__version",
        "created_at",
        "answered_count",
        "applicable_count",
        "overall_score",
        *[f"area_{number}_score" for number in AREA_NUMBERS],
        "compliance_flags",
    )
    rows = assessments.with_scores().order_by("pk").values_list(*columns).iterator(chunk_size=2000)
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        own: dict[str, float | None] = {}
        while pending is not None and pending[0] <= values["pk"]:
            if pending[0] == values["pk"]:
                own[pending[1]] = pending[2]
            pending = next(dimension_scores, None)
        overall = named_score(values["overall_score"], level_names.get(values["framework_id"], ()))
        flags = [flag for flag in values["compliance_flags"].splitlines() if flag]
        yield [
            *_museum_cells(row),
            values["museum__city"],
            values["framework__version"],
            values["status"],
            _when(values["created_at"]),
            _when(values["submitted_at"]),
            values["answered_count"],
            values["applicable_count"],
            _number(overall.value),
            "" if overall.percent is None else overall.percent,
            overall.level_name,
            *[_number(values[f"area_{number}_score"]) for number in AREA_NUMBERS],
            *[_number(own.get(slug)) for slug in slugs],
            len(flags),
            "; ".join(flags),
        ]
