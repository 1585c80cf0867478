"""Filling in an assessment together, in Chromium: keyboard only, warnings, review, submit; axe everywhere."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessment.models import Answer, Assessment, AssessmentStatus
from recommendations.models import Question
from tests.conftest import assert_accessible, log_in


def answer_area_with_the_keyboard(page, levels: list[int]) -> int:
    """Tab through the area; in each radio group pick a level with the arrow keys; save with Enter."""
    page.locator("h1").click()  # start from the top of the content
    answered = 0
    for _step in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => ({type: document.activeElement.type || '', name: document.activeElement.name || '',"
            " text: document.activeElement.textContent.trim()})"
        )
        if focused["type"] == "radio":
            level = levels[answered % len(levels)]
            page.keyboard.press("Space")  # selects level 0, the first option
            for _ in range(level):
                page.keyboard.press("ArrowDown")
            answered += 1
            if answered == 1:
                outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", "keyboard focus must be visible"
                page.keyboard.press("Tab")  # the N/A reason
                page.keyboard.press("Tab")  # the note
                page.keyboard.type("Typed with the keyboard")
        elif focused["type"] == "submit" and focused["text"] == "Save draft":
            page.keyboard.press("Enter")
            return answered
    raise AssertionError("never reached the Save button with Tab")


def test_an_assessment_from_start_to_submission(page, framework, museum_a, lead, editor, viewer):
    log_in(page, editor)
    expect(page.get_by_role("heading", level=1, name="Museum A")).to_be_visible()
    assert_accessible(page, context="museum home without assessments")
    page.get_by_role("link", name="Start your first assessment").click()
    page.wait_for_url("**/assessments/start/")
    assert_accessible(page, context="start page")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Area 1")
    assert_accessible(page, context="empty area 1")

    # The policy passages a question serves are one click away.
    first_question = page.locator(".question").first
    first_question.get_by_text("Policy text this question serves").click()
    expect(first_question.locator("details.passages blockquote").first).to_be_visible()

    area_1 = Question.objects.filter(
        dimension__recommendation__framework=framework, dimension__recommendation__number=1
    ).count()
    answered = answer_area_with_the_keyboard(page, levels=[2, 3, 1, 4, 0])
    assert answered == area_1
    expect(page.get_by_role("status")).to_contain_text(f"{area_1} answers saved")
    assessment = Assessment.objects.get(museum=museum_a)
    assert Answer.objects.filter(assessment=assessment, level__isnull=False).count() == area_1
    assert Answer.objects.filter(assessment=assessment, note="Typed with the keyboard").count() == 1
    expect(page.get_by_text(f"Area 1: {area_1} of {area_1} answered")).to_be_visible()
    assert_accessible(page, context="area 1 answered")

    # Leaving with unsaved changes warns; staying keeps the input.
    page.get_by_role("link", name="Area 2").click()
    page.locator(".question").first.get_by_label(re.compile(r"^3 · ")).check()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Area 3").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Area 2")
    page.get_by_role("button", name="Save and go to the next area").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Area 3")
    assert_accessible(page, context="empty area 3")

    page.get_by_role("link", name="Targets").click()
    page.wait_for_url("**/targets/")
    assert_accessible(page, context="targets")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_role("status")).to_contain_text("Targets saved")

    page.get_by_role("link", name="Area 1").click()
    page.locator(".question").first.get_by_role("link", name=re.compile("History")).click()
    expect(page.get_by_role("heading", name="Answer history")).to_be_visible()
    assert_accessible(page, context="answer history")

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("lead submits the assessment")).to_be_visible()
    assert_accessible(page, context="review as editor")
    page.get_by_role("button", name=re.compile("Log out")).click()

    log_in(page, lead)
    page.get_by_role("link", name="Review", exact=True).click()
    unanswered = page.locator("main li a[href*='#q-']")
    expect(unanswered.first).to_be_visible()
    unanswered.first.click()
    expect(page).to_have_url(re.compile(r"/areas/\d/#q-\d+$"))
    page.go_back()
    page.get_by_role("link", name="Submit the assessment…").click()
    expect(page.get_by_text("questions are not answered")).to_be_visible()
    assert_accessible(page, context="submit confirmation")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("The assessment is submitted")
    expect(page.get_by_role("note")).to_contain_text("Submitted by Alice Lead")
    assert_accessible(page, context="submitted assessment")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    page.get_by_role("link", name="Area 1").click()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.locator(".question input[type=radio]")).to_have_count(0)
    expect(page.locator(".read-only-answer").first).to_contain_text("Answer")
    assert_accessible(page, context="read-only area")

    page.get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("cell", name="Submitted").first).to_be_visible()
    assert_accessible(page, context="assessment list")
