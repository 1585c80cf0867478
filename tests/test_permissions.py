"""The permission matrix: every URL × every persona.

The URL patterns are read from the resolver, and every named pattern must
appear in ``ACCESS`` below, so a new view cannot ship without its access rule
being tested (after pretix's and healthchecks' permission tests).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment import services
from assessment.models import Invitation, Membership, Museum, Role

PUBLIC = "public"  # anyone, logged in or not
LOGIN = "login"  # any logged-in user
# Otherwise: the minimum museum role (Role.VIEWER, Role.EDITOR, Role.LEAD).

# name -> (access, method used to exercise it)
ACCESS: dict[str, tuple[str, str]] = {
    "home": (PUBLIC, "get"),
    "signup": (PUBLIC, "get"),
    "login": (PUBLIC, "get"),
    "logout": (PUBLIC, "post"),
    "password_reset": (PUBLIC, "get"),
    "password_reset_done": (PUBLIC, "get"),
    "password_reset_confirm": (PUBLIC, "get"),
    "password_reset_complete": (PUBLIC, "get"),
    "password_change": (LOGIN, "get"),
    "password_change_done": (LOGIN, "get"),
    "recommendations:framework": (PUBLIC, "get"),
    "recommendations:export": (PUBLIC, "get"),
    "assessment:museum_list": (LOGIN, "get"),
    "assessment:museum_create": (LOGIN, "get"),
    "assessment:invitation_accept": (LOGIN, "get"),
    "assessment:museum_home": (Role.VIEWER, "get"),
    "assessment:team": (Role.VIEWER, "get"),
    "assessment:museum_switch": (Role.VIEWER, "post"),
    "assessment:museum_edit": (Role.LEAD, "post"),
    "assessment:invitation_create": (Role.LEAD, "post"),
    "assessment:membership_role": (Role.LEAD, "post"),
    "assessment:membership_remove": (Role.LEAD, "post"),
    "assessment:invitation_withdraw": (Role.LEAD, "post"),
}


def _named_patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django admin: staff only, tested in test_admin_access below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.extend(_named_patterns(pattern, inner))
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", pattern))
    return found


ROUTES = dict(_named_patterns(get_resolver()))


def test_every_url_has_an_access_rule():
    assert set(ROUTES) == set(ACCESS), (
        "Add new URLs to ACCESS (and remove deleted ones): "
        f"missing {sorted(set(ROUTES) - set(ACCESS))}, stale {sorted(set(ACCESS) - set(ROUTES))}"
    )


@pytest.fixture
def world(framework, museum_a, lead, editor, viewer, outsider, museum_b, nemo_admin):
    """Museum A with a lead, an editor, a viewer and a pending invitation; museum B's lead outside."""
    invitation = Invitation.objects.create(museum=museum_a, email="new@example.org", role=Role.EDITOR)
    return {
        "museum_id": museum_a.pk,
        "membership_id": Membership.objects.get(user=editor, museum=museum_a).pk,
        "invitation_id": invitation.pk,
        "token": services.invitation_token(invitation),
        "uidb64": "MQ",
        "personas": {
            "lead": lead,
            "editor": editor,
            "viewer": viewer,
            "outsider": outsider,
            "nemo_admin": nemo_admin,
        },
    }


def _url(name: str, world: dict) -> str:
    kwargs = {param: world[param] for param in ROUTES[name].pattern.converters}
    return reverse(name, kwargs=kwargs)


def _snapshot() -> tuple:
    """Everything a forbidden POST might change."""
    return (
        sorted(Membership.objects.values_list("user_id", "museum_id", "role")),
        sorted(Invitation.objects.values_list("id", "email", "accepted_at")),
        sorted(Museum.objects.values_list("id", "name", "city", "country")),
    )


def _request(client, name: str, world: dict):
    _access, method = ACCESS[name]
    url = _url(name, world)
    if method == "post":
        return client.post(url, {"role": Role.VIEWER, "email": "x@example.org", "name": "Changed"})
    return client.get(url)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_anonymous(name, world, client):
    access, _method = ACCESS[name]
    response = _request(client, name, world)
    if access == PUBLIC:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


MUSEUM_SCOPED = sorted(name for name, (access, _m) in ACCESS.items() if access in Role.values)


@pytest.mark.parametrize("persona", ["outsider", "nemo_admin"])
@pytest.mark.parametrize("name", MUSEUM_SCOPED)
def test_non_members_get_404_and_change_nothing(name, persona, world, client_for):
    before = _snapshot()
    response = _request(client_for(world["personas"][persona]), name, world)
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["viewer", "editor"])
@pytest.mark.parametrize("name", MUSEUM_SCOPED)
def test_members_below_the_required_role_get_403_and_change_nothing(name, persona, world, client_for):
    access, _method = ACCESS[name]
    required = Membership(role=access)
    member = Membership(role=persona)
    if member.has_role(required.role):
        pytest.skip(f"{persona} may use {name}")
    before = _snapshot()
    response = _request(client_for(world["personas"][persona]), name, world)
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["viewer", "editor", "lead"])
@pytest.mark.parametrize("name", MUSEUM_SCOPED)
def test_members_with_the_role_get_through(name, persona, world, client_for):
    access, _method = ACCESS[name]
    if not Membership(role=persona).has_role(access):
        pytest.skip(f"{persona} may not use {name}")
    response = _request(client_for(world["personas"][persona]), name, world)
    assert response.status_code not in (403, 404, 500)


def test_an_object_id_from_another_museum_is_404_even_for_a_lead_of_both(world, museum_b, client_for):
    lead = world["personas"]["lead"]
    Membership.objects.create(user=lead, museum=museum_b, role=Role.LEAD)
    b_membership = Membership.objects.get(museum=museum_b, user=world["personas"]["outsider"])
    url = reverse("assessment:membership_remove", args=[world["museum_id"], b_membership.pk])
    assert client_for(lead).post(url).status_code == 404
    assert Membership.objects.filter(pk=b_membership.pk).exists()


@pytest.mark.parametrize("persona", ["lead", "outsider"])
def test_admin_is_for_nemo_staff_only(persona, world, client_for, client):
    assert client.get("/admin/").status_code == 302
    assert client_for(world["personas"][persona]).get("/admin/").status_code == 302
    assert client_for(world["personas"]["nemo_admin"]).get("/admin/").status_code == 200


def test_state_changes_need_a_csrf_token(world, client_for):
    client = client_for(world["personas"]["lead"], enforce_csrf_checks=True)
    response = client.post(_url("assessment:membership_remove", world))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=world["membership_id"]).exists()


def test_revoking_a_membership_takes_effect_on_the_next_request(world, client_for):
    viewer_client = client_for(world["personas"]["viewer"])
    home = reverse("assessment:museum_home", args=[world["museum_id"]])
    assert viewer_client.get(home).status_code == 200
    Membership.objects.filter(user=world["personas"]["viewer"]).delete()
    assert viewer_client.get(home).status_code == 404


def test_a_deactivated_user_is_logged_out(world, client_for):
    editor = world["personas"]["editor"]
    client = client_for(editor)
    editor.is_active = False
    editor.save()
    response = client.get(reverse("assessment:museum_home", args=[world["museum_id"]]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_get_never_changes_state(world, client_for):
    """Post/Redirect/Get: the change views refuse GET."""
    before = _snapshot()
    client = client_for(world["personas"]["lead"])
    form_pages = {"assessment:museum_edit"}  # GET shows the form, POST saves
    for name, (_access, method) in ACCESS.items():
        if method == "post" and name != "logout":
            expected = 200 if name in form_pages else 405
            assert client.get(_url(name, world)).status_code == expected, name
    assert _snapshot() == before
