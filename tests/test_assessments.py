from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessment import answers
from assessment.errors import ServiceError
from assessment.models import Answer, Assessment, AssessmentStatus, DimensionTarget
from recommendations.models import FrameworkVersion, Question
from tests.conftest import add_ai_systems


@pytest.fixture
def draft(framework, museum_a, lead):
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


# Queries per page once the framework's content is cached (measured; they must not grow with the data).
QUERIES_AREA_PAGE = 11
QUERIES_REVIEW = 7
QUERIES_TARGETS = 9  # with the plan's actions counted per dimension
QUERIES_ASSESSMENT_LIST = 7  # with the page's count (pagination) and the questions per framework version
QUERIES_SAVE = 16


def area_questions(assessment, number=1) -> list[Question]:
    return list(
        Question.objects.filter(
            dimension__recommendation__framework=assessment.framework,
            dimension__recommendation__number=number,
        ).order_by("dimension__position", "position")
    )


def area_url(assessment, number=1) -> str:
    return reverse("assessment:area", args=[assessment.museum_id, assessment.pk, number])


def page_post(assessment, answers: dict[int, dict], number=1, versions: dict[int, int] | None = None) -> dict:
    """A full area page as the browser posts it: every question, blank unless given."""
    versions = versions or {}
    data = {}
    for question in area_questions(assessment, number):
        given = answers.get(question.pk, {})
        data[f"q{question.pk}-value"] = given.get("value", "")
        data[f"q{question.pk}-reason"] = given.get("reason", "")
        data[f"q{question.pk}-note"] = given.get("note", "")
        data[f"q{question.pk}-version"] = str(versions.get(question.pk, 0))
    return data


def test_an_editor_starts_an_assessment_on_the_current_framework(client_for, editor, museum_a, framework):
    response = client_for(editor).post(reverse("assessment:assessment_start", args=[museum_a.pk]))
    assessment = Assessment.objects.get(museum=museum_a)
    assert response.url == area_url(assessment)
    assert assessment.framework == framework
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_museum_has_at_most_one_open_draft(client_for, editor, museum_a, draft):
    response = client_for(editor).post(reverse("assessment:assessment_start", args=[museum_a.pk]))
    assert response.url == area_url(draft)
    assert Assessment.objects.filter(museum=museum_a).count() == 1
    with pytest.raises(ServiceError, match="already has an assessment in progress"):
        answers.assessment_start(museum=museum_a, user=editor, copy_previous=False)


def test_the_museum_home_shows_the_open_draft(client_for, viewer, museum_a, draft):
    page = client_for(viewer).get(reverse("assessment:museum_home", args=[museum_a.pk])).content.decode()
    assert "In progress" in page
    assert area_url(draft) in page
    assert "Read the assessment" in page


def test_starting_without_a_loaded_framework_is_explained(client_for, editor, museum_a, db):
    FrameworkVersion.objects.all().delete()
    response = client_for(editor).post(
        reverse("assessment:assessment_start", args=[museum_a.pk]), follow=True
    )
    assert "questionnaire is not loaded yet" in response.content.decode()


def test_saving_answers_records_who_and_keeps_a_history(client_for, editor, draft):
    first, second = area_questions(draft)[:2]
    client = client_for(editor)
    response = client.post(
        area_url(draft),
        page_post(
            draft,
            {
                first.pk: {"value": "2", "note": "Board minutes, March"},
                second.pk: {"value": "na", "reason": "No shop"},
            },
        ),
    )
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=draft, question=first)
    assert (answer.level, answer.note, answer.version, answer.answered_by) == (
        2,
        "Board minutes, March",
        1,
        editor,
    )
    na = Answer.objects.get(assessment=draft, question=second)
    assert na.not_applicable and na.level is None and na.not_applicable_reason == "No shop"

    client.post(
        area_url(draft), page_post(draft, {first.pk: {"value": "3"}}, versions={first.pk: 1, second.pk: 1})
    )
    answer.refresh_from_db()
    assert (answer.level, answer.version) == (3, 2)
    history = client.get(reverse("assessment:answer_history", args=[draft.museum_id, draft.pk, first.pk]))
    page = history.content.decode()
    assert page.count("Bob Editor") == 2
    assert "Level 2" in page and "Level 3" in page


def test_save_and_continue_goes_to_the_next_area_then_to_the_review(client_for, editor, draft):
    client = client_for(editor)
    response = client.post(area_url(draft, 1), {**page_post(draft, {}), "then": "next"})
    assert response.url == area_url(draft, 2)
    response = client.post(area_url(draft, 3), {**page_post(draft, {}, number=3), "then": "next"})
    assert response.url == reverse("assessment:assessment_detail", args=[draft.museum_id, draft.pk])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("value", "7", "Choose a level from 0 to 4"),
        ("value", "-1", "Choose a level from 0 to 4"),
        ("note", "x" * 5001, "at most 5000 characters"),
        ("reason", "y" * 1001, "at most 1000 characters"),
        ("version", "abc", "Reload it"),
        ("version", "-3", "Reload it"),
        ("note", "nul \x00 byte", "Null characters"),
    ],
)
def test_bad_input_is_explained_nothing_is_saved_and_nothing_typed_is_lost(
    client_for, editor, draft, field, value, message
):
    first, second = area_questions(draft)[:2]
    data = page_post(draft, {second.pk: {"value": "3", "note": "Our typed evidence"}})
    data[f"q{first.pk}-{field}"] = value
    response = client_for(editor).post(area_url(draft), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Our typed evidence" in page
    assert f'id="q{second.pk}-level-3" value="3" checked' in page
    assert not Answer.objects.filter(assessment=draft).exists()


def test_unknown_question_ids_are_ignored(client_for, editor, draft):
    data = {**page_post(draft, {}), "q999999-value": "4", "q999999-version": "0"}
    response = client_for(editor).post(area_url(draft), data)
    assert response.status_code == 302
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_stale_save_is_a_conflict_and_the_first_write_survives(client_for, editor, lead, draft):
    question = area_questions(draft)[0]
    client_for(lead).post(
        area_url(draft), page_post(draft, {question.pk: {"value": "2", "note": "Lead's view"}})
    )
    # The editor loaded the page before the lead saved (version 0), and answers differently.
    response = client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"value": "4"}}))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Alice Lead changed this answer" in page
    assert "Lead&#x27;s view" in page
    assert f'id="q{question.pk}-level-4" value="4" checked' in page  # the editor's own choice is kept
    answer = Answer.objects.get(assessment=draft, question=question)
    assert (answer.level, answer.answered_by) == (2, lead)

    # Saving the re-rendered page again deliberately replaces the lead's answer.
    versions = {question.pk: answer.version}
    response = client_for(editor).post(
        area_url(draft), page_post(draft, {question.pk: {"value": "4"}}, versions=versions)
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.level, answer.answered_by) == (4, editor)


def test_a_stale_page_does_not_undo_answers_its_author_did_not_touch(client_for, editor, lead, draft):
    first, second = area_questions(draft)[:2]
    client_for(lead).post(area_url(draft), page_post(draft, {first.pk: {"value": "2"}}))
    client_for(lead).post(
        area_url(draft), page_post(draft, {first.pk: {"value": "3"}}, versions={first.pk: 1})
    )
    # The editor loaded the page when the first answer was at version 1 (level 2) and changes only the second.
    response = client_for(editor).post(
        area_url(draft),
        page_post(draft, {first.pk: {"value": "2"}, second.pk: {"value": "1"}}, versions={first.pk: 1}),
    )
    assert response.status_code == 302
    assert Answer.objects.get(assessment=draft, question=first).level == 3
    assert Answer.objects.get(assessment=draft, question=second).level == 1


def test_targets_default_to_one_level_up_and_can_be_set(client_for, editor, draft):
    question = area_questions(draft)[0]
    client = client_for(editor)
    client.post(area_url(draft), page_post(draft, {question.pk: {"value": "2"}}))
    targets_url = reverse("assessment:targets", args=[draft.museum_id, draft.pk])
    page = client.get(targets_url).content.decode()
    assert "Suggested: 3" in page
    dimension = question.dimension
    response = client.post(targets_url, {f"d{dimension.pk}": "4", f"d{dimension.pk}-shown": ""})
    assert response.status_code == 302
    assert DimensionTarget.objects.get(assessment=draft, dimension=dimension).level == 4
    bad = client.post(targets_url, {f"d{dimension.pk}": "9", f"d{dimension.pk}-shown": "4"})
    assert bad.status_code == 400
    assert "Choose a target level from 0 to 4" in bad.content.decode()
    client.post(targets_url, {f"d{dimension.pk}": "", f"d{dimension.pk}-shown": "4"})
    assert not DimensionTarget.objects.filter(assessment=draft).exists()


def test_a_stale_targets_page_keeps_a_colleagues_target(client_for, editor, lead, draft):
    first, second = list({q.dimension: None for q in area_questions(draft)})[:2]
    targets_url = reverse("assessment:targets", args=[draft.museum_id, draft.pk])
    client_for(lead).post(targets_url, {f"d{first.pk}": "3", f"d{first.pk}-shown": ""})
    # The editor's page was loaded before: it showed no target for either; they change only the second.
    response = client_for(editor).post(
        targets_url,
        {f"d{first.pk}": "", f"d{first.pk}-shown": "", f"d{second.pk}": "2", f"d{second.pk}-shown": ""},
        follow=True,
    )
    stored = dict(DimensionTarget.objects.filter(assessment=draft).values_list("dimension_id", "level"))
    assert stored == {first.pk: 3, second.pk: 2}
    # Had they changed the first one too, the lead's target would be kept and the editor told.
    response = client_for(editor).post(
        targets_url, {f"d{first.pk}": "1", f"d{first.pk}-shown": ""}, follow=True
    )
    assert "A colleague changed the target" in response.content.decode()
    assert DimensionTarget.objects.get(assessment=draft, dimension=first).level == 3


def test_the_review_lists_unanswered_questions_with_links(client_for, viewer, editor, draft):
    first = area_questions(draft)[0]
    client_for(editor).post(area_url(draft), page_post(draft, {first.pk: {"value": "1"}}))
    page = client_for(viewer).get(reverse("assessment:assessment_detail", args=[draft.museum_id, draft.pk]))
    text = page.content.decode()
    total = Question.objects.filter(dimension__recommendation__framework=draft.framework).count()
    assert text.count("#q-") == total - 1
    assert f'#q-{first.pk}"' not in text
    assert "lead submits the assessment" in text


def test_the_lead_submits_and_the_assessment_becomes_read_only(client_for, lead, editor, draft):
    question = area_questions(draft)[0]
    client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"value": "2"}}))
    response = client_for(lead).post(
        reverse("assessment:assessment_submit", args=[draft.museum_id, draft.pk])
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED and draft.submitted_by == lead

    editor_client = client_for(editor)
    response = editor_client.post(
        area_url(draft),
        page_post(draft, {question.pk: {"value": "4"}}, versions={question.pk: 1}),
        follow=True,
    )
    assert "can no longer be changed" in response.content.decode()
    assert Answer.objects.get(assessment=draft, question=question).level == 2
    page = editor_client.get(area_url(draft)).content.decode()
    assert 'class="row mb-0 read-only-answer"' in page and 'type="radio"' not in page
    assert "<strong>2 · Managed</strong>" in page
    assert "Submitted by Alice Lead" in page
    assert "Save draft" not in page
    with pytest.raises(ServiceError):
        answers.targets_save(assessment=draft, user=lead, changes={question.dimension_id: (None, 4)})
    with pytest.raises(ServiceError):
        answers.assessment_submit(assessment=draft, user=lead)


def test_re_assessment_copies_the_last_submitted_answers_forward(client_for, lead, draft):
    first, second = area_questions(draft)[:2]
    answers.answers_save(
        assessment=draft,
        user=lead,
        inputs=[
            answers.AnswerInput(first.pk, 3, False, "", "Evidence A", 0),
            answers.AnswerInput(second.pk, None, True, "No shop", "", 0),
        ],
    )
    answers.targets_save(assessment=draft, user=lead, changes={first.dimension_id: (None, 4)})
    answers.assessment_submit(assessment=draft, user=lead)
    client = client_for(lead)
    start_page = client.get(reverse("assessment:assessment_start", args=[draft.museum_id]))
    assert "Start from the answers of the last submitted assessment" in start_page.content.decode()
    client.post(reverse("assessment:assessment_start", args=[draft.museum_id]), {"copy_previous": "on"})
    new = Assessment.objects.exclude(pk=draft.pk).get()
    assert new.copied_from == draft
    copied = {a.question_id: a for a in new.answers.all()}
    assert (copied[first.pk].level, copied[first.pk].note) == (3, "Evidence A")
    assert copied[first.pk].answered_by == lead  # who gave the answer is kept
    assert list(new.targets.values_list("dimension_id", "level")) == [(first.dimension_id, 4)]
    assert copied[second.pk].not_applicable
    assert Answer.objects.filter(assessment=draft).count() == 2  # the old one is untouched
    listing = client.get(reverse("assessment:assessment_list", args=[draft.museum_id])).content.decode()
    assert "Submitted" in listing and "Draft" in listing


def test_starting_fresh_copies_nothing(client_for, lead, draft):
    answers.answers_save(
        assessment=draft,
        user=lead,
        inputs=[answers.AnswerInput(area_questions(draft)[0].pk, 3, False, "", "", 0)],
    )
    answers.assessment_submit(assessment=draft, user=lead)
    client_for(lead).post(reverse("assessment:assessment_start", args=[draft.museum_id]), {})
    assert not Assessment.objects.exclude(pk=draft.pk).get().answers.exists()


def _fill_everything(assessment, user):
    questions = Question.objects.filter(dimension__recommendation__framework=assessment.framework)
    answers.answers_save(
        assessment=assessment,
        user=user,
        inputs=[answers.AnswerInput(q.pk, i % 5, False, "", f"note {i}", 0) for i, q in enumerate(questions)],
    )


@pytest.mark.parametrize("filled", [False, True])
def test_area_page_query_count_is_constant(client_for, editor, draft, filled, django_assert_num_queries):
    if filled:
        _fill_everything(draft, editor)
        add_ai_systems(draft.museum, 50, user=editor)
    client = client_for(editor)
    client.get(area_url(draft, 1))  # the framework's content is loaded once per process, then cached
    for number in (1, 2, 3):
        with django_assert_num_queries(QUERIES_AREA_PAGE):
            assert client.get(area_url(draft, number)).status_code == 200


@pytest.mark.parametrize("filled", [False, True])
def test_review_targets_and_list_query_counts_are_constant(
    client_for, editor, draft, filled, django_assert_num_queries
):
    if filled:
        _fill_everything(draft, editor)
    client = client_for(editor)
    client.get(area_url(draft, 1))  # warm the framework cache
    for name, queries in (("assessment_detail", QUERIES_REVIEW), ("targets", QUERIES_TARGETS)):
        with django_assert_num_queries(queries):
            assert (
                client.get(reverse(f"assessment:{name}", args=[draft.museum_id, draft.pk])).status_code == 200
            )
    with django_assert_num_queries(QUERIES_ASSESSMENT_LIST):
        assert client.get(reverse("assessment:assessment_list", args=[draft.museum_id])).status_code == 200


@pytest.mark.parametrize("how_many", ["one", "all"])
@pytest.mark.parametrize("already_answered", [False, True])
def test_a_save_runs_the_same_number_of_queries_for_one_answer_or_a_whole_area(
    client_for, editor, draft, how_many, already_answered, django_assert_num_queries
):
    questions = area_questions(draft, 2)
    client = client_for(editor)
    before = {q.pk: {"value": "1"} for q in questions} if already_answered else {}
    if already_answered:
        client.post(area_url(draft, 2), page_post(draft, before, number=2))
    changed = questions[:1] if how_many == "one" else questions
    after = {**before, **{q.pk: {"value": str(i % 5), "note": "n"} for i, q in enumerate(changed)}}
    versions = {q.pk: 1 for q in questions} if already_answered else {}
    data = page_post(draft, after, number=2, versions=versions)
    client.get(area_url(draft, 2))  # warm the framework cache
    # The changed answers and their history rows are written in bulk; rescoring is constant too.
    with django_assert_num_queries(QUERIES_SAVE):
        assert client.post(area_url(draft, 2), data).status_code == 302
    assert Answer.objects.filter(assessment=draft, note="n").count() == len(changed)
    assert Answer.history.filter(assessment_id=draft.pk, note="n").count() == len(changed)


@pytest.mark.parametrize(
    "values",
    [
        {"level": 5},
        {"level": 2, "not_applicable": True},
    ],
)
def test_the_database_refuses_impossible_answers(draft, values):
    question = area_questions(draft)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=draft, question=question, **values)


def test_the_database_allows_one_answer_per_question(draft):
    question = area_questions(draft)[0]
    Answer.objects.create(assessment=draft, question=question, level=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=draft, question=question, level=2)


def test_a_submitted_assessment_is_read_only_in_admin(client_for, nemo_admin, lead, draft):
    client = client_for(nemo_admin)
    change_url = reverse("admin:assessment_assessment_change", args=[draft.pk])
    assert client.get(change_url).status_code == 404  # a draft is not NEMO's to see (tests/test_nemo_sees.py)
    answers.assessment_submit(assessment=draft, user=lead)
    page = client.get(change_url).content.decode()
    assert 'name="_save"' not in page
    response = client.post(change_url, {"status": "draft", "museum": draft.museum_id})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.is_submitted
    delete = client.post(reverse("admin:assessment_assessment_delete", args=[draft.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_a_made_up_version_for_a_new_answer_does_not_break_the_save(client_for, editor, draft):
    question = area_questions(draft)[0]
    response = client_for(editor).post(
        area_url(draft), page_post(draft, {question.pk: {"value": "2"}}, versions={question.pk: 3})
    )
    assert response.status_code == 302
    assert Answer.objects.get(assessment=draft, question=question).level == 2


def test_an_answer_by_a_deleted_account_exports_without_a_name(client_for, lead, editor, draft):
    question = area_questions(draft)[0]
    client_for(editor).post(area_url(draft), page_post(draft, {question.pk: {"value": "2"}}))
    editor.delete()
    response = client_for(lead).get(reverse("assessment:export_answers", args=[draft.museum_id, draft.pk]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "None" not in body


def test_changes_to_different_parts_of_one_answer_are_merged(client_for, editor, lead, draft):
    question = area_questions(draft)[0]
    client_for(lead).post(area_url(draft), page_post(draft, {question.pk: {"value": "1", "note": "first"}}))
    # Both load the page at version 1; the lead changes the level, the editor only the note.
    client_for(lead).post(
        area_url(draft),
        page_post(draft, {question.pk: {"value": "3", "note": "first"}}, versions={question.pk: 1}),
    )
    response = client_for(editor).post(
        area_url(draft),
        page_post(draft, {question.pk: {"value": "1", "note": "evidence"}}, versions={question.pk: 1}),
    )
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=draft, question=question)
    assert (answer.level, answer.note, answer.version) == (3, "evidence", 3)


def test_clearing_an_answer_and_keeping_a_reason(client_for, editor, draft):
    question = area_questions(draft)[0]
    client = client_for(editor)
    client.post(area_url(draft), page_post(draft, {question.pk: {"value": "2", "reason": "typed earlier"}}))
    answer = Answer.objects.get(assessment=draft, question=question)
    assert answer.not_applicable_reason == "typed earlier"
    client.post(
        area_url(draft),
        page_post(draft, {question.pk: {"value": "", "reason": "typed earlier"}}, versions={question.pk: 1}),
    )
    answer.refresh_from_db()
    assert answer.level is None and not answer.not_applicable
