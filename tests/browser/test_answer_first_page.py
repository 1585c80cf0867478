"""The demo museum's lead sees the answer first, on a laptop screen and on a phone."""

from __future__ import annotations

import io

from django.core.management import call_command
from playwright.sync_api import expect

from assessment.models import Assessment
from tests.conftest import assert_accessible, no_sideways_scrolling, results_url

DEMO_PASSWORD = "demo-password-2024"


def test_the_demo_lead_sees_the_answer_first_without_scrolling(browser, live_server, framework):
    call_command("seed_demo", "--password", DEMO_PASSWORD, stdout=io.StringIO())
    latest = (
        Assessment.objects.filter(museum__name="Demo Museum A").submitted().order_by("-submitted_at").first()
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill("demo-lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/museums/*/")
    page.goto(results_url(latest))

    # On a 1,280 × 800 screen, before any scrolling: the level, every area and the three priorities.
    in_view = {"height": 800, "width": 1280}
    for locator in (
        page.locator("#overall-level"),
        page.locator(".area-summary li").last,
        page.get_by_role("heading", name="Three priorities for the next 12 months"),
        page.locator(".priority").nth(2).locator("strong"),
    ):
        box = locator.bounding_box()
        assert box is not None and box["y"] + box["height"] <= in_view["height"], locator
    expect(page.locator(".priority")).to_have_count(3)

    # Each NEMO passage once on the page.
    quoted = page.locator("figure.quote").evaluate_all("items => items.map(item => item.id)")
    assert len(quoted) == len(set(quoted)) > 0
    assert_accessible(page, context="results with the answer first")

    page.set_viewport_size({"width": 375, "height": 800})
    no_sideways_scrolling(page)
    page.get_by_role("link", name="The NEMO text it serves").first.click()
    assert page.evaluate("location.hash").startswith("#passage-")
    context.close()
