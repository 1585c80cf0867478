"""Saving an area from the keyboard without tabbing through every question."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from assessment import answers
from assessment.models import Answer
from tests.conftest import assert_accessible, log_in
from tests.test_assessments import area_questions

FOCUSED = "() => ({tag: document.activeElement.tagName, text: document.activeElement.textContent.trim()})"


def test_the_save_buttons_are_a_few_key_presses_from_the_top(page, framework, museum_a, editor):
    draft = answers.assessment_start(museum=museum_a, user=editor, copy_previous=False)
    log_in(page, editor)
    page.goto(reverse("assessment:area", args=[museum_a.pk, draft.pk, 1]))
    first = area_questions(draft, 1)[0]
    page.get_by_label("2 · ", exact=False).first.check()  # a change to save

    page.locator("a.skip-link").focus()  # back to the top: the page's first link
    presses = 0
    while page.evaluate(FOCUSED)["text"] != "Skip the questions: go to the Save buttons":
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 20, f"the skip link is not near the top: still at {page.evaluate(FOCUSED)}"
    skip_link = page.get_by_role("link", name="Skip the questions: go to the Save buttons")
    expect(skip_link).to_be_visible()  # shown while focused
    assert_accessible(page, context="area with the skip link focused")

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == {"tag": "BUTTON", "text": "Save draft"}
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 answer saved")
    assert Answer.objects.get(assessment=draft, question=first).level == 2
