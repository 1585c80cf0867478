"""Scores from answers: pure Python, no database, no request.

The method is documented with a worked example in ``docs/scoring.md``. In short:

- a dimension's score is the weighted mean of its applicable answers (N/A left
  out); a dimension with no applicable answer is *not scored*, never 0;
- an area's score is the weighted mean of its scored dimensions;
- the overall score is the mean of the scored areas;
- every score is on 0–4, also shown as 0–100 %, and named after the maturity
  level it has fully reached (2.6 is "Managed", level 2);
- a legal-duty question answered 0 or 1 raises a compliance flag, reported
  apart from the maturity score, but only for a duty that applies: one in force
  on the day (a duty with a later date is a *coming duty*), not stated by the
  museum not to apply to it (a reason from the question's list), and, for a
  duty about AI in use, not at a museum that recorded that it uses no AI;
- N/A answers and duties that do not apply are set aside from the scores;
- gap = target − current per dimension (target defaults to the current level
  + 1, at most 4); priority = gap × dimension weight, compliance flags first.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MAX_LEVEL = 4
COMPLIANCE_FLAG_LEVELS = (0, 1)


def _round_half_up(value: float) -> int:
    """62.5 % shows as 63 %, as people round (Python's round() would give 62)."""
    return math.floor(value + 0.5)


def level_reached(value: float | None) -> int | None:
    """The maturity level a score has fully reached: the one formula, stored beside every score.

    The tolerance keeps a score that float arithmetic leaves a hair under a
    whole number (2.9999999999) at that level, as a person would read it.
    """
    return None if value is None else math.floor(value + 1e-9)


def percent(value: float | None) -> int | None:
    """A score on 0–4 as a whole percentage, rounded half up."""
    return None if value is None else _round_half_up(value / MAX_LEVEL * 100)


def rounded(value: float | None, digits: int = 2) -> float | None:
    """A score as exports and charts show it: two decimals, ``None`` stays ``None``."""
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    weight: int
    legal_duty: bool = False
    legal_reference: str = ""
    duty_applies_from: datetime.date | None = None  # a legal duty not in force before this day
    only_if_ai_in_use: bool = False  # a legal duty about AI the museum uses
    presumes_ai_in_use: bool = False  # asks about AI already in use: no priority for a museum with none

    def in_force(self, today: datetime.date | None) -> bool:
        """Without a day to compare with, every duty counts as in force (never a missed flag)."""
        return self.duty_applies_from is None or today is None or self.duty_applies_from <= today


@dataclass(frozen=True)
class DimensionSpec:
    id: int
    weight: int
    questions: tuple[QuestionSpec, ...]
    foundation: bool = False  # needed whatever the museum decides about AI


@dataclass(frozen=True)
class AreaSpec:
    id: int
    dimensions: tuple[DimensionSpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    areas: tuple[AreaSpec, ...]
    level_names: tuple[str, ...] = ("0", "1", "2", "3", "4")

    @property
    def dimensions(self) -> Iterable[DimensionSpec]:
        return (dimension for area in self.areas for dimension in area.dimensions)


@dataclass(frozen=True)
class AnswerValue:
    level: int | None = None
    not_applicable: bool = False
    duty_exemption: str = ""  # the slug of the reason the museum gave that a legal duty does not apply

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or bool(self.duty_exemption) or self.level is not None


@dataclass(frozen=True)
class Score:
    """A score on 0–4, or ``None`` when nothing applicable was answered."""

    value: float | None
    level_name: str = ""

    @property
    def is_scored(self) -> bool:
        return self.value is not None

    @property
    def percent(self) -> int | None:
        return percent(self.value)

    @property
    def level(self) -> int | None:
        """The maturity level fully reached."""
        return level_reached(self.value)


@dataclass(frozen=True)
class Progress:
    answered: int  # given a level
    not_applicable: int
    total: int
    duty_not_applying: int = 0  # legal duties the museum stated do not apply to it

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable - self.duty_not_applying

    @property
    def done(self) -> int:
        return self.answered + self.not_applicable + self.duty_not_applying

    @property
    def percent(self) -> int:
        """Answered out of applicable; an area where nothing applies is complete."""
        return 100 if self.applicable == 0 else _round_half_up(self.answered / self.applicable * 100)

    @property
    def unanswered(self) -> int:
        return self.total - self.done


@dataclass(frozen=True)
class ComplianceFlag:
    question_id: int
    dimension_id: int
    level: int
    legal_reference: str


@dataclass(frozen=True)
class ComingDuty:
    """A legal duty that starts to apply on a later day: shown with its date, never flagged."""

    question_id: int
    dimension_id: int
    applies_from: datetime.date
    level: int | None
    legal_reference: str


NO_AI_IN_USE = "no-ai-in-use"  # the reason recorded for duties about AI at a museum that uses none


@dataclass(frozen=True)
class DutyNotApplying:
    """A legal duty that does not apply: the reason's slug, or ``NO_AI_IN_USE``."""

    question_id: int
    dimension_id: int
    reason: str
    legal_reference: str


@dataclass(frozen=True)
class DimensionResult:
    dimension_id: int
    weight: int
    score: Score
    progress: Progress
    target: int | None
    weakest_question_ids: tuple[int, ...]
    target_is_suggested: bool = False  # no target was set: one level above the current one

    @property
    def gap(self) -> float | None:
        if self.target is None or self.score.value is None:
            return None
        return max(0.0, self.target - self.score.value)

    @property
    def priority(self) -> float:
        return (self.gap or 0.0) * self.weight


@dataclass(frozen=True)
class AreaResult:
    area_id: int
    score: Score
    progress: Progress
    dimensions: tuple[DimensionResult, ...]


@dataclass(frozen=True)
class Result:
    overall: Score
    progress: Progress
    areas: tuple[AreaResult, ...]
    compliance_flags: tuple[ComplianceFlag, ...]
    gaps: tuple[DimensionResult, ...] = field(default=())
    coming_duties: tuple[ComingDuty, ...] = field(default=())
    duties_not_applying: tuple[DutyNotApplying, ...] = field(default=())

    def dimension(self, dimension_id: int) -> DimensionResult:
        for area in self.areas:
            for dimension in area.dimensions:
                if dimension.dimension_id == dimension_id:
                    return dimension
        raise KeyError(dimension_id)


def _weighted_mean(pairs: Sequence[tuple[float, int]]) -> float | None:
    total_weight = sum(weight for _value, weight in pairs)
    if not pairs or total_weight == 0:
        return None
    return sum(value * weight for value, weight in pairs) / total_weight


def named_score(value: float | None, level_names: Sequence[str]) -> Score:
    """A score value, bounded to 0–4 and named after the level it has fully reached."""
    if value is None:
        return Score(None)
    value = min(float(MAX_LEVEL), max(0.0, value))
    return Score(value, level_name(level_reached(value), level_names))


def level_name(level: int | None, level_names: Sequence[str]) -> str:
    """The name of a level reached; empty when not scored (or the scale names fewer levels)."""
    return level_names[level] if level is not None and level < len(level_names) else ""


def _progress(questions: Iterable[QuestionSpec], answers: Mapping[int, AnswerValue]) -> Progress:
    answered = not_applicable = duty_not_applying = total = 0
    for question in questions:
        total += 1
        answer = answers.get(question.id)
        if answer is None:
            continue
        if answer.not_applicable:
            not_applicable += 1
        elif answer.duty_exemption:
            duty_not_applying += 1
        elif answer.level is not None:
            answered += 1
    return Progress(answered, not_applicable, total, duty_not_applying)


def _sum_progress(parts: Iterable[Progress]) -> Progress:
    parts = list(parts)
    return Progress(
        sum(p.answered for p in parts),
        sum(p.not_applicable for p in parts),
        sum(p.total for p in parts),
        sum(p.duty_not_applying for p in parts),
    )


def default_target(score: Score) -> int | None:
    """One level above the level reached, at most 4; none for an unscored dimension."""
    if score.level is None:
        return None
    return min(MAX_LEVEL, score.level + 1)


def score_dimension(
    dimension: DimensionSpec,
    answers: Mapping[int, AnswerValue],
    level_names: Sequence[str],
    target: int | None = None,
) -> DimensionResult:
    applicable = [
        (float(level), q.weight)
        for q in dimension.questions
        if q.id in answers and not answers[q.id].not_applicable and (level := answers[q.id].level) is not None
    ]
    score = named_score(_weighted_mean(applicable), level_names)
    weakest = sorted(
        (q for q in dimension.questions if q.id in answers and answers[q.id].level is not None),
        key=lambda q: (answers[q.id].level, -q.weight),
    )
    lowest = answers[weakest[0].id].level if weakest else None
    return DimensionResult(
        dimension_id=dimension.id,
        weight=dimension.weight,
        score=score,
        progress=_progress(dimension.questions, answers),
        target=default_target(score) if target is None else target,
        weakest_question_ids=tuple(q.id for q in weakest if answers[q.id].level == lowest),
        target_is_suggested=target is None,
    )


def score_assessment(
    framework: FrameworkSpec,
    answers: Mapping[int, AnswerValue],
    targets: Mapping[int, int] | None = None,
    *,
    today: datetime.date | None = None,
    uses_ai: bool | None = None,
) -> Result:
    """Scores, progress, gaps and the legal duties' state on ``today``.

    ``uses_ai`` is what the museum recorded: ``False`` (it uses no AI) sets aside the duties about
    AI in use; ``None`` (not said) and ``True`` leave them in place.
    """
    targets = targets or {}
    area_results = []
    for area in framework.areas:
        dimension_results = tuple(
            score_dimension(dimension, answers, framework.level_names, targets.get(dimension.id))
            for dimension in area.dimensions
        )
        area_value = _weighted_mean(
            [(d.score.value, d.weight) for d in dimension_results if d.score.value is not None]
        )
        area_results.append(
            AreaResult(
                area_id=area.id,
                score=named_score(area_value, framework.level_names),
                progress=_sum_progress(d.progress for d in dimension_results),
                dimensions=dimension_results,
            )
        )
    scored_areas = [(a.score.value, 1) for a in area_results if a.score.value is not None]
    flags, coming, not_applying = _duties(framework, answers, today=today, uses_ai=uses_ai)
    flagged_dimensions = {flag.dimension_id for flag in flags}
    all_dimensions = [d for a in area_results for d in a.dimensions]
    gaps = tuple(
        sorted(
            (d for d in all_dimensions if (d.gap or 0) > 0 or d.dimension_id in flagged_dimensions),
            key=lambda d: (d.dimension_id not in flagged_dimensions, -d.priority),
        )
    )
    return Result(
        overall=named_score(_weighted_mean(scored_areas), framework.level_names),
        progress=_sum_progress(a.progress for a in area_results),
        areas=tuple(area_results),
        compliance_flags=flags,
        gaps=gaps,
        coming_duties=coming,
        duties_not_applying=not_applying,
    )


def _duties(
    framework: FrameworkSpec,
    answers: Mapping[int, AnswerValue],
    *,
    today: datetime.date | None,
    uses_ai: bool | None,
) -> tuple[tuple[ComplianceFlag, ...], tuple[ComingDuty, ...], tuple[DutyNotApplying, ...]]:
    """Each legal duty is flagged, coming, not applying, or none of these (met, or not answered)."""
    flags: list[ComplianceFlag] = []
    coming: list[ComingDuty] = []
    not_applying: list[DutyNotApplying] = []
    for dimension in framework.dimensions:
        for question in dimension.questions:
            if not question.legal_duty:
                continue
            answer = answers.get(question.id, AnswerValue())
            reference = question.legal_reference
            if answer.duty_exemption:
                not_applying.append(
                    DutyNotApplying(question.id, dimension.id, answer.duty_exemption, reference)
                )
            elif question.only_if_ai_in_use and uses_ai is False:
                not_applying.append(DutyNotApplying(question.id, dimension.id, NO_AI_IN_USE, reference))
            elif not question.in_force(today):
                assert question.duty_applies_from is not None  # in_force() is False only with a date
                coming.append(
                    ComingDuty(question.id, dimension.id, question.duty_applies_from, answer.level, reference)
                )
            elif not answer.not_applicable and answer.level in COMPLIANCE_FLAG_LEVELS:
                assert answer.level is not None
                flags.append(ComplianceFlag(question.id, dimension.id, answer.level, reference))
    return tuple(flags), tuple(coming), tuple(not_applying)


PRIORITY_COUNT = 3


@dataclass(frozen=True)
class Priority:
    """One of the few things to do first: a legal duty to look at, or a dimension's gap.

    ``question_id`` is the question whose guidance is the one next step.
    """

    dimension: DimensionResult
    question_id: int
    flag: ComplianceFlag | None = None


def priorities(
    framework: FrameworkSpec,
    result: Result,
    answers: Mapping[int, AnswerValue],
    *,
    uses_ai: bool | None,
    foundations_only: bool,
    count: int = PRIORITY_COUNT,
) -> tuple[Priority, ...]:
    """The first ``count`` things to do, at most one per dimension: legal duties first, then gaps.

    Flags come heaviest first (dimension weight × question weight), then the gaps in their order
    (gap × weight). A museum that uses no AI (``uses_ai`` False) is never offered a question that
    presumes AI in use; one that decided not to use AI (``foundations_only``) gets its gaps from the
    foundation dimensions only. Legal duties stay first whatever the stance: the law does not depend
    on it, and the duties about AI in use are already set aside for a museum without AI.
    """
    dimensions = {d.id: d for d in framework.dimensions}
    questions = {q.id: q for d in framework.dimensions for q in d.questions}
    results = {d.dimension_id: d for a in result.areas for d in a.dimensions}

    def offered(question: QuestionSpec) -> bool:
        return offered_without_ai(question) if uses_ai is False else True

    chosen: list[Priority] = []
    flags = sorted(
        result.compliance_flags,
        key=lambda f: -dimensions[f.dimension_id].weight * questions[f.question_id].weight,
    )
    for flag in flags:
        if offered(questions[flag.question_id]) and all(
            p.dimension.dimension_id != flag.dimension_id for p in chosen
        ):
            chosen.append(Priority(results[flag.dimension_id], flag.question_id, flag))
    for gap in result.gaps:
        if any(p.dimension.dimension_id == gap.dimension_id for p in chosen):
            continue
        if foundations_only and not dimensions[gap.dimension_id].foundation:
            continue
        step = next_step(dimensions[gap.dimension_id], answers, offered)
        if step is not None:
            chosen.append(Priority(gap, step))
    return tuple(chosen[:count])


def offered_without_ai(question: QuestionSpec) -> bool:
    """Whether a question makes sense as a next step for a museum with no AI in use."""
    return not (question.presumes_ai_in_use or question.only_if_ai_in_use)


def next_step(
    dimension: DimensionSpec, answers: Mapping[int, AnswerValue], offered: Callable[[QuestionSpec], bool]
) -> int | None:
    """The question to move up first: answered lowest, heaviest among equals, below the top level."""
    candidates = [
        q
        for q in dimension.questions
        if offered(q)
        and q.id in answers
        and not answers[q.id].not_applicable
        and not answers[q.id].duty_exemption
        and (level := answers[q.id].level) is not None
        and level < MAX_LEVEL
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda q: (answers[q.id].level, -q.weight)).id
