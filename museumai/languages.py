"""The site's languages as model choices: a callable, so that adding a language to ``LANGUAGES``
changes no migration of the models that store a language (only the framework's columns need one)."""

from __future__ import annotations

from django.conf import settings


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]
