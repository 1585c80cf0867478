"""Reads scoped to the requesting user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from assessment import scoring
from assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DimensionTarget,
    Invitation,
    Membership,
    Museum,
    Role,
)
from recommendations.framework_data import framework_with_content
from recommendations.models import Dimension, FrameworkVersion, PolicyPassage, Question, Recommendation

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


@dataclass
class ScoredAssessment:
    framework: FrameworkVersion
    answers: dict[int, Answer]
    result: scoring.Result


def scored_assessment(assessment: Assessment, framework: FrameworkVersion | None = None) -> ScoredAssessment:
    """The assessment's framework (prefetched), answers and scores, in a fixed number of queries."""
    framework = framework or framework_with_content(assessment.framework_id)
    answers = answers_by_question(assessment)
    return ScoredAssessment(framework, answers, assessment_result(assessment, framework, answers))


def open_draft(museum_id: int) -> Assessment | None:
    return Assessment.objects.for_museum(museum_id).filter(status=AssessmentStatus.DRAFT).first()


def last_submitted(museum_id: int) -> Assessment | None:
    return Assessment.objects.for_museum(museum_id).submitted().order_by("-submitted_at").first()


# --- The results dashboard ------------------------------------------------------


@dataclass
class GapItem:
    area: Recommendation
    dimension: Dimension
    result: scoring.DimensionResult
    flagged: bool
    weakest_questions: list[Question]
    passages: list[PolicyPassage]


@dataclass
class FlagItem:
    area: Recommendation
    question: Question
    level: int
    legal_reference: str


@dataclass
class DimensionRow:
    area: Recommendation
    dimension: Dimension
    result: scoring.DimensionResult
    previous: scoring.Score | None

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.value is None or self.result.score.value is None:
            return None
        return self.result.score.value - self.previous.value

    @property
    def change_text(self) -> str:
        """The change with its sign, e.g. "+0.4" or "−0.3"."""
        return "" if self.change is None else f"{self.change:+.1f}".replace("-", "−")


@dataclass
class TrendPoint:
    assessment: Assessment
    area_scores: list[scoring.Score]
    overall: scoring.Score


@dataclass
class Dashboard:
    assessment: Assessment
    framework: FrameworkVersion
    result: scoring.Result
    areas: list[tuple[Recommendation, scoring.AreaResult]]
    dimensions: list[DimensionRow]
    flags: list[FlagItem]
    gaps: list[GapItem]
    previous: Assessment | None
    trend: list[TrendPoint]


def _earlier_submitted(assessment: Assessment) -> list[Assessment]:
    """The museum's submitted assessments before this one, oldest first."""
    earlier = Assessment.objects.filter(
        museum_id=assessment.museum_id, status=AssessmentStatus.SUBMITTED
    ).exclude(pk=assessment.pk)
    if assessment.submitted_at:
        earlier = earlier.filter(submitted_at__lt=assessment.submitted_at)
    return list(earlier.order_by("submitted_at"))


def _results_by_slug(
    assessments: list[Assessment], frameworks: dict[int, FrameworkVersion]
) -> dict[int, tuple[scoring.Result, dict[str, scoring.DimensionResult]]]:
    """Scores of several assessments from one query for all their answers and targets."""
    values: dict[int, dict[int, scoring.AnswerValue]] = {a.pk: {} for a in assessments}
    for assessment_id, question_id, level, not_applicable in Answer.objects.filter(
        assessment__in=assessments
    ).values_list("assessment_id", "question_id", "level", "not_applicable"):
        values[assessment_id][question_id] = scoring.AnswerValue(level, not_applicable)
    targets: dict[int, dict[int, int]] = {a.pk: {} for a in assessments}
    for assessment_id, dimension_id, level in DimensionTarget.objects.filter(
        assessment__in=assessments
    ).values_list("assessment_id", "dimension_id", "level"):
        targets[assessment_id][dimension_id] = level
    results = {}
    for assessment in assessments:
        framework = frameworks[assessment.framework_id]
        result = scoring.score_assessment(
            framework_spec(framework), values[assessment.pk], targets[assessment.pk]
        )
        slugs = {d.pk: d.slug for area in framework.recommendations.all() for d in area.dimensions.all()}
        by_slug = {slugs[d.dimension_id]: d for area in result.areas for d in area.dimensions}
        results[assessment.pk] = (result, by_slug)
    return results


def dashboard(assessment: Assessment) -> Dashboard:
    """Everything the results page shows, in a number of queries independent of the data's size."""
    scored = scored_assessment(assessment)
    framework, result = scored.framework, scored.result
    earlier = _earlier_submitted(assessment)
    frameworks = {framework.pk: framework}
    for framework_id in {a.framework_id for a in earlier} - set(frameworks):
        frameworks[framework_id] = framework_with_content(framework_id)
    earlier_results = _results_by_slug(earlier, frameworks)
    previous = earlier[-1] if earlier else None
    previous_by_slug = earlier_results[previous.pk][1] if previous else {}

    areas = list(zip(framework.recommendations.all(), result.areas, strict=True))
    dimensions: list[DimensionRow] = []
    questions: dict[int, tuple[Recommendation, Question]] = {}
    for area, area_result in areas:
        for dimension, dimension_result in zip(area.dimensions.all(), area_result.dimensions, strict=True):
            previous_result = previous_by_slug.get(dimension.slug)
            dimensions.append(
                DimensionRow(
                    area, dimension, dimension_result, previous_result.score if previous_result else None
                )
            )
            for question in dimension.questions.all():
                questions[question.pk] = (area, question)
    rows_by_id = {row.dimension.pk: row for row in dimensions}

    flags = [
        FlagItem(
            questions[flag.question_id][0], questions[flag.question_id][1], flag.level, flag.legal_reference
        )
        for flag in result.compliance_flags
    ]
    flagged_dimensions = {flag.dimension_id for flag in result.compliance_flags}
    gaps = []
    for gap in result.gaps:
        row = rows_by_id[gap.dimension_id]
        weakest = [questions[question_id][1] for question_id in gap.weakest_question_ids]
        passages = list({p.pk: p for q in weakest for p in q.passages.all()}.values())
        gaps.append(
            GapItem(row.area, row.dimension, gap, gap.dimension_id in flagged_dimensions, weakest, passages)
        )

    trend = [
        TrendPoint(a, [r.score for r in earlier_results[a.pk][0].areas], earlier_results[a.pk][0].overall)
        for a in earlier
    ]
    if assessment.is_submitted:
        trend.append(TrendPoint(assessment, [r.score for _area, r in areas], result.overall))
    return Dashboard(assessment, framework, result, areas, dimensions, flags, gaps, previous, trend)


def dashboard_chart_data(board: Dashboard) -> dict:
    """The dashboard's numbers for Chart.js; the page shows the same numbers in tables."""

    def value(score: scoring.Score | None) -> float | None:
        return None if score is None or score.value is None else round(score.value, 2)

    data: dict = {
        "radar": {
            "labels": [row.dimension.title for row in board.dimensions],
            "current": [value(row.result.score) for row in board.dimensions],
            "target": [row.result.target for row in board.dimensions],
            "previous": [value(row.previous) for row in board.dimensions] if board.previous else None,
        },
        "trend": None,
    }
    if len(board.trend) > 1:
        data["trend"] = {
            "labels": [point.assessment.submitted_at.date().isoformat() for point in board.trend],
            "series": [
                {
                    "label": f"{area.number}. {area.title}",
                    "data": [value(p.area_scores[index]) for p in board.trend],
                }
                for index, (area, _result) in enumerate(board.areas)
            ],
        }
    return data
