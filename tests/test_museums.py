from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessment.models import Invitation, Membership, Museum, Role
from tests.conftest import make_user

MUSEUM_DATA = {
    "name": "Musée de la Dentelle",
    "country": "BE",
    "city": "Bruges",
    "museum_type": "history",
    "size_band": "micro",
    "website": "lace.example.org",
}


def test_creating_a_museum_makes_you_its_lead(client_for, outsider):
    client = client_for(outsider)
    response = client.post(reverse("assessment:museum_create"), MUSEUM_DATA)
    museum = Museum.objects.get(name="Musée de la Dentelle")
    assert response.url == reverse("assessment:museum_home", args=[museum.pk])
    assert museum.website == "https://lace.example.org"
    assert Membership.objects.get(museum=museum, user=outsider).role == Role.LEAD


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("country", "XX"),
        ("museum_type", "zoo"),
        ("size_band", "huge"),
        ("name", ""),
        ("website", "not a url"),
    ],
)
def test_museum_form_explains_bad_input(client_for, outsider, field, value):
    response = client_for(outsider).post(reverse("assessment:museum_create"), {**MUSEUM_DATA, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "Musée de la Dentelle" in response.content.decode() or field == "name"
    assert not Museum.objects.filter(city="Bruges").exists()


def test_the_lead_edits_the_museum(client_for, lead, museum_a):
    response = client_for(lead).post(
        reverse("assessment:museum_edit", args=[museum_a.pk]), {**MUSEUM_DATA, "name": "Museum A renamed"}
    )
    assert response.status_code == 302
    museum_a.refresh_from_db()
    assert museum_a.name == "Museum A renamed"


def _invite(client, museum, email="dora@example.org", role=Role.EDITOR):
    return client.post(
        reverse("assessment:invitation_create", args=[museum.pk]), {"email": email, "role": role}
    )


def _accept_link(message) -> str:
    line = next(line for line in message.body.splitlines() if "/invitations/" in line)
    return line[line.index("/invitations/") :].strip()


def test_invitation_round_trip(client_for, lead, museum_a):
    response = _invite(client_for(lead), museum_a)
    assert response.status_code == 302
    assert mail.outbox[0].to == ["dora@example.org"]
    link = _accept_link(mail.outbox[0])

    dora = make_user("dora", name="Dora Newcomer")
    client = client_for(dora)
    page = client.get(link)
    assert "Museum A" in page.content.decode()
    response = client.post(link)
    assert response.url == reverse("assessment:museum_home", args=[museum_a.pk])
    assert Membership.objects.get(user=dora, museum=museum_a).role == Role.EDITOR

    again = client.post(link)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_an_invitation_only_works_for_the_address_it_was_sent_to(client_for, lead, museum_a, outsider):
    _invite(client_for(lead), museum_a)
    response = client_for(outsider).post(_accept_link(mail.outbox[0]))
    assert response.status_code == 400
    assert "was sent to dora@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=outsider, museum=museum_a).exists()


def test_expired_tampered_and_withdrawn_invitations_are_explained(client_for, lead, museum_a, settings):
    _invite(client_for(lead), museum_a)
    link = _accept_link(mail.outbox[0])
    dora = make_user("dora", name="Dora Newcomer")
    client = client_for(dora)

    tampered = client.post(link[:-3] + "xyz/")
    assert tampered.status_code == 400 and "not valid" in tampered.content.decode()

    settings.INVITATION_MAX_AGE = timedelta(seconds=-1)
    expired = client.post(link)
    assert expired.status_code == 400 and "expired" in expired.content.decode()

    settings.INVITATION_MAX_AGE = timedelta(days=14)
    Invitation.objects.all().delete()
    withdrawn = client.post(link)
    assert withdrawn.status_code == 400 and "withdrawn" in withdrawn.content.decode()
    assert not Membership.objects.filter(user=dora).exists()


def test_inviting_a_member_again_is_refused_with_a_reason(client_for, lead, editor, museum_a):
    response = _invite(client_for(lead), museum_a, email=editor.email.upper())
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert mail.outbox == []


def test_a_new_invitation_replaces_the_pending_one(client_for, lead, museum_a):
    client = client_for(lead)
    _invite(client, museum_a)
    _invite(client, museum_a, role=Role.VIEWER)
    assert list(Invitation.objects.values_list("role", flat=True)) == [Role.VIEWER]


def test_invitations_can_only_grant_editor_or_viewer(client_for, lead, museum_a):
    response = _invite(client_for(lead), museum_a, role=Role.LEAD)
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_pending_invitations_expire(museum_a, lead):
    old = Invitation.objects.create(
        museum=museum_a, email="old@example.org", role=Role.VIEWER, invited_by=lead
    )
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert not Invitation.objects.pending().exists()


def test_the_lead_changes_roles(client_for, lead, editor, museum_a):
    membership = Membership.objects.get(user=editor)
    client_for(lead).post(
        reverse("assessment:membership_role", args=[museum_a.pk, membership.pk]), {"role": "lead"}
    )
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_the_last_lead_can_neither_step_down_nor_leave(client_for, lead, museum_a):
    client = client_for(lead)
    own = Membership.objects.get(user=lead)
    demote = client.post(
        reverse("assessment:membership_role", args=[museum_a.pk, own.pk]), {"role": "viewer"}, follow=True
    )
    assert "always needs a lead" in demote.content.decode()
    leave = client.post(reverse("assessment:membership_remove", args=[museum_a.pk, own.pk]), follow=True)
    assert "always needs a lead" in leave.content.decode()
    own.refresh_from_db()
    assert own.role == Role.LEAD


def test_with_two_leads_one_may_leave(client_for, lead, editor, museum_a):
    Membership.objects.filter(user=editor).update(role=Role.LEAD)
    own = Membership.objects.get(user=lead)
    response = client_for(lead).post(reverse("assessment:membership_remove", args=[museum_a.pk, own.pk]))
    assert response.url == reverse("home")
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_an_unknown_role_is_refused(client_for, lead, editor, museum_a):
    membership = Membership.objects.get(user=editor)
    response = client_for(lead).post(
        reverse("assessment:membership_role", args=[museum_a.pk, membership.pk]),
        {"role": "owner"},
        follow=True,
    )
    assert "Choose lead, editor or viewer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_a_member_of_two_museums_switches_between_them(client_for, lead, museum_a, museum_b):
    Membership.objects.create(user=lead, museum=museum_b, role=Role.VIEWER)
    client = client_for(lead)
    assert client.get(reverse("home")).url == reverse("assessment:museum_home", args=[museum_a.pk])
    client.post(reverse("assessment:museum_switch", args=[museum_b.pk]))
    assert client.get(reverse("home")).url == reverse("assessment:museum_home", args=[museum_b.pk])


def test_team_page_query_count_does_not_grow_with_members(
    client_for, lead, museum_a, django_assert_max_num_queries
):
    for number in range(30):
        user = make_user(f"member{number}")
        Membership.objects.create(user=user, museum=museum_a, role=Role.VIEWER)
        Invitation.objects.create(museum=museum_a, email=f"pending{number}@example.org", role=Role.VIEWER)
    client = client_for(lead)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessment:team", args=[museum_a.pk]))
    assert response.content.decode().count("Change role") == 31


def test_the_login_and_signup_pages_speak_of_the_invitation(client_for, lead, museum_a, client):
    _invite(client_for(lead), museum_a)
    link = _accept_link(mail.outbox[0])
    login_page = client.get(link, follow=True).content.decode()
    assert "You are invited to join <strong>Museum A</strong>" in login_page
    signup = client.get(reverse("signup") + f"?next={link}")
    assert signup.context["form"].initial["email"] == "dora@example.org"


def test_opening_someone_elses_invitation_says_so_before_joining(client_for, lead, museum_a, outsider):
    _invite(client_for(lead), museum_a)
    response = client_for(outsider).get(_accept_link(mail.outbox[0]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "was sent to dora@example.org" in page and "Log out and continue" in page
    assert "Museum A" not in page.split("<main")[1]


def test_removing_a_member_asks_first(client_for, lead, editor, museum_a):
    membership = Membership.objects.get(user=editor)
    url = reverse("assessment:membership_remove", args=[museum_a.pk, membership.pk])
    confirm = client_for(lead).get(url)
    assert "Remove Bob Editor from Museum A?" in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    client_for(lead).post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_menu_names_the_museum_of_the_page(client_for, lead, museum_a, museum_b):
    Membership.objects.create(user=lead, museum=museum_b, role=Role.VIEWER)
    client = client_for(lead)
    client.get(reverse("assessment:museum_home", args=[museum_a.pk]))
    page = client.get(reverse("assessment:team", args=[museum_b.pk])).content.decode()
    nav = page.split('id="main-nav"')[1].split("</ul>")[0]
    assert "Museum B" in nav


def test_only_web_addresses_are_accepted_as_websites(client_for, outsider):
    response = client_for(outsider).post(
        reverse("assessment:museum_create"), {**MUSEUM_DATA, "website": "ftp://lace.example.org"}
    )
    assert response.context["form"].errors["website"]
