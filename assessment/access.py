"""The one way a request reaches a museum's objects.

Every view that touches a museum or anything belonging to one goes through
these helpers. Another museum's object raises 404, exactly as if it did not
exist, so that ids leak nothing; a member whose role lacks the right raises 403.
NEMO staff are not members: they review everything through Django admin.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from assessment.models import Membership, Role

ScopedModel = TypeVar("ScopedModel", bound=models.Model)


def get_membership(user, museum_id: int, *, min_role: str = Role.VIEWER) -> Membership:
    """The user's membership of the museum, or 404 if none; 403 if the role is too low."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("museum").filter(user=user, museum_id=museum_id).first()
    if membership is None:
        raise Http404
    if not membership.has_role(min_role):
        raise PermissionDenied
    return membership


def get_museum_object(
    user,
    queryset: models.QuerySet[ScopedModel],
    *,
    museum_id: int,
    pk: int,
    min_role: str = Role.VIEWER,
) -> tuple[ScopedModel, Membership]:
    """An object of the museum, with the user's membership.

    The object must belong to the museum named in the URL: an id from another
    museum is a 404 even for someone who belongs to both.
    """
    membership = get_membership(user, museum_id, min_role=Role.VIEWER)
    obj = queryset.filter(museum_id=museum_id, pk=pk).first()
    if obj is None:
        raise Http404
    if not membership.has_role(min_role):
        raise PermissionDenied
    return obj, membership
