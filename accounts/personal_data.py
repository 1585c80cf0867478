"""A person's own data: everything the app holds about them, to download, and deleting their account.

What a person wrote for a museum (answers, notes, actions, register entries) belongs to the museum's
assessment as much as to them: deleting the account keeps it, without an author, and pages then say
"a former member" (``assessment.display.display_name``). What is theirs alone goes: the account, its
memberships, confirmed address and language, its sessions and its login records.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from accounts.models import ConfirmedEmail, LanguagePreference
from assessment.errors import ServiceError
from assessment.models import (
    Action,
    AiSystem,
    Answer,
    Assessment,
    Invitation,
    Membership,
    Museum,
    Role,
    SystemDuty,
)

FORMAT_VERSION = 1


def personal_data(user: User) -> dict[str, Any]:
    """Everything held about ``user``, as a JSON-ready record (dates as ISO 8601 text).

    A fixed number of queries, however much the person wrote: each part is one ``values()`` query.
    Only rows this person is named on are included, never a colleague's.
    """
    confirmed = ConfirmedEmail.objects.filter(user=user).values("email", "confirmed_at").first()
    language = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    record: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "email": user.email,
            "email_confirmed": confirmed,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": language or "",
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "memberships": list(
            Membership.objects.filter(user=user)
            .order_by("museum__name", "pk")
            .values("museum_id", "role", museum_name=models.F("museum__name"), joined=models.F("created_at"))
        ),
        "answers": list(
            Answer.objects.filter(answered_by=user)
            .order_by("assessment_id", "question_id")
            .values(*_ANSWER_FIELDS, "answered_at", "version", **_answer_names())
        ),
        "answer_history": list(
            Answer.history.filter(history_user=user)
            .order_by("history_date", "history_id")
            .values(
                *_ANSWER_FIELDS, "history_id", "history_date", "history_type", "version", **_answer_names()
            )
        ),
        "assessments": list(
            Assessment.objects.filter(
                models.Q(started_by=user) | models.Q(submitted_by=user) | models.Q(uses_ai_said_by=user)
            )
            .order_by("created_at", "pk")
            .values(
                "id",
                "created_at",
                "submitted_at",
                "ai_stance",
                "ai_stance_reasons",
                museum_name=models.F("museum__name"),
            )
            .annotate(
                started_by_you=_is(user, "started_by"),
                submitted_by_you=_is(user, "submitted_by"),
                ai_use_recorded_by_you=_is(user, "uses_ai_said_by"),
            )
        ),
        "actions": list(
            Action.objects.filter(
                models.Q(created_by=user) | models.Q(owner=user) | models.Q(updated_by=user)
            )
            .order_by("museum__name", "pk")
            .values(
                "id",
                "title",
                "description",
                "status",
                "status_note",
                "due_date",
                "done_on",
                "created_at",
                "updated_at",
                museum_name=models.F("museum__name"),
            )
            .annotate(
                created_by_you=_is(user, "created_by"),
                owned_by_you=_is(user, "owner"),
                last_changed_by_you=_is(user, "updated_by"),
            )
        ),
        "ai_systems": list(
            AiSystem.objects.filter(
                models.Q(created_by=user) | models.Q(owner=user) | models.Q(updated_by=user)
            )
            .order_by("museum__name", "pk")
            .values(
                "id",
                "name",
                "supplier",
                "use",
                "purpose",
                "notes",
                "evidence",
                "created_at",
                "updated_at",
                museum_name=models.F("museum__name"),
            )
            .annotate(
                registered_by_you=_is(user, "created_by"),
                owned_by_you=_is(user, "owner"),
                last_changed_by_you=_is(user, "updated_by"),
            )
        ),
        "duty_statuses": list(
            SystemDuty.objects.filter(updated_by=user)
            .order_by("system__museum__name", "system_id", "duty")
            .values(
                "duty",
                "status",
                "note",
                "evidence",
                "updated_at",
                museum_name=models.F("system__museum__name"),
                system_name=models.F("system__name"),
            )
        ),
        "invitations_sent": list(
            Invitation.objects.filter(invited_by=user)
            .order_by("created_at", "pk")
            .values(
                "email",
                "role",
                "language",
                "accepted_at",
                museum_name=models.F("museum__name"),
                sent=models.F("created_at"),
            )
        ),
    }
    return _json_ready(record)


# The parts of an answer (current or historical), with the question named by slug and text.
_ANSWER_FIELDS = (
    "assessment_id",
    "level",
    "not_applicable",
    "not_applicable_reason",
    "duty_exemption",
    "note",
)


def _answer_names() -> dict[str, models.F]:
    return {
        "museum_name": models.F("assessment__museum__name"),
        "question_slug": models.F("question__slug"),
        "question_text": models.F("question__text"),
    }


def _is(user: User, field: str) -> models.Case:
    return models.Case(
        models.When(**{f"{field}_id": user.pk}, then=models.Value(True)),
        default=models.Value(False),
        output_field=models.BooleanField(),
    )


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def museums_needing_a_new_lead(user: User) -> list[Museum]:
    """Museums where ``user`` is the only lead and others are members: they must hand over first."""
    led = Membership.objects.filter(user=user, role=Role.LEAD).values("museum_id")
    others = Membership.objects.filter(museum_id=models.OuterRef("pk")).exclude(user=user)
    return list(
        Museum.objects.filter(pk__in=led)
        .filter(models.Exists(others))
        .exclude(models.Exists(others.filter(role=Role.LEAD)))
        .order_by("name", "pk")
    )


def museums_left_without_members(user: User) -> list[Membership]:
    """The user's memberships of museums where they are the only member (with the museum loaded).

    Deleting the account leaves such a museum without anyone who can reach it; its submitted
    assessments still count in NEMO's anonymous sector figures. The account deletion page says so
    and offers to delete the museum first (``assessment.team.museum_delete``).
    """
    others = Membership.objects.filter(museum_id=models.OuterRef("museum_id")).exclude(user=user)
    return list(
        Membership.objects.filter(user=user)
        .exclude(models.Exists(others))
        .select_related("museum")
        .order_by("museum__name", "museum_id")
    )


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account; what the person wrote for their museums stays, without an author.

    Refused while they are a museum's only lead and it has other members: a museum always needs a
    lead (``assessment.team``). A museum where they are the only member stays, without members.
    """
    # Lock the memberships of the museums they lead, so that a lead handed over at the same moment
    # (or a colleague's own departure) cannot leave a museum without one.
    led = Membership.objects.filter(user=user, role=Role.LEAD).values("museum_id")
    list(Membership.objects.select_for_update().filter(museum_id__in=led).values_list("pk"))
    blocked = museums_needing_a_new_lead(user)
    if blocked:
        raise ServiceError(
            _(
                "You are the only lead of %(museums)s. Make another member lead on the team page "
                "first (or remove the other members), then delete your account."
            )
            % {"museums": ", ".join(museum.name for museum in blocked)}
        )
    _forget_in_history(user)
    # Invitations they accepted name their address; the membership they led to goes with the account.
    Invitation.objects.filter(accepted_by=user).delete()
    names = [user.username, user.email]
    login_records = models.Q(username__in=[n for n in names if n]) | models.Q(username__iexact=user.email)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(login_records).delete()
    _end_sessions(user)
    user.delete()


def _forget_in_history(user: User) -> None:
    """The audit history's copies of the user columns (answered by, owner …) no longer name them.

    ``history_user`` is nulled by its own ``SET_NULL``; the copied columns have no database
    constraint, so they would keep the deleted account's id.
    """
    user_model = get_user_model()
    for model in apps.get_models():
        if not issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.name != "history_user"
                and field.related_model is user_model
            ):
                model._default_manager.filter(**{field.attname: user.pk}).update(**{field.attname: None})


def _end_sessions(user: User) -> None:
    """Delete the sessions logged in to the account (database-backed sessions).

    Sessions do not index their user, so each live one is read once: account deletion is rare. A
    session kept elsewhere (a cache) is harmless: it names an account that no longer exists.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return
    session_model = store_class.get_model_class()
    theirs = [
        session.session_key
        for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    for key in theirs:
        store_class(session_key=key).delete(key)
