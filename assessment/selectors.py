"""Reads scoped to the requesting user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from assessment.models import Invitation, Membership, Museum, Role

CURRENT_MUSEUM_SESSION_KEY = "current_museum_id"


def memberships_for_user(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.for_user(user))


def current_membership(request, memberships: list[Membership] | None = None) -> Membership | None:
    """The museum the user is working in: the one last switched to, else the first."""
    if memberships is None:
        memberships = memberships_for_user(request.user)
    wanted = request.session.get(CURRENT_MUSEUM_SESSION_KEY)
    for membership in memberships:
        if membership.museum_id == wanted:
            return membership
    return memberships[0] if memberships else None


def museum_with_team(museum_id: int) -> Museum:
    """A museum with its members (and their users) and pending invitations, in three queries."""
    return (
        Museum.objects.annotate(lead_count=Count("memberships", filter=Q(memberships__role=Role.LEAD)))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__first_name", "user__email"
                ),
            ),
            Prefetch("invitations", queryset=Invitation.objects.pending().select_related("invited_by")),
        )
        .get(pk=museum_id)
    )
