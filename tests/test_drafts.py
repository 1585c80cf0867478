"""A draft's life outside the questionnaire: where "Continue" leads, progress, copying forward, discarding."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessment import answers
from assessment.errors import ServiceError
from assessment.models import Answer, AreaScore, Assessment, DimensionScore, DimensionTarget
from tests.conftest import answer_all, questions_of, submitted_assessment
from tests.test_assessments import area_questions, area_url


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


def museum_home(client, museum) -> str:
    return client.get(reverse("assessment:museum_home", args=[museum.pk])).content.decode()


def save(assessment, user, *inputs: tuple) -> None:
    """Save answers as (question, level, not applicable) on a page loaded before any of them existed."""
    answers.answers_save(
        assessment=assessment,
        user=user,
        inputs=[answers.AnswerInput(q.pk, level, na, "", "", 0) for q, level, na in inputs],
    )


# --- "Continue the assessment" -------------------------------------------------------------


def test_continue_opens_the_first_area_with_unanswered_questions(client_for, editor, museum_a, draft):
    client = client_for(editor)
    assert f'href="{area_url(draft, 1)}">Continue the assessment' in museum_home(client, museum_a)

    # Area 1 done, partly with "not applicable": continuing starts at area 2.
    area_1 = area_questions(draft, 1)
    save(draft, editor, *[(q, None, True) if i % 2 else (q, 2, False) for i, q in enumerate(area_1)])
    assert f'href="{area_url(draft, 2)}">Continue the assessment' in museum_home(client, museum_a)

    # Everything answered: continuing leads to the review, where the lead submits.
    answer_all(draft, editor, lambda q: 1)
    review = reverse("assessment:assessment_detail", args=[museum_a.pk, draft.pk])
    assert f'href="{review}">Continue the assessment' in museum_home(client, museum_a)


def test_starting_again_while_a_draft_is_open_continues_where_answers_are_missing(
    client_for, editor, museum_a, draft
):
    save(draft, editor, *[(q, 3, False) for q in area_questions(draft, 1)])
    response = client_for(editor).get(reverse("assessment:assessment_start", args=[museum_a.pk]))
    assert response.url == area_url(draft, 2)


# --- Progress: answered (not applicable counts as answered) of all questions ----------------------


def test_progress_counts_not_applicable_as_answered_out_of_all_questions(client_for, lead, museum_a, draft):
    area_1 = area_questions(draft, 1)
    total = len(questions_of(draft))
    save(draft, lead, (area_1[0], 2, False), (area_1[1], 3, False), (area_1[2], None, True))
    client = client_for(lead)
    args = [museum_a.pk, draft.pk]

    area_page = client.get(area_url(draft, 1)).content.decode()
    assert f"Area 1: 3 of {len(area_1)} answered" in area_page
    assert f"Overall: 3 of {total} answered" in area_page
    assert f'max="{len(area_1)}" value="3"' in area_page
    review = client.get(reverse("assessment:assessment_detail", args=args)).content.decode()
    assert f"3 of {total} questions answered, 1 of them marked not applicable." in review
    assert f"3 of {len(area_1)} answered" in review
    submit = client.get(reverse("assessment:assessment_submit", args=args)).content.decode()
    assert f"3 of {total} questions are answered, 1 of them marked not applicable." in submit
    results = client.get(reverse("assessment:results", args=args)).content.decode()
    assert f"(3 of {total} questions answered)" in results
    assert f"3 of {len(area_1)} questions answered" in results
    home = museum_home(client, museum_a)
    assert f"3 of {total} questions answered so far" in home
    assert f'data-label="Answered">3 of {total}</td>' in home
    listing = client.get(reverse("assessment:assessment_list", args=[museum_a.pk])).content.decode()
    assert f'data-label="Answered">3 of {total}</td>' in listing


# --- Copying the last answers into an empty draft -------------------------------------------


@pytest.fixture
def last_submitted(framework, museum_a, lead):
    return submitted_assessment(museum_a, lead, lambda q: 2, days_ago=200)


def test_an_empty_draft_started_by_an_editor_can_begin_from_the_last_answers(
    client_for, lead, editor, museum_a, last_submitted
):
    empty = answers.assessment_start(museum=museum_a, user=editor, copy_previous=False)
    client = client_for(lead)
    date = date_format(localtime(last_submitted.submitted_at), "j F Y")
    offer = f"Copy the answers of the assessment submitted on {date}"

    # The lead, re-assessing, is offered the copy rather than sent into the empty draft.
    start = client.get(reverse("assessment:assessment_start", args=[museum_a.pk]))
    assert start.status_code == 200
    page = start.content.decode()
    assert offer in page and "Bob Editor started it" in page
    assert offer in museum_home(client, museum_a)

    response = client.post(reverse("assessment:assessment_copy_previous", args=[museum_a.pk, empty.pk]))
    assert response.url == area_url(empty, 1)
    empty.refresh_from_db()
    assert empty.copied_from == last_submitted
    copied = Answer.objects.filter(assessment=empty)
    assert copied.count() == len(questions_of(empty)) and {a.level for a in copied} == {2}
    # The source is untouched.
    assert Answer.objects.filter(assessment=last_submitted).count() == copied.count()
    assert empty.answered_count == copied.count()  # rescored
    # Once answered, the draft no longer offers to copy.
    assert offer not in museum_home(client, museum_a)
    assert client.get(reverse("assessment:assessment_start", args=[museum_a.pk])).status_code == 302


def test_copying_never_overwrites_what_a_colleague_typed(client_for, lead, editor, museum_a, last_submitted):
    draft = answers.assessment_start(museum=museum_a, user=editor, copy_previous=False)
    question = area_questions(draft, 1)[0]
    answers.answers_save(
        assessment=draft, user=editor, inputs=[answers.AnswerInput(question.pk, None, False, "", "Mine", 0)]
    )
    response = client_for(lead).post(
        reverse("assessment:assessment_copy_previous", args=[museum_a.pk, draft.pk]), follow=True
    )
    assert "nothing was copied" in response.content.decode()
    assert list(Answer.objects.filter(assessment=draft).values_list("question_id", "note")) == [
        (question.pk, "Mine")
    ]
    draft.refresh_from_db()
    assert draft.copied_from is None


def test_copying_keeps_a_target_already_set(lead, editor, museum_a, framework):
    first = submitted_assessment(museum_a, lead, lambda q: 1)
    dimension = questions_of(first)[0].dimension
    DimensionTarget.objects.create(assessment=first, dimension=dimension, level=2)
    draft = answers.assessment_start(museum=museum_a, user=editor, copy_previous=False)
    answers.targets_save(assessment=draft, user=editor, changes={dimension.pk: (None, 4)})
    answers.assessment_copy_previous(assessment=draft, user=lead)
    assert DimensionTarget.objects.get(assessment=draft, dimension=dimension).level == 4


def test_there_is_nothing_to_copy_without_a_submitted_assessment(lead, draft):
    with pytest.raises(ServiceError, match="no submitted assessment"):
        answers.assessment_copy_previous(assessment=draft, user=lead)


def test_a_submitted_assessment_takes_no_copy(lead, museum_a, last_submitted):
    with pytest.raises(ServiceError, match="can no longer be changed"):
        answers.assessment_copy_previous(assessment=last_submitted, user=lead)


# --- Discarding a draft --------------------------------------------------------------------


def test_the_lead_discards_a_draft_after_confirming(client_for, lead, editor, museum_a, draft):
    question = area_questions(draft, 1)[0]
    for version, level in enumerate([1, 2, 3]):
        answers.answers_save(
            assessment=draft,
            user=editor,
            inputs=[answers.AnswerInput(question.pk, level, False, "", "", version)],
        )
    answers.targets_save(assessment=draft, user=editor, changes={question.dimension_id: (None, 4)})
    url = reverse("assessment:assessment_discard", args=[museum_a.pk, draft.pk])
    client = client_for(lead)
    review = reverse("assessment:assessment_detail", args=[museum_a.pk, draft.pk])
    assert url in museum_home(client, museum_a)
    assert url in client.get(review).content.decode()

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "It cannot be undone" in confirm.content.decode()
    assert Assessment.objects.filter(pk=draft.pk).exists()  # asking changes nothing

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:museum_home", args=[museum_a.pk])
    assert "is discarded" in response.content.decode()
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(assessment_id=draft.pk).exists()
    assert not Answer.history.filter(assessment_id=draft.pk).exists()
    for model in (DimensionTarget, AreaScore, DimensionScore):
        assert not model.objects.filter(assessment_id=draft.pk).exists()
    # The museum may start afresh.
    assert "Re-assess" in museum_home(client, museum_a) or "Start your first" in museum_home(client, museum_a)


def test_only_the_lead_is_offered_discarding(client_for, editor, museum_a, draft):
    url = reverse("assessment:assessment_discard", args=[museum_a.pk, draft.pk])
    assert url not in museum_home(client_for(editor), museum_a)
    assert client_for(editor).post(url).status_code == 403
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_a_submitted_assessment_can_never_be_discarded(client_for, lead, museum_a, last_submitted):
    url = reverse("assessment:assessment_discard", args=[museum_a.pk, last_submitted.pk])
    client = client_for(lead)
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert "cannot be discarded" in response.content.decode()
    assert Assessment.objects.filter(pk=last_submitted.pk).exists()
    assert Answer.objects.filter(assessment=last_submitted).exists()
    with pytest.raises(ServiceError, match="cannot be discarded"):
        answers.assessment_discard(assessment=last_submitted)
    review = reverse("assessment:assessment_detail", args=[museum_a.pk, last_submitted.pk])
    assert url not in client.get(review).content.decode()
