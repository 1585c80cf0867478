from __future__ import annotations

from assessment.selectors import current_membership, memberships_for_user


def museum_switcher(request) -> dict:
    """The user's museums for the navigation bar (one query per page)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    memberships = memberships_for_user(request.user)
    return {
        "nav_memberships": memberships,
        "nav_current_membership": current_membership(request, memberships),
    }
