"""In Chromium: a lead deletes the museum from its edit page, a wrong name first; axe and a phone's width
on every step, and on the account deletion page that names a museum where the person is the only member."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from assessment import plan
from assessment.models import Museum
from tests.conftest import assert_accessible, log_in, make_museum, make_user, no_sideways_scrolling

LONG_NAME = "Rijksmuseum voor Volkenkunde en Natuurhistorische Verzamelingen van de Provincie Zuid-Holland"


def test_a_lead_deletes_the_museum_after_typing_its_name(page, framework, lead):
    museum = make_museum(lead, LONG_NAME)
    plan.action_create(museum=museum, user=lead, data=plan.ActionInput(title="Write the AI rule"))
    log_in(page, lead)
    page.goto(reverse("assessment:museum_edit", args=[museum.pk]))
    page.get_by_role("link", name="Delete this museum…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delete {LONG_NAME}?")
    assert_accessible(page, context="delete the museum")
    no_sideways_scrolling(page)

    name = page.get_by_label("The museum's name")
    name.fill("Rijksmuseum")
    page.get_by_role("button", name="Delete the museum and everything in it").click()
    expect(page.get_by_role("alert")).to_contain_text("This is not the museum's name")
    expect(name).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, context="delete the museum, wrong name")
    no_sideways_scrolling(page)
    assert Museum.objects.filter(pk=museum.pk).exists()

    page.get_by_label("The museum's name").fill(f"  {LONG_NAME.upper()} ")
    page.get_by_role("button", name="Delete the museum and everything in it").click()
    page.wait_for_url(f"**{reverse('assessment:museum_list')}")
    expect(page.get_by_text(f"{LONG_NAME} is deleted, with everything in it.")).to_be_visible()
    assert not Museum.objects.filter(pk=museum.pk).exists()


def test_the_account_deletion_page_names_a_museum_only_you_belong_to(page, framework):
    dora = make_user("dora")
    make_museum(dora, LONG_NAME)
    log_in(page, dora)
    page.goto(reverse("account_delete"))
    expect(page.get_by_role("heading", name="Museums where you are the only member")).to_be_visible()
    expect(page.get_by_role("link", name=f"Delete {LONG_NAME}…")).to_be_visible()
    assert_accessible(page, context="delete your account, sole member")
    no_sideways_scrolling(page)
