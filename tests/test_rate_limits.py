"""Sign-up, password reset and invitations are rate-limited per person or address and per client IP."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from assessment.models import Invitation, Role
from tests.conftest import PASSWORD, make_museum, make_user


def _signup(client, number: int, **headers):
    email = f"newcomer{number}@example.org"
    data = {"name": "New Comer", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), data, **headers)


def _reset(client, email: str, **headers):
    return client.post(reverse("password_reset"), {"email": email}, **headers)


def _invite(client, museum, number: int, **headers):
    return client.post(
        reverse("assessment:invitation_create", args=[museum.pk]),
        {"email": f"colleague{number}@example.org", "role": Role.VIEWER},
        **headers,
    )


def _limit(settings, name: str) -> int:
    return int(settings.RATE_LIMITS[name].split("/")[0])


def test_sign_ups_from_one_address_are_limited(client, db, settings):
    allowed = _limit(settings, "signup_ip")
    for number in range(allowed):
        assert _signup(client, number, REMOTE_ADDR="198.51.100.7").status_code == 302
        client.post(reverse("logout"))
    refused = _signup(client, allowed, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Too many accounts were created from your network" in refused.content.decode()
    assert 'value="New Comer"' in refused.content.decode()  # nothing typed is lost
    assert get_user_model().objects.count() == allowed
    # A spoofed X-Forwarded-For does not help when no proxy is configured…
    spoofed = _signup(client, allowed, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert spoofed.status_code == 429
    # …and someone elsewhere is not affected.
    assert _signup(client, allowed, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_mistakes_do_not_count_towards_the_sign_up_limit(client, db, settings):
    for _attempt in range(_limit(settings, "signup_ip") + 2):
        client.post(reverse("signup"), {"name": "New Comer", "email": "not-an-email"})
    assert _signup(client, 1).status_code == 302


def test_reset_mails_to_one_address_are_limited_in_any_letter_case(client, lead, settings):
    allowed = _limit(settings, "password_reset_email")
    spellings = [lead.email, lead.email.upper(), lead.email.title(), " " + lead.email.swapcase()]
    for attempt in range(allowed):
        assert _reset(client, spellings[attempt % len(spellings)]).status_code == 302
    refused = _reset(client, "ALICE@example.org", REMOTE_ADDR="203.0.113.50")  # from elsewhere, too
    assert refused.status_code == 429
    assert "Too many password reset links" in refused.content.decode()
    assert len(mail.outbox) == allowed


def test_reset_requests_from_one_address_are_limited(client, db, settings):
    allowed = _limit(settings, "password_reset_ip")
    for number in range(allowed):
        assert _reset(client, f"someone{number}@example.org").status_code == 302
    assert _reset(client, "someone-else@example.org").status_code == 429


def test_thirty_invitations_in_a_row_are_not_all_sent(client_for, lead, museum_a, settings):
    """The issue's report: 30 invitations in 0.3 s from a fresh account."""
    client = client_for(lead)
    statuses = [_invite(client, museum_a, number).status_code for number in range(30)]
    allowed = _limit(settings, "invitation_user")
    assert statuses == [302] * allowed + [429] * (30 - allowed)
    assert Invitation.objects.count() == len(mail.outbox) == allowed
    refused = _invite(client, museum_a, 99)
    assert "You have sent many invitations" in refused.content.decode()
    assert "colleague99@example.org" in refused.content.decode()  # the form keeps what was typed


def test_invitations_from_one_address_are_limited_across_accounts(client_for, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_user": "1000/h", "invitation_ip": "4/h"}
    museum_leads = []
    for number in range(2):
        owner = make_user(f"owner{number}")
        museum_leads.append((make_museum(owner, f"Museum {number}"), client_for(owner)))
    statuses = [
        _invite(client, museum, number).status_code for number in range(3) for museum, client in museum_leads
    ]
    assert statuses == [302] * 4 + [429] * 2


@pytest.fixture
def redis_cache(settings):
    """The production set-up: limits kept in Redis, shared by every app process."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    cache = caches["default"]
    try:
        cache.clear()
    except Exception as exc:
        pytest.skip(f"No Redis on 127.0.0.1:6379 ({exc})")
    yield cache
    cache.clear()


def test_limits_kept_in_redis_hold(client, lead, settings, redis_cache):
    allowed = _limit(settings, "password_reset_email")
    for _attempt in range(allowed):
        assert _reset(client, lead.email).status_code == 302
    assert _reset(client, lead.email.upper()).status_code == 429
    assert redis_cache._cache.get_client().dbsize() > 0  # counted in Redis, not in this process
