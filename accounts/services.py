"""Accounts: the one way a person's account is created, and how its address is confirmed.

An address is confirmed by opening a signed link mailed to it (or a password
reset link, which proves the same). Invitations bind to an account only through
a confirmed address (``assessment.team.invitation_accept``): otherwise anyone
could sign up with a colleague's address and take their invitation.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ConfirmedEmail
from assessment.errors import ServiceError

logger = logging.getLogger(__name__)

EMAIL_CONFIRMATION_SALT = "museumai.email-confirmation"


def user_create(*, email: str, name: str, password: str) -> User:
    """A new account; the (lower-cased) email is also the username. Its address is not confirmed yet."""
    email = email.strip().lower()
    first, _sep, last = name.strip().partition(" ")
    user_model = get_user_model()
    return user_model.objects.create_user(
        username=email, email=email, password=password, first_name=first, last_name=last
    )


def email_is_confirmed(user: User) -> bool:
    return bool(user.email) and ConfirmedEmail.objects.filter(user=user, email__iexact=user.email).exists()


def email_confirm(*, user: User) -> None:
    """Mark the account's present address as confirmed (its owner opened a link mailed to it)."""
    ConfirmedEmail.objects.update_or_create(
        user=user, defaults={"email": user.email.lower(), "confirmed_at": timezone.now()}
    )


def email_confirmation_token(user: User) -> str:
    """Signed and dated; it names the address, so a link for an earlier address stops working."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=EMAIL_CONFIRMATION_SALT)


def email_confirmation_check(*, token: str, user: User) -> None:
    """Raise ``ServiceError`` unless ``token`` confirms ``user``'s present address."""
    max_age: timedelta = settings.EMAIL_CONFIRMATION_MAX_AGE
    try:
        payload = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ServiceError(
            _("This confirmation link has expired. Ask for a new one below; it works for %(days)s days.")
            % {"days": max_age.days}
        ) from exc
    except signing.BadSignature as exc:
        raise ServiceError(
            _("This confirmation link is not valid. Check that you copied the whole link from the email.")
        ) from exc
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        raise ServiceError(
            _(
                "This confirmation link was sent for another account. Log out, then open it again "
                "and log in with the address it was sent to."
            )
        )
    if payload.get("email") != user.email.lower():
        raise ServiceError(
            _("This link was sent to an address your account no longer uses. Ask for a new one below.")
        )


def email_confirmation_send(*, user: User, confirm_url: str) -> None:
    """Mail the confirmation link; ``ServiceError`` if the mail could not be sent.

    The mail carries nothing the person typed but their address: someone signing up with another
    person's address cannot put their own words into a mail sent in the site's name.
    """
    context = {"confirm_url": confirm_url, "days": settings.EMAIL_CONFIRMATION_MAX_AGE.days}
    try:
        send_mail(
            subject=_("Confirm your email address for museumai"),
            message=render_to_string("registration/email_confirmation_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception as exc:
        # Whatever the mail backend raises, the mail did not leave; the person can ask again.
        logger.error("Confirmation mail to %s not sent", user.email, exc_info=exc)
        raise ServiceError(
            _("The confirmation email could not be sent just now. Ask for it again in a few minutes.")
        ) from exc
