"""Deployment checks of our own, run by `manage.py check --deploy` (CI runs it with production settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Backends that keep mail on this machine: a password-reset link would reach a log file or memory.
DEVELOPMENT_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def check_mail_backend(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.EMAIL_BACKEND not in DEVELOPMENT_MAIL_BACKENDS:
        return []
    return [
        checks.Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: mail never reaches anyone, and password-reset "
            "links end up where anyone who reads the server's log or disk can use them.",
            hint="Set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and DJANGO_EMAIL_HOST",
            id="museumai.E001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
        return []
    return [
        checks.Warning(
            "The cache is kept in each process's memory: the rate limits on sign-up, password reset and "
            "invitations are then counted per process, and several app processes multiply them.",
            hint="Set DJANGO_CACHE_URL=redis://127.0.0.1:6379/0 (a Redis that every app process reaches).",
            id="museumai.W001",
        )
    ]
