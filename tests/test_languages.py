"""The language a person reads: chosen, remembered, and used in pages, questions and e-mails."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import LanguagePreference
from assessment import answers
from recommendations.models import PolicyPassage, Question
from tests.conftest import PASSWORD, results_url, submitted_assessment


def page_language(page) -> str:
    """The ``<html lang>`` of a page (a response or its text)."""
    text = page if isinstance(page, str) else page.content.decode()
    match = re.search(r'<html lang="([^"]+)"', text)
    assert match, "every page says its language"
    return match.group(1)


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_the_browser_chooses_until_the_person_does(client, framework):
    assert page_language(client.get("/")) == "en"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")) == "nl"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="it-IT")) == "en", "a language not offered"

    response = client.post(reverse("set_language"), {"language": "de", "next": "/framework/"})
    assert response.status_code == 302 and response.url == "/framework/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="nl")) == "de"
    # URLs stay the same in every language.
    assert client.get("/framework/").status_code == 200


def test_the_account_remembers_the_choice_on_every_device(client_for, lead, client):
    client_for(lead).post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert LanguagePreference.objects.get(user=lead).language == "fr"

    # Another browser, set to Dutch: French from the moment the person logs in.
    response = client.post(
        reverse("login"),
        {"username": lead.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="nl",
        follow=True,
    )
    assert page_language(response) == "fr"
    assert page_language(client.get("/framework/", HTTP_ACCEPT_LANGUAGE="nl")) == "fr"


def test_the_switcher_never_sends_anyone_off_the_site(client, db):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response.url.startswith("https://evil")


def test_questions_and_quotes_read_in_the_persons_language(client, framework):
    page = client.get(reverse("recommendations:framework"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    question = Question.objects.filter(dimension__recommendation__framework=framework).first()
    assert question.text_fr and question.text_fr in page  # type: ignore[attr-defined]
    assert question.text_en not in page  # type: ignore[attr-defined]
    # NEMO's words stay NEMO's: English, marked so, with museumai's unofficial translation beside them.
    passage = PolicyPassage.objects.filter(framework=framework).first()
    assert f'<blockquote class="policy" lang="en"><p>{passage.text}' in page
    assert in_language("fr", "Unofficial translation by museumai:") in page
    assert passage.translation_fr in page  # type: ignore[attr-defined]


def test_scores_are_written_as_the_language_writes_numbers(client_for, lead, museum_a, framework):
    assessment = submitted_assessment(museum_a, lead, lambda q: 1 if q.pk % 2 else 2)
    client = client_for(lead)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    page = client.get(results_url(assessment)).content.decode()
    assert page_language(page) == "de"
    overall = f"{assessment.overall_score:.1f}".replace(".", ",")
    assert overall in page


def test_an_invitation_is_written_in_the_language_the_inviter_chose(client_for, lead, museum_a):
    response = client_for(lead).post(
        reverse("assessment:invitation_create", args=[museum_a.pk]),
        {"email": "jan@example.org", "role": "editor", "language": "nl"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == in_language("nl", "An invitation to a museum's team on museumai")
    assert message.subject != "An invitation to a museum's team on museumai"
    with translation.override("nl"):
        assert translation.gettext("Editor") in message.body


def test_the_inviters_language_is_the_default(client_for, lead, museum_a):
    client = client_for(lead)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    client.post(
        reverse("assessment:invitation_create", args=[museum_a.pk]),
        {"email": "zoe@example.org", "role": "viewer"},
    )
    assert mail.outbox[0].subject == in_language("fr", "An invitation to a museum's team on museumai")


def test_a_password_reset_mail_is_in_the_accounts_language(client, lead):
    LanguagePreference.objects.create(user=lead, language="de")
    client.post(reverse("password_reset"), {"email": lead.email}, HTTP_ACCEPT_LANGUAGE="en")
    (message,) = mail.outbox
    assert (
        message.subject == in_language("de", "Reset your museumai password") != "Reset your museumai password"
    )
    assert in_language(
        "de", "If you did not ask for this, ignore this email: your password stays as it is."
    ) in (message.body)


def test_a_french_lead_answers_and_reads_results_in_french(client_for, lead, museum_a, framework):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    client = client_for(lead)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    area = client.get(reverse("assessment:area", args=[museum_a.pk, draft.pk, 1])).content.decode()
    assert page_language(area) == "fr"
    assert in_language("fr", "Save draft") in area
    assert in_language("fr", "This duty does not apply to us") in area
    level_names = list(framework.levels.values_list("name_fr", flat=True))
    assert all(name and name in area for name in level_names)


def test_the_demo_museums_mails_arrive_in_the_chosen_language(framework, client_for):
    """On the demo world of ``make run``: the lead invites in Dutch; the editor, who chose German, resets."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from assessment.models import Museum

    call_command("seed_demo", "--password", "demo-password-2024", stdout=io.StringIO(), stderr=io.StringIO())
    users = get_user_model().objects
    lead, editor = users.get(username="demo-lead"), users.get(username="demo-editor")
    museum = Museum.objects.get(name="Demo Museum A")
    client_for(lead).post(
        reverse("assessment:invitation_create", args=[museum.pk]),
        {"email": "curator@example.org", "role": "viewer", "language": "nl"},
    )
    client_for(editor).post(reverse("set_language"), {"language": "de", "next": "/"})
    client_for(None).post(reverse("password_reset"), {"email": editor.email}, HTTP_ACCEPT_LANGUAGE="fr")
    invitation, reset = mail.outbox
    assert invitation.to == ["curator@example.org"]
    assert invitation.subject == in_language("nl", "An invitation to a museum's team on museumai")
    assert reset.to == [editor.email] and reset.subject == in_language("de", "Reset your museumai password")


def test_a_french_download_and_the_stored_record(client_for, lead, museum_a, framework):
    """A person's download is in their language throughout; what is stored for NEMO stays English."""
    from tests.conftest import column_keys, read_csv

    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    duty = Question.objects.filter(
        dimension__recommendation__framework=framework, legal_duty=True, duty_applies_from__isnull=True
    ).first()
    answers.answers_save(
        assessment=draft, user=lead, inputs=[answers.AnswerInput(duty.pk, 0, False, "", "", 0)]
    )
    client = client_for(lead)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    rows = read_csv(client.get(reverse("assessment:export_answers", args=[museum_a.pk, draft.pk])))
    assert rows[0][0] == in_language("fr", "Assessment")  # the columns are named in French
    keys = column_keys(_english_header())  # the same columns, by their keys
    body = [dict(zip(keys, row, strict=True)) for row in rows[1:]]
    row = next(r for r in body if r["question_slug"] == duty.slug)
    assert row["dimension"] == duty.dimension.title_fr and row["question"] == duty.text_fr  # type: ignore[attr-defined]
    assert row["language"] == "fr"

    # A save made in French stores the flag's legal reference in English, as admin and NEMO read it.
    client.post(
        reverse("assessment:area", args=[museum_a.pk, draft.pk, duty.dimension.recommendation.number]),
        {
            **{
                f"q{q.pk}-version": "0"
                for q in Question.objects.filter(dimension__recommendation=duty.dimension.recommendation)
                if q.pk != duty.pk
            },
            f"q{duty.pk}-version": "1",
            f"q{duty.pk}-value": "1",
        },
    )
    draft.refresh_from_db()
    assert duty.legal_reference_en in draft.compliance_flags.splitlines()  # type: ignore[attr-defined]


def _english_header() -> list[str]:
    from assessment.exports import LONG_HEADER, column_names

    return column_names(LONG_HEADER)
