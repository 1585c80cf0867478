"""What accounts need beyond Django's user: the address each person proved to read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumai.languages import language_choices


class ConfirmedEmail(models.Model):
    """The address an account's owner proved to read, by opening a link mailed to it.

    An account's address is confirmed while this row holds the same address (in
    any letter case): if the address changes (in Django admin, say), it is
    unconfirmed again until a link mailed to the new one is opened. Invitations
    bind to an account only through a confirmed address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="confirmed_email",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("confirmed email"))
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        verbose_name = _("confirmed email address")
        verbose_name_plural = _("confirmed email addresses")

    def __str__(self) -> str:
        return self.email


class LanguagePreference(models.Model):
    """The language a person chose with the switcher, remembered on the account for every device."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
        verbose_name=_("account"),
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return self.language
