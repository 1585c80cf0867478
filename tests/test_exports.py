from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from assessment import answers
from assessment.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    Invitation,
    Membership,
    Museum,
    Role,
)
from recommendations.models import Dimension
from tests.conftest import make_museum, make_user, questions_of, read_csv, submitted_assessment


@pytest.fixture
def many_assessments(framework, lead, museum_a):
    """Assessments across several museums (their own leads), submitted, plus one draft."""
    for index in range(4):
        owner = make_user(f"owner{index}")
        museum = make_museum(
            owner, f"Museum {index}", country=["FR", "DE", "NL", "IT"][index], museum_type="art"
        )
        submitted_assessment(museum, owner, lambda q, i=index: (q.pk + i) % 5)
    submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 3)
    answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    return Assessment.objects.all()


def admin_export(client, action: str, queryset) -> list[dict]:
    response = client.post(
        reverse("admin:assessment_assessment_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in queryset.values_list("pk", flat=True)]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_admin_exports_one_row_per_assessment(client_for, nemo_admin, many_assessments, museum_a):
    rows = admin_export(client_for(nemo_admin), "export_wide", many_assessments)
    assert len(rows) == 5  # the submitted ones: museum A's draft is not NEMO's to see
    ours = next(r for r in rows if r["museum"] == "Museum A" and r["status"] == "submitted")
    assessment = Assessment.objects.get(pk=ours["assessment_id"])
    assert float(ours["overall_score"]) == pytest.approx(assessment.overall_score, abs=0.005)
    assert ours["overall_level"] == assessment.framework.levels.get(level=assessment.overall_level).name
    assert ours["overall_percent"] == str(round(assessment.overall_score / 4 * 100))
    assert ours["country"] == "BE" and ours["museum_type"] == "history" and ours["size_band"] == "small"
    legal_duty_questions = [q for q in questions_of(assessment) if q.legal_duty]
    in_force = [q for q in legal_duty_questions if not q.is_coming_duty(localdate())]
    assert int(ours["compliance_flag_count"]) == len(in_force) < len(legal_duty_questions)
    # One column per legal-duty question with the level answered (legal references contain "; ").
    assert any("; " in q.legal_reference for q in legal_duty_questions)
    legal_columns = {key: value for key, value in ours.items() if key.startswith("legal_duty_")}
    assert legal_columns == {f"legal_duty_{q.slug}": "1" for q in legal_duty_questions}
    assert "compliance_flags" not in ours
    dimension_columns = [key for key in ours if key.startswith("dimension_")]
    stored = DimensionScore.objects.filter(assessment=assessment).values_list("dimension__slug", "score")
    assert {column: ours[column] for column in dimension_columns} == {
        f"dimension_{slug}": str(round(score, 2)) for slug, score in stored
    }
    assert {r["area_1_score"] != "" for r in rows if r["status"] == "submitted"} == {True}


def test_admin_exports_one_row_per_answer(client_for, nemo_admin, many_assessments):
    submitted = many_assessments.filter(status=AssessmentStatus.SUBMITTED)
    rows = admin_export(client_for(nemo_admin), "export_long", submitted)
    assert len(rows) == 5 * len(questions_of(submitted.first()))
    first = rows[0]
    for column in (
        "assessment_id",
        "museum",
        "question_slug",
        "question",
        "level",
        "level_name",
        "not_applicable",
        "note",
        "answered_by",
        "answered_at",
    ):
        assert column in first
    assert first["level_name"] in {"Not started", "Exploring", "Managed", "Integrated", "Leading"}


@pytest.mark.parametrize("kind", ["wide", "long"])
def test_export_command_writes_the_same_rows(tmp_path, many_assessments, kind):
    path = tmp_path / f"{kind}.csv"
    call_command("export_assessments", "--format", kind, "-o", str(path), stderr=io.StringIO())
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    submitted = many_assessments.filter(status=AssessmentStatus.SUBMITTED)
    expected = (
        submitted.count() if kind == "wide" else submitted.count() * len(questions_of(submitted.first()))
    )
    assert len(rows) == expected
    draft = many_assessments.get(status=AssessmentStatus.DRAFT)
    assert str(draft.pk) not in {row["assessment_id"] for row in rows}


def test_export_command_prints_to_stdout(many_assessments):
    out = io.StringIO()
    call_command("export_assessments", "--format", "wide", stdout=out)
    assert out.getvalue().startswith("\ufeffassessment_id,museum")


# wide: 8 since each legal-duty question has its column (the questions, and their answers streamed
# alongside), less one for reading the framework versions once instead of twice.
@pytest.mark.parametrize(("kind", "queries"), [("wide", 8), ("long", 7)])
def test_exports_take_a_fixed_number_of_queries(many_assessments, django_assert_num_queries, kind, queries):
    from assessment import exports

    list(exports.wide_rows(many_assessments))  # the framework's content is cached after a first read
    with django_assert_num_queries(queries):
        if kind == "wide":
            rows = list(exports.wide_rows(many_assessments))
        else:
            rows = list(exports.long_rows(many_assessments))
    assert rows


def test_a_staff_export_never_contains_another_museums_rows(client_for, lead, museum_a, many_assessments):
    ours = Assessment.objects.filter(museum=museum_a, status=AssessmentStatus.SUBMITTED).get()
    response = client_for(lead).get(reverse("assessment:export_answers", args=[museum_a.pk, ours.pk]))
    rows = read_csv(response)
    assert {row[1] for row in rows[1:]} == {"Museum A"}
    assert {row[0] for row in rows[1:]} == {str(ours.pk)}


def test_formula_like_notes_are_neutralised_in_nemo_exports(
    client_for, nemo_admin, lead, museum_a, framework
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    question = questions_of(draft)[0]
    answers.answers_save(
        assessment=draft, user=lead, inputs=[answers.AnswerInput(question.pk, 2, False, "", "=1+2", 0)]
    )
    answers.assessment_submit(assessment=draft, user=lead)
    rows = admin_export(client_for(nemo_admin), "export_long", Assessment.objects.filter(pk=draft.pk))
    assert rows[0]["note"] == "'=1+2"
    assert rows[0]["level"] == "2"


def _bulk_data(framework, user, count: int) -> None:
    """``count`` museums, each with an assessment, a membership of ``user`` and an invitation."""
    museums = Museum.objects.bulk_create(
        [
            Museum(name=f"Bulk museum {i}", country="PT", city="Porto", museum_type="art", size_band="micro")
            for i in range(count)
        ]
    )
    # Submitted: admin lists no drafts.
    Assessment.objects.bulk_create(
        [
            Assessment(
                museum=museum,
                framework=framework,
                status=AssessmentStatus.SUBMITTED,
                submitted_at=timezone.now(),
                overall_score=(i % 40) / 10,
                overall_level=(i % 40) // 10,
            )
            for i, museum in enumerate(museums)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, museum=museum, role=Role.VIEWER) for museum in museums]
    )
    Invitation.objects.bulk_create(
        [
            Invitation(museum=museum, email=f"x{i}@example.org", role=Role.VIEWER)
            for i, museum in enumerate(museums)
        ]
    )
    dimensions = list(Dimension.objects.filter(recommendation__framework=framework))
    Action.objects.bulk_create(
        [
            Action(
                museum=museum,
                title=f"Bulk action {i}",
                owner=user if i % 2 else None,
                owner_name="" if i % 2 else "Jan Peeters",
                dimension=dimensions[i % len(dimensions)],
                status=ActionStatus.values[i % 4],
                done_on=timezone.localdate() if ActionStatus.values[i % 4] == ActionStatus.DONE else None,
            )
            for i, museum in enumerate(museums)
        ]
    )


CHANGELISTS = {
    "assessment_assessment": [
        "",
        "?o=-9",
        "?o=10",
        "?overall_level=2",
        "?museum__country=PT&museum__size_band__exact=micro",
        "?q=Bulk",
    ],
    "assessment_museum": ["", "?country=PT", "?o=-6", "?q=Bulk"],
    "assessment_membership": ["", "?role__exact=viewer"],
    "assessment_invitation": [""],
    "assessment_action": ["", "?status__exact=done", "?museum__country=PT", "?q=Bulk", "?o=-4"],
    "recommendations_question": ["", "?legal_duty__exact=1", "?q=museum"],
    "recommendations_dimension": [""],
    "recommendations_recommendation": [""],
    "recommendations_policypassage": [""],
    "recommendations_frameworkversion": [""],
    "auth_user": [""],
}


@pytest.mark.parametrize("count", [3, 210])
@pytest.mark.parametrize("changelist", sorted(CHANGELISTS))
def test_admin_changelists_run_a_constant_number_of_queries(
    client_for, nemo_admin, lead, framework, count, changelist, django_assert_max_num_queries
):
    _bulk_data(framework, lead, count)
    client = client_for(nemo_admin)
    url = reverse(f"admin:{changelist}_changelist")
    for query in CHANGELISTS[changelist]:
        with django_assert_max_num_queries(14):
            response = client.get(url + query)
        assert response.status_code == 200, query
