"""A museum whose last assessment used framework version 1 re-assesses on version 2."""

from __future__ import annotations

import copy
import html

import pytest
from django.urls import reverse

from assessment import answers, results
from assessment.models import Answer, Assessment
from recommendations.datafile import DATA_FILES, load, read_data_file
from recommendations.models import FrameworkVersion, Question
from tests.conftest import answer_all, results_url, submitted_assessment


def current_version() -> FrameworkVersion:
    framework = FrameworkVersion.objects.current()
    assert framework is not None
    return framework


def make_current(framework: FrameworkVersion) -> None:
    FrameworkVersion.objects.update(is_current=False)
    FrameworkVersion.objects.filter(pk=framework.pk).update(is_current=True)


@pytest.fixture
def on_version_1(framework, museum_a, lead):
    """Museum A's last assessment, submitted on version 1.0 when that was the current version."""
    version_2 = current_version()
    load(read_data_file(DATA_FILES[0]), make_current=True)
    assert current_version().version == "1.0"
    assessment = submitted_assessment(museum_a, lead, lambda q: 2 if q.legal_duty else 3)
    Answer.objects.filter(assessment=assessment).update(note="Evidence from 2025")
    make_current(version_2)
    return assessment


def slugs(framework_id: int, **filters) -> set[str]:
    return set(
        Question.objects.filter(dimension__recommendation__framework=framework_id, **filters).values_list(
            "slug", flat=True
        )
    )


def test_reassessing_starts_on_version_2_with_every_unchanged_answer_copied(
    on_version_1, museum_a, lead, client_for
):
    old = on_version_1
    new = answers.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    assert new.framework.version == "2.0" and old.framework.version == "1.0"

    old_slugs = slugs(old.framework_id)
    kept = slugs(new.framework_id, revised=False) & old_slugs
    revised = slugs(new.framework_id, revised=True)
    brand_new = slugs(new.framework_id) - old_slugs
    assert kept and revised and brand_new, "version 2 keeps, revises and adds questions"

    copied = {answer.question.slug: answer for answer in new.answers.select_related("question")}
    assert set(copied) == kept
    for slug, answer in copied.items():
        before = old.answers.get(question__slug=slug)
        assert (answer.level, answer.note, answer.answered_by) == (before.level, "Evidence from 2025", lead)
        assert answer.question.dimension.recommendation.framework_id == new.framework_id

    # The lead sees what must be answered: the new and changed questions, and only those.
    page = (
        client_for(lead)
        .get(reverse("assessment:assessment_detail", args=[museum_a.pk, new.pk]))
        .content.decode()
    )
    listed = html.unescape(page.split('id="not-carried"')[1].split("</section>")[0])
    to_answer = revised | brand_new
    assert f"{len(to_answer)} questions are new or changed in version 2.0" in listed
    for question in Question.objects.filter(dimension__recommendation__framework=new.framework_id):
        assert (question.text in listed) is (question.slug in to_answer), question.slug


def test_the_dashboard_compares_the_versions_by_dimension(on_version_1, museum_a, lead, client_for):
    new = answers.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    answer_all(new, lead, lambda q: 4)
    board = results.dashboard(new)
    assert board.previous == on_version_1 and board.previous_on_other_version
    # Version 2 kept every dimension of version 1: each row has its previous score.
    assert all(row.previous is not None and row.previous.is_scored for row in board.dimensions)
    assert board.new_dimensions == [] and board.dropped_dimensions == []
    page = client_for(lead).get(results_url(new)).content.decode()
    assert "Your previous assessment used version 1.0 of the framework and this one version 2.0" in page


def test_dimensions_that_do_not_match_are_named_not_compared(framework, museum_a, lead, client_for):
    """An earlier version with a dimension this version does not have (and the other way round)."""
    version_2 = current_version()
    older = copy.deepcopy(read_data_file(DATA_FILES[0]))
    older["framework"]["version"] = "0.9"
    renamed = older["recommendations"][0]["dimensions"][0]
    renamed_from = renamed["slug"]
    renamed["slug"], renamed["title"] = "ai-vision-2023", "AI vision (2023 wording)"
    load(older, make_current=True)
    submitted_assessment(museum_a, lead, lambda q: 2)
    make_current(version_2)

    new = answers.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    board = results.dashboard(new)
    assert [d.slug for d in board.new_dimensions] == [renamed_from]
    assert board.dropped_dimensions == ["AI vision (2023 wording)"]
    row = next(r for r in board.dimensions if r.dimension.slug == renamed_from)
    assert row.previous is None
    page = client_for(lead).get(results_url(new)).content.decode()
    note = page.split('id="version-note"')[1].split("</div>")[0]
    assert "In the previous version only, so not compared: AI vision (2023 wording)." in note
    assert f"New in this version, so no previous score: {row.dimension.title}." in note


def test_within_one_version_everything_is_copied_as_before(framework, museum_a, lead):
    old = submitted_assessment(museum_a, lead, lambda q: 1)
    new = answers.assessment_start(museum=museum_a, user=lead, copy_previous=True)
    assert (
        new.answers.count()
        == old.answers.count()
        == Question.objects.filter(dimension__recommendation__framework=framework).count()
    )
    assert answers.questions_not_carried(new) == []
    assert Assessment.objects.count() == 2
