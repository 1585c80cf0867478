"""A person's own data: the download holds what they wrote and nothing of a colleague's; deleting the
account keeps the museum's answers, shown as a former member's."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.personal_data import account_delete, personal_data
from assessment import answers, plan
from assessment.errors import ServiceError
from assessment.models import Action, Answer, Membership, Role
from tests.conftest import PASSWORD, make_user, questions_of, results_url

DATA = reverse("personal_data")
DOWNLOAD = reverse("personal_data_download")
DELETE = reverse("account_delete")


def _answer(assessment, user, questions, level=2, note=""):
    answers.answers_save(
        assessment=assessment,
        user=user,
        inputs=[
            answers.AnswerInput(q.pk, level, False, "", note, answers_version(assessment, q))
            for q in questions
        ],
    )


def answers_version(assessment, question) -> int:
    return (
        Answer.objects.filter(assessment=assessment, question=question)
        .values_list("version", flat=True)
        .first()
        or 0
    )


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


def _download(client_for, user) -> dict:
    response = client_for(user).get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="museumai-personal-data-')
    return json.loads(response.content)


def test_the_download_holds_their_answers_and_notes_and_nothing_of_a_colleagues(
    draft, lead, editor, client_for
):
    questions = questions_of(draft)
    _answer(draft, editor, questions[:2], level=3, note="Bob's own note")
    _answer(draft, lead, questions[2:3], level=1, note="Alice's note")
    plan.action_create(museum=draft.museum, user=lead, data=plan.ActionInput(title="Alice's action"))

    data = _download(client_for, editor)

    assert data["account"]["email"] == "bob@example.org"
    assert data["account"]["first_name"] == "Bob"
    assert [(m["museum_name"], m["role"]) for m in data["memberships"]] == [("Museum A", "editor")]
    assert {a["question_slug"] for a in data["answers"]} == {q.slug for q in questions[:2]}
    assert {a["note"] for a in data["answers"]} == {"Bob's own note"}
    assert all(a["museum_name"] == "Museum A" and a["level"] == 3 for a in data["answers"])
    assert len(data["answer_history"]) == 2
    text = json.dumps(data)
    assert "Alice" not in text and "alice@example.org" not in text


def test_the_download_is_for_the_logged_in_person_only(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_pages_link_to_each_other(lead, client_for):
    client = client_for(lead)
    assert DATA in client.get(reverse("password_change")).content.decode()
    page = client.get(DATA).content.decode()
    assert DOWNLOAD in page and DELETE in page


@pytest.mark.parametrize("count", [1, 20])
def test_the_download_costs_the_same_queries_for_1_or_20_answers(
    count, draft, editor, client_for, django_assert_num_queries
):
    questions = questions_of(draft)[:count]
    _answer(draft, editor, questions, note="x")
    _answer(draft, editor, questions, level=4, note="y")
    plan.action_create(museum=draft.museum, user=editor, data=plan.ActionInput(title="An action"))
    client = client_for(editor)
    # Session and user (2), then the ten parts of the record (confirmed address, language, memberships,
    # answers, history, assessments, actions, AI systems, duties, invitations).
    with django_assert_num_queries(12):
        response = client.get(DOWNLOAD)
    data = json.loads(response.content)
    assert len(data["answers"]) == count
    assert len(data["answer_history"]) == 2 * count


def test_deleting_keeps_the_museums_answers_shown_as_a_former_members(draft, lead, editor, client_for):
    question = questions_of(draft)[0]
    _answer(draft, editor, [question], level=3, note="Written by Bob")
    action = plan.action_create(museum=draft.museum, user=editor, data=plan.ActionInput(title="Bob's step"))
    client = client_for(editor)
    elsewhere = Client()  # a second session, logged in through the login page (axes records it)
    elsewhere.post(reverse("login"), {"username": "BOB@example.org", "password": PASSWORD})
    assert AccessLog.objects.filter(username="bob@example.org").exists()
    AccessAttempt.objects.create(username="bob@example.org", ip_address="10.0.0.1", failures_since_start=1)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("home")
    assert not get_user_model().objects.filter(username="bob@example.org").exists()
    assert not Membership.objects.filter(museum=draft.museum, role=Role.EDITOR).exists()
    answer = Answer.objects.get(assessment=draft, question=question)
    assert (answer.level, answer.note, answer.answered_by_id) == (3, "Written by Bob", None)
    assert Answer.history.filter(
        history_user__isnull=True, answered_by_id=None, note="Written by Bob"
    ).exists()
    assert not Answer.history.filter(answered_by_id=editor.pk).exists()
    assert Action.objects.get(pk=action.pk).created_by_id is None
    assert not AccessAttempt.objects.filter(username="bob@example.org").exists()
    assert not AccessLog.objects.filter(username="bob@example.org").exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(editor.pk)]
    # Logged out, with a word on the way home.
    assert client.get(reverse("assessment:museum_list")).status_code == 302
    assert elsewhere.get(reverse("assessment:museum_list")).status_code == 302
    assert "Your account is deleted" in client.get(reverse("home")).content.decode()

    lead_client = client_for(lead)
    history = reverse("assessment:answer_history", args=[draft.museum_id, draft.pk, question.pk])
    page = lead_client.get(history)
    assert page.status_code == 200
    assert "A former member" in page.content.decode()
    answers.assessment_submit(assessment=draft, user=lead)
    assert lead_client.get(results_url(draft)).status_code == 200


def test_the_only_lead_of_a_museum_with_others_is_refused(museum_a, lead, editor, client_for):
    with pytest.raises(ServiceError, match="only lead of Museum A"):
        account_delete(user=lead)
    client = client_for(lead)
    assert "Museum A" in client.get(DELETE).content.decode()
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 409
    assert "only lead of Museum A" in response.content.decode()
    assert get_user_model().objects.filter(pk=lead.pk).exists()
    assert Membership.objects.filter(user=lead, museum=museum_a, role=Role.LEAD).exists()


def test_a_lead_can_go_once_another_member_leads(museum_a, lead, editor):
    Membership.objects.filter(user=editor).update(role=Role.LEAD)
    account_delete(user=lead)
    assert list(Membership.objects.filter(museum=museum_a).values_list("user", flat=True)) == [editor.pk]


def test_the_only_member_of_a_museum_can_go(museum_b, outsider):
    account_delete(user=outsider)
    assert not Membership.objects.filter(museum=museum_b).exists()


def test_a_wrong_password_deletes_nothing(draft, editor, client_for):
    client = client_for(editor)
    response = client.post(DELETE, {"password": "not my password at all"})
    assert response.status_code == 400
    assert "This is not your password" in response.content.decode()
    assert get_user_model().objects.filter(pk=editor.pk).exists()
    assert Membership.objects.filter(user=editor).exists()
    assert client.get(reverse("assessment:museum_list")).status_code == 200


def test_personal_data_is_json_ready(editor):
    json.dumps(personal_data(editor))


def test_someone_without_museums_can_download_and_delete(db, client_for):
    loner = make_user("loner")
    assert _download(client_for, loner)["memberships"] == []
    assert client_for(loner).post(DELETE, {"password": PASSWORD}).status_code == 302
