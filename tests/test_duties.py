"""Legal duties that apply only when they apply: "does not apply" statements, coming duties, no AI in use."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils.timezone import localdate

from assessment import answers, scoring
from assessment.models import Answer
from recommendations.models import Question
from tests.conftest import answer_all, column_keys, questions_of, read_csv, results_url

DUTY_DAY = datetime.date(2027, 12, 2)


# --- The rule, in scoring.py (no database) ----------------------------------------------------


def spec(*questions: scoring.QuestionSpec) -> scoring.FrameworkSpec:
    return scoring.FrameworkSpec(
        areas=(scoring.AreaSpec(1, (scoring.DimensionSpec(10, 1, questions),)),),
    )


IN_FORCE = scoring.QuestionSpec(1, 1, legal_duty=True, legal_reference="GDPR Art. 35")
ABOUT_AI = scoring.QuestionSpec(
    2, 1, legal_duty=True, legal_reference="AI Act Art. 50(1)", only_if_ai_in_use=True
)
COMING = scoring.QuestionSpec(
    3,
    1,
    legal_duty=True,
    legal_reference="AI Act Art. 26",
    duty_applies_from=DUTY_DAY,
    only_if_ai_in_use=True,
)
MATURITY = scoring.QuestionSpec(4, 1)


def flagged(result: scoring.Result) -> set[int]:
    return {flag.question_id for flag in result.compliance_flags}


def test_a_duty_stated_not_to_apply_raises_no_flag_and_leaves_the_score_alone():
    framework = spec(IN_FORCE, MATURITY)
    at_zero = {1: scoring.AnswerValue(0), 4: scoring.AnswerValue(3)}
    does_not_apply = {
        1: scoring.AnswerValue(duty_exemption="no-high-risk-processing"),
        4: scoring.AnswerValue(3),
    }

    assert flagged(scoring.score_assessment(framework, at_zero)) == {1}
    result = scoring.score_assessment(framework, does_not_apply)
    assert flagged(result) == set()
    assert result.duties_not_applying == (
        scoring.DutyNotApplying(1, 10, "no-high-risk-processing", "GDPR Art. 35"),
    )
    assert result.overall.value == 3  # set aside, as N/A is: not a zero
    assert (result.progress.done, result.progress.applicable, result.progress.duty_not_applying) == (2, 1, 1)


@pytest.mark.parametrize(
    ("today", "is_flagged"),
    [
        (DUTY_DAY - datetime.timedelta(days=1), False),
        (DUTY_DAY, True),
        (DUTY_DAY + datetime.timedelta(days=1), True),
    ],
)
def test_a_coming_duty_is_flagged_from_its_day_and_not_before(today, is_flagged):
    result = scoring.score_assessment(spec(COMING), {3: scoring.AnswerValue(0)}, today=today)
    assert (3 in flagged(result)) is is_flagged
    assert bool(result.coming_duties) is not is_flagged
    if not is_flagged:
        assert result.coming_duties == (scoring.ComingDuty(3, 10, DUTY_DAY, 0, "AI Act Art. 26"),)


def test_a_museum_that_uses_no_ai_is_not_flagged_for_duties_about_ai_in_use():
    framework = spec(IN_FORCE, ABOUT_AI, COMING)
    all_zero = {question_id: scoring.AnswerValue(0) for question_id in (1, 2, 3)}
    after = DUTY_DAY + datetime.timedelta(days=1)

    assert flagged(scoring.score_assessment(framework, all_zero, today=after, uses_ai=None)) == {1, 2, 3}
    assert flagged(scoring.score_assessment(framework, all_zero, today=after, uses_ai=True)) == {1, 2, 3}
    no_ai = scoring.score_assessment(framework, all_zero, today=after, uses_ai=False)
    assert flagged(no_ai) == {1}, "a duty that does not depend on AI still applies"
    assert {(d.question_id, d.reason) for d in no_ai.duties_not_applying} == {
        (2, scoring.NO_AI_IN_USE),
        (3, scoring.NO_AI_IN_USE),
    }


# --- Through the app ---------------------------------------------------------------------------


def question(slug: str) -> Question:
    return Question.objects.select_related("dimension__recommendation").get(
        slug=slug, dimension__recommendation__framework__is_current=True
    )


def area_post(client, assessment, number: int, fields: dict[str, str]):
    """Post an area's form as the page would: every question's version, plus these fields."""
    url = reverse("assessment:area", args=[assessment.museum_id, assessment.pk, number])
    versions = {
        f"q{q.pk}-version": "0"
        for q in questions_of(assessment)
        if q.dimension.recommendation.number == number
    }
    return client.post(url, {**versions, **fields})


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


def test_does_not_apply_is_a_recorded_statement_shown_on_the_dashboard_and_in_exports(
    draft, lead, client_for, nemo_admin
):
    biometrics = question("biometrics-red-lines")
    reason = biometrics.exemptions.get()
    client = client_for(lead)
    response = area_post(
        client,
        draft,
        biometrics.dimension.recommendation.number,
        {
            f"q{biometrics.pk}-value": "exempt",
            f"q{biometrics.pk}-exemption": reason.slug,
            f"q{biometrics.pk}-note": "No cameras in the galleries.",
            f"q{biometrics.pk}-version": "0",
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=draft, question=biometrics)
    assert (answer.duty_exemption, answer.level, answer.not_applicable) == (reason.slug, None, False)

    page = client.get(results_url(draft)).content.decode()
    assert "Duties that do not apply to your museum" in page
    assert reason.text in page.split("Duties that do not apply to your museum")[1]
    assert (
        biometrics.legal_reference not in page.split("Legal duties to look at")[1].split("Coming duties")[0]
    )

    rows = read_csv(client.get(reverse("assessment:export_answers", args=[draft.museum_id, draft.pk])))
    header, *body = rows
    header = column_keys(header)
    row = next(
        dict(zip(header, r, strict=True)) for r in body if r[header.index("question_slug")] == biometrics.slug
    )
    assert (row["duty_does_not_apply"], row["level"], row["not_applicable"]) == (reason.text, "", "no")

    # NEMO's one-row-per-assessment export says so in the duty's own column.
    answers.assessment_submit(assessment=draft, user=lead)
    wide = client_for(nemo_admin).post(
        reverse("admin:assessment_assessment_changelist"),
        {"action": "export_wide", "_selected_action": [str(draft.pk)]},
    )
    header, row = read_csv(wide)
    assert dict(zip(header, row, strict=True))[f"legal_duty_{biometrics.slug}"] == "does not apply"


def test_does_not_apply_needs_one_of_the_questions_reasons(draft, lead, client_for):
    biometrics = question("biometrics-red-lines")
    number = biometrics.dimension.recommendation.number
    client = client_for(lead)
    fields = {f"q{biometrics.pk}-value": "exempt", f"q{biometrics.pk}-version": "0"}

    response = area_post(client, draft, number, fields)
    assert response.status_code == 400
    assert "Choose the reason this duty does not apply to your museum" in response.content.decode()

    response = area_post(client, draft, number, {**fields, f"q{biometrics.pk}-exemption": "we-said-so"})
    assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()

    # A question that is no legal duty has no such answer.
    maturity = question("ai-position-tied-to-mission")
    response = area_post(
        client, draft, 1, {f"q{maturity.pk}-value": "exempt", f"q{maturity.pk}-version": "0"}
    )
    assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()


def at(day: datetime.date):
    """The clock at noon in the site's time zone on that day."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False
    )


@pytest.mark.parametrize(
    ("day", "flagged_then"),
    [(DUTY_DAY - datetime.timedelta(days=1), False), (DUTY_DAY + datetime.timedelta(days=1), True)],
)
def test_a_coming_duty_turns_into_a_flag_by_itself_on_its_day(draft, lead, client_for, day, flagged_then):
    high_risk = question("high-risk-uses-checked")
    assert high_risk.duty_applies_from == DUTY_DAY
    answer_all(draft, lead, lambda q: 0 if q.pk == high_risk.pk else 3)

    with at(day):
        page = client_for(lead).get(results_url(draft)).content.decode()
    flags_section = (
        page.split("Legal duties to look at")[1].split("Coming duties")[0].split('id="dimensions-heading"')[0]
    )
    assert (high_risk.text in flags_section) is flagged_then
    assert ("Coming duties: prepare now" in page) is not flagged_then
    if not flagged_then:
        assert "From 2 December 2027" in page


def test_recording_that_the_museum_uses_no_ai_lifts_only_the_flags_about_ai(draft, lead, client_for):
    answer_all(draft, lead, lambda q: 0)
    client = client_for(lead)
    legal = [q for q in questions_of(draft) if q.legal_duty]
    in_force = [q for q in legal if not q.is_coming_duty(localdate())]
    about_ai = {q.legal_reference for q in in_force if q.only_if_ai_in_use}
    other = {q.legal_reference for q in in_force if not q.only_if_ai_in_use}
    assert about_ai and other
    chatbot = question("ai-interaction-disclosure")
    assert chatbot.only_if_ai_in_use

    draft.refresh_from_db()
    assert about_ai <= set(draft.compliance_flags.splitlines())

    response = client.post(
        reverse("assessment:assessment_ai_use", args=[draft.museum_id, draft.pk]),
        {"stance": "not_by_decision"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.uses_ai is False and draft.uses_ai_said_by == lead
    assert set(draft.compliance_flags.splitlines()) == other

    page = client.get(results_url(draft)).content.decode()
    flags_section = page.split("Legal duties to look at")[1].split("Duties that do not apply")[0]
    assert chatbot.text not in flags_section
    assert "The museum recorded that it uses no AI." in page

    # Saying so again the other way brings them back.
    client.post(
        reverse("assessment:assessment_ai_use", args=[draft.museum_id, draft.pk]), {"stance": "using"}
    )
    draft.refresh_from_db()
    assert about_ai <= set(draft.compliance_flags.splitlines())


def test_what_the_museum_said_about_ai_is_refused_once_submitted(draft, lead, client_for):
    answers.assessment_submit(assessment=draft, user=lead)
    response = client_for(lead).post(
        reverse("assessment:assessment_ai_use", args=[draft.museum_id, draft.pk]),
        {"stance": "not_by_decision"},
        follow=True,
    )
    assert "can no longer be changed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.uses_ai is None


def test_reasons_typed_for_a_stance_are_kept_when_the_form_is_refused(draft, lead, client_for):
    url = reverse("assessment:assessment_ai_use", args=[draft.museum_id, draft.pk])
    # 20 lines of 99 characters: 2,000 as the browser counts (a line break is one), 2,020 as sent (CRLF).
    line = "We weighed the costs of governing AI well. ".ljust(99, ".")
    reasons = "\r\n".join([line] * 20) + "\r\n"
    # No stance chosen: the page comes back with the reasons as typed, and says what is missing.
    response = client_for(lead).post(url, {"reasons": reasons})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the three answers." in page
    assert "We weighed the costs of governing AI well." in page
    response = client_for(lead).post(url, {"stance": "not_by_decision", "reasons": reasons})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.ai_stance == "not_by_decision"
    assert draft.ai_stance_reasons == reasons.replace("\r\n", "\n").strip()
