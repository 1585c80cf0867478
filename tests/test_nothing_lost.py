"""Nothing typed is lost: limits count as the browser counts, saves from the page's script are confirmed
before it forgets its copy, and an ended session leads back to the area (browser journeys in
tests/browser/test_nothing_lost.py)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessment import answers
from assessment.models import Answer
from assessment.views.assessments import SCRIPT_SAVE_HEADER
from tests.conftest import PASSWORD
from tests.test_assessments import area_questions, area_url, page_post

SCRIPT = {"headers": {SCRIPT_SAVE_HEADER: "1"}}


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


def note_of_length(length: int, line_break: str) -> str:
    """``length`` characters as a textarea counts them (a line break is one), sent with ``line_break``."""
    lines = line_break.join(["abcd"] * 1000)  # 4,999 characters as the textarea counts them
    return lines + "." * (length - 4999)


@pytest.mark.parametrize("line_break", ["\r\n", "\n"])
def test_a_note_the_browser_accepts_at_its_limit_is_saved(client_for, editor, draft, line_break):
    question = area_questions(draft)[0]
    note = note_of_length(5000, line_break)
    assert len(note.replace("\r\n", "\n")) == 5000
    response = client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"note": note}}))
    assert response.status_code == 302
    stored = Answer.objects.get(assessment=draft, question=question).note
    assert stored == note.replace("\r\n", "\n")
    assert len(stored) == 5000


def test_a_note_over_the_limit_is_refused_as_the_browser_would(client_for, editor, draft):
    question = area_questions(draft)[0]
    note = note_of_length(5001, "\r\n")
    response = client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"note": note}}))
    assert response.status_code == 400
    assert "at most 5000 characters (it has 5001)" in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()


@pytest.mark.parametrize(
    ("then", "number", "leads_to"),
    [("stay", 1, "area 1"), ("next", 1, "area 2"), ("next", 3, "review")],
)
def test_a_save_from_the_pages_script_is_confirmed_with_where_to_go_next(
    client_for, editor, draft, then, number, leads_to
):
    question = area_questions(draft, number)[0]
    client = client_for(editor)
    data = {**page_post(draft, {question.pk: {"value": "2"}}, number=number), "then": then}
    response = client.post(area_url(draft, number), data, **SCRIPT)
    expected = {
        "area 1": area_url(draft, 1),
        "area 2": area_url(draft, 2),
        "review": reverse("assessment:assessment_detail", args=[draft.museum_id, draft.pk]),
    }[leads_to]
    assert response.status_code == 200
    assert response.json() == {"saved": True, "location": expected}
    assert Answer.objects.get(assessment=draft, question=question).level == 2
    # The message waits for the page the script goes to.
    assert "1 answer saved." in client.get(expected).content.decode()


def test_a_save_from_the_pages_script_with_mistakes_or_conflicts_shows_the_page(
    client_for, editor, lead, draft
):
    first, second = area_questions(draft)[:2]
    client = client_for(editor)
    response = client.post(area_url(draft), page_post(draft, {first.pk: {"value": "9"}}), **SCRIPT)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")

    answers.answers_save(
        assessment=draft, user=lead, inputs=[answers.AnswerInput(second.pk, 3, False, "", "Theirs", 0)]
    )
    response = client.post(area_url(draft), page_post(draft, {second.pk: {"note": "Mine"}}), **SCRIPT)
    assert response.status_code == 409
    assert "Alice Lead changed this answer" in response.content.decode()
    assert Answer.objects.get(question=second, assessment=draft).note == "Theirs"


def test_a_save_after_the_session_ended_stores_nothing_and_leads_back_to_the_area(client, editor, draft):
    question = area_questions(draft)[0]
    data = page_post(draft, {question.pk: {"value": "2", "note": "Typed before the session ended"}})
    response = client.post(area_url(draft), data, **SCRIPT)
    login = reverse("login")
    assert response.status_code == 302
    assert response.url == f"{login}?next={area_url(draft)}"
    assert not Answer.objects.filter(assessment=draft).exists()

    page = client.get(response.url).content.decode()
    assert "Answers you typed there that were not saved yet are kept in this browser" in page
    response = client.post(
        f"{login}?next={area_url(draft)}", {"username": editor.email, "password": PASSWORD}
    )
    assert response.url == area_url(draft)


def test_the_login_page_mentions_kept_answers_only_on_the_way_back_to_the_questionnaire(client, draft):
    page = client.get(reverse("login") + "?next=/museums/").content.decode()
    assert "kept in this browser" not in page


def test_the_browser_copy_is_kept_per_user_assessment_and_area(client_for, editor, viewer, draft):
    page = client_for(editor).get(area_url(draft, 2)).content.decode()
    assert f'data-draft-key="{editor.pk}.{draft.pk}.2"' in page
    assert f'href="{reverse("login")}?next=%2Fmuseums%2F' in page
    # A viewer cannot save: nothing to keep.
    assert "data-draft-key" not in client_for(viewer).get(area_url(draft, 2)).content.decode()


def test_a_plain_form_save_still_redirects(client_for, editor, draft):
    question = area_questions(draft)[0]
    client = client_for(editor)
    response = client.post(area_url(draft), page_post(draft, {question.pk: {"value": "1"}}))
    assert response.status_code == 302
    assert response.url == area_url(draft)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 answer saved."]
