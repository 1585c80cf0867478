"""What NEMO sees: submitted assessments only, drafts never — and how admin shows what it sees.

The submit page promises it; Django admin (list, filters, search, object URLs,
actions), the command-line export and the sector overview keep the promise,
for every staff user, superusers included.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment import answers
from assessment.models import Assessment, AssessmentStatus, SectorResult
from nemo import stats
from tests.conftest import (
    answer_all,
    make_museum,
    make_user,
    questions_of,
    read_csv,
    submitted_assessment,
    submitted_museums,
)
from tests.test_xlsx import read_xlsx

CHANGELIST = "admin:assessment_assessment_changelist"


@pytest.fixture
def draft_only(framework):
    """A museum in Malta whose only assessment is a draft, fully answered, with a telling note."""
    owner = make_user("drafter")
    museum = make_museum(owner, "Draftonly Museum", country="MT")
    draft = answers.assessment_start(museum=museum, user=owner, copy_previous=False)
    answer_all(draft, owner, lambda q: 4, note_for=lambda q: "Private draft note")
    return draft


@pytest.fixture
def staff_viewer(db):
    """NEMO staff who is not a superuser: may view assessments in admin, nothing more."""
    user = make_user("staffer")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    return user


@pytest.fixture(params=["superuser", "staff"])
def nemo_client(request, client_for, nemo_admin, staff_viewer):
    return client_for(nemo_admin if request.param == "superuser" else staff_viewer)


@pytest.fixture
def submitted(framework, lead, museum_a):
    return submitted_assessment(museum_a, lead, lambda q: 2)


def test_admin_lists_submitted_assessments_only(nemo_client, submitted, draft_only):
    page = nemo_client.get(reverse(CHANGELIST)).content.decode()
    assert "Museum A" in page
    assert "Draftonly Museum" not in page
    for query in ("?q=Draftonly", "?status__exact=draft", "?museum__country=MT", "?overall_level=4"):
        page = nemo_client.get(reverse(CHANGELIST) + query).content.decode()
        assert "Draftonly Museum" not in page, query


def test_admin_filters_offer_no_country_that_only_a_draft_has(nemo_client, submitted, draft_only):
    page = nemo_client.get(reverse(CHANGELIST)).content.decode()
    assert "?museum__country=BE" in page and "Belgium" in page
    assert "museum__country=MT" not in page and "Malta" not in page


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_a_drafts_admin_urls_are_404_for_staff(nemo_client, draft_only, view):
    response = nemo_client.get(reverse(f"admin:assessment_assessment_{view}", args=[draft_only.pk]))
    assert response.status_code == 404


def test_a_submitted_assessment_opens_in_admin_read_only(nemo_client, submitted):
    response = nemo_client.get(reverse("admin:assessment_assessment_change", args=[submitted.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize("action", ["export_wide", "export_long", "export_wide_xlsx", "export_long_xlsx"])
def test_admin_actions_leave_out_a_draft_even_when_its_id_is_posted(
    client_for, nemo_admin, submitted, draft_only, action
):
    response = client_for(nemo_admin).post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [str(submitted.pk), str(draft_only.pk)]},
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if action.endswith("xlsx"):
        rows = read_xlsx(body)
        cells = [str(cell) for row in rows for cell in row]
    else:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))
        cells = [cell for row in rows for cell in row]
    assert {str(row[0]) for row in rows[1:]} == {str(submitted.pk)}
    assert "Draftonly Museum" not in cells and "Private draft note" not in cells


def test_selecting_every_assessment_across_pages_still_leaves_out_drafts(
    client_for, nemo_admin, submitted, draft_only
):
    response = client_for(nemo_admin).post(
        reverse(CHANGELIST),
        {"action": "export_wide", "select_across": "1", "_selected_action": [str(submitted.pk)]},
    )
    rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == [str(submitted.pk)]


def test_there_is_no_way_to_delete_submitted_assessments_in_bulk(client_for, nemo_admin, submitted):
    response = client_for(nemo_admin).post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [str(submitted.pk)]}
    )
    assert 'value="delete_selected"' not in client_for(nemo_admin).get(reverse(CHANGELIST)).content.decode()
    assert response.status_code in (200, 302)
    assert Assessment.objects.filter(pk=submitted.pk).exists()


def test_the_export_command_never_writes_drafts(submitted, draft_only):
    for kind in ("wide", "long"):
        out = io.StringIO()
        call_command("export_assessments", "--format", kind, stdout=out)
        assert "Draftonly" not in out.getvalue() and "Private draft note" not in out.getvalue()
        assert "Museum A" in out.getvalue()
    # It used to write drafts on request; no option does any more.
    with pytest.raises(CommandError, match="unrecognized arguments: --status all"):
        call_command("export_assessments", "--status", "all", stdout=io.StringIO())


def test_the_sector_overview_counts_no_draft(client_for, nemo_admin, submitted, draft_only):
    submitted_museums(4, level=2, prefix="Belgian")  # five Belgian museums in all: enough to show
    figures = stats.sector_figures(stats.Selection(by="country"))
    assert figures.museums.value == 5
    assert [row.key for row in figures.overall.rows] == [("BE",)]
    assert figures.overall.everyone.median == "Managed"  # the draft, answered 4 throughout, is not there
    assert SectorResult.objects.filter(assessment=draft_only).count() == 0
    records = read_csv(client_for(nemo_admin).get(reverse("nemo_overview_csv")))
    assert {row[2] for row in records[1:]} == {"BE", "all"}
    page = client_for(nemo_admin).get(reverse("nemo_overview")).content.decode()
    assert "Malta" not in page
    assert "in progress" not in page
    assert "drafts stay with their museum" in page


def test_the_submit_page_says_what_nemo_sees(client_for, lead, museum_a, framework):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    page = (
        client_for(lead)
        .get(reverse("assessment:assessment_submit", args=[museum_a.pk, draft.pk]))
        .content.decode()
    )
    assert "NEMO never sees drafts" in page
    assert "NEMO staff then see it, answers and notes included" in page


# --- How admin shows what NEMO sees -------------------------------------------------------


def test_admin_shows_scores_rounded_countries_by_name_and_questions_by_text(
    client_for, nemo_admin, submitted
):
    Assessment.objects.filter(pk=submitted.pk).update(overall_score=1.8000000000000003, overall_level=1)
    client = client_for(nemo_admin)
    listed = client.get(reverse(CHANGELIST)).content.decode()
    assert "1.8000000000000003" not in listed and "1.80" in listed
    assert "Belgium" in listed and ">BE<" not in listed

    page = client.get(reverse("admin:assessment_assessment_change", args=[submitted.pk])).content.decode()
    assert "1.8000000000000003" not in page and "1.80" in page
    assert "1 – Exploring" in page
    question = questions_of(submitted)[0]
    assert question.text in page
    assert f">{question.slug}<" not in page
    assert "Level 2" in page  # the answer, as pages say it
    assert "Alice Lead" in page  # who answered, by name

    museums = client.get(reverse("admin:assessment_museum_changelist")).content.decode()
    assert "Belgium" in museums and ">BE<" not in museums

    questions = client.get(reverse("admin:recommendations_question_changelist")).content.decode()
    assert '<th class="field-text"><a href=' in questions  # each question's link is its text


def test_the_admin_index_links_to_the_sector_overview(client_for, nemo_admin):
    page = client_for(nemo_admin).get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("nemo_overview")}"' in page
    assert "Assessments" in page  # the models are still listed


def test_a_draft_still_belongs_to_its_museum(client_for, draft_only):
    """The museum's own team keeps seeing its draft: only NEMO's view is limited."""
    owner = draft_only.started_by
    response = client_for(owner).get(
        reverse("assessment:results", args=[draft_only.museum_id, draft_only.pk])
    )
    assert response.status_code == 200
    assert draft_only.status == AssessmentStatus.DRAFT
