"""Logging in: with an email address or a username, in any letter case; throttled per account.

The backend and django-axes's throttle key must agree on who is logging in:
if login accepted "ALICE@example.org" while axes counted it apart from
"alice@example.org", every spelling would get its own five guesses. Both use
``account_for_login`` below.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest


def account_for_login(identifier: str) -> User | None:
    """The one account whose username or email is ``identifier`` in any letter case, else None."""
    user_model = get_user_model()
    matches: list[User] = list(
        user_model._default_manager.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:2]
    )
    return matches[0] if len(matches) == 1 else None


class EmailOrUsernameBackend(ModelBackend):
    """Log in with an email address or a username, in any letter case.

    People type their address as they remember it ("Anna.Curator@Example.org");
    accounts store it in lower case.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for_login(username)
        if user is None:
            # Run the hasher anyway, so that timing does not reveal whether an account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def login_throttle_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """django-axes's "username": the account's own username when the name typed finds one, else the
    name typed, case-folded.

    Every spelling that can log in to an account (its username or email, in any case) then shares
    one failure count; spellings that find no account cannot log in to anything, so counting them
    apart gives nothing away. Memoised on the request: axes asks several times per attempt.
    """
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    if typed is None:
        return None
    typed = str(typed).strip()
    memo: dict[str, str] = getattr(request, "_login_throttle_keys", {}) if request is not None else {}
    if typed not in memo:
        account = account_for_login(typed) if typed else None
        memo[typed] = (
            account.get_username() if account is not None else unicodedata.normalize("NFKC", typed).casefold()
        )
        if request is not None:
            request._login_throttle_keys = memo  # type: ignore[attr-defined]
    return memo[typed]
