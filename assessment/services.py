"""Writes: every change to museums, memberships and invitations goes through here.

Views validate input with forms, then call one of these functions. A
``ServiceError`` carries a message meant for the user.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Invitation, Membership, Museum, Role

INVITATION_SALT = "museumai.invitation"


class ServiceError(Exception):
    """A rule the user broke, explained in words they can act on."""


def user_create(*, email: str, name: str, password: str):
    """A new account; the (lower-cased) email is also the username."""
    email = email.strip().lower()
    first, _sep, last = name.strip().partition(" ")
    user_model = get_user_model()
    return user_model.objects.create_user(
        username=email, email=email, password=password, first_name=first, last_name=last
    )


@transaction.atomic
def museum_create(
    *,
    user,
    name: str,
    country: str,
    city: str,
    museum_type: str,
    size_band: str,
    website: str = "",
) -> Museum:
    """A museum, with its creator as its first lead."""
    museum = Museum.objects.create(
        name=name, country=country, city=city, museum_type=museum_type, size_band=size_band, website=website
    )
    Membership.objects.create(user=user, museum=museum, role=Role.LEAD)
    return museum


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_send(
    *, museum: Museum, invited_by, email: str, role: str, accept_url_template: str
) -> Invitation:
    """Invite someone by email; a new invitation replaces a pending one to the same address.

    ``accept_url_template`` is the absolute acceptance URL with ``{token}`` in
    place of the token (the view knows the host, the service does not).
    """
    email = email.strip().lower()
    if role not in (Role.EDITOR, Role.VIEWER):
        raise ServiceError(_("Invite colleagues as editor or viewer; make them lead once they have joined."))
    if museum.memberships.filter(user__email__iexact=email).exists():
        raise ServiceError(
            _("%(email)s is already a member of %(museum)s.") % {"email": email, "museum": museum}
        )
    with transaction.atomic():
        Invitation.objects.filter(museum=museum, email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(museum=museum, email=email, role=role, invited_by=invited_by)
    context = {
        "invitation": invitation,
        "inviter": invited_by,
        "accept_url": accept_url_template.format(token=invitation_token(invitation)),
        "days": settings.INVITATION_MAX_AGE.days,
    }
    send_mail(
        subject=_("You are invited to assess %(museum)s's AI readiness") % {"museum": museum.name},
        message=render_to_string("assessment/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted."""
    try:
        invitation_id = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise ServiceError(
            _("This invitation has expired. Ask the museum's lead to send you a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise ServiceError(
            _("This invitation link is not valid. Check that you copied the whole link from the email.")
        ) from exc
    invitation = Invitation.objects.select_related("museum", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        raise ServiceError(_("This invitation has been withdrawn. Ask the museum's lead to send a new one."))
    if invitation.accepted_at is not None:
        raise ServiceError(_("This invitation has already been used. Each invitation link works once."))
    return invitation


def invitation_accept(*, token: str, user) -> Membership:
    """Join the museum; the link works once, and only for the address it was sent to."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        # Lock the row so that two simultaneous clicks cannot both use it.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ServiceError(_("This invitation has already been used. Each invitation link works once."))
        if invitation.email.lower() != (user.email or "").lower():
            raise ServiceError(
                _(
                    "This invitation was sent to %(email)s, but you are logged in as %(you)s. "
                    "Log out, then open the link again and sign in or sign up with %(email)s."
                )
                % {"email": invitation.email, "you": user.email or user.get_username()}
            )
        membership, _created = Membership.objects.get_or_create(
            user=user, museum_id=invitation.museum_id, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _ensure_another_lead_remains(membership: Membership) -> None:
    # Lock the museum's leads so that two leads demoting each other at once
    # cannot leave the museum without one.
    leads = list(
        Membership.objects.select_for_update().filter(museum_id=membership.museum_id, role=Role.LEAD)
    )
    is_lead = any(lead.pk == membership.pk for lead in leads)
    if is_lead and len(leads) <= 1:
        raise ServiceError(
            _("A museum always needs a lead. Make someone else lead first, then change this membership.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ServiceError(_("Choose lead, editor or viewer."))
    if role != Role.LEAD:
        _ensure_another_lead_remains(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    _ensure_another_lead_remains(membership)
    membership.delete()


def invitation_withdraw(*, invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise ServiceError(_("This invitation has already been accepted."))
    invitation.delete()
