"""In Chromium, with the keyboard alone: a lead registers the museum's visitor chatbot, answers its
triage, marks the duty to tell visitors they talk to an AI done with evidence, and the flag it raised
on the results page is gone. Axe on every page of the register, and no sideways scrolling on a phone."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from assessment import answers
from assessment.models import AiSystem, SystemDuty
from tests.browser.test_plan_page import FOCUSED, tab_to
from tests.conftest import assert_accessible, log_in, no_sideways_scrolling

UNANSWERED = """() => Array.from(document.querySelectorAll('form fieldset.card'))
  .filter(set => !set.querySelector('input:checked'))
  .map(set => ({id: set.id, type: set.querySelector('input').type}))"""


def answer_the_open_questions(page) -> int:
    """Answer every question on the triage page still without an answer, by keyboard: "visitors" for
    who meets it, "no" to a yes-or-no question, nothing ticked for content; then save. Returns how
    many were open."""
    questions = page.evaluate(UNANSWERED)
    page.locator("a.skip-link").focus()
    for question in questions:
        first = f"{question['id']}_0"
        tab_to(page, lambda focused, first=first: focused["id"] == first)
        if question["id"] == "id_meets":
            page.keyboard.press("Space")  # the first choice: visitors in the museum
        elif question["type"] == "radio":
            page.keyboard.press("ArrowDown")  # from "Yes" to "No", which an arrow also checks
    tab_to(page, lambda focused: focused["text"] == "Save the answers")
    press_and_wait_for_the_next_page(page)
    return len(questions)


def press_and_wait_for_the_next_page(page) -> None:
    """Enter on a form that saves through fetch (keep-typed.js): the answer replaces the document."""
    page.evaluate("() => document.body.setAttribute('data-before-save', '')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body && !document.body.hasAttribute('data-before-save')")


def test_a_lead_registers_a_chatbot_triages_it_and_clears_its_disclosure_flag_by_keyboard(
    page, framework, museum_a, lead
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    answers.ai_stance_record(assessment=draft, user=lead, stance="using", reasons="")
    results = reverse("assessment:results", args=[museum_a.pk, draft.pk])
    log_in(page, lead)
    page.goto(reverse("assessment:museum_home", args=[museum_a.pk]))
    page.locator("a.skip-link").focus()
    tab_to(page, lambda focused: focused["text"] == "AI register")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI register")
    assert_accessible(page, context="an empty register")

    tab_to(page, lambda focused: focused["text"] == "Register an AI system")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register an AI system")
    assert_accessible(page, context="a new system")
    tab_to(page, lambda focused: focused["id"] == "id_name")
    page.keyboard.type("Ask the museum")
    page.keyboard.press("Tab")
    page.keyboard.type("Botco")
    tab_to(page, lambda focused: focused["id"].startswith("id_use_"))
    page.keyboard.press("Space")  # the first use: visitor chatbot or voice guide
    tab_to(page, lambda focused: focused["text"] == "Register and go on to the questions")
    press_and_wait_for_the_next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Questions about “Ask the museum”")
    assert_accessible(page, context="the triage")
    rounds = 0
    while "/triage/" in page.url:
        assert answer_the_open_questions(page) > 0
        rounds += 1
        assert rounds <= 5, "the triage kept asking"
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the museum")
    expect(
        page.get_by_role("heading", name="Make sure visitors are told they are talking to an AI")
    ).to_be_visible()
    assert_accessible(page, context="a system with its duties")

    page.goto(results)
    flag = page.locator(".register-flag")
    expect(flag).to_contain_text("Ask the museum: Make sure visitors are told they are talking to an AI")
    expect(flag).to_contain_text("Art. 50(1)")

    system = AiSystem.objects.get(museum=museum_a)
    page.goto(reverse("assessment:system", args=[museum_a.pk, system.pk]))
    page.locator("a.skip-link").focus()
    tab_to(page, lambda focused: focused["text"].startswith("Update the status of “Make sure visitors"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Make sure visitors are told they are talking to an AI"
    )
    assert_accessible(page, context="a duty's status")
    tab_to(page, lambda focused: focused["id"] == "id_status_0")  # "Not started", checked
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "Done"
    page.keyboard.press("Tab")
    page.keyboard.type("The chat opens with “I am the museum's AI assistant”.")
    page.keyboard.press("Tab")
    page.keyboard.type("https://museum.example/chat-greeting.png")
    tab_to(page, lambda focused: focused["text"] == "Save the status")
    press_and_wait_for_the_next_page(page)
    expect(page.get_by_text("Evidence: https://museum.example/chat-greeting.png")).to_be_visible()
    record = SystemDuty.objects.get(system=system, duty="check-ai-disclosure")
    assert (record.status, record.evidence) == ("done", "https://museum.example/chat-greeting.png")

    page.goto(reverse("assessment:register", args=[museum_a.pk]))
    expect(page.get_by_text("People not yet told it is an AI")).to_have_count(0)
    assert_accessible(page, context="the register with a system")
    no_sideways_scrolling(page)
    page.goto(results)
    expect(page.locator(".register-flag")).to_have_count(0)
    expect(page.locator(".register-section")).to_contain_text("Ask the museum")
    assert page.evaluate(FOCUSED) is not None
    assert re.search(r"/results/$", page.url)
