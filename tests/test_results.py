from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from assessment import answers
from assessment.exports import neutralise
from assessment.models import Action, ActionStatus
from recommendations.models import Dimension
from tests.conftest import (
    add_ai_systems,
    column_keys,
    questions_of,
    read_csv,
    results_url,
    submitted_assessment,
)

# Measured once the framework content is cached; it must not grow with the data.
# Two of them compare the museum with museums like it (assessment/benchmarks.py): the slots and
# whether the summary changed, the counts being in the cache after the first request.
QUERIES_RESULTS_PAGE = 15


def test_results_show_levels_flags_and_gaps_quoting_the_policy_text(
    client_for, viewer, museum_a, lead, framework
):
    assessment = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 2)
    page = client_for(viewer).get(results_url(assessment)).content.decode()
    # Legal duties at 1, everything else at 2: overall between 1 and 2, so level 1 is fully reached.
    assert 1 < assessment.overall_score < 2
    assert "Level 1 · Exploring" in page and "Level 2 · Managed" not in page
    legal = [q for q in questions_of(assessment) if q.legal_duty]
    assert "Legal duties to look at" in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # as read: each act's number is a EUR-Lex link
    for question in legal:
        assert question.legal_reference in text
    assert "Gaps, and how to close them" in page
    weakest = legal[0]
    passage = weakest.passages.first()
    assert passage.text.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert passage.attribution.replace("'", "&#x27;") in page
    assert weakest.guidance.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert 'id="chart-data"' in page


def test_a_draft_shows_a_live_preview(client_for, editor, museum_a, lead, framework):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
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


@pytest.mark.parametrize(("earlier", "actions"), [(0, 0), (1, 2), (20, 200)])
def test_dashboard_query_count_does_not_grow(
    client_for, lead, museum_a, framework, earlier, actions, django_assert_num_queries
):
    dimensions = list(Dimension.objects.filter(recommendation__framework=framework))
    Action.objects.bulk_create(
        Action(
            museum=museum_a,
            title=f"Action {index}",
            dimension=dimensions[index % len(dimensions)],
            status=list(ActionStatus)[index % 4],
            done_on=localdate() if list(ActionStatus)[index % 4] == ActionStatus.DONE else None,
        )
        for index in range(actions)
    )
    add_ai_systems(museum_a, actions // 4, user=lead)  # the AI register: none, or 50 systems
    for index in range(earlier):
        submitted_assessment(museum_a, lead, lambda q, i=index: i % 5, days_ago=100 * (earlier - index))
    latest = submitted_assessment(museum_a, lead, lambda q: 3)
    client = client_for(lead)
    client.get(results_url(latest))  # the framework's content is loaded once per process, then cached
    # Earlier assessments are read from their stored scores: two queries, however many there are;
    # the plan's actions are counted per dimension in one, however many there are.
    with django_assert_num_queries(QUERIES_RESULTS_PAGE + (2 if earlier else 0)):
        assert client.get(results_url(latest)).status_code == 200


def test_staff_export_their_answers_as_csv(client_for, viewer, lead, museum_a, framework):
    assessment = submitted_assessment(museum_a, lead, lambda q: 2)
    questions = questions_of(assessment)
    services_note = {
        questions[0].pk: '=HYPERLINK("http://evil")',
        questions[1].pk: "-2 stars",
        questions[2].pk: "Évora",
    }
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    answers.answers_save(
        assessment=draft,
        user=lead,
        inputs=[answers.AnswerInput(pk, 3, False, "", note, 1) for pk, note in services_note.items()],
    )
    response = client_for(viewer).get(reverse("assessment:export_answers", args=[museum_a.pk, draft.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header = column_keys(rows[0])
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
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
    header, body = column_keys(rows[0]), rows[1:]
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
    dimensions = list(
        Dimension.objects.filter(recommendation__framework=framework).order_by(
            "recommendation__number", "position"
        )
    )
    assert (
        kinds.count("overall") == 1
        and kinds.count("area") == 3
        and kinds.count("dimension") == len(dimensions)
    )
    overall = body[0]
    assert overall[3:6] == ["2.0", "50", "Managed"]
    # Every dimension at 2 with the suggested target 3: a gap of 1, weighted by the dimension's weight.
    rows = [row for row in body if row[0] == "dimension"]
    assert [row[2] for row in rows] == [d.title for d in dimensions]
    assert [row[6:9] for row in rows] == [["3", "1.0", str(float(d.weight))] for d in dimensions]


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
    from assessment import results
    from assessment.models import AreaScore, DimensionScore

    assessment = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 3)
    board = results.dashboard(assessment)
    assessment.refresh_from_db()
    assert assessment.overall_score == pytest.approx(board.result.overall.value)
    stored_areas = dict(AreaScore.objects.filter(assessment=assessment).values_list("area__number", "score"))
    assert stored_areas == {area.number: pytest.approx(result.score.value) for area, result in board.areas}
    stored_dimensions = DimensionScore.objects.filter(assessment=assessment)
    assert stored_dimensions.count() == len(board.dimensions)
    # Every legal duty in force answered at level 1 is flagged; a coming duty is not.
    legal = [
        q.legal_reference
        for q in questions_of(assessment)
        if q.legal_duty and not q.is_coming_duty(localdate())
    ]
    assert assessment.compliance_flags.splitlines() == legal
