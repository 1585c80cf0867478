"""In Chromium: a museum says it uses no AI and that a duty does not apply to it; the dashboard agrees."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from assessment import answers
from assessment.models import Answer
from recommendations.models import Question
from tests.conftest import answer_all, assert_accessible, log_in, no_sideways_scrolling, results_url


def test_stating_that_duties_do_not_apply(page, framework, museum_a, lead):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    answer_all(draft, lead, lambda q: 0 if q.legal_duty else 2)
    accessibility = Question.objects.select_related("dimension__recommendation").get(
        dimension__recommendation__framework=framework, slug="accessibility-and-inclusion"
    )
    reason = accessibility.exemptions.first()
    assert reason is not None
    log_in(page, lead)

    # Once for the whole assessment: the museum uses no AI.
    page.goto(reverse("assessment:assessment_detail", args=[museum_a.pk, draft.pk]))
    ai_use = page.get_by_role("group", name="Where does your museum stand on AI today?")
    ai_use.get_by_label(re.compile("^We are exploring AI")).check()
    page.get_by_role("button", name="Record this answer").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text(
        "Recorded: your museum uses no AI today"
    )
    assert_accessible(page, context="review page with the AI-use question")
    no_sideways_scrolling(page)

    # For one duty that does not depend on AI: choosing the reason chooses "does not apply".
    area = reverse(
        "assessment:area", args=[museum_a.pk, draft.pk, accessibility.dimension.recommendation.number]
    )
    page.goto(f"{area}#q-{accessibility.pk}")
    card = page.locator(f"#q-{accessibility.pk}")
    card.get_by_label("If this duty does not apply to us, why?").select_option(reason.slug)
    expect(card.get_by_label(re.compile("^This duty does not apply to us"))).to_be_checked()
    assert_accessible(page, context="questionnaire with a duty that does not apply")
    no_sideways_scrolling(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="1 answer saved")).to_be_visible()
    assert Answer.objects.get(assessment=draft, question=accessibility).duty_exemption == reason.slug

    page.goto(results_url(draft))
    not_applying = page.locator(".duty-not-applying")
    expect(not_applying.filter(has_text=accessibility.text)).to_contain_text(reason.text)
    expect(not_applying.filter(has_text="The museum recorded that it uses no AI.").first).to_be_visible()
    flags = page.locator(".flag-item")
    expect(flags.filter(has_text=accessibility.text)).to_have_count(0)
    expect(flags.filter(has_text="dealing with an AI")).to_have_count(0)
    expect(page.locator(".coming-duty")).to_have_count(0)  # the coming duty concerns AI in use
    assert_accessible(page, context="results with duties that do not apply")
    no_sideways_scrolling(page)
