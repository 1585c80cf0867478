"""Every admin page of every registered model opens: list, add, change, delete and history.

The models come from ``admin.site._registry``, so a model registered later is
covered without a change here (the fixture below must give it one row: the
test says so if it does not). Each page is opened as a superuser, as NEMO staff
(staff with the permissions below, not superusers) and as a read-only reviewer.
A page opens (200) where the model admin allows it for that person and object,
and is refused (403) where it does not — never a server error.
"""

from __future__ import annotations

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse

from assessment import plan, register
from assessment.models import Assessment, Invitation, Role
from tests.conftest import PASSWORD, make_user, submitted_assessment

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
PAGES = ["changelist", "add", "change", "delete", "history"]
# NEMO staff run the questionnaire's content and review museums' work: every permission on the
# site's own apps; accounts and login records (auth, axes) they may read but not change.
NEMO_STAFF_APPS = {"assessment", "recommendations"}


@pytest.mark.parametrize("model", ["frameworkversion", "recommendation", "dimension", "question"])
def test_framework_add_pages_open(model, framework, client_for, nemo_admin):
    response = client_for(nemo_admin).get(reverse(f"admin:recommendations_{model}_add"))
    assert response.status_code == 200


def _staff(username: str, permissions) -> object:
    user = make_user(username)
    user.is_staff = True
    user.save()
    user.user_permissions.set(permissions)
    return user


def _registered_permissions():
    content_types = ContentType.objects.get_for_models(*admin.site._registry).values()
    return Permission.objects.filter(content_type__in=content_types).select_related("content_type")


@pytest.fixture
def people(db, nemo_admin) -> dict[str, object]:
    permissions = list(_registered_permissions())
    return {
        "superuser": nemo_admin,
        "NEMO staff": _staff(
            "nemostaff",
            [
                p
                for p in permissions
                if p.content_type.app_label in NEMO_STAFF_APPS or p.codename.startswith("view_")
            ],
        ),
        "reviewer": _staff("reviewer", [p for p in permissions if p.codename.startswith("view_")]),
    }


@pytest.fixture
def rows(framework, museum_a, lead, editor) -> dict[str, list]:
    """At least one row of every registered model; a submitted assessment (admin never shows drafts)."""
    submitted = submitted_assessment(museum_a, lead, lambda question: 2)
    Invitation.objects.create(museum=museum_a, email="new@example.org", role=Role.EDITOR, invited_by=lead)
    plan.action_create(museum=museum_a, user=editor, data=plan.ActionInput(title="Write the AI rule"))
    system = register.system_create(
        museum=museum_a, user=editor, data=register.SystemInput(name="Ask the museum", use="visitor-chatbot")
    )
    register.duty_save(
        system=system, duty="ai-literacy", user=editor, status="done", note="", evidence="", seen_version=0
    )
    Group.objects.create(name="NEMO reviewers")
    # Login records, made as people make them: one success (access log), one failure (attempt, failure).
    Client().post(reverse("login"), {"username": editor.email, "password": PASSWORD})
    Client().post(reverse("login"), {"username": "nobody@example.org", "password": "wrong password"})
    if not AccessFailureLog.objects.exists():  # kept only with AXES_ENABLE_ACCESS_FAILURE_LOG
        AccessFailureLog.objects.create(username="nobody@example.org", ip_address="127.0.0.1")
    found = {}
    for model, _model_admin in REGISTERED:
        objects = list(model._default_manager.all()[:1])
        assert objects, f"Give the admin page test a {model._meta.label} (fixture `rows`)"
        found[model._meta.label] = objects
    found[Assessment._meta.label] = [submitted]
    return found


def _expected_status(model_admin, page: str, user, obj) -> int:
    request = RequestFactory().get("/admin/")
    request.user = user
    allowed = {
        "changelist": lambda: model_admin.has_view_or_change_permission(request),
        "add": lambda: model_admin.has_add_permission(request),
        "change": lambda: model_admin.has_view_or_change_permission(request, obj),
        "delete": lambda: model_admin.has_delete_permission(request, obj),
        "history": lambda: model_admin.has_view_or_change_permission(request, obj),
    }[page]()
    return 200 if allowed else 403


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _admin in REGISTERED]
)
def test_every_admin_page_opens_for_nemo_staff_and_superusers(model, model_admin, people, rows, client_for):
    opened = []
    for person, user in people.items():
        client = client_for(user)
        for obj in rows[model._meta.label]:
            for page in PAGES:
                name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
                url = reverse(name, args=[] if page in ("changelist", "add") else [obj.pk])
                response = client.get(url)
                expected = _expected_status(model_admin, page, user, obj)
                assert response.status_code == expected, f"{person}: {url} gave {response.status_code}"
                opened.append((person, page, response.status_code))
    # The superuser opened the list, change (read-only for a submitted assessment) and history pages.
    assert {page for person, page, status in opened if person == "superuser" and status == 200} >= {
        "changelist",
        "change",
        "history",
    }


def test_a_submitted_assessment_opens_read_only_for_nemo_staff(people, rows, client_for):
    submitted = rows[Assessment._meta.label][0]
    page = client_for(people["NEMO staff"]).get(
        reverse("admin:assessment_assessment_change", args=[submitted.pk])
    )
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_membership_sent_with_a_user_that_is_no_id_is_refused_on_the_form(client_for, nemo_admin, museum_a):
    """Django's autocomplete looked the refused value up again to show it, and failed (a 500)."""
    response = client_for(nemo_admin).post(
        reverse("admin:assessment_membership_add"),
        {"user": "abc", "museum": museum_a.pk, "role": Role.EDITOR},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
