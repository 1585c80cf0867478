"""Login throttling (django-axes): one count per account and client IP, whatever the spelling or the proxy."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = reverse("login")
WRONG = "wrong password!"


def _login(client, username: str, password: str, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def test_letter_case_variants_count_as_one_account(client, lead, settings):
    variants = [lead.email.upper(), lead.email.title(), lead.email.swapcase(), "aLiCe@ExAmPlE.oRg"]
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, variants[attempt % len(variants)], WRONG).status_code == 200
    assert _login(client, "Alice@example.org", WRONG).status_code == 429  # the failure that reaches the limit
    locked = _login(client, "ALICE@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()


def test_the_username_and_the_email_of_one_account_share_the_count(client, db, settings):
    get_user_model().objects.create_user(
        username="demo-lead", email="demo-lead@example.org", password=PASSWORD
    )
    spellings = ["demo-lead", "DEMO-LEAD", "Demo-Lead@Example.org", "demo-lead@EXAMPLE.ORG"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, spellings[attempt % len(spellings)], WRONG)
    assert _login(client, "demo-lead", PASSWORD).status_code == 429
    assert _login(client, "demo-lead@example.org", PASSWORD).status_code == 429


def test_sixty_guesses_over_twelve_spellings_are_not_all_evaluated(client, lead, settings):
    """The issue's report: 60 wrong passwords over 12 case variants from one IP were all evaluated."""
    local = "alice"
    spellings = [
        "".join(c.upper() if (mask >> i) & 1 else c for i, c in enumerate(local)) + "@example.org"
        for mask in range(12)
    ]
    refused = sum(_login(client, spellings[attempt % 12], WRONG).status_code == 429 for attempt in range(60))
    # Only the guesses before the limit was reached were evaluated.
    assert refused == 60 - (settings.AXES_FAILURE_LIMIT - 1)


@pytest.mark.parametrize("attacker_spelling", ["ALICE@EXAMPLE.ORG", "alice@example.org"])
def test_the_owner_on_another_ip_is_not_locked_out(client, lead, settings, attacker_spelling):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, attacker_spelling, WRONG, REMOTE_ADDR="198.51.100.66")
    assert _login(client, lead.email, PASSWORD, REMOTE_ADDR="198.51.100.66").status_code == 429
    assert _login(client, lead.email, PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


# Behind a reverse proxy, REMOTE_ADDR is the proxy; the proxy appends the address it received the
# request from to X-Forwarded-For (nginx: proxy_add_x_forwarded_for), after anything the client sent.
PROXY = "10.0.0.2"
ATTACKER = "198.51.100.66"
OWNER = "203.0.113.10"


def _through_proxy(client_sent: str, client_address: str) -> dict[str, str]:
    forwarded = f"{client_sent}, {client_address}" if client_sent else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_behind_a_proxy_a_stranger_cannot_lock_the_owner_out(client, lead, settings):
    settings.PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, lead.email, WRONG, **_through_proxy("", ATTACKER))
    assert _login(client, lead.email, PASSWORD, **_through_proxy("", ATTACKER)).status_code == 429
    assert _login(client, lead.email, PASSWORD, **_through_proxy("", OWNER)).status_code == 302


def test_behind_a_proxy_a_forged_forwarded_for_does_not_reset_the_count(client, lead, settings):
    settings.PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, lead.email, WRONG, **_through_proxy(f"192.0.2.{attempt}", ATTACKER))
    forged = _through_proxy(OWNER, ATTACKER)  # the attacker claims to be the owner's address
    assert _login(client, lead.email, PASSWORD, **forged).status_code == 429


def test_with_two_proxies_the_client_is_the_address_the_outer_proxy_saw(client, lead, settings):
    settings.PROXY_COUNT = 2
    outer_proxy = "10.0.0.1"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client, lead.email, WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{ATTACKER}, {outer_proxy}"
        )
    owner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{ATTACKER}, {OWNER}, {outer_proxy}"}
    assert _login(client, lead.email, PASSWORD, **owner).status_code == 302


def test_without_a_proxy_forwarded_for_is_ignored(client, lead, settings):
    settings.PROXY_COUNT = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, lead.email, WRONG, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    spoofed = {"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": OWNER}
    assert _login(client, lead.email, PASSWORD, **spoofed).status_code == 429
