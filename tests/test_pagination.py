"""Long lists come in pages (``?page=N``) at a constant number of queries: a museum's assessments and
an answer's history."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import answers
from assessment.models import Assessment, AssessmentStatus
from assessment.views.assessments import ASSESSMENTS_PER_PAGE, CHANGES_PER_PAGE
from tests.test_assessments import area_questions


def add_submitted(museum, framework, lead, how_many: int) -> None:
    now = timezone.now()
    Assessment.objects.bulk_create(
        Assessment(
            museum=museum,
            framework=framework,
            status=AssessmentStatus.SUBMITTED,
            started_by=lead,
            submitted_by=lead,
            submitted_at=now,
        )
        for _ in range(how_many)
    )


def rows(page: str) -> int:
    return page.count('<tr role="row">') - 1  # less the header


@pytest.fixture
def list_url(museum_a):
    return reverse("assessment:assessment_list", args=[museum_a.pk])


def test_the_assessment_list_comes_in_pages(client_for, viewer, lead, museum_a, framework, list_url):
    add_submitted(museum_a, framework, lead, 2 * ASSESSMENTS_PER_PAGE + 3)
    client = client_for(viewer)
    first = client.get(list_url).content.decode()
    assert rows(first) == ASSESSMENTS_PER_PAGE
    assert f"Page 1 of 3: 1 to {ASSESSMENTS_PER_PAGE} of {2 * ASSESSMENTS_PER_PAGE + 3}." in first
    assert 'rel="next" href="?page=2"' in first and 'aria-current="page"' in first
    last = client.get(list_url, {"page": 3}).content.decode()
    assert rows(last) == 3
    assert 'rel="prev" href="?page=2"' in last
    # A page that is no number, or beyond the last, shows the nearest page rather than an error.
    assert rows(client.get(list_url, {"page": "abc"}).content.decode()) == ASSESSMENTS_PER_PAGE
    assert rows(client.get(list_url, {"page": 99}).content.decode()) == 3


def test_a_short_list_has_no_page_links(client_for, viewer, lead, museum_a, framework, list_url):
    add_submitted(museum_a, framework, lead, 2)
    page = client_for(viewer).get(list_url).content.decode()
    assert rows(page) == 2 and "Next page" not in page and "Page 1 of" not in page


def test_the_museum_home_shows_the_newest_assessments_and_links_to_all(
    client_for, viewer, lead, museum_a, framework, list_url
):
    add_submitted(museum_a, framework, lead, 12)
    page = client_for(viewer).get(reverse("assessment:museum_home", args=[museum_a.pk])).content.decode()
    assert rows(page) == 5
    assert f'href="{list_url}">All of the museum\'s assessments' in page


def test_the_assessment_list_runs_the_same_queries_for_any_page_and_length(
    client_for, viewer, lead, museum_a, framework, list_url, django_assert_num_queries
):
    add_submitted(museum_a, framework, lead, 3)
    client = client_for(viewer)
    client.get(list_url)
    with django_assert_num_queries(7) as short:
        client.get(list_url)
    add_submitted(museum_a, framework, lead, 3 * ASSESSMENTS_PER_PAGE)
    for page in (1, 3):
        with django_assert_num_queries(len(short)):
            client.get(list_url, {"page": page})


@pytest.fixture
def long_history(framework, museum_a, lead):
    """One answer changed CHANGES_PER_PAGE + 5 times: levels cycle 0–4."""
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    question = area_questions(draft, 1)[0]
    for step in range(CHANGES_PER_PAGE + 5):
        change = answers.AnswerInput(question.pk, step % 5, False, "", f"change {step + 1}", step)
        answers.answers_save(assessment=draft, user=lead, inputs=[change])
    return reverse("assessment:answer_history", args=[museum_a.pk, draft.pk, question.pk])


def notes(page: str) -> list[str]:
    return re.findall(r'data-label="Note after" class="note-text">(change \d+)</td>', page)


def test_an_answers_history_comes_in_pages_newest_first(client_for, viewer, long_history):
    client = client_for(viewer)
    first = client.get(long_history).content.decode()
    changes = CHANGES_PER_PAGE + 5
    assert notes(first) == [f"change {n}" for n in range(changes, 5, -1)]
    second = client.get(long_history, {"page": 2}).content.decode()
    assert notes(second) == [f"change {n}" for n in range(5, 0, -1)]
    # The oldest change of page 1 still shows the answer before it, which is on page 2.
    oldest_on_first = first.rsplit('<tr role="row">', 1)[1]
    assert 'data-label="Answer before">Level 4</td>' in oldest_on_first  # change 5 was level 4
    assert 'data-label="Answer before">—</td>' in second.rsplit('<tr role="row">', 1)[1]


def test_an_answers_history_runs_the_same_queries_on_every_page(
    client_for, viewer, long_history, django_assert_num_queries
):
    client = client_for(viewer)
    client.get(long_history)
    with django_assert_num_queries(9) as first:
        client.get(long_history)
    with django_assert_num_queries(len(first)):
        client.get(long_history, {"page": 2})


def test_many_pages_are_linked_with_gaps(client_for, viewer, lead, museum_a, framework, list_url):
    add_submitted(museum_a, framework, lead, 10 * ASSESSMENTS_PER_PAGE)
    page = client_for(viewer).get(list_url, {"page": 5}).content.decode()
    links = re.findall(r'href="\?page=(\d+)"', page)
    assert links == ["4", "1", "4", "5", "6", "10", "6"]  # previous, 1 … 4 5 6 … 10, next
    assert page.count('<span class="page-link" aria-hidden="true">…</span>') == 2


def test_the_museum_home_runs_the_same_queries_however_many_assessments(
    client_for, viewer, lead, museum_a, framework, django_assert_num_queries
):
    answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    add_submitted(museum_a, framework, lead, 2)
    client = client_for(viewer)
    home = reverse("assessment:museum_home", args=[museum_a.pk])
    client.get(home)  # the framework's content is loaded once per process, then cached
    with django_assert_num_queries(12) as few:
        client.get(home)
    add_submitted(museum_a, framework, lead, 3 * ASSESSMENTS_PER_PAGE)
    with django_assert_num_queries(len(few)):
        client.get(home)
