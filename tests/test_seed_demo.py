from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessment.models import Action, Answer, Assessment, AssessmentStatus, Membership, Museum, Role


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--password", "demo-password-2024", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_seed_demo_creates_the_demo_world_idempotently(framework):
    output = _seed("--museums", "9", "--assessments-per-museum", "2")
    assert "demo-lead      / demo-password-2024" in output
    counts = (
        Museum.objects.count(),
        Assessment.objects.count(),
        Answer.objects.count(),
        Membership.objects.count(),
        Action.objects.count(),
    )
    _seed("--museums", "9", "--assessments-per-museum", "2")
    assert (
        Museum.objects.count(),
        Assessment.objects.count(),
        Answer.objects.count(),
        Membership.objects.count(),
        Action.objects.count(),
    ) == counts

    users = get_user_model().objects
    assert users.get(username="demo-admin").is_staff
    assert Membership.objects.get(user__username="demo-viewer").role == Role.VIEWER
    assert Membership.objects.get(user__username="demo-outsider").museum.name == "Demo Museum B"
    demo_a = Assessment.objects.filter(museum__name="Demo Museum A")
    assert sorted(demo_a.values_list("status", flat=True)) == [
        AssessmentStatus.DRAFT,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.SUBMITTED,
    ]

    plan = Action.objects.filter(museum__name="Demo Museum A")
    assert sorted(plan.values_list("status", flat=True)) == [
        "done",
        "done",
        "in_progress",
        "planned",
        "planned",
    ]
    assert plan.filter(owner__isnull=True).exclude(owner_name="").exists()  # a name typed in
    assert plan.filter(owner__username="demo-lead").exists()
    assert all(action.dimension_id and action.question_id for action in plan)

    generated = Museum.objects.filter(name__startswith="Generated Museum ")
    assert generated.count() == 9
    assert len(set(generated.values_list("museum_type", flat=True))) == 8
    assert len(set(generated.values_list("country", flat=True))) == 9
    submitted = Assessment.objects.filter(museum__in=generated, status=AssessmentStatus.SUBMITTED)
    assert submitted.count() == 18
    levels = set(Answer.objects.filter(assessment__in=submitted).values_list("level", flat=True))
    assert {0, 1, 2, 3, 4, None} <= levels  # varied, with some not applicable


def test_seed_demo_refuses_short_passwords(db):
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("seed_demo", "--password", "short", stdout=io.StringIO())


def test_seeded_assessments_carry_the_scores_scoring_py_gives(framework):
    from assessment import results

    _seed("--museums", "2", "--assessments-per-museum", "1")
    for assessment in Assessment.objects.filter(status=AssessmentStatus.SUBMITTED):
        board = results.dashboard(assessment)
        assert assessment.overall_score == pytest.approx(board.result.overall.value)
        assert assessment.area_scores.count() == 3


def test_rescore_assessments_restores_stored_scores(framework):
    _seed("--museums", "1", "--assessments-per-museum", "1")
    Assessment.objects.update(overall_score=None)
    out = io.StringIO()
    call_command("rescore_assessments", stdout=out)
    assert "Rescored" in out.getvalue()
    assert not Assessment.objects.filter(
        status=AssessmentStatus.SUBMITTED, overall_score__isnull=True
    ).exists()


def test_seeded_answers_have_history_so_a_colleagues_change_merges(framework):
    """A page loaded before a colleague's change, saved with that answer untouched: no conflict."""
    from assessment import answers

    _seed()
    draft = Assessment.objects.get(museum__name="Demo Museum A", status=AssessmentStatus.DRAFT)
    seeded = Answer.objects.filter(assessment__museum__name="Demo Museum A")
    assert Answer.history.filter(id__in=seeded.values("id")).count() == seeded.count()
    record = Answer.history.filter(assessment=draft).select_related("history_user").first()
    assert record.history_user.username == "demo-editor"

    users = get_user_model().objects
    lead, editor = users.get(username="demo-lead"), users.get(username="demo-editor")
    answer, other = draft.answers.order_by("question_id")[:2]

    def as_loaded(a, **changes):
        values = {
            "level": a.level,
            "not_applicable": a.not_applicable,
            "not_applicable_reason": a.not_applicable_reason,
            "note": a.note,
        }
        values.update(changes)
        return answers.AnswerInput(a.question_id, seen_version=a.version, **values)

    # The lead changes the note; the editor, whose page was loaded before, changes another answer only.
    answers.answers_save(
        assessment=draft, user=lead, inputs=[as_loaded(answer, note="Checked with the DPO.")]
    )
    saved = answers.answers_save(
        assessment=draft,
        user=editor,
        inputs=[as_loaded(answer), as_loaded(other, note="Edited by the editor.")],
    )
    assert saved.conflicts == []
    answer.refresh_from_db()
    assert answer.note == "Checked with the DPO."
