from __future__ import annotations

from django.http import HttpRequest

from assessment.models import Membership
from assessment.team import current_membership


def museum_switcher(request: HttpRequest) -> dict[str, object]:
    """The user's museums for the navigation bar (one query per page)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    memberships = list(Membership.objects.for_user(request.user))
    # The museum a page belongs to wins over the one last worked in, so the menu matches the page.
    match = getattr(request, "resolver_match", None)
    page_museum = match.kwargs.get("museum_id") if match else None
    on_page = next((m for m in memberships if m.museum_id == page_museum), None)
    return {
        "nav_memberships": memberships,
        "nav_current_membership": on_page or current_membership(request, memberships),
    }
