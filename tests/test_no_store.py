"""Nothing a logged-in person sees stays in a browser's or a proxy's cache: ``Cache-Control: no-store``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment import answers
from tests.conftest import PASSWORD


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_page_and_download_for_a_logged_in_person_is_no_store(client_for, lead, nemo_admin, draft):
    client = client_for(lead)
    args = [draft.museum_id, draft.pk]
    for url in (
        reverse("assessment:museum_home", args=[draft.museum_id]),
        reverse("assessment:area", args=[*args, 1]),
        reverse("assessment:results", args=args),
        reverse("recommendations:framework"),
        "/museums/999999/",  # an error page too
    ):
        response = client.get(url)
        assert no_store(response), (url, response.status_code, response.get("Cache-Control"))
    for download in ("assessment:export_answers", "assessment:export_scores"):
        response = client.get(reverse(download, args=args))
        assert response.streaming and no_store(response), download
    staff = client_for(nemo_admin)
    for url in (reverse("nemo_overview_csv"), reverse("admin:index")):
        assert no_store(staff.get(url)), url


def test_logging_in_answers_no_store(client, lead):
    response = client.post(reverse("login"), {"username": lead.email, "password": PASSWORD})
    assert response.status_code == 302 and no_store(response)


def test_public_pages_for_visitors_may_be_cached(client, framework):
    response = client.get(reverse("recommendations:framework"))
    assert response.status_code == 200 and not no_store(response)
