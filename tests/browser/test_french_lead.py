"""A French-speaking lead answers, submits and reads the results in French, with the keyboard alone."""

from __future__ import annotations

import re
import subprocess

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from assessment import answers
from assessment.models import Action, Answer, AssessmentStatus
from tests.conftest import PASSWORD, assert_accessible


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def fr_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("fr"):
        return translation.ngettext(singular, plural, count) % {"count": count}


def press_until_focused(page, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.textContent.trim()") == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def test_a_french_lead_works_in_french_with_the_keyboard(browser, live_server, framework, museum_a, lead):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    context = browser.new_context(base_url=live_server.url, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(reverse("login"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page, context="login page in French")
    page.get_by_label(re.compile(fr("Email or username"))).focus()
    page.keyboard.type(lead.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/museums/\d+/$"))  # logged in: the museum's home

    # Area 1: a level chosen with the arrow keys, a note typed, saved with the skip link and Enter.
    page.goto(reverse("assessment:area", args=[museum_a.pk, draft.pk, 1]))
    assert page.locator("html").get_attribute("lang") == "fr"
    first = page.locator(".question").first
    first.locator('input[type="radio"]').first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(first.locator('input[value="2"]')).to_be_checked()
    first.locator("textarea").focus()
    page.keyboard.type("Procès-verbal du conseil, mars 2024.")
    assert_accessible(page, context="questionnaire in French")
    page.locator("a.skip-link").focus()
    press_until_focused(page, fr("Skip the questions: go to the Save buttons"))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        fr_plural("%(count)d answer saved.", "%(count)d answers saved.", 1)
    )
    answer = Answer.objects.get(assessment=draft)
    assert (answer.level, answer.note) == (2, "Procès-verbal du conseil, mars 2024.")

    # Submit, from the review page.
    page.goto(reverse("assessment:assessment_submit", args=[museum_a.pk, draft.pk]))
    assert_accessible(page, context="submit page in French")
    page.locator("main").focus()
    press_until_focused(page, fr("Submit the assessment"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(fr("Results"))
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED

    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", name=fr("Legal duties to look at"))).to_be_visible()
    expect(page.get_by_role("heading", name=fr("Three priorities for the next 12 months"))).to_be_visible()
    assert_accessible(page, context="results in French")

    # The board's report, downloaded with the keyboard: a PDF in French.
    page.locator("main").focus()
    press_until_focused(page, fr("Download PDF report"), limit=120)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf = download_info.value.path()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert fr("In short") in text.stdout and fr("Three priorities for the next 12 months") in text.stdout
    assert "In short" not in text.stdout

    # From the first priority, an action for the plan, with the keyboard alone.
    first_priority = page.locator(".priority").first
    dimension = first_priority.locator("strong").inner_text().strip()
    page.locator("main").focus()
    press_until_focused(page, f"{fr('Add to plan')}: {dimension}", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/new/\?question=\d+$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    title = page.get_by_label(re.compile(fr("What is to be done")))
    assert title.input_value()  # pre-filled from the question's guidance
    assert_accessible(page, context="new action in French")
    title.focus()
    press_until_focused(page, fr("Add to the plan"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(fr("Action plan"))
    assert Action.objects.filter(museum=museum_a, created_by=lead).count() == 1
    assert_accessible(page, context="action plan in French")
    context.close()
