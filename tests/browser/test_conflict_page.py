"""The conflict shown when a colleague saved the same answer first: readable, and accessible."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from assessment import answers
from tests.conftest import assert_accessible, log_in
from tests.test_assessments import area_questions


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_link_to_show_the_colleagues_answer_is_readable_on_yellow(
    page, framework, museum_a, lead, editor
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    question = area_questions(draft, 1)[0]
    log_in(page, editor)
    page.goto(reverse("assessment:area", args=[museum_a.pk, draft.pk, 1]))
    # The lead saves the same answer while the editor's page is open.
    answers.answers_save(
        assessment=draft, user=lead, inputs=[answers.AnswerInput(question.pk, 4, False, "", "", 0)]
    )
    page.locator(f"#q-{question.pk}").get_by_label("1 · ", exact=False).check()
    page.get_by_role("button", name="Save draft").click()

    link = page.get_by_role("link", name="discard your changes on this page and show theirs")
    expect(link).to_be_visible()
    colours = link.evaluate(
        "a => ({text: getComputedStyle(a).color,"
        " background: getComputedStyle(a.closest('.alert')).backgroundColor})"
    )
    assert contrast(colours["text"], colours["background"]) >= 4.5, colours
    assert_accessible(page, context="area with a conflict")
