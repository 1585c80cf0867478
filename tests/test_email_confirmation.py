"""An address is confirmed by opening a link mailed to it, before an invitation binds to it."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.services import email_is_confirmed
from assessment.models import Membership, Role
from tests.conftest import PASSWORD, make_user


def _signup(client, email: str, next_url: str = ""):
    url = reverse("signup") + (f"?next={next_url}" if next_url else "")
    data = {"name": "Dora Newcomer", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(url, data)


def _link(message, marker: str) -> str:
    """The path of the first link in ``message`` that contains ``marker``."""
    url = re.search(rf"https?://[^/\s]+(\S*{re.escape(marker)}\S*)", message.body).group(1)
    return url


def _invite(client_for, lead, museum, email="dora@example.org") -> str:
    client_for(lead).post(
        reverse("assessment:invitation_create", args=[museum.pk]), {"email": email, "role": Role.EDITOR}
    )
    return _link(mail.outbox[-1], "/invitations/")


def test_sign_up_mails_a_link_that_confirms_the_address(client, db):
    response = _signup(client, "Dora@Example.org")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="dora@example.org")
    assert not email_is_confirmed(user)
    (message,) = mail.outbox
    assert message.to == ["dora@example.org"]
    assert message.subject == "Confirm your email address for museumai"
    assert "Dora" not in message.body  # nothing the person typed but the address itself

    link = _link(message, "/accounts/email/confirm/")
    page = client.get(link)
    assert "Confirm my address" in page.content.decode()
    assert not email_is_confirmed(user)  # opening the link (a mail scanner may) changes nothing
    response = client.post(link)
    assert response.url == reverse("home")
    assert email_is_confirmed(user)
    assert "dora@example.org is confirmed" in client.get(reverse("email_confirmation")).content.decode()


def test_an_invitation_does_not_bind_to_an_address_nobody_confirmed(client_for, lead, museum_a, client):
    """Someone who signs up with the invited address, without reading its mail, cannot join."""
    invitation = _invite(client_for, lead, museum_a)
    _signup(client, "dora@example.org", next_url=invitation)

    page = client.get(invitation).content.decode()
    assert "Before you join, confirm that <strong>dora@example.org</strong> is your address" in page
    assert "Send the link again" in page and "Join Museum A" not in page

    response = client.post(invitation)
    assert response.status_code == 400
    assert "Confirm that dora@example.org is your address first" in response.content.decode()
    assert not Membership.objects.filter(museum=museum_a, user__email="dora@example.org").exists()


def test_the_confirmation_link_brings_the_invited_colleague_back_to_join(client_for, lead, museum_a, client):
    invitation = _invite(client_for, lead, museum_a)
    response = _signup(client, "dora@example.org", next_url=invitation)
    assert response.url == invitation
    confirmation = _link(mail.outbox[-1], "/accounts/email/confirm/")
    response = client.post(confirmation)
    assert response.url == invitation
    assert client.post(invitation).url == reverse("assessment:museum_home", args=[museum_a.pk])
    assert Membership.objects.get(museum=museum_a, user__email="dora@example.org").role == Role.EDITOR


def test_the_link_can_be_sent_again_from_the_invitation_page(client_for, lead, museum_a, client):
    invitation = _invite(client_for, lead, museum_a)
    _signup(client, "dora@example.org", next_url=invitation)
    mail.outbox.clear()
    response = client.post(reverse("email_confirmation"), {"next": invitation}, follow=True)
    assert "A new link is on its way to dora@example.org" in response.content.decode()
    assert "your invitation to <strong>Museum A</strong>" in response.content.decode()
    assert client.post(_link(mail.outbox[-1], "/accounts/email/confirm/")).url == invitation


def test_sending_the_link_again_is_rate_limited(client, db, settings):
    _signup(client, "dora@example.org")
    allowed = int(settings.RATE_LIMITS["email_confirmation_user"].split("/")[0])
    mail.outbox.clear()
    for _attempt in range(allowed):
        assert client.post(reverse("email_confirmation")).status_code == 302
    refused = client.post(reverse("email_confirmation"))
    assert refused.status_code == 429
    assert "several links in the last hour" in refused.content.decode()
    assert len(mail.outbox) == allowed


def test_a_link_works_only_for_its_account_and_its_present_address(client, client_for, db, settings):
    _signup(client, "dora@example.org")
    link = _link(mail.outbox[-1], "/accounts/email/confirm/")
    dora = get_user_model().objects.get(email="dora@example.org")

    other = client_for(make_user("eve", email_confirmed=False))
    response = other.post(link)
    assert response.status_code == 400 and "sent for another account" in response.content.decode()

    tampered = client.post(link.replace("/confirm/", "/confirm/x"))
    assert tampered.status_code == 400 and "not valid" in tampered.content.decode()

    settings.EMAIL_CONFIRMATION_MAX_AGE = timedelta(seconds=-1)
    expired = client.post(link)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    settings.EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=7)

    dora.email = "dora.new@example.org"
    dora.save()
    changed = client.post(link)
    assert changed.status_code == 400 and "no longer uses" in changed.content.decode()
    assert not email_is_confirmed(dora)


def test_changing_a_confirmed_address_unconfirms_it(db):
    user = make_user("dora")
    assert email_is_confirmed(user)
    user.email = "dora@elsewhere.example"
    user.save()
    assert not email_is_confirmed(user)


def test_a_password_reset_link_confirms_the_address(client, db):
    _signup(client, "dora@example.org")
    client.post(reverse("logout"))
    client.post(reverse("password_reset"), {"email": "dora@example.org"})
    reset = _link(mail.outbox[-1], "/accounts/reset/")
    form_page = client.get(reset, follow=True)
    new_password = "a brand new passphrase 2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert email_is_confirmed(get_user_model().objects.get(email="dora@example.org"))


def test_demo_users_are_confirmed(db):
    call_command("seed_demo", "--password", "demo-password-2024", stdout=io.StringIO(), stderr=io.StringIO())
    demo_users = get_user_model().objects.filter(username__startswith="demo-")
    assert demo_users.count() == 5
    assert all(email_is_confirmed(user) for user in demo_users)


def test_nemo_staff_see_confirmed_addresses_in_admin(client_for, nemo_admin, lead):
    page = client_for(nemo_admin).get(reverse("admin:accounts_confirmedemail_changelist"))
    assert page.status_code == 200
    assert "alice@example.org" in page.content.decode()
