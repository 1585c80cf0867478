"""A museum's team: the museum, its members and their roles, invitations; which museum a person works in.

Views validate input with forms, then call these functions. A broken rule
raises ``ServiceError`` with a message for the user.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.services import email_is_confirmed
from assessment.display import display_name
from assessment.errors import ServiceError
from assessment.models import (
    Action,
    AiSystem,
    Answer,
    Assessment,
    AssessmentStatus,
    Invitation,
    Membership,
    Museum,
    Role,
    SystemDuty,
)

logger = logging.getLogger(__name__)

INVITATION_SALT = "museumai.invitation"
CURRENT_MUSEUM_SESSION_KEY = "current_museum_id"


def current_membership(
    request: HttpRequest, memberships: list[Membership] | None = None
) -> Membership | None:
    """The museum the user is working in: the one last switched to, else the first."""
    if memberships is None:
        memberships = list(Membership.objects.for_user(request.user))
    wanted = request.session.get(CURRENT_MUSEUM_SESSION_KEY)
    for membership in memberships:
        if membership.museum_id == wanted:
            return membership
    return memberships[0] if memberships else None


def remember_current_museum(request: HttpRequest, museum_id: int) -> None:
    request.session[CURRENT_MUSEUM_SESSION_KEY] = museum_id


def forget_current_museum(request: HttpRequest, museum_id: int) -> None:
    """A deleted museum is no longer the one the user works in (the next page picks another)."""
    if request.session.get(CURRENT_MUSEUM_SESSION_KEY) == museum_id:
        del request.session[CURRENT_MUSEUM_SESSION_KEY]


@transaction.atomic
def member_choices(museum_id: int, current_owner=None) -> list[tuple[int, str]]:
    """The museum's members by name, for an owner menu; an owner who has left stays on it (one query)."""
    members = [
        (membership.user_id, display_name(membership.user))
        for membership in Membership.objects.filter(museum_id=museum_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    ]
    if current_owner is not None and current_owner.pk not in {user_id for user_id, _name in members}:
        members.append(
            (
                current_owner.pk,
                _("%(person)s (no longer in the team)") % {"person": display_name(current_owner)},
            )
        )
    return members


def museum_create(
    *,
    user,
    name: str,
    country: str,
    city: str,
    museum_type: str,
    size_band: str,
    website: str = "",
    in_sector_figures: bool = True,
) -> Museum:
    """A museum, with its creator as its first lead."""
    museum = Museum.objects.create(
        name=name,
        country=country,
        city=city,
        museum_type=museum_type,
        size_band=size_band,
        website=website,
        in_sector_figures=in_sector_figures,
    )
    Membership.objects.create(user=user, museum=museum, role=Role.LEAD)
    return museum


@dataclass(frozen=True)
class MuseumContents:
    """What deleting a museum takes with it, counted for the page that asks to confirm."""

    assessments: int
    drafts: int
    answers: int
    actions: int
    ai_systems: int
    members: int
    pending_invitations: int


def museum_contents(museum: Museum) -> MuseumContents:
    """The museum's assessments (drafts among them), answers, actions, AI systems, members, invitations."""
    assessments = Assessment.objects.filter(museum=museum)
    return MuseumContents(
        assessments=assessments.count(),
        drafts=assessments.filter(status=AssessmentStatus.DRAFT).count(),
        answers=Answer.objects.filter(assessment__museum=museum).count(),
        actions=Action.objects.filter(museum=museum).count(),
        ai_systems=AiSystem.objects.filter(museum=museum).count(),
        members=Membership.objects.filter(museum=museum).count(),
        pending_invitations=Invitation.objects.filter(museum=museum).pending().count(),
    )


@transaction.atomic
def museum_delete(*, museum: Museum) -> None:
    """Delete the museum with everything in it, its audit history included; it cannot be undone.

    A lead asks for it (the view checks the role and the typed name), for instance when the museum
    closes or was created by mistake: what it wrote is the museum's, so it goes with the museum.
    Assessments (drafts and submitted), answers, targets and scores, the action plan, the AI register
    with its duties, memberships and invitations go by the database's cascades. Deleting them makes
    django-simple-history record each deletion, and its tables have no foreign keys, so their rows
    (answer notes, action and register texts) are then deleted too, as ``answers.assessment_discard``
    does for a draft: nothing the museum wrote survives in the history. Its rows of the sector summary
    go by cascade too, so NEMO's figures (``nemo.stats``, ``nemo.register_stats``, whose cache keys
    change with the summary and the systems' count) no longer count it from the next page on; the
    public open data from its next release (``nemo.open_data``). A museum already deleted meanwhile
    is not an error.
    """
    locked = Museum.objects.select_for_update().filter(pk=museum.pk).first()
    if locked is None:
        return
    museum_id = locked.pk
    assessment_ids = list(Assessment.objects.filter(museum=locked).values_list("pk", flat=True))
    # Systems removed from the register earlier are still named in the history, with their duties.
    system_ids = set(AiSystem.objects.filter(museum=locked).values_list("pk", flat=True))
    system_ids.update(AiSystem.history.filter(museum_id=locked.pk).values_list("id", flat=True))
    locked.delete()
    Answer.history.filter(assessment_id__in=assessment_ids).delete()
    Action.history.filter(museum_id=museum_id).delete()
    SystemDuty.history.filter(system_id__in=system_ids).delete()
    AiSystem.history.filter(museum_id=museum_id).delete()


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def _one_line(text: str) -> str:
    """User-typed text for a mail: line breaks there could fake a line of the site's own."""
    return " ".join(text.split())


def invitation_send(
    *, museum: Museum, invited_by, email: str, role: str, accept_url_template: str, language: str = "en"
) -> Invitation:
    """Invite someone by email; a new invitation replaces a pending one to the same address.

    ``accept_url_template`` is the absolute acceptance URL with ``{token}`` in
    place of the token (the view knows the host, the service does not).

    The invitation is recorded only if its mail was handed to the mail server:
    the mail is sent inside the transaction, and a failure rolls both back (the
    pending invitation it was to replace included), so the team page never
    lists an invitation nobody received.
    """
    email = email.strip().lower()
    if role not in (Role.EDITOR, Role.VIEWER):
        raise ServiceError(_("Invite colleagues as editor or viewer; make them lead once they have joined."))
    if museum.memberships.filter(user__email__iexact=email).exists():
        raise ServiceError(
            _("%(email)s is already a member of %(museum)s.") % {"email": email, "museum": museum}
        )
    try:
        with transaction.atomic():
            Invitation.objects.filter(museum=museum, email__iexact=email, accepted_at__isnull=True).delete()
            invitation = Invitation.objects.create(
                museum=museum, email=email, role=role, invited_by=invited_by, language=language
            )
            _send_invitation_mail(invitation, accept_url_template)
    except _MailNotSent as failure:
        logger.error("Invitation mail to %s not sent; nothing recorded", email, exc_info=failure.__cause__)
        raise ServiceError(
            _(
                "The invitation could not be sent just now, so it was not saved. "
                "Try again in a few minutes; if it keeps failing, tell NEMO."
            )
        ) from failure
    return invitation


class _MailNotSent(Exception):
    pass


def _send_invitation_mail(invitation: Invitation, accept_url_template: str) -> None:
    """The subject is the site's own words only; what the inviter typed (their name, the museum's
    name) stands in the body on its own lines, labelled as theirs and quoted, so that a museum called
    "museumai security: log in at …" reads as what it is."""
    inviter = invitation.invited_by
    name = _one_line(f"{inviter.first_name} {inviter.last_name}") if inviter is not None else ""
    address = inviter.email if inviter is not None else ""
    inviter_line = f"{name} <{address}>" if name and address else name or address
    context = {
        "inviter": inviter_line,
        "museum": _one_line(invitation.museum.name),
        "role": invitation.get_role_display(),
        "accept_url": accept_url_template.format(token=invitation_token(invitation)),
        "days": settings.INVITATION_MAX_AGE.days,
    }
    try:
        # In the language the inviter chose for this colleague, whatever the inviter reads.
        with translation.override(invitation.language):
            context["role"] = invitation.get_role_display()
            send_mail(
                subject=_("An invitation to a museum's team on museumai"),
                message=render_to_string("assessment/email/invitation.txt", context),
                from_email=None,
                recipient_list=[invitation.email],
            )
    except Exception as exc:
        # Whatever the mail backend raises (SMTP errors, a refused header, a provider's API error),
        # the mail did not leave: the caller rolls the invitation back.
        raise _MailNotSent from exc


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted."""
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE)
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
        if not email_is_confirmed(user):
            # Anyone can sign up with any address; only opening a link mailed to it proves it is theirs.
            raise ServiceError(
                _(
                    "Confirm that %(email)s is your address first: open the link we mailed to it, "
                    "then accept the invitation."
                )
                % {"email": invitation.email}
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
