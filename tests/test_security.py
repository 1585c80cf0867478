from __future__ import annotations

from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(client, framework):
    policy = client.get(reverse("recommendations:framework"))["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy


def test_only_django_admin_may_use_inline_styles(client_for, nemo_admin):
    policy = client_for(nemo_admin).get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "script-src 'self' 'unsafe-inline'" not in policy


def test_session_cookie_is_http_only_and_same_site(client, lead):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": lead.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_logout_ends_the_session(client, lead):
    from django.contrib.sessions.models import Session

    from tests.conftest import PASSWORD

    client.post(reverse("login"), {"username": lead.email, "password": PASSWORD})
    assert Session.objects.count() == 1
    client.post(reverse("logout"))
    assert Session.objects.count() == 0
