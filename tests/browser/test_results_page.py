from __future__ import annotations

from playwright.sync_api import expect

from recommendations.models import PolicyPassage
from tests.conftest import assert_accessible, log_in, results_url, submitted_assessment


def test_results_dashboard_quotes_the_framework_and_is_accessible(page, framework, museum_a, lead):
    submitted_assessment(museum_a, lead, lambda q: 0, days_ago=365)
    assessment = submitted_assessment(museum_a, lead, lambda q: 1 if q.legal_duty else 2)
    log_in(page, lead)
    page.goto(results_url(assessment))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    # Both charts are drawn, and each has a table with the same numbers.
    for chart in ("#radar-chart", "#trend-chart"):
        expect(page.locator(chart)).to_be_visible()
        assert page.evaluate(f"Chart.getChart(document.querySelector('{chart}')) !== undefined")
    expect(
        page.get_by_role("table", name="Score, target and previous score per dimension (0–4)")
    ).to_be_visible()
    assert_accessible(page, context="results dashboard with charts")

    first_gap = page.locator(".gap-list > li").first
    quote = first_gap.locator("blockquote").first.inner_text().strip()
    attribution = first_gap.locator("figcaption").first.inner_text().strip().lstrip("— ").strip()
    passage = PolicyPassage.objects.get(framework=framework, text=quote)
    assert passage.attribution == attribution

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(pdf) > 50_000
