"""The language a person reads the site in: chosen with the switcher, remembered on the account.

Anonymous visitors get Django's language cookie (set by ``set_language``) or their browser's
language (``LocaleMiddleware``). Once logged in, the account's choice wins on every device: it is
copied into the session at login, so that a page costs no extra query to know it (a device already
logged in elsewhere follows a new choice at its next login, or when the switcher is used there).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.models import LanguagePreference

SESSION_KEY = "museumai_language"


def supported(language: str | None) -> bool:
    return language in {code for code, _name in settings.LANGUAGES}


def account_language(user) -> str | None:
    """The account's chosen language, or ``None`` (one query)."""
    language = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    return language if supported(language) else None


def _remember_at_login(sender, request: HttpRequest, user, **kwargs) -> None:
    language = account_language(user)
    if language:
        request.session[SESSION_KEY] = language


def connect_signals() -> None:
    user_logged_in.connect(_remember_at_login, dispatch_uid="museumai.language_at_login")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie, safe redirect back), and the account remembers the choice."""
    response = set_language(request)
    language = request.POST.get("language")
    if supported(language) and request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response


class AccountLanguageMiddleware:
    """After authentication: a logged-in person's chosen language, from the session (no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if isinstance(language, str) and supported(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
