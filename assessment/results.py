"""The results dashboard: one assessment's scores, composed with its framework, flags, gaps and history.

The assessment itself is scored live from its answers (a draft's preview
changes as people answer); earlier assessments are read from their stored
scores (``assessment/scores.py``), so the page costs the same with one earlier
assessment or fifty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext

from assessment import scores, scoring
from assessment.display import score_text
from assessment.models import AreaScore, Assessment, DimensionScore
from recommendations.content import exemptions_of
from recommendations.models import Dimension, FrameworkVersion, PolicyPassage, Question, Recommendation


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
class ComingDutyItem:
    area: Recommendation
    question: Question
    applies_from: date
    level: int | None


@dataclass
class DutyNotApplyingItem:
    area: Recommendation
    question: Question
    reason: str  # in words: the museum's chosen reason, or that it uses no AI


def duty_reason_text(question: Question, reason: str) -> str:
    """A duty's "does not apply" reason in words, from its slug (or the no-AI statement)."""
    if reason == scoring.NO_AI_IN_USE:
        return gettext("The museum recorded that it uses no AI.")
    return next((e.text for e in exemptions_of(question) if e.slug == reason), reason)


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
        if self.change is None:
            return ""
        return ("−" if self.change < 0 else "+") + score_text(abs(self.change))


@dataclass
class TrendPoint:
    assessment: Assessment
    area_scores: list[scoring.Score]
    overall: scoring.Score

    @property
    def submitted_on(self) -> date:
        # Every point is a submitted assessment, and a submitted assessment has its date (a constraint).
        assert self.assessment.submitted_at is not None
        return self.assessment.submitted_at.date()


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
    coming_duties: list[ComingDutyItem]
    duties_not_applying: list[DutyNotApplyingItem]
    # When the previous assessment used another framework version: this version's dimensions it has no
    # score for, and its dimensions that this version no longer has (titles).
    new_dimensions: list[Dimension]
    dropped_dimensions: list[str]

    @property
    def previous_on_other_version(self) -> bool:
        return self.previous is not None and self.previous.framework_id != self.assessment.framework_id


def _stored(value: float | None, level: int | None, level_names: tuple[str, ...]) -> scoring.Score:
    """A stored score and level as a Score, named on this framework's scale."""
    return scoring.Score(value, scoring.level_name(level, level_names))


def _earlier_results(
    earlier: list[Assessment], framework: FrameworkVersion, level_names: tuple[str, ...]
) -> tuple[list[TrendPoint], dict[tuple[str, str], scoring.Score]]:
    """The trend points of earlier assessments and the last one's dimension scores by (slug, title).

    Two queries whatever their number: stored area scores of all of them, and
    the previous one's dimension scores. Areas and dimensions are matched on
    their slugs, so an earlier framework version lines up with this one.
    """
    if not earlier:
        return [], {}
    area_scores: dict[int, dict[str, scoring.Score]] = defaultdict(dict)
    for assessment_id, slug, value, level in AreaScore.objects.filter(assessment__in=earlier).values_list(
        "assessment_id", "area__slug", "score", "level"
    ):
        area_scores[assessment_id][slug] = _stored(value, level, level_names)
    not_scored = scoring.Score(None)
    trend = [
        TrendPoint(
            assessment,
            [
                area_scores[assessment.pk].get(area.slug, not_scored)
                for area in framework.recommendations.all()
            ],
            _stored(assessment.overall_score, assessment.overall_level, level_names),
        )
        for assessment in earlier
    ]
    stored = list(
        DimensionScore.objects.filter(assessment=earlier[-1]).values_list(
            "dimension_id", "dimension__slug", "score", "level"
        )
    )
    # Titles from the dimensions themselves, in the reader's language (a translated field read across
    # a relation would be the English): only when the earlier assessment used another version.
    titles = (
        dict(Dimension.objects.filter(pk__in=[row[0] for row in stored]).values_list("pk", "title"))
        if earlier[-1].framework_id != framework.pk
        else {}
    )
    previous_dimensions = {
        (slug, titles.get(dimension_id, "")): _stored(value, level, level_names)
        for dimension_id, slug, value, level in stored
    }
    return trend, previous_dimensions


def dashboard(assessment: Assessment) -> Dashboard:
    """Everything the results page shows, in a number of queries independent of the data's size."""
    scored = scores.scored(assessment)
    framework, result = scored.framework, scored.result
    level_names = scores.framework_spec(framework).level_names
    earlier = list(Assessment.objects.submitted_before(assessment).select_related("framework"))
    trend, previous_dimensions = _earlier_results(earlier, framework, level_names)
    previous_by_slug = {slug: score for (slug, _title), score in previous_dimensions.items()}

    areas = list(zip(framework.recommendations.all(), result.areas, strict=True))
    dimensions: list[DimensionRow] = []
    questions: dict[int, tuple[Recommendation, Question]] = {}
    for area, area_result in areas:
        for dimension, dimension_result in zip(area.dimensions.all(), area_result.dimensions, strict=True):
            dimensions.append(
                DimensionRow(area, dimension, dimension_result, previous_by_slug.get(dimension.slug))
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

    coming = [
        ComingDutyItem(
            questions[duty.question_id][0], questions[duty.question_id][1], duty.applies_from, duty.level
        )
        for duty in result.coming_duties
    ]
    not_applying = [
        DutyNotApplyingItem(
            questions[duty.question_id][0],
            questions[duty.question_id][1],
            duty_reason_text(questions[duty.question_id][1], duty.reason),
        )
        for duty in result.duties_not_applying
    ]

    if assessment.is_submitted:
        trend.append(TrendPoint(assessment, [r.score for _area, r in areas], result.overall))
    previous = earlier[-1] if earlier else None
    new_dimensions: list[Dimension] = []
    dropped: list[str] = []
    if previous is not None and previous.framework_id != assessment.framework_id:
        current_slugs = {row.dimension.slug for row in dimensions}
        new_dimensions = [row.dimension for row in dimensions if row.dimension.slug not in previous_by_slug]
        dropped = [title for (slug, title) in previous_dimensions if slug not in current_slugs]
    return Dashboard(
        assessment,
        framework,
        result,
        areas,
        dimensions,
        flags,
        gaps,
        previous,
        trend,
        coming,
        not_applying,
        new_dimensions,
        dropped,
    )


def dashboard_chart_data(board: Dashboard) -> dict[str, Any]:
    """The dashboard's numbers for Chart.js; the page shows the same numbers in tables."""

    def value(score: scoring.Score | None) -> float | None:
        return None if score is None else scoring.rounded(score.value)

    data: dict[str, Any] = {
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
            "labels": [point.submitted_on.isoformat() for point in board.trend],
            "series": [
                {
                    "label": f"{area.number}. {area.title}",
                    "data": [value(p.area_scores[index]) for p in board.trend],
                }
                for index, (area, _result) in enumerate(board.areas)
            ],
        }
    return data
