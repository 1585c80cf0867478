"""Invitations: what the mail says, and nothing recorded that was not sent."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from assessment.models import Invitation, Museum, Role
from tests.test_museums import MUSEUM_DATA


def _invite(client, museum, email="dora@example.org", role=Role.EDITOR):
    return client.post(
        reverse("assessment:invitation_create", args=[museum.pk]), {"email": email, "role": role}
    )


@pytest.mark.parametrize("name", ["Museum A\nBcc: everyone@example.org", "Museum\rA", "Museum\u2028A"])
def test_a_museum_name_with_a_line_break_is_refused(client_for, lead, museum_a, name):
    client = client_for(lead)
    created = client.post(reverse("assessment:museum_create"), {**MUSEUM_DATA, "name": name})
    assert created.status_code == 200
    assert "without line breaks" in " ".join(created.context["form"].errors["name"])
    edited = client.post(reverse("assessment:museum_edit", args=[museum_a.pk]), {**MUSEUM_DATA, "name": name})
    assert edited.status_code == 200
    assert "without line breaks" in edited.content.decode()
    assert list(Museum.objects.values_list("name", flat=True)) == ["Museum A"]


def test_a_name_with_a_line_break_already_stored_does_not_break_invitations(client_for, lead, museum_a):
    Museum.objects.filter(pk=museum_a.pk).update(name="Museum A\nFrom: support@museumai.example")
    response = _invite(client_for(lead), museum_a)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Museum A From: support@museumai.example" in mail.outbox[0].body


class BrokenMailServer(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_invitation_whose_mail_failed_is_not_recorded(client_for, lead, museum_a, settings):
    client = client_for(lead)
    _invite(client, museum_a, role=Role.VIEWER)  # an earlier invitation, sent
    settings.EMAIL_BACKEND = "tests.test_invitations.BrokenMailServer"
    response = _invite(client, museum_a, role=Role.EDITOR)
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    # The earlier invitation still stands; the new one, never sent, is not listed as pending.
    assert list(Invitation.objects.values_list("email", "role")) == [("dora@example.org", Role.VIEWER)]
    team = client.get(reverse("assessment:team", args=[museum_a.pk])).content.decode()
    assert team.count("Withdraw invitation to dora@example.org") == 1


SPOOF = "museumai security: your account is suspended. Log in at https://evil.example to keep it"


def test_the_invitation_cannot_pass_as_a_message_from_the_site(client_for, lead, museum_a):
    Museum.objects.filter(pk=museum_a.pk).update(name=SPOOF)
    _invite(client_for(lead), museum_a)
    message = mail.outbox[0]
    assert SPOOF not in message.subject and "evil" not in message.subject
    assert message.subject == "An invitation to a museum's team on museumai"
    lines = message.body.splitlines()
    # The name chosen by the inviter stands only in quotes, after a label saying who typed it.
    museum_line = next(line for line in lines if SPOOF in line)
    assert museum_line.strip() == f"Museum: “{SPOOF}”"
    assert "entered these details themselves" in message.body
    assert "Invited by: Alice Lead <alice@example.org>" in message.body
