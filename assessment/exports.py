"""CSV exports: one row format per kind, streamed, safe to open in a spreadsheet.

Files start with a UTF-8 byte-order mark so that Excel reads accents correctly
(LibreOffice ignores it). Text cells that a spreadsheet would run as a formula
are neutralised with a leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

from assessment.models import Answer, Assessment
from assessment.scoring import Result, Score
from recommendations.models import FrameworkVersion

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell starting like a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
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


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _number(value: float | None, digits: int = 2) -> float | str:
    return "" if value is None else round(value, digits)


# --- One assessment, as its museum's staff export it ------------------------------

ANSWER_HEADER = [
    "area",
    "dimension",
    "question_slug",
    "question",
    "level",
    "level_name",
    "not_applicable",
    "not_applicable_reason",
    "note",
    "answered_by",
    "answered_at",
]


def assessment_answer_rows(framework: FrameworkVersion, answers: dict[int, Answer]) -> Iterator[list[Any]]:
    """One row per question of the framework, answered or not (framework prefetched)."""
    names = {level.level: level.name for level in framework.levels.all()}
    for area in framework.recommendations.all():
        for dimension in area.dimensions.all():
            for question in dimension.questions.all():
                answer = answers.get(question.pk)
                level = answer.level if answer else None
                yield [
                    f"{area.number}. {area.title}",
                    dimension.title,
                    question.slug,
                    question.text,
                    "" if level is None else level,
                    names.get(level, "") if level is not None else "",
                    "yes" if answer and answer.not_applicable else "no",
                    answer.not_applicable_reason if answer else "",
                    answer.note if answer else "",
                    _person(answer.answered_by) if answer else "",
                    _when(answer.answered_at) if answer else "",
                ]


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


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


def assessment_filename(assessment: Assessment, kind: str) -> str:
    date = timezone.localtime(assessment.submitted_at or assessment.created_at).strftime("%Y-%m-%d")
    return f"museumai-assessment-{assessment.pk}-{date}-{kind}.csv"
