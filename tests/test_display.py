"""How pages name people, write scores and show answers (assessment.display and its filters)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import formats, translation

from assessment import display
from assessment.models import Answer, Assessment, Role
from tests.conftest import make_user
from tests.test_assessments import area_questions, area_url, page_post


@pytest.fixture
def draft(client_for, framework, museum_a, editor) -> Assessment:
    """A draft the editor started (through the page, as people do)."""
    client_for(editor).post(reverse("assessment:assessment_start", args=[museum_a.pk]))
    return Assessment.objects.get(museum=museum_a)


def history_url(assessment, question) -> str:
    return reverse("assessment:answer_history", args=[assessment.museum_id, assessment.pk, question.pk])


# --- People ----------------------------------------------------------------------


def test_a_person_is_named_by_full_name_else_email(db):
    assert display.display_name(make_user("alice", name="Alice Lead")) == "Alice Lead"
    nameless = make_user("zed")
    nameless.first_name = nameless.last_name = ""
    assert display.display_name(nameless) == "zed@example.org"
    assert display.display_name(nameless, capfirst=True) == "zed@example.org"  # never "Zed@…"


def test_a_deleted_account_is_a_former_member():
    assert display.display_name(None) == "a former member"
    assert display.display_name(None, capfirst=True) == "A former member"


def test_the_csv_export_can_keep_a_deleted_account_empty():
    assert display.display_name_from_parts("Bob", "Editor", "bob@example.org") == "Bob Editor"
    assert display.display_name_from_parts("", "", "bob@example.org") == "bob@example.org"
    assert display.display_name_from_parts(None, None, None, fallback="") == ""
    assert display.display_name_from_parts(None, None, None) == "a former member"


def test_the_person_filter(db):
    alice = make_user("alice", name="Alice Lead")
    render = Template(
        '{% load display %}{{ u|person }}|{{ u|person:"capfirst" }}|{{ u|person:"short" }}'
    ).render
    assert render(Context({"u": alice})) == "Alice Lead|Alice Lead|Alice"
    assert render(Context({"u": None})) == "a former member|A former member|a former member"
    with pytest.raises(TemplateSyntaxError):
        Template('{% load display %}{{ u|person:"loud" }}').render(Context({"u": alice}))


def test_the_logout_button_names_the_user_by_first_name(client_for, lead):
    page = client_for(lead).get(reverse("home"), follow=True).content.decode()
    assert "Log out (Alice)" in page


def test_a_deleted_members_answer_is_by_a_former_member_on_the_area_and_history_pages(
    client_for, lead, editor, draft
):
    question = area_questions(draft)[0]
    client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"value": "2"}}))
    editor.delete()
    client = client_for(lead)

    area = client.get(area_url(draft))
    assert area.status_code == 200
    assert "Last changed by a former member on" in area.content.decode()

    history = client.get(history_url(draft, question))
    assert history.status_code == 200
    page = history.content.decode()
    assert '<td role="cell" data-label="Who">A former member</td>' in page
    assert "Level 2" in page


def test_a_deleted_starter_is_a_former_member_in_the_list_and_the_review(client_for, lead, editor, draft):
    editor.delete()
    client = client_for(lead)
    listing = client.get(reverse("assessment:assessment_list", args=[draft.museum_id]))
    assert listing.status_code == 200
    assert "by a former member" in listing.content.decode()
    review = client.get(reverse("assessment:assessment_detail", args=[draft.museum_id, draft.pk]))
    assert review.status_code == 200
    assert "Started by a former member on" in review.content.decode()


def test_a_conflict_with_a_deleted_colleague_names_a_former_member(client_for, lead, editor, draft):
    question = area_questions(draft)[0]
    colleague = make_user("carol", name="Carol Colleague")
    draft.museum.memberships.create(user=colleague, role=Role.EDITOR)
    client_for(colleague).post(
        area_url(draft), page_post(draft, {question.pk: {"value": "na", "reason": "No shop"}})
    )
    colleague.delete()
    # The editor's page predates the colleague's save (version 0).
    response = client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"value": "4"}}))
    assert response.status_code == 409
    page = response.content.decode()
    assert "A former member changed this answer at" in page
    assert "Not applicable (No shop)" in page


def test_an_invitation_from_a_deleted_account_can_still_be_read(client_for, lead, museum_a):
    client_for(lead).post(
        reverse("assessment:invitation_create", args=[museum_a.pk]),
        {"email": "dora@example.org", "role": Role.EDITOR},
    )
    (email,) = mail.outbox
    assert "Invited by: Alice Lead <alice@example.org>" in email.body and "Museum: “Museum A”" in email.body
    path = re.search(r"https?://[^/\s]+(/invitations/\S+)", email.body).group(1)
    invitee = make_user("dora", name="Dora New")
    assert "Alice Lead invites you to join" in client_for(invitee).get(path).content.decode()
    lead.delete()
    response = client_for(invitee).get(path)
    assert response.status_code == 200
    assert "A former member invites you to join" in response.content.decode()


# --- Scores ----------------------------------------------------------------------


def test_a_missing_score_is_a_dash():
    assert display.score_text(None) == "—"
    assert display.score_text(None, 2) == "—"
    assert display.score_text("") == "—"  # what a failed template lookup hands a filter


def test_a_score_is_rounded_half_up_with_the_given_digits():
    assert display.score_text(2) == "2.0"
    assert display.score_text(1.85) == "1.9"
    assert display.score_text(0.125, 2) == "0.13"
    assert display.score_text(3.25, 2) == "3.25"


def test_a_score_is_written_the_way_the_language_writes_numbers():
    with translation.override("fr"):
        assert display.score_text(1.8) == "1,8"
        assert display.score_text(None) == "—"


def test_the_score_filter():
    template = Template("{% load display %}{{ v|score }} / {{ v|score:2 }}")
    assert template.render(Context({"v": None})) == "— / —"
    assert template.render(Context({"v": 2.5})) == "2.5 / 2.50"
    # A missing attribute (e.g. no previous assessment) is no score either.
    assert Template("{% load display %}{{ row.previous.value|score }}").render(Context({})) == "—"


# --- Answers ---------------------------------------------------------------------


@dataclass
class Descriptor:
    level: int
    name: str
    description: str


DESCRIPTORS = [Descriptor(2, "Managed", "A policy <and> a register"), Descriptor(3, "Defined", "More")]


def test_an_answer_in_a_few_words():
    assert display.answer_text(None) == "Not answered"
    assert display.answer_text(Answer(level=None)) == "Not answered"
    assert display.answer_text(Answer(level=3)) == "Level 3"
    assert display.answer_text(Answer(not_applicable=True)) == "Not applicable"
    assert display.answer_text(Answer(not_applicable=True, not_applicable_reason="No shop")) == (
        "Not applicable (No shop)"
    )


def test_an_answer_with_its_level_descriptor_is_escaped():
    html = display.answer_html(Answer(level=2), DESCRIPTORS)
    assert html == "<strong>2 · Managed</strong> — A policy &lt;and&gt; a register"
    assert display.answer_html(Answer(not_applicable=True, not_applicable_reason="x"), DESCRIPTORS) == (
        "Not applicable"
    )
    assert display.answer_html(None, DESCRIPTORS) == "Not answered"
    assert display.answer_html(Answer(not_applicable=True, not_applicable_reason="<b>"), None) == (
        "Not applicable (&lt;b&gt;)"
    )


def test_the_read_only_questionnaire_shows_the_level_name_and_description(client_for, lead, editor, draft):
    first, second = area_questions(draft)[:2]
    client_for(editor).post(
        area_url(draft),
        page_post(draft, {first.pk: {"value": "2"}, second.pk: {"value": "na", "reason": "No shop"}}),
    )
    client_for(lead).post(reverse("assessment:assessment_submit", args=[draft.museum_id, draft.pk]))
    page = client_for(editor).get(area_url(draft)).content.decode()
    description = dict(first.level_descriptors)[2]
    assert f"<strong>2 · Managed</strong> — {description}" in page
    assert '<dd class="col-sm-9">Not applicable</dd>' in page
    assert '<dd class="col-sm-9">No shop</dd>' in page  # the reason, under its own heading
    assert '<dd class="col-sm-9">Not answered</dd>' in page


# --- Ids -------------------------------------------------------------------------


@pytest.fixture
def digits_grouped(settings, monkeypatch):
    """A locale that groups every digit, so that any localised integer shows it: 12 → "1 2"."""
    settings.USE_THOUSAND_SEPARATOR = True
    real_get_format = formats.get_format

    def get_format(name, lang=None, use_l10n=None):
        if name == "NUMBER_GROUPING":
            return 1
        if name == "THOUSAND_SEPARATOR":
            return "\u202f"
        return real_get_format(name, lang, use_l10n)

    monkeypatch.setattr(formats, "get_format", get_format)
    assert formats.number_format(12) == "1\u202f2"


def test_ids_and_form_names_are_never_localised(client_for, editor, draft, digits_grouped):
    questions = area_questions(draft)
    assert max(q.pk for q in questions) >= 10  # so that grouping would show
    client = client_for(editor)
    page = client.get(area_url(draft)).content.decode()
    for question in questions:
        assert f'id="q-{question.pk}"' in page
        assert f'name="q{question.pk}-value" id="q{question.pk}-level-2" value="2"' in page
        assert f'name="q{question.pk}-version"' in page
    # The page as rendered saves.
    last = questions[-1]
    response = client.post(area_url(draft), page_post(draft, {last.pk: {"value": "3"}}))
    assert response.status_code == 302
    history = client.get(history_url(draft, last)).content.decode()
    assert f"#q-{last.pk}" in history
    review = client.get(reverse("assessment:assessment_detail", args=[draft.museum_id, draft.pk]))
    assert f"#q-{questions[0].pk}" in review.content.decode()


def test_a_legal_reference_is_escaped_and_its_acts_linked():
    from recommendations.legal import with_links

    html = with_links("GDPR (Regulation (EU) 2016/679) Art. 6 <b>; Directive 1999/93/EC")
    assert html.count("<a ") == 1 and "CELEX:32016R0679" in html
    assert "&lt;b&gt;" in html and "1999/93/EC" in html  # an act not on the list stays plain text


def test_the_next_step_is_a_whole_first_sentence_in_every_language():
    from assessment.display import first_sentence

    assert first_sentence("Do this. Then that.") == "Do this."
    # A list of questions after a colon stays whole; an abbreviation or a German date does not end it.
    assert (
        first_sentence("Discuss three questions: do we? may they? on what terms? Then write it down.")
        == "Discuss three questions: do we? may they? on what terms?"
    )
    assert (
        first_sentence("Nennen Sie Objekt bzw. Hersteller. Dann mehr.")
        == "Nennen Sie Objekt bzw. Hersteller."
    )
    assert first_sentence("Um sich vor dem 2. Dezember 2027 vorzubereiten, prüfen Sie. Dann.") == (
        "Um sich vor dem 2. Dezember 2027 vorzubereiten, prüfen Sie."
    )
    assert first_sentence("One sentence only") == "One sentence only"
