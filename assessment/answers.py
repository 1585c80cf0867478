"""Assessments and their answers: start (copying the last one forward), copy forward into an empty
draft, save answers and targets without losing anybody's change, submit, discard a draft.

Every change rescores the assessment (``assessment/scores.py``) in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment import scores
from assessment.errors import ServiceError
from assessment.models import AiStance, Answer, Assessment, AssessmentStatus, DimensionTarget, Museum
from recommendations.models import Dimension, DutyExemption, FrameworkVersion, Question


def _ensure_draft(assessment: Assessment) -> None:
    if not assessment.is_draft:
        raise ServiceError(
            _(
                "This assessment was submitted on %(date)s and can no longer be changed. "
                "Start a new one to re-assess."
            )
            % {"date": formats.date_format(timezone.localtime(assessment.submitted_at), "DATE_FORMAT")}
        )


def assessment_start(*, museum: Museum, user, copy_previous: bool) -> Assessment:
    """A new draft on the current framework, optionally seeded with the last submitted answers."""
    framework = FrameworkVersion.objects.current()
    if framework is None:
        raise ServiceError(
            _("The questionnaire is not loaded yet. Ask your administrator to run load_framework.")
        )
    previous = Assessment.objects.filter(museum=museum).latest_submitted()
    source = previous if copy_previous else None
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                museum=museum, framework=framework, started_by=user, copied_from=source
            )
            if source is not None:
                _copy_answers(source=source, target=assessment, user=user)
            scores.rescore(assessment)
    except IntegrityError as exc:
        # The one-draft-per-museum constraint: a colleague started one a moment ago.
        raise ServiceError(
            _("Your museum already has an assessment in progress; continue that one.")
        ) from exc
    return assessment


def assessment_copy_previous(*, assessment: Assessment, user) -> Assessment:
    """Copy the last submitted answers into a draft nobody has answered yet; returns their source.

    Whoever started the draft (an editor may have started it empty), re-assessing can still begin
    from the last answers. Nothing typed is overwritten: once the draft has any answer, copying is
    refused; a target already set is kept.
    """
    with transaction.atomic():
        # Saving answers locks the assessment too, so a colleague's first answer cannot slip in between.
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        if locked.answers.exists():
            raise ServiceError(
                _(
                    "Colleagues have already answered in this assessment, so nothing was copied: "
                    "copying would replace their answers."
                )
            )
        source = Assessment.objects.filter(museum_id=locked.museum_id).latest_submitted()
        if source is None:
            raise ServiceError(_("Your museum has no submitted assessment to copy answers from."))
        _copy_answers(source=source, target=locked, user=user)
        locked.copied_from = source
        locked.save(update_fields=["copied_from"])
        scores.rescore(locked)
    return source


def assessment_discard(*, assessment: Assessment) -> None:
    """Delete a draft with its answers, targets, scores and the answers' history.

    A submitted assessment is never discarded: it is the museum's record, and NEMO's.
    """
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_draft:
            raise ServiceError(
                _("A submitted assessment cannot be discarded: it stays as your museum's record.")
            )
        assessment_id = locked.pk
        locked.delete()
        # Deleting the answers recorded their deletion; the draft's whole history goes with it.
        Answer.history.filter(assessment_id=assessment_id).delete()


def _copy_answers(*, source: Assessment, target: Assessment, user) -> None:
    """Copy answers and targets forward, matched on slugs so they survive a new framework version.

    Each copied answer keeps who gave it and when; its history records who copied it. Targets
    already set on the target assessment are kept.
    """
    questions = carried_questions(source.framework_id, target.framework_id)
    reasons = _exemption_slugs(target.framework_id)
    copies = [
        Answer(
            assessment=target,
            question=question,
            level=answer.level,
            not_applicable=answer.not_applicable,
            not_applicable_reason=answer.not_applicable_reason,
            duty_exemption=answer.duty_exemption,
            note=answer.note,
            answered_by_id=answer.answered_by_id,
            answered_at=answer.answered_at,
        )
        for answer in source.answers.select_related("question")
        if (question := questions.get(answer.question.slug)) is not None
        # A reason the new version no longer offers leaves the question to be answered again.
        and (not answer.duty_exemption or answer.duty_exemption in reasons.get(question.pk, set()))
    ]
    bulk_create_with_history(copies, Answer, default_user=user, default_change_reason="copied forward")
    if source.uses_ai is not None and target.uses_ai is None:
        Assessment.objects.filter(pk=target.pk).update(
            uses_ai=source.uses_ai,
            uses_ai_said_by=source.uses_ai_said_by,
            uses_ai_said_at=source.uses_ai_said_at,
            ai_stance=source.ai_stance,
            ai_stance_reasons=source.ai_stance_reasons,
        )
        target.refresh_from_db(
            fields=["uses_ai", "uses_ai_said_by", "uses_ai_said_at", "ai_stance", "ai_stance_reasons"]
        )
    dimensions = {d.slug: d for d in Dimension.objects.filter(recommendation__framework=target.framework)}
    already_set = set(target.targets.values_list("dimension__slug", flat=True))
    DimensionTarget.objects.bulk_create(
        [
            DimensionTarget(
                assessment=target,
                dimension=dimensions[old.dimension.slug],
                level=old.level,
                set_by=user,
                # A chosen horizon still ahead carries over; a past one would only be overdue.
                target_date=old.target_date
                if old.target_date is not None and old.target_date > timezone.localdate()
                else None,
            )
            for old in source.targets.select_related("dimension")
            if old.dimension.slug in dimensions and old.dimension.slug not in already_set
        ]
    )


def carried_questions(source_framework_id: int, target_framework_id: int) -> dict[str, Question]:
    """The target version's questions an answer to the source version's can be copied to, by slug.

    Within one version, all of them. Into a newer version, those that kept their slug and their
    meaning: a question marked ``revised`` asks something else now, and a new one was never asked.
    """
    questions = Question.objects.filter(dimension__recommendation__framework=target_framework_id)
    if source_framework_id != target_framework_id:
        questions = questions.filter(revised=False)
    return {question.slug: question for question in questions}


def questions_not_carried(assessment: Assessment) -> list[Question]:
    """After a move to a newer version: the questions new or changed since the copied assessment.

    Empty when nothing was copied or both assessments use the same version (two queries).
    """
    source = assessment.copied_from
    if source is None or source.framework_id == assessment.framework_id:
        return []
    old_slugs = set(
        Question.objects.filter(dimension__recommendation__framework=source.framework_id).values_list(
            "slug", flat=True
        )
    )
    return [
        question
        for question in Question.objects.filter(dimension__recommendation__framework=assessment.framework_id)
        .select_related("dimension__recommendation")
        .order_by("dimension__recommendation__number", "dimension__position", "position")
        if question.revised or question.slug not in old_slugs
    ]


def _exemption_slugs(framework_id: int) -> dict[int, set[str]]:
    reasons: dict[int, set[str]] = {}
    for question_id, slug in DutyExemption.objects.filter(
        question__dimension__recommendation__framework=framework_id
    ).values_list("question_id", "slug"):
        reasons.setdefault(question_id, set()).add(slug)
    return reasons


@dataclass(frozen=True)
class AnswerInput:
    """What one question's part of the form posted."""

    question_id: int
    level: int | None
    not_applicable: bool
    not_applicable_reason: str
    note: str
    seen_version: int  # the answer's version when the page was loaded; 0 if there was none
    duty_exemption: str = ""  # a legal duty stated not to apply, with this reason's slug

    def same_as(self, answer: Answer | None) -> bool:
        return _parts(self) == _parts(answer)


def _parts(answer: Answer | AnswerInput | None) -> dict[str, object]:
    """The parts of an answer two colleagues may change independently: the level (or N/A), reason, note."""
    if answer is None:
        return {"value": (None, False, ""), "reason": "", "note": ""}
    return {
        "value": (answer.level, answer.not_applicable, answer.duty_exemption),
        "reason": answer.not_applicable_reason,
        "note": answer.note,
    }


@dataclass(frozen=True)
class Conflict:
    """A colleague changed the answer after this page was loaded; theirs is kept."""

    submitted: AnswerInput
    current: Answer


@dataclass
class SaveResult:
    saved: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def answers_save(*, assessment: Assessment, user, inputs: list[AnswerInput]) -> SaveResult:
    """Save a page of answers; nobody's change is lost.

    Rows are locked (``select_for_update``) and versions compared inside one
    transaction. When a colleague saved the same answer since this page was
    loaded, the two changes are merged if they touch different parts (one the
    level, the other the note); if they touch the same part differently, it is a
    conflict and the first write survives.
    """
    result = SaveResult()
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        current = {
            answer.question_id: answer
            # of=("self",): lock the answers only; PostgreSQL cannot lock the nullable joined user.
            for answer in Answer.objects.select_for_update(of=("self",))
            .select_related("answered_by")
            .filter(assessment=locked, question_id__in=[i.question_id for i in inputs])
        }
        stale = [
            i
            for i in inputs
            if (current[i.question_id].version if i.question_id in current else 0) != i.seen_version
        ]
        seen_states = _states_seen(stale, current)
        writes: list[tuple[Answer | None, AnswerInput]] = []
        for item in inputs:
            answer = current.get(item.question_id)
            if item.same_as(answer):
                continue
            current_version = answer.version if answer else 0
            # No answer yet means no colleague's work to protect, whatever version the page claims.
            if answer is not None and current_version != item.seen_version:
                merged = _merge(item, seen_states.get(item.question_id), answer)
                if merged is None:
                    result.conflicts.append(Conflict(submitted=item, current=answer))
                    continue
                if merged.same_as(answer):
                    continue  # nothing of this person's is missing from the colleague's newer answer
                item = merged
            writes.append((answer, item))
        result.saved = _write_answers(locked, writes, user)
        if result.saved:
            scores.rescore(locked)
    return result


def _merge(mine: AnswerInput, seen: Answer | None, theirs: Answer) -> AnswerInput | None:
    """Three-way merge of one answer: the colleague's version plus this person's changed parts.

    ``None`` when both changed the same part differently, or when the version
    this person saw cannot be found.
    """
    if mine.seen_version and seen is None:
        return None
    base, own, other = _parts(seen), _parts(mine), _parts(theirs)
    my_changes = {part for part in own if own[part] != base[part]}
    if any(other[part] != base[part] and other[part] != own[part] for part in my_changes):
        return None
    # Each part from this person if they changed it, else from the colleague's answer.
    value, reason, note = (mine if part in my_changes else theirs for part in ("value", "reason", "note"))
    return AnswerInput(
        mine.question_id,
        value.level,
        value.not_applicable,
        reason.not_applicable_reason,
        note.note,
        seen_version=theirs.version,
        duty_exemption=value.duty_exemption,
    )


def _states_seen(stale: list[AnswerInput], current: dict[int, Answer]) -> dict[int, Answer]:
    """For stale inputs, the answer as it was at the version the person saw (from the history)."""
    wanted = [(i.question_id, i.seen_version) for i in stale if i.seen_version and i.question_id in current]
    if not wanted:
        return {}
    query = models.Q()
    for question_id, version in wanted:
        query |= models.Q(id=current[question_id].pk, version=version)
    seen = {}
    for record in Answer.history.filter(query).order_by("history_date"):
        seen[record.question_id] = record.instance
    return seen


ANSWER_PARTS = [
    "level",
    "not_applicable",
    "not_applicable_reason",
    "duty_exemption",
    "note",
    "version",
    "answered_by",
    "answered_at",
]


def _write_answers(assessment: Assessment, writes: list[tuple[Answer | None, AnswerInput]], user) -> int:
    """Write the changed answers and their history rows in bulk: four queries, however many answers."""
    now = timezone.now()
    created, updated = [], []
    for answer, item in writes:
        if answer is None:
            answer = Answer(assessment=assessment, question_id=item.question_id, version=0)
            created.append(answer)
        else:
            updated.append(answer)
        answer.level = None if item.not_applicable or item.duty_exemption else item.level
        answer.not_applicable = item.not_applicable and not item.duty_exemption
        answer.duty_exemption = item.duty_exemption
        # Kept even when a level is chosen afterwards: nothing typed is thrown away.
        answer.not_applicable_reason = item.not_applicable_reason
        answer.note = item.note
        answer.version += 1
        answer.answered_by = user
        answer.answered_at = now
    # The bulk helpers of django-simple-history record every change, as save() would.
    if created:
        bulk_create_with_history(created, Answer, default_user=user, default_date=now)
    if updated:
        bulk_update_with_history(updated, Answer, ANSWER_PARTS, default_user=user, default_date=now)
    return len(writes)


@dataclass
class TargetConflicts:
    """Targets a colleague changed since the page was loaded: theirs are kept, by dimension id."""

    levels: dict[int, int | None] = field(default_factory=dict)
    dates: dict[int, datetime.date | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.levels or self.dates)


def targets_save(
    *,
    assessment: Assessment,
    user,
    changes: Mapping[int, tuple[int | None, int | None]],
    dates: Mapping[int, tuple[datetime.date | None, datetime.date | None]] | None = None,
) -> TargetConflicts:
    """Apply target changes (shown → chosen; ``None`` clears) and date changes; returns the conflicts.

    A target level or date a colleague changed since the page was loaded is kept, and reported.
    A date belongs to a target level: clearing the level clears its date, and a date for a
    dimension without a level (a colleague cleared it meanwhile) is reported as a conflict.
    """
    conflicts = TargetConflicts()
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        stored = {
            dimension_id: (level, target_date)
            for dimension_id, level, target_date in locked.targets.values_list(
                "dimension_id", "level", "target_date"
            )
        }
        for dimension_id, (shown, chosen) in changes.items():
            if chosen == shown:
                continue
            theirs = stored.get(dimension_id, (None, None))[0]
            if theirs != shown:
                conflicts.levels[dimension_id] = theirs
            elif chosen is None:
                DimensionTarget.objects.filter(assessment=locked, dimension_id=dimension_id).delete()
            else:
                DimensionTarget.objects.update_or_create(
                    assessment=locked, dimension_id=dimension_id, defaults={"level": chosen, "set_by": user}
                )
        for dimension_id, (shown_date, chosen_date) in (dates or {}).items():
            if chosen_date == shown_date:
                continue
            their_date = stored.get(dimension_id, (None, None))[1]
            if their_date != shown_date:
                conflicts.dates[dimension_id] = their_date
                continue
            dated = DimensionTarget.objects.filter(assessment=locked, dimension_id=dimension_id).update(
                target_date=chosen_date, set_by=user, set_at=timezone.now()
            )
            if not dated and chosen_date is not None:
                conflicts.dates[dimension_id] = None
        scores.rescore(locked)
    return conflicts


def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        locked.status = AssessmentStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save(update_fields=["status", "submitted_at", "submitted_by"])
        scores.rescore(locked)
    return locked


def ai_stance_record(*, assessment: Assessment, user, stance: str, reasons: str = "") -> Assessment:
    """Record the museum's stance on AI, and so whether it uses AI; rescores, since duties depend on it.

    An empty stance clears it. Reasons are kept only for the stance "decided not to use AI".
    """
    reasons = reasons.strip() if stance == AiStance.NOT_BY_DECISION else ""
    uses_ai = AiStance.uses_ai(stance)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        if (locked.ai_stance, locked.ai_stance_reasons) != (stance, reasons):
            locked.ai_stance, locked.ai_stance_reasons = stance, reasons
            locked.uses_ai = uses_ai
            locked.uses_ai_said_by = user if stance else None
            locked.uses_ai_said_at = timezone.now() if stance else None
            locked.save(
                update_fields=[
                    "ai_stance",
                    "ai_stance_reasons",
                    "uses_ai",
                    "uses_ai_said_by",
                    "uses_ai_said_at",
                ]
            )
            scores.rescore(locked)
    return locked
