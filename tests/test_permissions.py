"""The permission matrix: every URL × every persona.

The URL patterns are read from the resolver, and every named pattern must
appear in ``ACCESS`` below, so a new view cannot ship without its access rule
being tested (after pretix's and healthchecks' permission tests).
"""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver, reverse

from assessment import answers, plan, register, team
from assessment.models import (
    Action,
    AiSystem,
    Answer,
    Assessment,
    Invitation,
    Membership,
    Museum,
    Role,
    SystemDuty,
)
from recommendations.models import Question

PUBLIC = "public"  # anyone, logged in or not
STAFF = "staff"  # NEMO staff only
LOGIN = "login"  # any logged-in user
# Otherwise: the minimum museum role (Role.VIEWER, Role.EDITOR, Role.LEAD).

# name -> [(method, access)]: who may use each URL, by HTTP method.
ACCESS: dict[str, list[tuple[str, str]]] = {
    "home": [("get", PUBLIC)],
    "signup": [("get", PUBLIC)],
    "login": [("get", PUBLIC)],
    "logout": [("post", PUBLIC)],
    "password_reset": [("get", PUBLIC)],
    "password_reset_done": [("get", PUBLIC)],
    "password_reset_confirm": [("get", PUBLIC)],
    "password_reset_complete": [("get", PUBLIC)],
    "password_change": [("get", LOGIN)],
    "email_confirmation": [("get", LOGIN), ("post", LOGIN)],
    "email_confirmation_link": [("get", LOGIN), ("post", LOGIN)],
    "password_change_done": [("get", LOGIN)],
    "personal_data": [("get", LOGIN)],
    "personal_data_download": [("get", LOGIN)],
    "account_delete": [("get", LOGIN), ("post", LOGIN)],
    "nemo_overview": [("get", STAFF)],
    "nemo_overview_csv": [("get", STAFF)],
    "nemo_overview_xlsx": [("get", STAFF)],
    "open_data": [("get", PUBLIC)],
    "open_data_json": [("get", PUBLIC)],
    "open_data_csv": [("get", PUBLIC)],
    "recommendations:framework": [("get", PUBLIC)],
    "recommendations:export": [("get", PUBLIC)],
    "assessment:museum_list": [("get", LOGIN)],
    "assessment:museum_create": [("get", LOGIN)],
    "assessment:invitation_accept": [("get", LOGIN)],
    "set_language": [("post", PUBLIC)],
    "assessment:museum_home": [("get", Role.VIEWER)],
    "assessment:team": [("get", Role.VIEWER)],
    "assessment:museum_switch": [("post", Role.VIEWER)],
    "assessment:museum_edit": [("get", Role.LEAD), ("post", Role.LEAD)],
    "assessment:museum_delete": [("get", Role.LEAD), ("post", Role.LEAD)],
    "assessment:invitation_create": [("post", Role.LEAD)],
    "assessment:membership_role": [("post", Role.LEAD)],
    "assessment:membership_remove": [("get", Role.LEAD), ("post", Role.LEAD)],
    "assessment:invitation_withdraw": [("post", Role.LEAD)],
    "assessment:assessment_list": [("get", Role.VIEWER)],
    "assessment:assessment_start": [("get", Role.EDITOR), ("post", Role.EDITOR)],
    "assessment:assessment_detail": [("get", Role.VIEWER)],
    "assessment:area": [("get", Role.VIEWER), ("post", Role.EDITOR)],
    "assessment:answer_history": [("get", Role.VIEWER)],
    "assessment:targets": [("get", Role.VIEWER), ("post", Role.EDITOR)],
    "assessment:assessment_submit": [("get", Role.LEAD), ("post", Role.LEAD)],
    "assessment:assessment_discard": [("get", Role.LEAD), ("post", Role.LEAD)],
    "assessment:assessment_copy_previous": [("post", Role.EDITOR)],
    "assessment:assessment_ai_use": [("post", Role.EDITOR)],
    "assessment:results": [("get", Role.VIEWER)],
    "assessment:report": [("get", Role.VIEWER)],
    "assessment:export_answers": [("get", Role.VIEWER)],
    "assessment:export_scores": [("get", Role.VIEWER)],
    "assessment:export_answers_xlsx": [("get", Role.VIEWER)],
    "assessment:export_scores_xlsx": [("get", Role.VIEWER)],
    "assessment:plan": [("get", Role.VIEWER)],
    "assessment:action_create": [("get", Role.EDITOR), ("post", Role.EDITOR)],
    "assessment:action_edit": [("get", Role.VIEWER), ("post", Role.EDITOR)],
    "assessment:plan_export": [("get", Role.VIEWER)],
    "assessment:plan_export_xlsx": [("get", Role.VIEWER)],
    "assessment:plan_calendar": [("get", Role.VIEWER)],
    "assessment:register": [("get", Role.VIEWER)],
    "assessment:system_create": [("get", Role.EDITOR), ("post", Role.EDITOR)],
    "assessment:register_export": [("get", Role.VIEWER)],
    "assessment:register_export_xlsx": [("get", Role.VIEWER)],
    "assessment:system": [("get", Role.VIEWER)],
    "assessment:system_edit": [("get", Role.VIEWER), ("post", Role.EDITOR)],
    "assessment:system_triage": [("get", Role.VIEWER), ("post", Role.EDITOR)],
    "assessment:system_delete": [("get", Role.EDITOR), ("post", Role.EDITOR)],
    "assessment:duty_edit": [("get", Role.VIEWER), ("post", Role.EDITOR)],
}
ROLES = [Role.VIEWER, Role.EDITOR, Role.LEAD]
CASES = [(name, method, access) for name, rules in sorted(ACCESS.items()) for method, access in rules]
MUSEUM_CASES = [case for case in CASES if case[2] in Role.values]


def _named_patterns(
    resolver: URLResolver, namespace: str = "", params: tuple[str, ...] = ()
) -> list[tuple[str, tuple[str, ...]]]:
    """Every named URL with the parameters of its whole path (included prefixes too)."""
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django admin: staff only, tested in test_admin_access below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.extend(_named_patterns(pattern, inner, (*params, *pattern.pattern.converters)))
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", (*params, *pattern.pattern.converters)))
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
    assessment = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    action = plan.action_create(
        museum=museum_a, user=editor, data=plan.ActionInput(title="Write the AI rule")
    )
    system = register.system_create(
        museum=museum_a, user=editor, data=register.SystemInput(name="Ask the museum", use="visitor-chatbot")
    )
    duty = register.register_read(museum_a.pk).entries[0].duties[0].slug
    return {
        "assessment_id": assessment.pk,
        "action_id": action.pk,
        "system_id": system.pk,
        "duty": duty,
        "question_id": Question.objects.filter(dimension__recommendation__framework=framework).first().pk,
        "number": 1,
        "museum_id": museum_a.pk,
        "membership_id": Membership.objects.get(user=editor, museum=museum_a).pk,
        "invitation_id": invitation.pk,
        "token": team.invitation_token(invitation),
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
    kwargs = {param: world[param] for param in ROUTES[name]}
    return reverse(name, kwargs=kwargs)


def _snapshot() -> tuple:
    """Everything a forbidden POST might change."""
    return (
        sorted(Membership.objects.values_list("user_id", "museum_id", "role")),
        sorted(Invitation.objects.values_list("id", "email", "accepted_at")),
        sorted(Museum.objects.values_list("id", "name", "city", "country")),
        sorted(Assessment.objects.values_list("id", "status", "uses_ai")),
        sorted(Answer.objects.values_list("id", "level", "note", "version")),
        sorted(Action.objects.values_list("id", "museum_id", "title", "status", "version")),
        sorted(AiSystem.objects.values_list("id", "museum_id", "name", "version")),
        sorted(SystemDuty.objects.values_list("id", "system_id", "duty", "status", "version")),
    )


def _request(client, name: str, method: str, world: dict):
    url = _url(name, world)
    if method == "post":
        question = world["question_id"]
        return client.post(
            url,
            {
                "role": Role.VIEWER,
                "email": "x@example.org",
                "name": "Changed",
                "copy_previous": "on",
                "stance": "not_by_decision",
                "title": "Changed",
                "status": "done",
                "version": "1",
                f"q{question}-value": "3",
                f"q{question}-note": "changed",
                f"q{question}-version": "0",
            },
        )
    return client.get(url)


@pytest.mark.parametrize(("name", "method", "access"), CASES)
def test_anonymous(name, method, access, world, client):
    before = _snapshot()
    response = _request(client, name, method, world)
    if access == PUBLIC:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
        assert _snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "nemo_admin"])
@pytest.mark.parametrize(("name", "method", "access"), MUSEUM_CASES)
def test_non_members_get_404_and_change_nothing(name, method, access, persona, world, client_for):
    before = _snapshot()
    response = _request(client_for(world["personas"][persona]), name, method, world)
    assert response.status_code == 404
    assert _snapshot() == before


FORBIDDEN = [
    (name, method, access, persona)
    for name, method, access in MUSEUM_CASES
    for persona in ("viewer", "editor")
    if not Membership(role=persona).has_role(access)
]
ALLOWED = [
    (name, method, access, persona)
    for name, method, access in MUSEUM_CASES
    for persona in ("viewer", "editor", "lead")
    if Membership(role=persona).has_role(access)
]


@pytest.mark.parametrize(("name", "method", "access", "persona"), FORBIDDEN)
def test_members_below_the_required_role_get_403_and_change_nothing(
    name, method, access, persona, world, client_for
):
    before = _snapshot()
    response = _request(client_for(world["personas"][persona]), name, method, world)
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "method", "access", "persona"), ALLOWED)
def test_members_with_the_role_get_through(name, method, access, persona, world, client_for):
    response = _request(client_for(world["personas"][persona]), name, method, world)
    assert response.status_code not in (403, 404, 405, 500)


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


STAFF_CASES = [case for case in CASES if case[2] == STAFF]


@pytest.mark.parametrize(("name", "method", "access"), STAFF_CASES)
def test_nemo_pages_are_for_staff_only(name, method, access, world, client_for):
    for persona in ("lead", "editor", "viewer", "outsider"):
        assert _request(client_for(world["personas"][persona]), name, method, world).status_code == 403
    assert _request(client_for(world["personas"]["nemo_admin"]), name, method, world).status_code == 200


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
    """Post/Redirect/Get: a URL that changes things refuses GET unless GET just shows its form."""
    before = _snapshot()
    client = client_for(world["personas"]["lead"])
    for name, rules in ACCESS.items():
        methods = {method for method, _access in rules}
        if methods == {"post"} and name != "logout":
            assert client.get(_url(name, world)).status_code == 405, name
    assert _snapshot() == before


def test_an_id_beyond_any_database_integer_is_a_404_not_a_500(world, client_for):
    client = client_for(world["personas"]["lead"])
    assert client.get("/museums/" + "9" * 30 + "/").status_code == 404
    assert client.get(f"/museums/{world['museum_id']}/assessments/{'9' * 19}/").status_code == 404
