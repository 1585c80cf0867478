from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

SIGNUP = reverse("signup")


def _signup(client, **overrides):
    data = {"name": "Ada Curator", "email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, {**data, **overrides})


@pytest.mark.django_db
def test_signup_creates_an_account_and_logs_in(client):
    response = _signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="ada@example.org")
    assert user.first_name == "Ada" and user.last_name == "Curator"
    assert client.get(reverse("assessment:museum_list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password1": "short pass", "password2": "short pass"}, "password1", "at least 12 characters"),
        ({"password1": "123456789012345", "password2": "123456789012345"}, "password1", "entirely numeric"),
        ({"password1": "password12345", "password2": "password12345"}, "password1", "too common"),
        ({"password2": "something else entirely"}, "password2", "two passwords differ"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"name": ""}, "name", "required"),
        ({"name": "Ada\nCurator"}, "name", "without line breaks"),
    ],
)
def test_signup_explains_bad_input_and_keeps_what_was_typed(client, overrides, field, message):
    response = _signup(client, **overrides)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert "Please correct the following" in response.content.decode()
    if field != "name":
        assert 'value="Ada Curator"' in response.content.decode()
    assert not get_user_model().objects.filter(email="ada@example.org").exists()


def test_signup_refuses_an_email_already_registered_in_any_case(client, lead):
    response = _signup(client, email=lead.email.upper())
    assert "already exists" in " ".join(response.context["form"].errors["email"])
    assert get_user_model().objects.filter(email__iexact=lead.email).count() == 1


def test_long_passphrases_are_welcome(client, db):
    passphrase = "a long passphrase with spaces, Ünïcode and punctuation! " * 2
    response = _signup(client, password1=passphrase, password2=passphrase)
    assert response.status_code == 302


def test_login_with_the_standard_fields_and_logout_by_post(client, lead):
    response = client.post(reverse("login"), {"username": lead.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("assessment:museum_list")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # no logout by a link or an image
    client.post(reverse("logout"))
    assert client.get(reverse("assessment:museum_list")).status_code == 302


def test_a_wrong_password_is_explained(client, lead):
    response = client.post(reverse("login"), {"username": lead.username, "password": "wrong password!"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_repeated_failures_lock_that_username_from_that_ip_only(client, lead, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": lead.username, "password": "wrong password!"})
    locked = client.post(reverse("login"), {"username": lead.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    # A colleague behind the same museum IP can still log in.
    colleague = client.post(reverse("login"), {"username": editor.username, "password": PASSWORD})
    assert colleague.status_code == 302


def test_password_reset_by_email(client, lead):
    response = client.post(reverse("password_reset"), {"email": lead.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    path = reset_link[reset_link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    new_password = "a brand new passphrase 2026"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password(new_password)


def test_password_change(client_for, lead):
    client = client_for(lead)
    new_password = "another good passphrase 7"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password(new_password)


def test_log_in_with_the_email_in_any_letter_case(client, db):
    client.post(
        SIGNUP,
        {
            "name": "Anna Curator",
            "email": "Anna.Curator@Example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "Anna.Curator@EXAMPLE.org", "password": PASSWORD})
    assert response.status_code == 302


def test_a_failed_login_says_so_once(client, lead):
    page = client.post(
        reverse("login"), {"username": lead.email, "password": "wrong password!"}
    ).content.decode()
    assert page.count("do not match an account") == 1
    # Only the password's letter case matters: the message must not say the email's does.
    assert "case-sensitive" not in page and "any letter case" in page
    assert "Email or username" in page


def test_an_email_too_long_to_log_in_with_is_refused_at_signup(client, db):
    response = _signup(client, email="a" * 140 + "@example.org")
    assert "at most 150 characters" in " ".join(response.context["form"].errors["email"])


def test_wrong_method_and_missing_pages_get_pages_a_person_can_act_on(client_for, lead, client):
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "Use the button on the page" in response.content.decode()
    missing = client_for(lead).get("/museums/999999/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()


def test_a_stale_form_explains_the_csrf_failure(lead):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(reverse("password_change"), {"old_password": "x"})
    assert response.status_code == 403
    assert "your session changed" in response.content.decode()


def test_people_logged_in_before_the_login_backend_moved_stay_logged_in(lead, client):
    """The deploy that moved the backend to accounts/ rewrites existing sessions (a migration)."""
    import importlib

    from django.contrib.sessions.backends.db import SessionStore

    migration = importlib.import_module("assessment.migrations.0006_sessions_follow_the_login_backend")
    store = SessionStore()
    store.update({"_auth_user_id": str(lead.pk), "_auth_user_backend": migration.OLD})
    store["_auth_user_hash"] = lead.get_session_auth_hash()
    store.create()
    client.cookies["sessionid"] = store.session_key
    assert client.get("/museums/").status_code == 302  # logged out: the old backend is gone
    from django.apps import apps

    migration.rename_backend(migration.OLD, migration.NEW)(apps, None)
    assert client.get("/museums/").status_code == 200


@pytest.mark.parametrize("page", ["login", "signup"])
def test_the_menu_keeps_where_the_visitor_was_going(client, db, page):
    """An invited colleague on the login page who picks "Sign up" in the menu comes back to the invitation."""
    html = client.get(reverse(page) + "?next=/invitations/abc123/").content.decode()
    menu = html.split("<main")[0]
    assert 'href="/accounts/signup/?next=/invitations/abc123/"' in menu
    assert 'href="/accounts/login/?next=/invitations/abc123/"' in menu


def test_the_menu_drops_a_next_that_leads_off_the_site(client, db):
    menu = client.get(reverse("login") + "?next=https://evil.example/").content.decode().split("<main")[0]
    assert "evil.example" not in menu
