"""Passwords: long passphrases are welcome; repeated characters and keyboard runs are not."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import PASSWORD


def _signup(client, password: str):
    return client.post(
        reverse("signup"),
        {"name": "Ada Curator", "email": "ada@example.org", "password1": password, "password2": password},
    )


@pytest.mark.parametrize(
    "password",
    [
        " " * 12,
        "aaaaaaaaaaaa",
        "qwertyuiopas",
        "azertyuiopqs",  # the French keyboard
        "abcdefghijklm",
        "abababababab",
        "1qaz2wsx3edc",
        "ada curator 1",  # the person's own name
    ],
)
def test_guessable_passwords_are_refused_with_a_reason(client, db, password):
    response = _signup(client, password)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password1"])
    assert "too easy to guess" in errors
    assert not get_user_model().objects.filter(email="ada@example.org").exists()


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "Rijksmuseum2024",
        "xK9#mP2$vL7q",
        "a long passphrase with spaces, Ünïcode and punctuation! " * 3,  # longer than zxcvbn reads
    ],
)
def test_passphrases_and_generated_passwords_are_welcome(client, db, password):
    assert _signup(client, password).status_code == 302


def test_a_password_change_applies_the_same_rule(client_for, lead):
    response = client_for(lead).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "qwertyuiopas", "new_password2": "qwertyuiopas"},
    )
    assert response.status_code == 200
    assert "too easy to guess" in response.content.decode()
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
