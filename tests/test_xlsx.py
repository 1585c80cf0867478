"""XLSX beside every CSV a person downloads: the same rows, typed cells, formulas neutralised.

LibreOffice's default CSV import ignores the byte-order mark and garbles
accents; a spreadsheet file has no such problem. Each XLSX comes from the same
row generator as its CSV (assessment/exports.py), so the two cannot drift.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessment import answers, exports
from assessment.models import Assessment
from tests.conftest import (
    column_keys,
    make_museum,
    make_user,
    questions_of,
    read_csv,
    results_url,
    submitted_assessment,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_xlsx(body: bytes) -> list[list[Any]]:
    """The first sheet's rows as Python values (None for an empty cell), each as wide as the header."""
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0]) if rows else 0
    return [row + [None] * (width - len(row)) for row in rows]


def xlsx_rows(response) -> list[list[Any]]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert '.xlsx"' in response["Content-Disposition"]
    return read_xlsx(b"".join(response.streaming_content))


def as_csv_text(value: Any) -> str:
    """A typed XLSX value as the CSV writes it, to compare the two files cell by cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(exports.WHEN_FORMAT)
    return str(value)


def assert_same_rows(spreadsheet: list[list[Any]], csv_rows: list[list[str]]) -> None:
    """The XLSX holds the CSV's rows: text alike, numbers equal as numbers (2.0 comes back as 2)."""
    assert len(spreadsheet) == len(csv_rows) > 1
    for typed, texts in zip(spreadsheet, csv_rows, strict=True):
        assert len(typed) == len(texts)
        for value, text in zip(typed, texts, strict=True):
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert value == float(text), (value, text)
            else:
                # XML cannot carry a vertical tab: the XLSX leaves it out.
                expected = ILLEGAL_CHARACTERS_RE.sub("", text)
                assert as_csv_text(value) == expected, (value, text)


@pytest.fixture
def noted(framework, lead, museum_a):
    """Submitted; its notes start like formulas, or carry accents and a stray control character."""
    assessment = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    notes = ["=1+2", "+33 1 23", "-4", "@SUM(A1)", "\tTab", "\rReturn", "Musée d’Orsay", "line\x0bbreak"]
    questions = questions_of(assessment)
    answers.answers_save(
        assessment=assessment,
        user=lead,
        inputs=[
            answers.AnswerInput(q.pk, 2, False, "", notes[i] if i < len(notes) else "", 0)
            for i, q in enumerate(questions)
        ],
    )
    answers.assessment_submit(assessment=assessment, user=lead)
    assessment.refresh_from_db()
    return assessment


def _pair(client, name: str, args=(), query: str = ""):
    """The CSV and the XLSX of one download, as rows."""
    csv_rows = read_csv(client.get(reverse(name, args=args) + query))
    spreadsheet = xlsx_rows(client.get(reverse(f"{name.removesuffix('_csv')}_xlsx", args=args) + query))
    return csv_rows, spreadsheet


@pytest.mark.parametrize("name", ["assessment:export_answers", "assessment:export_scores"])
def test_a_museums_exports_come_as_xlsx_with_the_same_rows(client_for, viewer, noted, name):
    csv_rows, spreadsheet = _pair(client_for(viewer), name, args=[noted.museum_id, noted.pk])
    assert_same_rows(spreadsheet, csv_rows)


def test_the_sector_overview_comes_as_xlsx_with_the_same_rows(client_for, nemo_admin, sector):
    csv_rows, spreadsheet = _pair(client_for(nemo_admin), "nemo_overview_csv", query="?by=size")
    assert_same_rows(spreadsheet, csv_rows)
    header = spreadsheet[0]
    area = next(row for row in spreadsheet[1:] if row[header.index("table")].startswith("level:area:"))
    assert isinstance(area[header.index("mean_score")], float)
    assert isinstance(area[header.index("museums_in_group")], int)
    assert area[header.index("museums")] is None  # three museums at a level: hidden, an empty cell
    assert area[header.index("museums_hidden")] == "small"


@pytest.mark.parametrize("kind", ["wide", "long"])
def test_admin_exports_come_as_xlsx_with_the_same_rows(client_for, nemo_admin, noted, kind):
    other = make_user("other")
    submitted_assessment(make_museum(other, "Other museum", country="FR"), other, lambda q: 3)
    client = client_for(nemo_admin)
    selected = [str(pk) for pk in Assessment.objects.values_list("pk", flat=True)]
    changelist = reverse("admin:assessment_assessment_changelist")
    csv_rows = read_csv(client.post(changelist, {"action": f"export_{kind}", "_selected_action": selected}))
    spreadsheet = xlsx_rows(
        client.post(changelist, {"action": f"export_{kind}_xlsx", "_selected_action": selected})
    )
    assert len(spreadsheet) > 2
    assert_same_rows(spreadsheet, csv_rows)


def test_xlsx_cells_are_typed(client_for, viewer, noted):
    response = client_for(viewer).get(
        reverse("assessment:export_answers_xlsx", args=[noted.museum_id, noted.pk])
    )
    header, first, *_rest = xlsx_rows(response)
    row = dict(zip(column_keys(header), first, strict=True))
    assert row["assessment_id"] == noted.pk and isinstance(row["assessment_id"], int)
    assert row["level"] == 2 and isinstance(row["level"], int)
    assert isinstance(row["answered_at"], datetime)
    assert isinstance(row["submitted_at"], datetime)


def test_xlsx_dates_show_to_the_minute_in_local_time(client_for, viewer, noted):
    response = client_for(viewer).get(
        reverse("assessment:export_answers_xlsx", args=[noted.museum_id, noted.pk])
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=column_keys(header).index("submitted_at") + 1)
    assert cell.is_date and cell.number_format == exports.XLSX_WHEN_FORMAT
    assert cell.value == timezone.localtime(noted.submitted_at).replace(tzinfo=None, second=0, microsecond=0)


def test_formula_like_text_is_neutralised_in_xlsx(client_for, viewer, noted):
    response = client_for(viewer).get(
        reverse("assessment:export_answers_xlsx", args=[noted.museum_id, noted.pk])
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = column_keys([cell.value for cell in sheet[1]])
    notes = [row[header.index("note")] for row in sheet.iter_rows(min_row=2)]
    texts = [cell.value for cell in notes[:8]]
    assert texts == [
        "'=1+2",
        "'+33 1 23",
        "'-4",
        "'@SUM(A1)",
        "'\tTab",
        "'\rReturn",
        "Musée d’Orsay",
        "linebreak",  # a control character XML cannot carry is dropped, not a server error
    ]
    assert {cell.data_type for cell in notes[:8]} == {"s"}  # text, never a formula
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_pages_link_the_xlsx_beside_each_csv(client_for, viewer, nemo_admin, noted, sector):
    results = client_for(viewer).get(results_url(noted)).content.decode()
    for name in ("export_answers", "export_scores"):
        assert reverse(f"assessment:{name}", args=[noted.museum_id, noted.pk]) in results
        assert reverse(f"assessment:{name}_xlsx", args=[noted.museum_id, noted.pk]) in results
    overview = client_for(nemo_admin).get(reverse("nemo_overview") + "?by=type").content.decode()
    assert f"{reverse('nemo_overview_csv')}?by=type" in overview
    assert f"{reverse('nemo_overview_xlsx')}?by=type" in overview


def test_xlsx_is_written_in_write_only_mode(monkeypatch, client_for, viewer, noted):
    """Large exports must not build the workbook in memory: write-only mode streams rows to disk."""
    import openpyxl

    modes = []
    real = openpyxl.Workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("write_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "Workbook", spy)
    client_for(viewer).get(reverse("assessment:export_answers_xlsx", args=[noted.museum_id, noted.pk]))
    assert modes == [True]
