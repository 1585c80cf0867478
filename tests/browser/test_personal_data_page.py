"""In Chromium: a person reads what the app holds about them, downloads it, and deletes their account.
Axe on both pages, and no sideways scrolling on a phone."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import PASSWORD, assert_accessible, log_in, no_sideways_scrolling


def test_a_person_downloads_their_data_and_deletes_their_account(page, framework, museum_a, lead, editor):
    log_in(page, editor)
    page.goto(reverse("personal_data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    assert_accessible(page, context="your data")
    no_sideways_scrolling(page)
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('personal_data_download')}']").click()
    record = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert record["account"]["email"] == editor.email

    page.goto(reverse("account_delete"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    assert_accessible(page, context="delete your account")
    no_sideways_scrolling(page)
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(lambda url: "/accounts/delete/" not in url)
    assert not get_user_model().objects.filter(pk=editor.pk).exists()
    assert get_user_model().objects.filter(pk=lead.pk).exists()
