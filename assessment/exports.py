"""Exports: one generator of rows per kind, two writers (CSV for machines, XLSX for people).

Each kind of export is one generator that yields a header's worth of typed
values per row: numbers as numbers, moments as local ``datetime`` objects,
text as text. The same rows go to either writer:

- CSV (streamed; what scripts and the command line read). Files start with a
  UTF-8 byte-order mark so that Excel reads accents correctly; LibreOffice's
  default import ignores it, which is why people are offered XLSX.
- XLSX (openpyxl in write-only mode, so large exports do not sit in memory):
  numbers stay numbers and moments are real dates a spreadsheet can sort.

In both, a text cell that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) is neutralised with a
leading apostrophe; numbers are never touched, so a score of -1 stays a number.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from assessment.display import action_owner, display_name, display_name_from_parts
from assessment.models import (
    Action,
    ActionStatus,
    Answer,
    Assessment,
    AssessmentQuerySet,
    DimensionScore,
    DutyStatus,
    Museum,
    area_score_field,
)
from assessment.register import Register, class_words, role_words, timing_words
from assessment.scoring import Result, Score, level_name, percent, rounded
from recommendations.content import current_areas
from recommendations.models import Dimension, DutyExemption, FrameworkVersion, MaturityLevel, Question

BOM = "\ufeff"
FORMULA_PREFIXES = frozenset({"=", "+", "-", "@", "\t", "\r"})
# A moment to the minute, as both writers show it.
WHEN_FORMAT = "%Y-%m-%d %H:%M"
XLSX_WHEN_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_FORMATS = ("csv", "xlsx")


def neutralise(value: Any) -> Any:
    """A text cell starting like a formula gets a leading apostrophe; other values pass unchanged."""
    # Called for every cell of exports with millions of cells: keep it to one cheap test.
    if value.__class__ is str and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """A value as CSV writes it: text neutralised, a moment to the minute, the rest unchanged."""
    cls = value.__class__
    if cls is str:
        return "'" + value if value[:1] in FORMULA_PREFIXES else value
    if cls is datetime:
        return value.strftime(WHEN_FORMAT)
    return value


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([_csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_text(value: str) -> str:
    # XML cannot carry most control characters (a vertical tab pasted from a word processor):
    # openpyxl refuses them, so they are dropped rather than failing the whole download.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as an XLSX cell: numbers as numbers, a moment as a date, text neutralised."""
    cls = value.__class__
    if cls is str:
        return _xlsx_text(value)
    if value is None or cls is int or cls is float or cls is bool:
        return value
    if isinstance(value, datetime):
        # Spreadsheets have no time zones: the local time to the minute, as the CSV shows it.
        cell = WriteOnlyCell(sheet, value.replace(tzinfo=None, second=0, microsecond=0))
        cell.number_format = XLSX_WHEN_FORMAT
        return cell
    if cls is date:
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    return _xlsx_text(str(value))


def xlsx_file(header: list[str], rows: Iterable[Iterable[Any]], *, sheet_title: str) -> IO[bytes]:
    """The rows as an XLSX workbook in a temporary file, read from the start.

    openpyxl's write-only mode writes rows to disk as they come, so memory
    stays flat however many rows there are; the file is deleted once closed.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, _xlsx_text(name))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    # Handed to the response, which closes (and so deletes) it once sent.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def xlsx_response(
    filename: str, header: list[str], rows: Iterable[Iterable[Any]], *, sheet_title: str
) -> FileResponse:
    return FileResponse(
        xlsx_file(header, rows, sheet_title=sheet_title),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_CONTENT_TYPE,
    )


# A person's download names its columns in their language; NEMO's exports keep the keys above.
COLUMN_NAMES = {
    "assessment_id": _("Assessment"),
    "museum": _("Museum"),
    "country": _("Country"),
    "museum_type": _("Type of museum"),
    "size_band": _("Size"),
    "status": _("Status"),
    "submitted_at": _("Submitted"),
    "area": _("Area"),
    "dimension_slug": _("Dimension key"),
    "dimension": _("Dimension"),
    "question_slug": _("Question key"),
    "question": _("Question"),
    "legal_reference": _("Legal reference"),
    "level": _("Level"),
    "level_name": _("Level name"),
    "not_applicable": _("Not applicable"),
    "not_applicable_reason": _("Why not applicable"),
    "duty_does_not_apply": _("Why the duty does not apply"),
    "note": _("Note or evidence"),
    "answered_by": _("Answered by"),
    "answered_at": _("Answered"),
    "language": _("Language"),
    "kind": _("Kind"),
    "score": _("Score (0–4)"),
    "percent": _("Percent"),
    "target": _("Target"),
    "gap": _("Gap"),
    "priority": _("Priority"),
    "action_id": _("Action"),
    "title": _("Title"),
    "description": _("Description"),
    "owner": _("Owner"),
    "due_date": _("Due date"),
    "overdue": _("Overdue"),
    "status_note": _("Note on the status"),
    "done_on": _("Done on"),
    "created_by": _("Created by"),
    "created_at": _("Created"),
    "updated_by": _("Changed by"),
    "updated_at": _("Changed"),
    "system_id": _("AI system"),
    "name": _("Name"),
    "supplier": _("Supplier"),
    "use": _("Use"),
    "purpose": _("What it does"),
    "started_on": _("In use since"),
    "next_review_on": _("Next review"),
    "role": _("Role of the museum"),
    "risk_classes": _("Risk class (AI Act)"),
    "triage_complete": _("Triage complete"),
    "duty": _("Duty"),
    "duty_reference": _("Duty: legal reference"),
    "duty_applies_from": _("Duty applies from"),
    "duty_timing": _("Duty: current or coming"),
    "duty_status": _("Duty: status"),
    "duty_note": _("Duty: note"),
    "duty_evidence": _("Duty: evidence"),
    "notes": _("Notes"),
    "evidence": _("Evidence and links"),
}


def column_names(header: list[str]) -> list[str]:
    """The header of a person's download, in their language (unknown keys stay as they are)."""
    return [str(COLUMN_NAMES.get(key, key)) for key in header]


def download(
    file_format: str, name: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """The rows as a file a person downloads: ``name``.csv, or ``name``.xlsx for ``file_format="xlsx"``.

    ``name`` without its extension also names the XLSX sheet's tab (cut to 31 characters).
    """
    if file_format == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows, sheet_title=_sheet_title(name))
    return csv_response(f"{name}.csv", header, rows)


def _sheet_title(name: str) -> str:
    # A sheet's title may not hold []:*?/\ and is at most 31 characters.
    return name.removeprefix("museumai-").translate(str.maketrans("", "", "[]:*?/\\"))[:31] or "export"


def _when(value, tz=None) -> datetime | None:
    """A stored moment in local time; loops pass ``tz``: looking up the zone costs more than converting.

    The writers show it to the minute (CSV as text, XLSX as a date).
    """
    if not value:
        return None
    return value.astimezone(tz or timezone.get_current_timezone())


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
                dimension_result.target,
                rounded(dimension_result.gap),
                rounded(dimension_result.priority if dimension_result.gap is not None else None),
            ]


def _score_cells(score: Score) -> list[Any]:
    return [rounded(score.value), score.percent, score.level_name or "not scored"]


def assessment_file_name(assessment: Assessment, kind: str) -> str:
    """The name of one assessment's download, without its extension (``.csv`` or ``.xlsx``)."""
    date = timezone.localtime(assessment.submitted_at or assessment.created_at).strftime("%Y-%m-%d")
    return f"museumai-assessment-{assessment.pk}-{date}-{kind}"


# --- Many assessments, as NEMO exports them (admin actions, export_assessments) -----------

# A legal-duty column's value when the museum stated that the duty does not apply to it.
DUTY_DOES_NOT_APPLY = "does not apply"

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
    "duty_does_not_apply",
    "note",
    "answered_by",
    "answered_at",
    # The language of the text cells (question, dimension, level names): the exporting person's.
    "language",
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

    Six queries whatever the number of assessments: level names, dimension titles, questions, the
    reasons a duty may not apply, then the assessments and their answers as two ordered streams
    merged here.
    """
    framework_ids = _framework_ids(assessments)
    level_names = _level_names(framework_ids)
    # Titles from the dimensions themselves: a translated field read across a relation
    # ("dimension__title") would give the English whatever the reader's language.
    dimension_titles = dict(
        Dimension.objects.filter(recommendation__framework_id__in=framework_ids).values_list("pk", "title")
    )
    questions_by_framework: dict[int, list[tuple]] = {}
    for framework_id, pk, area, dimension_id, dimension_slug, slug, text, reference in (
        Question.objects.filter(dimension__recommendation__framework_id__in=framework_ids)
        .order_by("dimension__recommendation__number", "dimension__position", "position")
        .values_list(
            "dimension__recommendation__framework_id",
            "pk",
            "dimension__recommendation__number",
            "dimension_id",
            "dimension__slug",
            "slug",
            "text",
            "legal_reference",
        )
    ):
        # (question id, [area, dimension slug, dimension, question slug, question, legal reference])
        questions_by_framework.setdefault(framework_id, []).append(
            (pk, [area, dimension_slug, dimension_titles[dimension_id], slug, text, reference])
        )
    # The reasons a museum may give that a duty does not apply, in words, by question and slug.
    reasons = {
        (question_id, slug): text
        for question_id, slug, text in DutyExemption.objects.filter(
            question__dimension__recommendation__framework_id__in=framework_ids
        ).values_list("question_id", "slug", "text")
    }
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
            "duty_exemption",
            "answered_by__first_name",
            "answered_by__last_name",
            "answered_by__email",
            "answered_at",
        )
        .iterator(chunk_size=5000)
    )
    pending = next(answers, None)
    tz = timezone.get_current_timezone()
    language = translation.get_language() or "en"
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
                level,
                level_name(level, names),
                "yes" if answer and answer[3] else "no",
                answer[4] if answer else "",
                reasons.get((question_id, answer[6]), answer[6]) if answer and answer[6] else "",
                answer[5] if answer else "",
                display_name_from_parts(*answer[7:10], fallback="") if answer else "",
                _when(answer[10], tz) if answer else None,
                language,
            ]


def wide_header(assessments: QuerySet[Assessment]) -> list[str]:
    framework_ids = _framework_ids(assessments)
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
        *[area_score_field(area) for area in current_areas()],
        *[f"dimension_{slug}" for slug in _dimension_slugs(framework_ids)],
        "compliance_flag_count",
        *[f"legal_duty_{slug}" for slug in _legal_duty_slugs(framework_ids)],
        "language",  # of the level names
    ]


def _dimension_slugs(framework_ids: list[int]) -> list[str]:
    slugs = (
        Dimension.objects.filter(recommendation__framework_id__in=framework_ids)
        .order_by("recommendation__number", "position")
        .values_list("slug", flat=True)
    )
    return list(dict.fromkeys(slugs))


def _legal_duty_slugs(framework_ids: list[int]) -> list[str]:
    """The legal-duty questions: the wide export gives each its own column, the level answered."""
    slugs = (
        Question.objects.filter(dimension__recommendation__framework_id__in=framework_ids, legal_duty=True)
        .order_by("dimension__recommendation__number", "dimension__position", "position")
        .values_list("slug", flat=True)
    )
    return list(dict.fromkeys(slugs))


class _PerAssessment:
    """An ordered stream of ``(assessment_id, key, value)`` rows, taken one assessment at a time.

    The outer loop walks assessments in id order; each call hands over that
    assessment's rows as a dict, so the stream is read once, alongside.
    """

    def __init__(self, rows: Iterator[tuple[int, str, Any]]):
        self._rows = rows
        self._pending = next(rows, None)

    def take(self, assessment_id: int) -> dict[str, Any]:
        own = {}
        while self._pending is not None and self._pending[0] <= assessment_id:
            if self._pending[0] == assessment_id:
                own[self._pending[1]] = self._pending[2]
            self._pending = next(self._rows, None)
        return own


def wide_rows(assessments: AssessmentQuerySet) -> Iterator[list[Any]]:
    """One row per assessment with its stored scores, streamed in a fixed number of queries.

    The compliance flag count is the stored one; each legal-duty question has
    its own column with the level answered (empty when not answered or not
    applicable, "does not apply" when the museum stated so), because legal
    references themselves contain separators.
    """
    framework_ids = _framework_ids(assessments)
    slugs = _dimension_slugs(framework_ids)
    legal_slugs = _legal_duty_slugs(framework_ids)
    areas = current_areas()
    area_fields = [area_score_field(area) for area in areas]
    level_names = _level_names(framework_ids)
    dimension_scores = _PerAssessment(
        DimensionScore.objects.filter(assessment__in=assessments)
        .order_by("assessment_id")
        .values_list("assessment_id", "dimension__slug", "score")
        .iterator(chunk_size=5000)
    )
    legal_answers = _PerAssessment(
        (assessment_id, slug, DUTY_DOES_NOT_APPLY if exempt else level)
        for assessment_id, slug, level, exempt in Answer.objects.filter(
            assessment__in=assessments, question__legal_duty=True
        )
        .order_by("assessment_id")
        .values_list("assessment_id", "question__slug", "level", "duty_exemption")
        .iterator(chunk_size=5000)
    )
    columns = (
        *_ASSESSMENT_COLUMNS,
        "museum__city",
        "framework__version",
        "created_at",
        "answered_count",
        "applicable_count",
        "overall_score",
        "overall_level",
        *area_fields,
        "compliance_flags",
    )
    tz = timezone.get_current_timezone()
    language = translation.get_language() or "en"
    rows = assessments.with_area_scores(areas).order_by("pk").values_list(*columns).iterator(chunk_size=2000)
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        own_scores = dimension_scores.take(values["pk"])
        own_levels = legal_answers.take(values["pk"])
        yield [
            *_museum_cells(row),
            values["museum__city"],
            values["framework__version"],
            values["status"],
            _when(values["created_at"], tz),
            _when(values["submitted_at"], tz),
            values["answered_count"],
            values["applicable_count"],
            rounded(values["overall_score"]),
            percent(values["overall_score"]),
            level_name(values["overall_level"], level_names.get(values["framework_id"], ())),
            *[rounded(values[field]) for field in area_fields],
            *[rounded(own_scores.get(slug)) for slug in slugs],
            sum(1 for flag in values["compliance_flags"].splitlines() if flag),
            *[own_levels.get(slug) for slug in legal_slugs],
            language,
        ]


# --- A museum's action plan, as its staff download it -----------------------------------------

PLAN_HEADER = [
    "action_id",
    "title",
    "status",
    "due_date",
    "overdue",
    "owner",
    "area",
    "dimension_slug",
    "dimension",
    "question_slug",
    "question",
    "description",
    "status_note",
    "done_on",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
]


def plan_rows(actions: QuerySet[Action], *, today: date) -> Iterator[list[Any]]:
    """One row per action, streamed in one query: pass ``plan.plan_actions`` (dimension, question and
    owner selected); the people who created and last changed each action are joined here.

    Texts are in the reader's language: the dimension and the question from the instances
    themselves (a translated field read across a relation would be English), the status in words.
    """
    tz = timezone.get_current_timezone()
    statuses = {status.value: str(status.label) for status in ActionStatus}
    for action in actions.select_related("created_by", "updated_by").iterator(chunk_size=2000):
        dimension, question = action.dimension, action.question
        # A member by name, else the name typed in; empty when nobody owns it yet.
        owner = action_owner(action)
        yield [
            action.pk,
            action.title,
            statuses.get(action.status, action.status),
            action.due_date,
            "yes" if action.is_overdue(today) else "no",
            owner,
            dimension.recommendation.number if dimension else None,
            dimension.slug if dimension else "",
            dimension.title if dimension else "",
            question.slug if question else "",
            question.text if question else "",
            action.description,
            action.status_note,
            action.done_on,
            display_name(action.created_by) if action.created_by_id else "",
            _when(action.created_at, tz),
            display_name(action.updated_by) if action.updated_by_id else "",
            _when(action.updated_at, tz),
        ]


def plan_file_name(museum: Museum, today: date) -> str:
    """The name of a museum's plan download, without its extension."""
    return f"museumai-plan-{museum.pk}-{today:%Y-%m-%d}"


# --- A museum's AI register, as its staff download it -----------------------------------------

REGISTER_HEADER = [
    "system_id",
    "name",
    "supplier",
    "use",
    "purpose",
    "owner",
    "started_on",
    "next_review_on",
    "role",
    "risk_classes",
    "triage_complete",
    "duty",
    "duty_reference",
    "duty_applies_from",
    "duty_timing",
    "duty_status",
    "duty_note",
    "duty_evidence",
    "notes",
    "evidence",
    "updated_by",
    "updated_at",
]


def register_rows(register: Register) -> Iterator[list[Any]]:
    """One row per duty of each system (a system without duties: one row), in the reader's language.

    What the triage says (role, classes, duties, their timing) is computed for the register's day, as
    the register page shows it.
    """
    tz = timezone.get_current_timezone()
    statuses = dict(DutyStatus.choices)
    for entry in register.entries:
        system = entry.system
        head = [
            system.pk,
            system.name,
            system.supplier,
            entry.use_label,
            system.purpose,
            display_name(system.owner) if system.owner_id else "",
            system.started_on,
            system.next_review_on,
            role_words(entry.triage.role),
            "; ".join(class_words(item) for item in entry.triage.classifications),
            "yes" if entry.complete else "no",
        ]
        tail = [
            system.notes,
            system.evidence,
            display_name(system.updated_by) if system.updated_by_id else "",
            _when(system.updated_at, tz),
        ]
        if not entry.duties:
            yield [*head, "", "", None, "", "", "", "", *tail]
        for row in entry.duties:
            record = row.record
            yield [
                *head,
                row.finding.title,
                str(row.finding.legal_reference),
                row.finding.applies_from,
                timing_words(row.finding),
                str(statuses[row.status]),
                record.note if record else "",
                record.evidence if record else "",
                *tail,
            ]


def register_file_name(museum: Museum, today: date) -> str:
    """The name of a museum's register download, without its extension."""
    return f"museumai-ai-register-{museum.pk}-{today:%Y-%m-%d}"
