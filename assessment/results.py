"""The results dashboard: one assessment's scores, composed with its framework, flags, gaps and history.

The assessment itself is scored live from its answers (a draft's preview
changes as people answer); earlier assessments are read from their stored
scores (``assessment/scores.py``), so the page costs the same with one earlier
assessment or fifty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext

from assessment import scores, scoring
from assessment.display import score_shown, score_text
from assessment.models import (
    AiStance,
    AreaScore,
    Assessment,
    DimensionScore,
    DimensionTarget,
    target_date_default,
)
from assessment.plan import ActionCounts, action_counts_by_dimension
from assessment.register import DutyRow, Register, RegisterEntry, register_read
from recommendations.content import exemptions_of
from recommendations.models import Dimension, FrameworkVersion, PolicyPassage, Question, Recommendation


@dataclass
class GapItem:
    area: Recommendation
    dimension: Dimension
    result: scoring.DimensionResult
    flagged: bool
    weakest_questions: list[Question]
    passages: list[PolicyPassage]  # quoted here: the first place on the page they serve
    passages_quoted_before: list[PolicyPassage] = field(default_factory=list)  # referred to, not repeated


@dataclass
class AreaGaps:
    """An area's gaps, in the page's order, so that a long list folds per area with a count."""

    area: Recommendation
    gaps: list[GapItem]

    @property
    def flagged_count(self) -> int:
        return sum(1 for gap in self.gaps if gap.flagged)


@dataclass
class PriorityItem:
    """One of the three things to do first, with its reason, its one next step and the passage it serves."""

    area: Recommendation
    dimension: Dimension
    question: Question  # its guidance is the next step
    result: scoring.DimensionResult
    flag: FlagItem | None
    passage: PolicyPassage | None
    actions: ActionCounts = field(default_factory=ActionCounts)  # already in the plan for this dimension

    @property
    def is_duty(self) -> bool:
        return self.flag is not None


@dataclass
class TargetReview:
    """At a re-assessment, per dimension: last target and its date, what was reached, the plan's actions."""

    dimension: Dimension
    target: int | None
    target_date: date | None
    reached: scoring.Score
    actions_done: int  # the plan as it stands today, matched by the dimension's slug
    actions_open: int
    suggested: bool = False  # the museum set no target: this was the suggested one, one level up

    @property
    def met(self) -> bool | None:
        if self.target is None or self.reached.level is None:
            return None
        return self.reached.level >= self.target


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


# Level 2 (Managed): a named person is responsible and the basics are written down and followed.
IN_PLACE_LEVEL = 2


def signed(change: float | None) -> str:
    """A change with its sign, e.g. "+0.4" or "−0.3"; empty when there is nothing to compare."""
    if change is None:
        return ""
    return ("−" if change < 0 else "+") + score_text(abs(change))


@dataclass
class DimensionRow:
    area: Recommendation
    dimension: Dimension
    result: scoring.DimensionResult
    previous: scoring.Score | None
    target_date: date | None = None  # set once the dates are read: chosen, or twelve months on

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.value is None or self.result.score.value is None:
            return None
        return self.result.score.value - self.previous.value

    @property
    def moved(self) -> int:
        """+1, 0 or −1: whether the score moved as the page writes it (one decimal), so the count agrees."""
        if self.change is None or self.previous is None:
            return 0
        shown_now, shown_before = score_shown(self.result.score.value), score_shown(self.previous.value)
        if shown_now is None or shown_before is None:
            return 0
        return (shown_now > shown_before) - (shown_now < shown_before)

    @property
    def change_text(self) -> str:
        """The change with its sign, e.g. "+0.4" or "−0.3"."""
        return signed(self.change)


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
    priorities: list[PriorityItem] = field(default_factory=list)
    gaps_by_area: list[AreaGaps] = field(default_factory=list)
    target_reviews: list[TargetReview] = field(default_factory=list)
    # The museum's AI register as it stands today (it is the museum's, not the assessment's).
    ai_register: Register | None = None

    @property
    def register_flags(self) -> list[tuple[RegisterEntry, DutyRow]]:
        return self.ai_register.flags if self.ai_register is not None else []

    @property
    def flag_count(self) -> int:
        """The legal duties to look at now: the questionnaire's flags and the register's."""
        return len(self.flags) + len(self.register_flags)

    @property
    def register_shown(self) -> bool:
        return self.ai_register is not None

    @property
    def decided_not_to_use_ai(self) -> bool:
        return AiStance.foundations_only(self.assessment.ai_stance)

    @property
    def in_place(self) -> list[DimensionRow]:
        """Dimensions whose basics are written down and owned (level 2, Managed, or above)."""
        return [row for row in self.dimensions if (row.result.score.level or 0) >= IN_PLACE_LEVEL]

    @property
    def overall_change(self) -> float | None:
        if self.previous is None or self.previous.overall_score is None or self.result.overall.value is None:
            return None
        return self.result.overall.value - self.previous.overall_score

    @property
    def overall_change_text(self) -> str:
        return signed(self.overall_change)

    @property
    def dimensions_up(self) -> int:
        return sum(1 for row in self.dimensions if row.moved > 0)

    @property
    def dimensions_down(self) -> int:
        return sum(1 for row in self.dimensions if row.moved < 0)

    @property
    def previous_on_other_version(self) -> bool:
        return self.previous is not None and self.previous.framework_id != self.assessment.framework_id


def _stored(value: float | None, level: int | None, level_names: tuple[str, ...]) -> scoring.Score:
    """A stored score and level as a Score, named on this framework's scale."""
    return scoring.Score(value, scoring.level_name(level, level_names))


def _earlier_results(
    earlier: list[Assessment], framework: FrameworkVersion, level_names: tuple[str, ...]
) -> tuple[list[TrendPoint], dict[tuple[str, str], scoring.Score], dict[str, int | None]]:
    """The trend points of earlier assessments, the last one's dimension scores by (slug, title) and its
    targets by dimension slug.

    Two queries whatever their number: stored area scores of all of them, and
    the previous one's dimension scores. Areas and dimensions are matched on
    their slugs, so an earlier framework version lines up with this one.
    """
    if not earlier:
        return [], {}, {}
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
            "dimension_id", "dimension__slug", "score", "level", "target"
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
        for dimension_id, slug, value, level, _target in stored
    }
    previous_targets = {slug: target for _id, slug, _value, _level, target in stored}
    return trend, previous_dimensions, previous_targets


def dashboard(assessment: Assessment) -> Dashboard:
    """Everything the results page shows, in a number of queries independent of the data's size."""
    scored = scores.scored(assessment)
    framework, result = scored.framework, scored.result
    level_names = scores.framework_spec(framework).level_names
    earlier = list(Assessment.objects.submitted_before(assessment).select_related("framework"))
    trend, previous_dimensions, previous_targets = _earlier_results(earlier, framework, level_names)
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
    spec = scores.framework_spec(framework)
    gaps = []
    for gap in result.gaps:
        row = rows_by_id[gap.dimension_id]
        weakest = [
            questions[question_id][1]
            for question_id in _guided_questions(spec, gap, scored.values, assessment)
        ]
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

    chosen_targets = _chosen_targets(assessment, previous)
    actions = action_counts_by_dimension(assessment.museum_id)
    ranked = scoring.priorities(
        scores.framework_spec(framework),
        result,
        scored.values,
        uses_ai=assessment.uses_ai,
        foundations_only=AiStance.foundations_only(assessment.ai_stance),
    )
    priority_items = [
        PriorityItem(
            rows_by_id[p.dimension.dimension_id].area,
            rows_by_id[p.dimension.dimension_id].dimension,
            questions[p.question_id][1],
            p.dimension,
            next((f for f in flags if f.question.pk == p.flag.question_id), None) if p.flag else None,
            next(iter(questions[p.question_id][1].passages.all()), None),
            actions.get(rows_by_id[p.dimension.dimension_id].dimension.slug, ActionCounts()),
        )
        for p in ranked
    ]
    gaps_by_area = [
        AreaGaps(area, [gap for gap in gaps if gap.area.pk == area.pk])
        for area, _result in areas
        if any(gap.area.pk == area.pk for gap in gaps)
    ]
    # In the order the page shows them, so that "quoted above" is above.
    _quote_each_passage_once([gap for group in gaps_by_area for gap in group.gaps], priority_items)
    reviews = []
    if previous is not None:
        previous_chosen = chosen_targets.get(previous.pk, {})
        default_date = target_date_default(previous)
        for row in dimensions:
            slug = row.dimension.slug
            if slug not in previous_targets:
                continue
            counts = actions.get(slug, ActionCounts())
            level, day = previous_chosen.get(slug, (previous_targets[slug], None))
            reviews.append(
                TargetReview(
                    row.dimension,
                    level,
                    day or default_date,
                    row.result.score,
                    counts.done,
                    counts.open,
                    suggested=slug not in previous_chosen,
                )
            )
    own_chosen = chosen_targets.get(assessment.pk, {})
    own_default = target_date_default(assessment)
    for row in dimensions:
        row.target_date = own_chosen.get(row.dimension.slug, (None, None))[1] or own_default
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
        priorities=priority_items,
        gaps_by_area=gaps_by_area,
        target_reviews=reviews,
        # The register is the museum's as it stands today: it goes with a draft and the latest submitted
        # assessment, not with an older one, whose page would otherwise show today's flags.
        ai_register=register_read(assessment.museum_id)
        if assessment.is_draft or not Assessment.objects.submitted_after(assessment).exists()
        else None,
    )


def _guided_questions(
    spec: scoring.FrameworkSpec,
    gap: scoring.DimensionResult,
    values: dict[int, scoring.AnswerValue],
    assessment: Assessment,
) -> list[int]:
    """The questions whose guidance a gap shows: its weakest, but for a museum with no AI in use none
    that presumes AI in use or is a duty about AI in use (it would read as advice to deploy AI)."""
    if assessment.uses_ai is not False:
        return list(gap.weakest_question_ids)
    dimension = next(d for d in spec.dimensions if d.id == gap.dimension_id)
    offered = {q.id for q in dimension.questions if scoring.offered_without_ai(q)}
    kept = [question_id for question_id in gap.weakest_question_ids if question_id in offered]
    if not kept and (step := scoring.next_step(dimension, values, scoring.offered_without_ai)) is not None:
        kept = [step]
    return kept


def _quote_each_passage_once(gaps: list[GapItem], priorities: list[PriorityItem]) -> None:
    """Quote each NEMO passage once on the page, at the first gap it serves; later gaps refer to it.

    A priority's passage is quoted with its dimension's gap (the page links the priority to it), so
    it is added there when the gap's weakest questions do not already bring it.
    """
    by_dimension = {gap.dimension.pk: gap for gap in gaps}
    for priority in priorities:
        gap = by_dimension.get(priority.dimension.pk)
        if priority.passage is not None and gap is not None and priority.passage not in gap.passages:
            gap.passages.insert(0, priority.passage)
    quoted: set[int] = set()
    for gap in gaps:
        gap.passages_quoted_before = [p for p in gap.passages if p.pk in quoted]
        gap.passages = [p for p in gap.passages if p.pk not in quoted]
        quoted.update(p.pk for p in gap.passages)


def _chosen_targets(
    assessment: Assessment, previous: Assessment | None
) -> dict[int, dict[str, tuple[int, date | None]]]:
    """The targets the museum chose on this assessment and the previous one, with their dates.

    {assessment id: {dimension slug: (level, date or None)}}, in one query. A dimension missing here
    has the suggested target (one level up) and the default date (twelve months after submission).
    """
    ids = [assessment.pk] + ([previous.pk] if previous is not None else [])
    chosen: dict[int, dict[str, tuple[int, date | None]]] = defaultdict(dict)
    for assessment_id, slug, level, day in DimensionTarget.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "dimension__slug", "level", "target_date"
    ):
        chosen[assessment_id][slug] = (level, day)
    return chosen


def benchmark_items(board: Dashboard) -> list[tuple[str, str, float | None]]:
    """The scores a museum compares with museums like it: overall, per area, per dimension (by slug)."""
    return [
        ("overall", gettext("Overall"), board.result.overall.value),
        *(
            (f"area:{area.slug}", f"{area.number}. {area.title}", result.score.value)
            for area, result in board.areas
        ),
        *(
            (f"dimension:{row.dimension.slug}", row.dimension.title, row.result.score.value)
            for row in board.dimensions
        ),
    ]


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
