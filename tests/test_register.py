"""The museum's AI register, as its staff use it: register, triage, duties, downloads, history.

What the rules say of each kind of system is pinned in ``test_register_rules.py`` without a request;
here the same rules are reached through the pages a museum uses.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from assessment import register
from assessment.models import AiSystem, DutyStatus, SystemDuty
from tests.conftest import read_csv

BRUSSELS = ZoneInfo(settings.TIME_ZONE)


def on(day: datetime.date):
    """The clock stopped at noon in Brussels on `day`."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), BRUSSELS), tick=False)


def register_system(client, museum, *, name: str, use: str, supplier: str = "") -> AiSystem:
    response = client.post(
        reverse("assessment:system_create", args=[museum.pk]),
        {"name": name, "use": use, "supplier": supplier, "version": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    system = AiSystem.objects.get(museum=museum, name=name)
    assert response["Location"] == reverse("assessment:system_triage", args=[museum.pk, system.pk])
    return system


def guided_pass(client, museum, system: AiSystem, facts: dict[str, Any]) -> int:
    """Answer the triage as a person would: the questions shown, page after page, until none is left.

    ``facts`` gives the answers that matter; any other yes-no question shown is answered "no", any
    other choice question its first choice, any other multiple choice "none ticked". Returns the
    number of questions the person was shown.
    """
    url = reverse("assessment:system_triage", args=[museum.pk, system.pk])
    shown: set[str] = set()
    for _round in range(10):
        page = client.get(url)
        assert page.status_code == 200
        form = page.context["form"]
        data: dict[str, Any] = {"version": form.initial["version"]}
        for question in form.questions:
            shown.add(question.slug)
            value = facts.get(question.slug)
            if question.type == "yes-no":
                value = "yes" if value else "no"
            elif question.type == "choice":
                value = value or question.choices[0].slug
            else:
                data[f"{question.slug}__shown"] = "on"
                value = list(value or [])
            data[question.slug] = value
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        if response["Location"].endswith("#duties"):
            return len(shown)
    raise AssertionError("the triage never ended")


def entry_of(system: AiSystem) -> register.RegisterEntry:
    system = AiSystem.objects.prefetch_related("duty_statuses").get(pk=system.pk)
    from django.utils import timezone

    return register.system_entry(system, today=timezone.localdate(), rules=register.current_rules())


@pytest.fixture
def three_systems(client_for, lead, museum_a, framework):
    """The issue's museum: a visitor chatbot, a collection auto-tagger and a recruitment screening tool."""
    client = client_for(lead)
    with on(datetime.date(2026, 11, 23)):
        chatbot = register_system(
            client, museum_a, name="Ask the museum", use="visitor-chatbot", supplier="Botco"
        )
        guided_pass(
            client,
            museum_a,
            chatbot,
            {"meets": ["visitors", "public-online"], "personal-data": True, "public-content": ["text"]},
        )
        tagger = register_system(
            client, museum_a, name="Auto-tagger", use="metadata-enrichment", supplier="Tagit"
        )
        guided_pass(client, museum_a, tagger, {"meets": ["nobody"]})
        screening = register_system(
            client, museum_a, name="CV sorter", use="recruitment-screening", supplier="HRco"
        )
        guided_pass(
            client,
            museum_a,
            screening,
            {"meets": ["staff"], "in-use-before-high-risk": False, "public-body": "public-body"},
        )
    return client, chatbot, tagger, screening


def duty_timing(system: AiSystem, day: datetime.date) -> dict[str, str]:
    with on(day):
        return {row.slug: row.finding.status for row in entry_of(system).duties}


def test_each_system_gets_its_role_class_and_duties_in_one_guided_pass(three_systems):
    _client, chatbot, tagger, screening = three_systems
    with on(datetime.date(2026, 11, 23)):
        bot, tag, cv = entry_of(chatbot), entry_of(tagger), entry_of(screening)
    assert bot.complete and tag.complete and cv.complete
    assert [entry.triage.role.slug for entry in (bot, tag, cv)] == ["deployer"] * 3
    assert "transparency" in bot.triage.classification_slugs
    assert bot.duty("check-ai-disclosure") is not None and bot.duty("check-ai-disclosure").current
    assert bot.disclosure_missing
    assert tag.triage.classification_slugs == ("minimal",)
    assert tag.duty("check-ai-disclosure") is None
    # Recruitment screening is high-risk from 2 December 2027: coming today, with its date.
    high_risk = next(item for item in cv.triage.classifications if item.slug == "high-risk")
    assert high_risk.status == "coming" and high_risk.applies_from == datetime.date(2027, 12, 2)
    oversight = cv.duty("high-risk-deployer-duties")
    assert oversight is not None and oversight.coming
    assert oversight.finding.applies_from == datetime.date(2027, 12, 2)
    assert cv.duty("gdpr-dpia") is not None and cv.duty("gdpr-dpia").current


def test_the_high_risk_duties_switch_from_coming_to_current_on_2_december_2027(three_systems):
    _client, _chatbot, _tagger, screening = three_systems
    before = duty_timing(screening, datetime.date(2027, 12, 1))
    after = duty_timing(screening, datetime.date(2027, 12, 3))
    for slug in ("high-risk-deployer-duties", "inform-workers"):
        assert (before[slug], after[slug]) == ("coming", "current"), slug
    assert before["gdpr-dpia"] == after["gdpr-dpia"] == "current"


def test_the_register_page_lists_each_system_with_its_class_and_what_is_to_do(
    three_systems, viewer, client_for
):
    _client, chatbot, _tagger, _screening = three_systems
    museum_id = chatbot.museum_id
    with on(datetime.date(2026, 11, 23)):
        page = client_for(viewer).get(reverse("assessment:register", args=[museum_id])).content.decode()
    assert "3 systems registered." in page
    assert "Ask the museum" in page and "Auto-tagger" in page and "CV sorter" in page
    assert "High-risk (from 2 December 2027)" in page
    assert "People not yet told it is an AI" in page
    assert "Register an AI system" not in page  # a viewer reads, and changes nothing


def test_a_simple_back_office_system_is_asked_little_and_nothing_about_people(
    client_for, lead, museum_a, framework
):
    client = client_for(lead)
    system = register_system(client, museum_a, name="Climate", use="building-control")
    shown = guided_pass(client, museum_a, system, {"meets": ["nobody"]})
    assert shown <= 6
    answers = AiSystem.objects.get(pk=system.pk).answers
    assert not {"personal-data", "biometric-data", "on-staff"} & set(answers)


def test_marking_the_disclosure_done_with_evidence_clears_the_flag_and_is_in_the_history(three_systems):
    client, chatbot, _tagger, _screening = three_systems
    url = reverse("assessment:duty_edit", args=[chatbot.museum_id, chatbot.pk, "check-ai-disclosure"])
    page = client.get(url)
    assert page.status_code == 200 and "Art. 50(1)" in page.content.decode()
    response = client.post(
        url,
        {
            "status": "done",
            "note": "The chat window opens with “I am an AI assistant”.",
            "evidence": "https://example.org/chat.png",
            "version": "0",
        },
    )
    assert response.status_code == 302
    assert not entry_of(chatbot).disclosure_missing
    record = SystemDuty.objects.get(system=chatbot, duty="check-ai-disclosure")
    assert (record.status, record.evidence) == (DutyStatus.DONE, "https://example.org/chat.png")
    detail = client.get(reverse("assessment:system", args=[chatbot.museum_id, chatbot.pk])).content.decode()
    assert "https://example.org/chat.png" in detail
    assert "Make sure visitors are told they are talking to an AI" in detail


def test_does_not_apply_needs_a_reason(three_systems):
    client, chatbot, _tagger, _screening = three_systems
    url = reverse("assessment:duty_edit", args=[chatbot.museum_id, chatbot.pk, "check-ai-disclosure"])
    response = client.post(url, {"status": "does_not_apply", "note": "", "evidence": "", "version": "0"})
    assert response.status_code == 400
    assert "Say why this duty does not apply" in response.content.decode()
    assert not SystemDuty.objects.exists()


def test_a_duty_saved_meanwhile_by_a_colleague_is_a_conflict_that_keeps_what_was_typed(
    three_systems, editor, client_for
):
    client, chatbot, _tagger, _screening = three_systems
    url = reverse("assessment:duty_edit", args=[chatbot.museum_id, chatbot.pk, "check-ai-disclosure"])
    assert (
        client_for(editor)
        .post(url, {"status": "in_progress", "note": "Bob's", "evidence": "", "version": "0"})
        .status_code
        == 302
    )
    response = client.post(
        url, {"status": "done", "note": "Alice typed this", "evidence": "", "version": "0"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert ("Alice typed this" in page and "Bob&#x27;s" in page) or "Bob's" in page
    assert SystemDuty.objects.get().note == "Bob's"


def test_a_system_edited_meanwhile_is_a_conflict_and_the_typed_text_stays(three_systems, editor, client_for):
    client, chatbot, _tagger, _screening = three_systems
    url = reverse("assessment:system_edit", args=[chatbot.museum_id, chatbot.pk])
    version = AiSystem.objects.get(pk=chatbot.pk).version
    base = {"name": "Ask the museum", "use": "visitor-chatbot", "version": str(version)}
    assert client_for(editor).post(url, {**base, "notes": "Bob's notes"}).status_code == 302
    response = client.post(url, {**base, "notes": "Alice's long notes"})
    assert response.status_code == 409
    assert "Alice&#x27;s long notes" in response.content.decode()
    assert AiSystem.objects.get(pk=chatbot.pk).notes == "Bob's notes"


def test_an_unknown_stored_answer_or_use_is_set_aside_not_a_server_error(
    client_for, lead, museum_a, framework
):
    system = AiSystem.objects.create(
        museum=museum_a,
        name="Old",
        use="a-use-since-removed",
        answers={"no-such-question": True, "meets": "x"},
    )
    client = client_for(lead)
    for name in ("assessment:system", "assessment:system_triage"):
        assert client.get(reverse(name, args=[museum_a.pk, system.pk])).status_code == 200
    assert client.get(reverse("assessment:register", args=[museum_a.pk])).status_code == 200


def test_a_duty_the_triage_does_not_list_is_a_404(three_systems):
    client, _chatbot, tagger, _screening = three_systems
    url = reverse("assessment:duty_edit", args=[tagger.museum_id, tagger.pk, "check-ai-disclosure"])
    assert client.get(url).status_code == 404


def test_removing_a_system_asks_first_and_keeps_its_history(three_systems):
    client, _chatbot, tagger, _screening = three_systems
    url = reverse("assessment:system_delete", args=[tagger.museum_id, tagger.pk])
    assert "Remove “Auto-tagger” from the register?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not AiSystem.objects.filter(pk=tagger.pk).exists()
    assert AiSystem.history.filter(id=tagger.pk, history_type="-").exists()


def test_the_csv_has_a_row_per_duty_with_formulas_neutralised(client_for, lead, viewer, museum_a, framework):
    client = client_for(lead)
    system = register_system(client, museum_a, name="=HYPERLINK(1)", use="visitor-chatbot", supplier="@bot")
    guided_pass(client, museum_a, system, {"meets": ["visitors"]})
    register_system(client, museum_a, name="Half done", use="other")
    response = client_for(viewer).get(reverse("assessment:register_export", args=[museum_a.pk]))
    assert response.status_code == 200
    assert f"museumai-ai-register-{museum_a.pk}-" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:6] == ["AI system", "Name", "Supplier", "Use", "What it does", "Owner"]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    chatbot_rows = [row for row in records if row["Name"] == "'=HYPERLINK(1)"]
    assert len(chatbot_rows) == len(entry_of(system).duties) > 1
    assert {row["Supplier"] for row in chatbot_rows} == {"'@bot"}
    disclosure = next(row for row in chatbot_rows if row["Duty"].startswith("Make sure visitors"))
    assert (disclosure["Duty: status"], disclosure["Duty: current or coming"]) == (
        "Not started",
        "Applies now",
    )
    assert "Art. 50(1)" in disclosure["Duty: legal reference"]
    half = [row for row in records if row["Name"] == "Half done"]
    assert half[0]["Triage complete"] == "no"


def test_the_xlsx_has_the_same_rows(client_for, lead, museum_a, framework):
    client = client_for(lead)
    system = register_system(client, museum_a, name="Guide", use="visitor-chatbot")
    guided_pass(client, museum_a, system, {"meets": ["visitors"]})
    response = client.get(reverse("assessment:register_export_xlsx", args=[museum_a.pk]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("AI system", "Name")
    assert len(rows) == 1 + len(entry_of(system).duties)


def test_the_register_reads_in_french(client_for, lead, museum_a, framework):
    client = client_for(lead)
    system = register_system(client, museum_a, name="Guide", use="visitor-chatbot")
    guided_pass(client, museum_a, system, {"meets": ["visitors"]})
    lead.language = "fr"
    lead.save()
    client = client_for(lead, HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("assessment:system", args=[museum_a.pk, system.pk])).content.decode()
    assert "Agent conversationnel" in page or "agent conversationnel" in page
    assert "Make sure visitors are told" not in page


QUERIES_REGISTER_PAGE = 6
QUERIES_SYSTEM_PAGE = 8
QUERIES_REGISTER_CSV = 5


@pytest.mark.parametrize("count", [1, 50])
def test_register_pages_and_downloads_take_the_same_queries_for_1_or_50_systems(
    client_for, lead, museum_a, framework, count, django_assert_num_queries
):
    uses = list(register.current_rules().uses)
    for index in range(count):
        system = AiSystem.objects.create(
            museum=museum_a,
            name=f"System {index}",
            use=uses[index % len(uses)],
            owner=lead,
            answers={"meets": ["visitors"], "personal-data": True, "built-by-museum": False},
        )
        SystemDuty.objects.create(system=system, duty="ai-literacy", status="done", updated_by=lead)
    client = client_for(lead)
    client.get(reverse("assessment:museum_home", args=[museum_a.pk]))  # the session's first read
    with django_assert_num_queries(QUERIES_REGISTER_PAGE):
        assert client.get(reverse("assessment:register", args=[museum_a.pk])).status_code == 200
    with django_assert_num_queries(QUERIES_SYSTEM_PAGE):
        assert client.get(reverse("assessment:system", args=[museum_a.pk, system.pk])).status_code == 200
    with django_assert_num_queries(QUERIES_REGISTER_CSV):
        response = client.get(reverse("assessment:register_export", args=[museum_a.pk]))
        assert len(read_csv(response)) > count


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_text_of_the_rules_is_translated_and_no_translation_is_stale(language):
    """CI's guard: a text added or changed in the rules needs its translation before it ships."""
    from recommendations.register_rules import default_rules, read_translations, rule_texts

    texts = rule_texts(default_rules())
    catalogue = read_translations(language)
    assert [text for text in texts if not catalogue.get(text, "").strip()] == []
    assert sorted(set(catalogue) - set(texts)) == []


def test_a_chatbot_without_disclosure_raises_the_art_50_1_flag_on_the_results_and_in_the_report(
    three_systems,
):
    from tests.conftest import results_url, submitted_assessment
    from tests.test_report import pdf_flat, pdf_pages, report_url

    client, chatbot, _tagger, _screening = three_systems
    assessment = submitted_assessment(chatbot.museum, chatbot.created_by, lambda q: 3)
    page = client.get(results_url(assessment)).content.decode()
    assert page.count('class="list-group-item flag-item register-flag"') == 1
    assert "Ask the museum: Make sure visitors are told they are talking to an AI" in page
    assert 'id="register-heading"' in page and "CV sorter" in page
    report = pdf_flat(pdf_pages(client.get(report_url(assessment)).content))
    assert "Ask the museum: Make sure visitors are told they are talking to an AI" in report
    assert "CV sorter" in report and "High-risk (from" in report
    # Done, with evidence: the flag goes, on the page and in the report made again.
    SystemDuty.objects.create(
        system=chatbot, duty="check-ai-disclosure", status="done", evidence="greeting.png"
    )
    assert "register-flag" not in client.get(results_url(assessment)).content.decode()
    report = pdf_flat(pdf_pages(client.get(report_url(assessment)).content))
    assert "Make sure visitors are told" not in report.split("Dimensions")[0]


@pytest.mark.parametrize("stance", ["exploring", "not_by_decision"])
def test_a_museum_with_no_ai_and_an_empty_register_gets_no_flag_about_ai_in_use(
    client_for, lead, museum_a, framework, stance
):
    from assessment import answers
    from tests.conftest import results_url

    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    answers.ai_stance_record(assessment=draft, user=lead, stance=stance, reasons="Not for now.")
    page = client_for(lead).get(results_url(draft)).content.decode()
    assert "register-flag" not in page
    assert "No AI system is registered." in page
    assert "flag-item" not in page  # neither the questionnaire's duty flags nor the register's


def test_the_questionnaire_says_what_the_register_holds_under_the_questions_it_informs(three_systems):
    from assessment import answers
    from recommendations.models import Question

    client, chatbot, _tagger, _screening = three_systems
    draft = answers.assessment_start(museum=chatbot.museum, user=chatbot.created_by, copy_previous=False)
    disclosure = Question.objects.get(
        dimension__recommendation__framework=draft.framework, slug="ai-interaction-disclosure"
    )
    inventory = Question.objects.get(
        dimension__recommendation__framework=draft.framework, slug="ai-systems-inventory"
    )
    pages = {
        number: client.get(
            reverse("assessment:area", args=[draft.museum_id, draft.pk, number])
        ).content.decode()
        for number in {disclosure.dimension.recommendation.number, inventory.dimension.recommendation.number}
    }
    question_html = pages[disclosure.dimension.recommendation.number].split(f'id="q-{disclosure.pk}"')[1][
        :6000
    ]
    assert "From your AI register" in question_html
    assert "1 concerned by this question" in question_html and "1 duty to do now" in question_html
    assert "(Ask the museum)" in question_html
    inventory_html = pages[inventory.dimension.recommendation.number].split(f'id="q-{inventory.pk}"')[1][
        :6000
    ]
    assert "3 systems registered" in inventory_html
