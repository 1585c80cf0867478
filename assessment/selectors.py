"""Reads scoped to the requesting user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from assessment import scoring
from assessment.models import Answer, Assessment, AssessmentStatus, Invitation, Membership, Museum, Role
from recommendations.models import FrameworkVersion

CURRENT_MUSEUM_SESSION_KEY = "current_museum_id"


def memberships_for_user(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.for_user(user))


def current_membership(request, memberships: list[Membership] | None = None) -> Membership | None:
    """The museum the user is working in: the one last switched to, else the first."""
    if memberships is None:
        memberships = memberships_for_user(request.user)
    wanted = request.session.get(CURRENT_MUSEUM_SESSION_KEY)
    for membership in memberships:
        if membership.museum_id == wanted:
            return membership
    return memberships[0] if memberships else None


def museum_with_team(museum_id: int) -> Museum:
    """A museum with its members (and their users) and pending invitations, in three queries."""
    return (
        Museum.objects.annotate(lead_count=Count("memberships", filter=Q(memberships__role=Role.LEAD)))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__first_name", "user__email"
                ),
            ),
            Prefetch("invitations", queryset=Invitation.objects.pending().select_related("invited_by")),
        )
        .get(pk=museum_id)
    )


def framework_spec(framework: FrameworkVersion) -> scoring.FrameworkSpec:
    """The scoring view of a framework prefetched by ``framework_with_content``."""
    return scoring.FrameworkSpec(
        areas=tuple(
            scoring.AreaSpec(
                id=recommendation.pk,
                dimensions=tuple(
                    scoring.DimensionSpec(
                        id=dimension.pk,
                        weight=dimension.weight,
                        questions=tuple(
                            scoring.QuestionSpec(
                                id=question.pk,
                                weight=question.weight,
                                legal_duty=question.legal_duty,
                                legal_reference=question.legal_reference,
                            )
                            for question in dimension.questions.all()
                        ),
                    )
                    for dimension in recommendation.dimensions.all()
                ),
            )
            for recommendation in framework.recommendations.all()
        ),
        level_names=tuple(level.name for level in framework.levels.all()),
    )


def answers_by_question(assessment: Assessment) -> dict[int, Answer]:
    """Every answer of the assessment, keyed by question id, with who gave it (one query)."""
    return {answer.question_id: answer for answer in assessment.answers.select_related("answered_by")}


def answer_values(answers: dict[int, Answer]) -> dict[int, scoring.AnswerValue]:
    return {
        question_id: scoring.AnswerValue(level=answer.level, not_applicable=answer.not_applicable)
        for question_id, answer in answers.items()
    }


def assessment_result(
    assessment: Assessment, framework: FrameworkVersion, answers: dict[int, Answer]
) -> scoring.Result:
    """Scores and progress of an assessment (one query for the targets)."""
    targets = dict(assessment.targets.values_list("dimension_id", "level"))
    return scoring.score_assessment(framework_spec(framework), answer_values(answers), targets)


def open_draft(museum_id: int) -> Assessment | None:
    return Assessment.objects.for_museum(museum_id).filter(status=AssessmentStatus.DRAFT).first()


def last_submitted(museum_id: int) -> Assessment | None:
    return Assessment.objects.for_museum(museum_id).submitted().order_by("-submitted_at").first()
