from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.exports import neutralise
from assessment.models import Assessment
from recommendations.models import Question


def questions_of(assessment):
    return list(
        Question.objects.filter(dimension__recommendation__framework=assessment.framework)
        .select_related("dimension__recommendation")
        .order_by("dimension__recommendation__number", "dimension__position", "position")
    )


def answer_all(assessment, user, level_for, note_for=lambda q: ""):
    services.answers_save(
        assessment=assessment,
        user=user,
        inputs=[
            services.AnswerInput(q.pk, level_for(q), False, "", note_for(q), 0)
            for q in questions_of(assessment)
        ],
    )


def submitted_assessment(museum, lead, level_for, days_ago=0):
    assessment = services.assessment_start(museum=museum, user=lead, copy_previous=False)
    answer_all(assessment, lead, level_for)
    services.assessment_submit(assessment=assessment, user=lead)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
    assessment.refresh_from_db()
    return assessment


def results_url(assessment):
    return reverse("assessment:results", args=[assessment.museum_id, assessment.pk])


def test_results_show_levels_flags_and_gaps_quoting_the_policy_text(
    client_for, viewer, museum_a, lead, framework
):
    assessment = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 2)
    page = client_for(viewer).get(results_url(assessment)).content.decode()
    assert "Level 1 · Exploring" in page or "Level 2 · Managed" in page
    legal = [q for q in questions_of(assessment) if q.legal_duty]
    assert "Legal duties to look at" in page
    for question in legal:
        assert question.legal_reference.replace("'", "&#x27;") in page
    assert "Gaps, and how to close them" in page
    weakest = legal[0]
    passage = weakest.passages.first()
    assert passage.text.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert passage.attribution.replace("'", "&#x27;") in page
    assert weakest.guidance.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert 'id="chart-data"' in page


def test_a_draft_shows_a_live_preview(client_for, editor, museum_a, lead, framework):
    draft = services.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    page = client_for(editor).get(results_url(draft)).content.decode()
    assert "This is a preview" in page
    assert "Not scored yet" in page


def test_progress_over_time_and_change_per_dimension(client_for, lead, museum_a, framework):
    submitted_assessment(museum_a, lead, lambda q: 1, days_ago=700)
    submitted_assessment(museum_a, lead, lambda q: 2, days_ago=350)
    latest = submitted_assessment(museum_a, lead, lambda q: 3)
    page = client_for(lead).get(results_url(latest)).content.decode()
    assert "Progress over time" in page
    assert page.count("+1.0") >= 16  # every dimension rose by one level since the previous assessment
    assert "Previous assessment" in page


@pytest.mark.parametrize("earlier", [1, 4])
def test_dashboard_query_count_does_not_grow(
    client_for, lead, museum_a, framework, earlier, django_assert_max_num_queries
):
    for index in range(earlier):
        submitted_assessment(museum_a, lead, lambda q, i=index: i % 5, days_ago=100 * (earlier - index))
    latest = submitted_assessment(museum_a, lead, lambda q: 3)
    client = client_for(lead)
    with django_assert_max_num_queries(24):
        assert client.get(results_url(latest)).status_code == 200


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "a byte-order mark so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_staff_export_their_answers_as_csv(client_for, viewer, lead, museum_a, framework):
    assessment = submitted_assessment(museum_a, lead, lambda q: 2)
    questions = questions_of(assessment)
    services_note = {
        questions[0].pk: '=HYPERLINK("http://evil")',
        questions[1].pk: "-2 stars",
        questions[2].pk: "Évora",
    }
    draft = services.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    services.answers_save(
        assessment=draft,
        user=lead,
        inputs=[services.AnswerInput(pk, 3, False, "", note, 1) for pk, note in services_note.items()],
    )
    response = client_for(viewer).get(reverse("assessment:export_answers", args=[museum_a.pk, draft.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    for column in ("area", "dimension_slug", "question", "level", "level_name", "not_applicable", "note"):
        assert column in header
    assert len(body) == len(questions)  # one row per question
    assert {row["museum"] for row in body} == {"Museum A"}
    by_slug = {row["question_slug"]: row for row in body}
    first = by_slug[questions[0].slug]
    assert (first["level"], first["level_name"], first["not_applicable"]) == ("3", "Integrated", "no")
    assert first["note"] == '\'=HYPERLINK("http://evil")'
    assert first["answered_by"] == "Alice Lead"
    assert by_slug[questions[1].slug]["note"] == "'-2 stars"
    assert by_slug[questions[2].slug]["note"] == "Évora"
    assert int(by_slug[questions[0].slug]["assessment_id"]) == draft.pk


def test_staff_export_their_scores_as_csv(client_for, lead, museum_a, framework):
    assessment = submitted_assessment(museum_a, lead, lambda q: 2)
    rows = read_csv(
        client_for(lead).get(reverse("assessment:export_scores", args=[museum_a.pk, assessment.pk]))
    )
    header, body = rows[0], rows[1:]
    assert header == [
        "kind",
        "area",
        "dimension",
        "score",
        "percent",
        "level_name",
        "target",
        "gap",
        "priority",
    ]
    kinds = [row[0] for row in body]
    assert kinds.count("overall") == 1 and kinds.count("area") == 3 and kinds.count("dimension") >= 12
    overall = body[0]
    assert overall[3:6] == ["2.0", "50", "Managed"]
    dimension = next(row for row in body if row[0] == "dimension")
    assert dimension[6:9] == ["3", "1.0", dimension[8]] and float(dimension[8]) >= 1.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("plain", "plain"),
        (-1, -1),
        (2.5, 2.5),
        ("", ""),
    ],
)
def test_formula_injection_is_neutralised_in_text_cells_only(value, expected):
    assert neutralise(value) == expected


def test_stored_scores_are_the_scoring_modules(lead, museum_a, framework):
    from assessment import selectors
    from assessment.models import AreaScore, DimensionScore

    assessment = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 3)
    board = selectors.dashboard(assessment)
    assessment.refresh_from_db()
    assert assessment.overall_score == pytest.approx(board.result.overall.value)
    stored_areas = dict(AreaScore.objects.filter(assessment=assessment).values_list("number", "score"))
    assert stored_areas == {area.number: pytest.approx(result.score.value) for area, result in board.areas}
    stored_dimensions = DimensionScore.objects.filter(assessment=assessment)
    assert stored_dimensions.count() == len(board.dimensions)
    legal = [q.legal_reference for q in questions_of(assessment) if q.legal_duty]
    assert assessment.compliance_flags.splitlines() == legal
