"""Deleting a museum: a lead types its name, and everything in it goes, its audit history too; NEMO's
figures no longer count it; a person deleting their account hears about museums only they belong to."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessment import answers, plan, register, sector
from assessment.models import (
    Action,
    AiSystem,
    Answer,
    AreaScore,
    Assessment,
    DimensionScore,
    Invitation,
    Membership,
    Museum,
    Role,
    SectorResult,
    SystemDuty,
)
from assessment.team import CURRENT_MUSEUM_SESSION_KEY, museum_contents, museum_delete
from tests.conftest import answer_all, make_museum, make_user, submitted_assessment


def _delete_url(museum) -> str:
    return reverse("assessment:museum_delete", args=[museum.pk])


def _fill(museum, lead, editor=None):
    """A museum with something of every kind: a submitted assessment and a draft with notes, an action
    changed once, a system with a duty's status, a system removed earlier, a pending invitation."""
    author = editor or lead
    submitted_assessment(museum, lead, lambda question: 2)
    draft = answers.assessment_start(museum=museum, user=lead, copy_previous=False)
    answer_all(draft, author, lambda question: 1, note_for=lambda question: f"Secret note of {museum.name}")
    action = plan.action_create(museum=museum, user=author, data=plan.ActionInput(title="Write the AI rule"))
    plan.action_update(
        action=action,
        user=lead,
        data=plan.ActionInput(title="Write the AI rule", description="Ask the board"),
        seen_version=action.version,
    )
    system = register.system_create(
        museum=museum, user=author, data=register.SystemInput(name="Ask the museum", use="visitor-chatbot")
    )
    duty = register.register_read(museum.pk).entries[0].duties[0].slug
    register.duty_save(
        system=system,
        duty=duty,
        user=author,
        status="in_progress",
        note="Halfway",
        evidence="",
        seen_version=0,
    )
    removed = register.system_create(
        museum=museum, user=author, data=register.SystemInput(name="Old guide", use="visitor-chatbot")
    )
    register.duty_save(
        system=removed, duty=duty, user=author, status="done", note="Done once", evidence="", seen_version=0
    )
    register.system_delete(system=removed, user=lead)
    Invitation.objects.create(museum=museum, email=f"new-{museum.pk}@example.org", role=Role.VIEWER)
    return draft


def _everything_of(museum_id: int, assessment_ids: list[int], system_ids: list[int]) -> dict[str, int]:
    """How many rows, current and historical, still belong to the museum."""
    return {
        "museum": Museum.objects.filter(pk=museum_id).count(),
        "assessments": Assessment.objects.filter(museum_id=museum_id).count(),
        "answers": Answer.objects.filter(assessment_id__in=assessment_ids).count(),
        "area scores": AreaScore.objects.filter(assessment_id__in=assessment_ids).count(),
        "dimension scores": DimensionScore.objects.filter(assessment_id__in=assessment_ids).count(),
        "actions": Action.objects.filter(museum_id=museum_id).count(),
        "systems": AiSystem.objects.filter(museum_id=museum_id).count(),
        "duties": SystemDuty.objects.filter(system_id__in=system_ids).count(),
        "memberships": Membership.objects.filter(museum_id=museum_id).count(),
        "invitations": Invitation.objects.filter(museum_id=museum_id).count(),
        "answer history": Answer.history.filter(assessment_id__in=assessment_ids).count(),
        "action history": Action.history.filter(museum_id=museum_id).count(),
        "system history": AiSystem.history.filter(museum_id=museum_id).count(),
        "duty history": SystemDuty.history.filter(system_id__in=system_ids).count(),
    }


def _ids(museum) -> tuple[list[int], list[int]]:
    assessment_ids = list(Assessment.objects.filter(museum=museum).values_list("pk", flat=True))
    system_ids = list(AiSystem.history.filter(museum_id=museum.pk).values_list("id", flat=True).distinct())
    return assessment_ids, system_ids


@pytest.fixture
def full_a(framework, museum_a, lead, editor, viewer):
    _fill(museum_a, lead, editor)
    return museum_a


@pytest.fixture
def full_b(framework, museum_b, outsider):
    _fill(museum_b, outsider)
    return museum_b


def test_the_page_says_what_goes_with_counts(full_a, lead, client_for):
    response = client_for(lead).get(_delete_url(full_a))
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    answer_count = Answer.objects.filter(assessment__museum=full_a).count()
    assert "2 assessments, with their targets and scores (the draft in progress included)" in page
    assert f"{answer_count} answers, with their notes and every earlier version of them" in page
    assert "1 action of the action plan" in page
    assert "1 AI system of the AI register, with the status of its duties" in page
    assert "3 members, you included, lose access to the museum" in page
    assert "1 pending invitation stops working" in page
    assert "This cannot be undone." in page
    assert "NEMO's anonymous sector figures will no longer count the museum" in page
    assert reverse("assessment:plan_export_xlsx", args=[full_a.pk]) in page
    assert reverse("assessment:register_export_xlsx", args=[full_a.pk]) in page
    assert reverse("assessment:assessment_list", args=[full_a.pk]) in page
    assert museum_contents(full_a).drafts == 1


def test_the_lead_deletes_the_museum_with_everything_and_its_history(full_a, full_b, lead, client_for):
    assessment_ids, system_ids = _ids(full_a)
    before = _everything_of(full_a.pk, assessment_ids, system_ids)
    assert all(before.values()), before  # something of every kind, history included
    b_ids = _ids(full_b)
    b_before = _everything_of(full_b.pk, *b_ids)
    client = client_for(lead)
    client.get(reverse("assessment:museum_home", args=[full_a.pk]))  # now the current museum
    assert client.session[CURRENT_MUSEUM_SESSION_KEY] == full_a.pk

    response = client.post(_delete_url(full_a), {"name": "  museum a "})

    assert response.status_code == 302
    assert response.url == reverse("assessment:museum_list")
    assert _everything_of(full_a.pk, assessment_ids, system_ids) == dict.fromkeys(before, 0)
    assert not Answer.history.filter(note__contains="Secret note of Museum A").exists()
    assert _everything_of(full_b.pk, *b_ids) == b_before
    assert CURRENT_MUSEUM_SESSION_KEY not in client.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Museum A is deleted, with everything in it."
    ]
    # The members keep their accounts, and the list shows the lead no museum.
    assert client.get(reverse("assessment:museum_list")).status_code == 200
    assert client.get(reverse("home")).url == reverse("assessment:museum_list")


def test_nemo_figures_no_longer_count_a_deleted_museum(full_a, full_b):
    counted = {
        row["country"]: row["museums"] for row in sector.aggregate(sector.ALWAYS, ["country"], counts={})
    }
    assert SectorResult.objects.filter(museum=full_a).exists()
    museum_delete(museum=full_a)
    assert not SectorResult.objects.filter(museum=full_a).exists()
    after = {
        row["country"]: row["museums"] for row in sector.aggregate(sector.ALWAYS, ["country"], counts={})
    }
    assert after == {"NL": counted["NL"]} and len(counted) == 2


@pytest.mark.parametrize("typed", ["", "Museum B", "Museum", "Museum A2", "Museum  A"])
def test_a_wrong_name_deletes_nothing_and_says_why(typed, full_a, lead, client_for):
    assessment_ids, system_ids = _ids(full_a)
    before = _everything_of(full_a.pk, assessment_ids, system_ids)
    response = client_for(lead).post(_delete_url(full_a), {"name": typed})
    assert response.status_code == 400
    assert _everything_of(full_a.pk, assessment_ids, system_ids) == before
    page = response.content.decode()
    assert 'href="#id_name"' in page  # the summary links to the field
    assert 'aria-invalid="true" aria-describedby="id_name_helptext id_name_error"' in page
    assert typed == "" or "This is not the museum&#x27;s name, so nothing was deleted." in page


@pytest.mark.parametrize(("persona", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_the_museums_lead_may_delete_it(persona, status, full_a, client_for, request):
    before = _everything_of(full_a.pk, *_ids(full_a))
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_delete_url(full_a)).status_code == status
    assert client.post(_delete_url(full_a), {"name": "Museum A"}).status_code == status
    assert _everything_of(full_a.pk, *_ids(full_a)) == before


def test_anonymous_is_sent_to_log_in(full_a, client):
    response = client.post(_delete_url(full_a), {"name": "Museum A"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    assert Museum.objects.filter(pk=full_a.pk).exists()


def test_the_edit_page_offers_deletion_and_the_create_page_does_not(museum_a, lead, client_for):
    client = client_for(lead)
    edit = client.get(reverse("assessment:museum_edit", args=[museum_a.pk])).content.decode()
    assert _delete_url(museum_a) in edit and "Delete this museum…" in edit
    create = client.get(reverse("assessment:museum_create")).content.decode()
    assert "Delete this museum…" not in create


def test_account_deletion_names_the_museums_where_you_are_the_only_member(
    museum_a, lead, editor, framework, client_for
):
    outsider = make_user("dora")
    alone = make_museum(outsider, "Dora's Lace Museum")
    Membership.objects.create(user=outsider, museum=museum_a, role=Role.VIEWER)

    page = " ".join(client_for(outsider).get(reverse("account_delete")).content.decode().split())

    assert "Museums where you are the only member" in page
    assert "Dora&#x27;s Lace Museum" in page and _delete_url(alone) in page
    assert "Museum A" not in page.split("only member")[1].split("</section>")[0]
    assert "stay in NEMO's anonymous sector figures" in page
    # Someone who shares every museum with colleagues is not told about it.
    assert "only member" not in client_for(editor).get(reverse("account_delete")).content.decode()
