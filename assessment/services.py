"""Writes: every change to museums, memberships and invitations goes through here.

Views validate input with forms, then call one of these functions. A
``ServiceError`` carries a message meant for the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessment import scoring, selectors
from assessment.models import (
    Answer,
    AreaScore,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    DimensionTarget,
    Invitation,
    Membership,
    Museum,
    Role,
)
from recommendations.models import Dimension, FrameworkVersion, Question

INVITATION_SALT = "museumai.invitation"


class ServiceError(Exception):
    """A rule the user broke, explained in words they can act on."""


def user_create(*, email: str, name: str, password: str):
    """A new account; the (lower-cased) email is also the username."""
    email = email.strip().lower()
    first, _sep, last = name.strip().partition(" ")
    user_model = get_user_model()
    return user_model.objects.create_user(
        username=email, email=email, password=password, first_name=first, last_name=last
    )


@transaction.atomic
def museum_create(
    *,
    user,
    name: str,
    country: str,
    city: str,
    museum_type: str,
    size_band: str,
    website: str = "",
) -> Museum:
    """A museum, with its creator as its first lead."""
    museum = Museum.objects.create(
        name=name, country=country, city=city, museum_type=museum_type, size_band=size_band, website=website
    )
    Membership.objects.create(user=user, museum=museum, role=Role.LEAD)
    return museum


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_send(
    *, museum: Museum, invited_by, email: str, role: str, accept_url_template: str
) -> Invitation:
    """Invite someone by email; a new invitation replaces a pending one to the same address.

    ``accept_url_template`` is the absolute acceptance URL with ``{token}`` in
    place of the token (the view knows the host, the service does not).
    """
    email = email.strip().lower()
    if role not in (Role.EDITOR, Role.VIEWER):
        raise ServiceError(_("Invite colleagues as editor or viewer; make them lead once they have joined."))
    if museum.memberships.filter(user__email__iexact=email).exists():
        raise ServiceError(
            _("%(email)s is already a member of %(museum)s.") % {"email": email, "museum": museum}
        )
    with transaction.atomic():
        Invitation.objects.filter(museum=museum, email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(museum=museum, email=email, role=role, invited_by=invited_by)
    context = {
        "invitation": invitation,
        "inviter": invited_by,
        "accept_url": accept_url_template.format(token=invitation_token(invitation)),
        "days": settings.INVITATION_MAX_AGE.days,
    }
    send_mail(
        subject=_("You are invited to assess %(museum)s's AI readiness") % {"museum": museum.name},
        message=render_to_string("assessment/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted."""
    try:
        invitation_id = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise ServiceError(
            _("This invitation has expired. Ask the museum's lead to send you a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise ServiceError(
            _("This invitation link is not valid. Check that you copied the whole link from the email.")
        ) from exc
    invitation = Invitation.objects.select_related("museum", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        raise ServiceError(_("This invitation has been withdrawn. Ask the museum's lead to send a new one."))
    if invitation.accepted_at is not None:
        raise ServiceError(_("This invitation has already been used. Each invitation link works once."))
    return invitation


def invitation_accept(*, token: str, user) -> Membership:
    """Join the museum; the link works once, and only for the address it was sent to."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        # Lock the row so that two simultaneous clicks cannot both use it.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ServiceError(_("This invitation has already been used. Each invitation link works once."))
        if invitation.email.lower() != (user.email or "").lower():
            raise ServiceError(
                _(
                    "This invitation was sent to %(email)s, but you are logged in as %(you)s. "
                    "Log out, then open the link again and sign in or sign up with %(email)s."
                )
                % {"email": invitation.email, "you": user.email or user.get_username()}
            )
        membership, _created = Membership.objects.get_or_create(
            user=user, museum_id=invitation.museum_id, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _ensure_another_lead_remains(membership: Membership) -> None:
    # Lock the museum's leads so that two leads demoting each other at once
    # cannot leave the museum without one.
    leads = list(
        Membership.objects.select_for_update().filter(museum_id=membership.museum_id, role=Role.LEAD)
    )
    is_lead = any(lead.pk == membership.pk for lead in leads)
    if is_lead and len(leads) <= 1:
        raise ServiceError(
            _("A museum always needs a lead. Make someone else lead first, then change this membership.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ServiceError(_("Choose lead, editor or viewer."))
    if role != Role.LEAD:
        _ensure_another_lead_remains(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    _ensure_another_lead_remains(membership)
    membership.delete()


def invitation_withdraw(*, invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise ServiceError(_("This invitation has already been accepted."))
    invitation.delete()


# --- Assessments --------------------------------------------------------------


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
    previous = (
        Assessment.objects.filter(museum=museum, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at")
        .first()
    )
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                museum=museum,
                framework=framework,
                started_by=user,
                copied_from=previous if copy_previous and previous else None,
            )
            if assessment.copied_from:
                _copy_answers(source=previous, target=assessment, user=user)
            assessment_rescore(assessment)
    except IntegrityError as exc:
        # The one-draft-per-museum constraint: a colleague started one a moment ago.
        raise ServiceError(
            _("Your museum already has an assessment in progress; continue that one.")
        ) from exc
    return assessment


def _copy_answers(*, source: Assessment, target: Assessment, user) -> None:
    """Copy answers and targets forward, matched on slugs so they survive a new framework version.

    Each copied answer keeps who gave it and when; its history records who copied it.
    """
    questions = {
        q.slug: q for q in Question.objects.filter(dimension__recommendation__framework=target.framework)
    }
    copies = [
        Answer(
            assessment=target,
            question=questions[answer.question.slug],
            level=answer.level,
            not_applicable=answer.not_applicable,
            not_applicable_reason=answer.not_applicable_reason,
            note=answer.note,
            answered_by_id=answer.answered_by_id,
            answered_at=answer.answered_at,
        )
        for answer in source.answers.select_related("question")
        if answer.question.slug in questions
    ]
    bulk_create_with_history(copies, Answer, default_user=user, default_change_reason="copied forward")
    dimensions = {d.slug: d for d in Dimension.objects.filter(recommendation__framework=target.framework)}
    DimensionTarget.objects.bulk_create(
        [
            DimensionTarget(
                assessment=target, dimension=dimensions[old.dimension.slug], level=old.level, set_by=user
            )
            for old in source.targets.select_related("dimension")
            if old.dimension.slug in dimensions
        ]
    )


@dataclass(frozen=True)
class AnswerInput:
    """What one question's part of the form posted."""

    question_id: int
    level: int | None
    not_applicable: bool
    not_applicable_reason: str
    note: str
    seen_version: int  # the answer's version when the page was loaded; 0 if there was none

    def same_as(self, answer: Answer | None) -> bool:
        return _parts(self) == _parts(answer)


def _parts(answer: Answer | AnswerInput | None) -> dict[str, object]:
    """The parts of an answer two colleagues may change independently: the level (or N/A), reason, note."""
    if answer is None:
        return {"value": (None, False), "reason": "", "note": ""}
    return {
        "value": (answer.level, answer.not_applicable),
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
            _write_answer(locked, answer, item, user)
            result.saved += 1
        if result.saved:
            assessment_rescore(locked)
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
    merged = {**other, **{part: own[part] for part in my_changes}}
    level, not_applicable = merged["value"]
    return AnswerInput(
        mine.question_id, level, not_applicable, merged["reason"], merged["note"], seen_version=theirs.version
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


def _write_answer(assessment: Assessment, answer: Answer | None, item: AnswerInput, user) -> None:
    if answer is None:
        answer = Answer(assessment=assessment, question_id=item.question_id, version=0)
    answer.level = None if item.not_applicable else item.level
    answer.not_applicable = item.not_applicable
    # Kept even when a level is chosen afterwards: nothing typed is thrown away.
    answer.not_applicable_reason = item.not_applicable_reason
    answer.note = item.note
    answer.version += 1
    answer.answered_by = user
    answer.answered_at = timezone.now()
    answer._history_user = user
    # save(), not QuerySet.update(): django-simple-history records every change.
    answer.save()


def targets_save(
    *, assessment: Assessment, user, changes: dict[int, tuple[int | None, int | None]]
) -> dict[int, int | None]:
    """Apply target changes (shown → chosen; ``None`` clears); returns the conflicts.

    A target a colleague changed since the page was loaded is kept, and
    reported as ``{dimension_id: their target}``.
    """
    conflicts: dict[int, int | None] = {}
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        stored = dict(locked.targets.values_list("dimension_id", "level"))
        for dimension_id, (shown, chosen) in changes.items():
            if chosen == shown:
                continue
            if stored.get(dimension_id) != shown:
                conflicts[dimension_id] = stored.get(dimension_id)
            elif chosen is None:
                DimensionTarget.objects.filter(assessment=locked, dimension_id=dimension_id).delete()
            else:
                DimensionTarget.objects.update_or_create(
                    assessment=locked, dimension_id=dimension_id, defaults={"level": chosen, "set_by": user}
                )
        assessment_rescore(locked)
    return conflicts


def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _ensure_draft(locked)
        locked.status = AssessmentStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save(update_fields=["status", "submitted_at", "submitted_by"])
        assessment_rescore(locked)
    return locked


# --- Stored scores ---------------------------------------------------------------


@dataclass
class ScoreRows:
    """What scoring.py computed for one assessment, as rows to store."""

    assessment_id: int
    fields: dict
    areas: list[AreaScore]
    dimensions: list[DimensionScore]


def score_rows(assessment_id: int, framework: FrameworkVersion, result: scoring.Result) -> ScoreRows:
    """Turn a scoring result into the stored columns and rows (no queries: framework prefetched)."""
    areas = []
    dimensions = []
    for area, area_result in zip(framework.recommendations.all(), result.areas, strict=True):
        areas.append(
            AreaScore(
                assessment_id=assessment_id, area=area, number=area.number, score=area_result.score.value
            )
        )
        for dimension_result in area_result.dimensions:
            dimensions.append(
                DimensionScore(
                    assessment_id=assessment_id,
                    dimension_id=dimension_result.dimension_id,
                    score=dimension_result.score.value,
                    target=dimension_result.target,
                    gap=dimension_result.gap,
                )
            )
    fields = {
        "overall_score": result.overall.value,
        "answered_count": result.progress.answered,
        "applicable_count": result.progress.applicable,
        "compliance_flags": "\n".join(flag.legal_reference for flag in result.compliance_flags),
    }
    return ScoreRows(assessment_id, fields, areas, dimensions)


def store_scores(rows: list[ScoreRows]) -> None:
    """Write (or overwrite) stored scores in bulk."""
    for row in rows:
        Assessment.objects.filter(pk=row.assessment_id).update(**row.fields)
    AreaScore.objects.bulk_create(
        [area for row in rows for area in row.areas],
        update_conflicts=True,
        unique_fields=["assessment", "area"],
        update_fields=["score", "number"],
        batch_size=2000,
    )
    DimensionScore.objects.bulk_create(
        [dimension for row in rows for dimension in row.dimensions],
        update_conflicts=True,
        unique_fields=["assessment", "dimension"],
        update_fields=["score", "target", "gap"],
        batch_size=2000,
    )


def assessment_rescore(assessment: Assessment, framework: FrameworkVersion | None = None) -> scoring.Result:
    """Recompute an assessment's scores with scoring.py and store them."""
    scored = selectors.scored_assessment(assessment, framework)
    store_scores([score_rows(assessment.pk, scored.framework, scored.result)])
    return scored.result
