"""The "busy, try again" page (503) and the "could not be read" page (400), in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from recommendations import views as framework_views
from tests.conftest import assert_accessible
from tests.test_faults import busy_error


def assert_fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_busy_page_is_plain_accessible_and_offers_to_try_again(page, framework, monkeypatch):
    def busy():
        raise busy_error()

    monkeypatch.setattr(framework_views, "current_framework_content", busy)
    response = page.goto("/framework/?from=home")
    assert response.status == 503
    assert response.headers["retry-after"] == "5"
    expect(page.get_by_role("heading", level=1)).to_have_text("The site is busy")
    expect(page.get_by_role("link", name="Try again")).to_have_attribute("href", "/framework/?from=home")
    assert_accessible(page, context="busy page")
    assert_fits_a_phone(page)

    monkeypatch.undo()
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(framework.title)


def test_a_form_sent_in_another_charset_gets_an_accessible_page(page, db):
    def as_latin1(route):
        latin1 = "application/x-www-form-urlencoded; charset=latin-1"
        route.continue_(headers={**route.request.headers, "content-type": latin1})

    page.goto("/accounts/login/")
    page.route("**/accounts/login/", as_latin1)
    page.get_by_label("Email or username").fill("anna@example.org")
    page.get_by_label("Password").fill("a password of some length")
    with page.expect_response("**/accounts/login/") as sent:
        page.get_by_role("main").get_by_role("button", name="Log in").click()
    assert sent.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Your browser's request could not be read")
    assert_accessible(page, context="unreadable form page")
    assert_fits_a_phone(page)
