"""The framework's content is loaded once per version and process, and a change reaches every page."""

from __future__ import annotations

import copy

from django.conf import settings
from django.urls import reverse

from assessment import answers
from recommendations.content import framework_content
from recommendations.datafile import load, read_data_file
from recommendations.models import FrameworkVersion, Question
from tests.test_assessments import area_url


def _first_question(framework: FrameworkVersion) -> Question:
    return (
        Question.objects.filter(
            dimension__recommendation__framework=framework, dimension__recommendation__number=1
        )
        .order_by("dimension__position", "position")
        .first()
    )


def test_a_wording_fix_in_admin_reaches_a_questionnaire_page_already_cached(
    framework, museum_a, lead, nemo_admin, client_for
):
    draft = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    museum_client = client_for(lead)
    assert museum_client.get(area_url(draft)).status_code == 200  # now cached in this process
    question = _first_question(framework)
    translated = ["text", "why", "legal_reference", "guidance", *(f"level_{level}" for level in range(5))]
    form = {
        "position": question.position,
        # Admin edits each language's text: every one as the page shows it, the English reworded.
        **{
            f"{field}_{code}": getattr(question, f"{field}_{code}") or ""
            for field in translated
            for code, _name in settings.LANGUAGES
        },
        "text_en": "Does your museum keep a written list of the AI tools its staff use?",
        "passages": [str(pk) for pk in question.passages.values_list("pk", flat=True)],
        # The inline of reasons a duty may not apply (none: this question is no legal duty).
        "exemptions-TOTAL_FORMS": "0",
        "exemptions-INITIAL_FORMS": "0",
    }
    response = client_for(nemo_admin).post(
        reverse("admin:recommendations_question_change", args=[question.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = museum_client.get(area_url(draft)).content.decode()
    assert "Does your museum keep a written list of the AI tools its staff use?" in page


def test_reloading_the_data_file_reaches_the_public_page_already_cached(framework, client):
    assert "(Checked again in 2026.)" not in client.get(reverse("recommendations:framework")).content.decode()
    reworded = copy.deepcopy(read_data_file())
    question = reworded["recommendations"][0]["dimensions"][0]["questions"][0]
    question["why"] += " (Checked again in 2026.)"
    assert load(reworded).updated
    assert "(Checked again in 2026.)" in client.get(reverse("recommendations:framework")).content.decode()


def test_the_content_is_loaded_once_then_served_from_the_cache(framework, django_assert_num_queries):
    version = FrameworkVersion.objects.get(pk=framework.pk)
    first = framework_content(version)
    with django_assert_num_queries(0):
        assert framework_content(version) is first
    # An id alone costs one query: the version's timestamp, read from the database every app server shares.
    with django_assert_num_queries(1):
        assert framework_content(version.pk) is first


def test_every_kind_of_change_moves_the_timestamp_on(framework):
    def stamp() -> object:
        return FrameworkVersion.objects.values_list("content_changed_at", flat=True).get(pk=framework.pk)

    question = _first_question(framework)
    changes = [
        lambda: question.save(),
        lambda: question.dimension.save(),
        lambda: question.dimension.recommendation.save(),
        lambda: framework.levels.first().save(),
        lambda: question.passages.remove(question.passages.first()),
        lambda: framework.passages.last().delete(),
    ]
    for change in changes:
        before = stamp()
        change()
        assert stamp() > before
