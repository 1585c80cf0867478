"""In Chromium, with the keyboard alone: an editor adds a question's step to the plan (in a new tab, the
answers being typed stay), then marks it done; the plan lists it under Done. Axe on every page, and
no sideways scrolling on a phone."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessment import answers
from assessment.models import Action, ActionStatus
from tests.conftest import assert_accessible, log_in, no_sideways_scrolling
from tests.test_assessments import area_questions

FOCUSED = "() => ({id: document.activeElement.id, text: document.activeElement.textContent.trim()})"


def tab_to(page, matches, *, limit: int = 120) -> None:
    """Press Tab until the focused element matches (a function of its id and text)."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if matches(page.evaluate(FOCUSED)):
            return
    raise AssertionError(f"never reached by Tab; focus ended on {page.evaluate(FOCUSED)}")


def test_an_editor_plans_a_step_from_a_question_and_completes_it_by_keyboard(
    page, framework, museum_a, editor
):
    draft = answers.assessment_start(museum=museum_a, user=editor, copy_previous=False)
    question = area_questions(draft, 1)[0]
    log_in(page, editor)
    page.goto(reverse("assessment:area", args=[museum_a.pk, draft.pk, 1]))
    note = page.locator(f"#q{question.pk}-note")
    note.fill("Typed, not saved yet")  # what the new tab must not lose

    page.locator("a.skip-link").focus()
    tab_to(page, lambda focused: focused["text"].startswith("Add to plan"))
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    form_page = opened.value
    form_page.wait_for_load_state()
    expect(form_page.get_by_role("heading", level=1)).to_have_text("New action")
    expect(form_page.get_by_text(question.text)).to_be_visible()
    assert form_page.get_by_label("Description").input_value() == question.guidance
    assert_accessible(form_page, context="new action from a question")
    expect(note).to_have_value("Typed, not saved yet")  # the questionnaire, untouched in its tab

    tab_to(form_page, lambda focused: focused["id"] == "id_title")
    form_page.keyboard.press("Control+A")
    form_page.keyboard.type("Agree our position on AI")
    tab_to(form_page, lambda focused: focused["id"] == "id_owner")
    form_page.keyboard.type("Bob")  # a focused menu chooses the option one types
    tab_to(form_page, lambda focused: focused["text"] == "Add to the plan")
    form_page.keyboard.press("Enter")

    planned = form_page.get_by_role("region", name=re.compile(r"^Planned"))
    expect(planned.get_by_role("link", name="Agree our position on AI")).to_be_visible()
    expect(form_page.get_by_role("status")).to_contain_text("Added to the plan")
    action = Action.objects.get()
    assert (action.question_id, action.owner, action.dimension_id) == (
        question.pk,
        editor,
        question.dimension_id,
    )
    assert_accessible(form_page, context="the plan with one action")

    form_page.get_by_role("main").focus()
    tab_to(form_page, lambda focused: focused["text"].startswith("Agree our position on AI"))
    form_page.keyboard.press("Enter")
    expect(form_page.get_by_role("heading", level=1)).to_have_text("Agree our position on AI")
    assert_accessible(form_page, context="an action's form with its history")
    tab_to(form_page, lambda focused: focused["id"] == "id_status")
    form_page.keyboard.type("Done")
    tab_to(form_page, lambda focused: focused["text"] == "Save the action")
    form_page.keyboard.press("Enter")

    done = form_page.get_by_role("region", name=re.compile(r"^Done"))
    expect(done.get_by_role("link", name="Agree our position on AI")).to_be_visible()
    expect(done).to_contain_text("Done on")
    action.refresh_from_db()
    assert (action.status, action.done_on) == (ActionStatus.DONE, timezone.localdate())
    no_sideways_scrolling(form_page)


def test_the_plan_pages_are_accessible_and_fit_a_phone(page, framework, museum_a, editor, lead):
    answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    log_in(page, editor)
    plan_url = reverse("assessment:plan", args=[museum_a.pk])
    page.goto(plan_url)
    expect(page.get_by_text("Your plan has no actions yet.")).to_be_visible()
    assert_accessible(page, context="an empty plan")

    page.goto(reverse("assessment:action_create", args=[museum_a.pk]))
    page.get_by_label("Owner", exact=True).select_option(label="Someone else (type their name below)")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("#form-errors")).to_be_focused()  # errors first, linked to their fields
    expect(page.locator("#form-errors")).to_contain_text("Type the name of the person")
    assert_accessible(page, context="the action form with errors")
    no_sideways_scrolling(page)

    page.get_by_label("What is to be done").fill("Ask the supplier where our data is stored")
    page.get_by_label("If someone else: their name").fill("Jan Peeters (volunteer)")
    page.get_by_label("Due date").fill("2020-01-31")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()
    page.get_by_label("Owner").select_option(label="Jan Peeters (volunteer)")
    page.get_by_role("button", name="Show these actions").click()
    expect(page).to_have_url(re.compile(r"owner=name"))
    expect(page.get_by_role("link", name="Ask the supplier where our data is stored")).to_be_visible()
    assert_accessible(page, context="a filtered plan with an overdue action")
    no_sideways_scrolling(page)


def test_an_action_typed_when_the_session_has_ended_stays_on_the_page(page, framework, museum_a, editor):
    log_in(page, editor)
    page.goto(reverse("assessment:action_create", args=[museum_a.pk]))
    title = page.get_by_label(re.compile("What is to be done"))
    title.fill("Ask the board for a budget line")
    page.get_by_label("Description").fill("Two pages, before the March meeting.")
    page.context.clear_cookies(name="sessionid")  # the session ends (a timeout, a log-out elsewhere)
    page.get_by_role("button", name="Add to the plan").click()

    alert = page.get_by_role("alert").filter(has_text="Not saved: your session has ended")
    expect(alert).to_be_visible()
    expect(title).to_have_value("Ask the board for a budget line")
    assert "/plan/new/" in page.url
    assert_accessible(page, context="action form after a save that could not go through")

    # Logged in again (in another tab), the same page saves what was typed.
    other = page.context.new_page()
    log_in(other, editor)
    other.close()
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("status")).to_contain_text("Added to the plan")
    page.wait_for_url(re.compile(r"/plan/(#action-[0-9]+)?$"))
    action = Action.objects.get(title="Ask the board for a budget line")
    assert action.description == "Two pages, before the March meeting."
