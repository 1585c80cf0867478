"""A newcomer's first steps, in a real Chromium, with axe-core on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD, assert_accessible

# crispy-forms marks required fields with an asterisk after the label.
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def _sign_up(page, name: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def _create_museum(page, name: str, city: str) -> None:
    page.get_by_role("link", name="Create a museum").click()
    page.wait_for_url("**/museums/new/")
    assert_accessible(page, context="create museum form")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Country").select_option(label="Belgium")
    page.get_by_label("City").fill(city)
    page.get_by_label("Museum type").select_option(label="Art")
    page.get_by_label("Size (staff headcount)").select_option(label="1–9 staff")
    page.get_by_role("button", name="Create museum").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_sign_up_create_museum_invite_accept_and_switch(page, live_server, mailoutbox):
    page.goto("/")
    assert_accessible(page, context="landing page")
    page.get_by_role("link", name="Sign up").first.click()
    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page, context="sign-up form")

    # A mistake is explained and nothing typed is lost.
    page.get_by_label("Your name").fill("Lena Lead")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label(PASSWORD_LABEL).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")
    expect(page.get_by_label("Your name")).to_have_value("Lena Lead")
    assert_accessible(page, context="sign-up form with errors")

    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="My museums")).to_be_visible()
    assert_accessible(page, context="empty museum list")

    _create_museum(page, "Kantmuseum", "Bruges")
    assert_accessible(page, context="museum home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.wait_for_url("**/team/")
    assert_accessible(page, context="team page")
    page.get_by_label("Colleague's email").fill("sam@example.org")
    page.get_by_label(re.compile(r"^\s*Role\W*$")).select_option(label="Editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("invitation is on its way to sam@example.org")
    assert_accessible(page, context="team page with a pending invitation")

    (invitation_mail,) = [message for message in mailoutbox if message.to == ["sam@example.org"]]
    link = re.search(r"https?://\S+/invitations/\S+/", invitation_mail.body).group(0)

    page.get_by_role("button", name=re.compile("Log out")).click()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert_accessible(page, context="login page")
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    _sign_up(page, "Sam Second", "sam@example.org")
    expect(page.get_by_role("heading", name="Invitation")).to_be_visible()
    # Joining needs the address confirmed: the page says so, and the mailed link brings Sam back.
    expect(page.get_by_role("note")).to_contain_text("Before you join, confirm that sam@example.org")
    expect(page.get_by_role("button", name="Join Kantmuseum")).to_have_count(0)
    assert_accessible(page, context="invitation page, address not confirmed")
    confirmation = mailoutbox[-1]
    assert confirmation.to == ["sam@example.org"] and "confirm" in confirmation.subject.lower()
    page.goto(re.search(r"https?://\S+/accounts/email/confirm/\S+", confirmation.body).group(0))
    assert_accessible(page, context="email confirmation page")
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("status").first).to_contain_text("sam@example.org is confirmed")
    assert_accessible(page, context="invitation page")
    page.get_by_role("button", name="Join Kantmuseum").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Kantmuseum")
    expect(page.get_by_role("status")).to_contain_text("Your role: Editor")

    # Sam also works for a second museum, and switches between the two.
    page.get_by_role("link", name="My museums").click()
    _create_museum(page, "Stadsmuseum", "Ghent")
    page.get_by_role("button", name="Switch museum").click()
    assert_accessible(page, context="museum switcher open")
    page.get_by_role("button", name=re.compile("^Kantmuseum")).click()
    expect(page.get_by_role("heading", level=1, name="Kantmuseum")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("You are now working in Kantmuseum")
    assert_accessible(page, context="museum home after switching")
