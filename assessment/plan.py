"""The museum's action plan, in one place: what the plan page reads, what a save writes.

One living plan per museum, carried across assessments (``models.Action``). Here:

- reads: the plan grouped by status (``plan_read``), the actions behind a filter (``plan_actions``),
  the owners to filter by, the actions counted per dimension slug (``action_counts_by_dimension``,
  for the targets and results pages), an action's history in words;
- a new action's first values from a question or a dimension (``action_prefill``);
- writes: ``action_create`` and ``action_update``. A save based on an older version than the stored
  one is a conflict: nothing is overwritten, and the person sees what the colleague changed
  (as ``answers.py`` treats answers, without the merge: an action is one person's sentence);
- the plan as a calendar (``plan_calendar``): one all-day event per due date.

Today is the site's today (``timezone.localdate``): an action due yesterday in Brussels is overdue,
whatever the server's clock says about UTC.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar, Event

from assessment.display import action_owner, display_name, display_name_from_parts, first_sentence
from assessment.errors import ServiceError
from assessment.exports import COLUMN_NAMES
from assessment.models import (
    ACTION_STATUS_ORDER,
    Action,
    ActionQuerySet,
    ActionStatus,
    Assessment,
    DimensionTarget,
    Membership,
    Museum,
    add_months,
)
from recommendations.models import Dimension, Question

# A new action is due this many months from today unless its dimension has a target date.
DEFAULT_DUE_MONTHS = 3
# A title made from a question's guidance: its first sentence, cut on a word near this length.
TITLE_FROM_GUIDANCE_LENGTH = 120


# --- Reads ---------------------------------------------------------------------------------


# Due first, undated last: the order every list of the plan follows (page, downloads, report).
PLAN_ORDER = (F("due_date").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class PlanFilters:
    """What the plan page shows: every action, or those of one owner, area, dimension or status.

    An owner is a member (``owner_id``), a name typed in (``owner_name``) or nobody yet (``nobody``).
    ``dimension`` is a slug, so that actions planned on an earlier framework version are found too;
    ``status`` is an ``ActionStatus`` or ``"open"`` (planned or in progress).
    """

    owner_id: int | None = None
    owner_name: str = ""
    nobody: bool = False
    area: int | None = None
    dimension: str = ""
    status: str = ""

    @property
    def any(self) -> bool:
        return self != PlanFilters()


OPEN = "open"


def plan_actions(museum_id: int, filters: PlanFilters | None = None) -> ActionQuerySet:
    """The museum's actions that pass the filters, soonest due first (no date last), with what pages name."""
    filters = filters or PlanFilters()
    actions = Action.objects.for_museum(museum_id)
    if filters.owner_id is not None:
        actions = actions.filter(owner_id=filters.owner_id)
    elif filters.owner_name:
        actions = actions.filter(owner__isnull=True, owner_name=filters.owner_name)
    elif filters.nobody:
        actions = actions.filter(owner__isnull=True, owner_name="")
    if filters.area is not None:
        actions = actions.filter(dimension__recommendation__number=filters.area)
    if filters.dimension:
        actions = actions.filter(dimension__slug=filters.dimension)
    if filters.status == OPEN:
        actions = actions.open()
    elif filters.status:
        actions = actions.filter(status=filters.status)
    return actions.order_by(*PLAN_ORDER)


@dataclass(frozen=True)
class PlanRow:
    action: Action
    overdue: bool


@dataclass(frozen=True)
class StatusGroup:
    status: ActionStatus
    rows: list[PlanRow]

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows)


@dataclass(frozen=True)
class Plan:
    """The plan as its page shows it: one group per status, in ``ACTION_STATUS_ORDER``."""

    groups: list[StatusGroup]
    today: datetime.date

    @property
    def total(self) -> int:
        return sum(len(group.rows) for group in self.groups)

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.groups)


def plan_read(
    *, museum_id: int, filters: PlanFilters | None = None, today: datetime.date | None = None
) -> Plan:
    """The plan grouped by status, each group soonest due first, overdue actions marked (one query)."""
    today = today or timezone.localdate()
    by_status: dict[str, list[PlanRow]] = defaultdict(list)
    for action in plan_actions(museum_id, filters):
        by_status[action.status].append(PlanRow(action, action.is_overdue(today)))
    return Plan([StatusGroup(status, by_status[status]) for status in ACTION_STATUS_ORDER], today)


@dataclass(frozen=True)
class OwnerOption:
    """An owner to filter the plan by: ``token`` is what the filter's address carries."""

    token: str
    label: str


NOBODY = "nobody"


def owner_token(*, owner_id: int | None = None, owner_name: str = "") -> str:
    """How the plan's filter names an owner in its address: ``user-12``, ``name:Jan Peeters``, ``nobody``."""
    if owner_id is not None:
        return f"user-{owner_id}"
    if owner_name:
        return f"name:{owner_name}"
    return NOBODY


def filters_for_owner(token: str) -> dict[str, Any]:
    """The ``PlanFilters`` fields an owner token stands for; ``ValueError`` for a token that is none."""
    if token == NOBODY:
        return {"nobody": True}
    if token.startswith("name:") and token[5:].strip():
        return {"owner_name": token[5:]}
    if re.fullmatch(r"user-[0-9]{1,18}", token):
        return {"owner_id": int(token[5:])}
    raise ValueError(token)


def owner_options(museum_id: int) -> list[OwnerOption]:
    """The owners the museum's actions have, by name: members (present or former) and names typed in.

    One query. "Nobody yet" comes first when some action has no owner.
    """
    rows = (
        Action.objects.filter(museum_id=museum_id)
        .order_by()
        .values_list("owner_id", "owner__first_name", "owner__last_name", "owner__email", "owner_name")
        .distinct()
    )
    options: dict[str, OwnerOption] = {}
    for owner_id, first, last, email, name in rows:
        if owner_id is not None:
            token = owner_token(owner_id=owner_id)
            options[token] = OwnerOption(token, display_name_from_parts(first, last, email))
        elif name:
            token = owner_token(owner_name=name)
            options[token] = OwnerOption(token, name)
        else:
            options[NOBODY] = OwnerOption(NOBODY, _("Nobody yet"))
    nobody = [options.pop(NOBODY)] if NOBODY in options else []
    return nobody + sorted(options.values(), key=lambda option: option.label.casefold())


@dataclass(frozen=True)
class ActionCounts:
    """A dimension's actions: still open (planned or in progress), and done."""

    open: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.open + self.done


def action_counts_by_dimension(museum_id: int) -> dict[str, ActionCounts]:
    """The museum's open and done actions per dimension slug (one query, whatever the plan's size).

    By slug, so that an action planned on an earlier framework version counts for the same
    dimension in a later one. Dropped actions count for neither.
    """
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"open": 0, "done": 0})
    for slug, status, number in (
        Action.objects.filter(museum_id=museum_id, dimension__isnull=False)
        .values_list("dimension__slug", "status")
        .annotate(number=Count("pk"))
        # No ordering: the model's default ordering would otherwise split the groups.
        .order_by()
    ):
        if status == ActionStatus.DONE:
            counts[slug]["done"] += number
        elif status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
            counts[slug]["open"] += number
    return {slug: ActionCounts(**numbers) for slug, numbers in counts.items()}


# --- A new action's first values -----------------------------------------------------------


@dataclass(frozen=True)
class ActionDraft:
    """What the new-action form starts with."""

    title: str = ""
    description: str = ""
    dimension: Dimension | None = None
    question: Question | None = None
    due_date: datetime.date | None = None


def action_prefill(
    *,
    museum_id: int,
    question: Question | None = None,
    dimension: Dimension | None = None,
    today: datetime.date | None = None,
) -> ActionDraft:
    """A new action from a question (its guidance as the step) or a dimension, due by the target date.

    The question's or dimension's framework version does not matter: framework content is public,
    and a plan outlives versions. Due: the dimension's target date in the museum's latest
    assessment when it has one still ahead, else ``DEFAULT_DUE_MONTHS`` from today (two queries).
    """
    today = today or timezone.localdate()
    if question is not None:
        dimension = question.dimension
    if dimension is None:
        return ActionDraft(due_date=add_months(today, DEFAULT_DUE_MONTHS))
    target = target_date(museum_id, dimension.slug)
    due = target if target is not None and target >= today else add_months(today, DEFAULT_DUE_MONTHS)
    if question is not None:
        return ActionDraft(
            title=title_from_guidance(question.guidance) or question.text[:TITLE_FROM_GUIDANCE_LENGTH],
            description=question.guidance,
            dimension=dimension,
            question=question,
            due_date=due,
        )
    return ActionDraft(
        title=_("Move up in “%(dimension)s”") % {"dimension": dimension.title},
        description=dimension.description,
        dimension=dimension,
        due_date=due,
    )


def target_date(museum_id: int, dimension_slug: str) -> datetime.date | None:
    """The date chosen for a dimension's target in the museum's latest assessment (by slug), if any."""
    latest = Assessment.objects.filter(museum_id=museum_id).order_by("-created_at", "-pk").values("pk")[:1]
    return (
        DimensionTarget.objects.filter(
            assessment=models.Subquery(latest), dimension__slug=dimension_slug, target_date__isnull=False
        )
        .values_list("target_date", flat=True)
        .first()
    )


# A sentence ends at ".", "!" or "?" followed by a space and a capital ("Art. 5" ends none).


def title_from_guidance(guidance: str) -> str:
    """A short imperative title from a question's guidance: its first sentence, at most ~120 characters.

    Cut on a word boundary with "…" when longer; the closing full stop dropped (a title has none).
    """
    text = first_sentence(" ".join(guidance.split())).rstrip(".")
    if len(text) <= TITLE_FROM_GUIDANCE_LENGTH:
        return text
    cut = text[: TITLE_FROM_GUIDANCE_LENGTH + 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


# --- Writes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    """What the action form posted."""

    title: str
    description: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    due_date: datetime.date | None = None
    status: str = ActionStatus.PLANNED
    status_note: str = ""
    done_on: datetime.date | None = None
    dimension_id: int | None = None
    question_id: int | None = None


# The parts of an action people change, in the order pages list them.
CHANGEABLE = [
    "title",
    "description",
    "dimension",
    "owner",
    "due_date",
    "status",
    "status_note",
    "done_on",
]


def action_create(*, museum: Museum, user, data: ActionInput) -> Action:
    """A new action in the museum's plan; its history's first row names who created it."""
    today = timezone.localdate()
    with transaction.atomic():
        action = Action(museum=museum, created_by=user, updated_by=user)
        _apply(action, _checked(museum.pk, data, current_owner_id=None), today)
        action._history_user = user  # type: ignore[attr-defined]
        action.save()
    return action


@dataclass(frozen=True)
class FieldChange:
    """One part of an action, before and after a change, in words."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ActionConflict:
    """A colleague saved the action after this person's page was loaded: theirs is kept."""

    current: Action
    changes: list[FieldChange]  # what they changed since the version this person saw


@dataclass(frozen=True)
class ActionSaved:
    action: Action
    changed: bool = True
    conflict: ActionConflict | None = None


def action_update(*, action: Action, user, data: ActionInput, seen_version: int) -> ActionSaved:
    """Save the form over the action, unless a colleague saved it since ``seen_version``.

    The row is locked and its version compared inside one transaction: a stale save changes
    nothing and returns the conflict, with the colleague's changes, so that the page can show
    them beside this person's typed values. A save that changes nothing writes nothing.
    """
    today = timezone.localdate()
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.version != seen_version:
            current = Action.objects.select_related("owner", "updated_by", "dimension").get(pk=locked.pk)
            return ActionSaved(
                current, changed=False, conflict=ActionConflict(current, changes_since(current, seen_version))
            )
        before = {name: _value(locked, name) for name in CHANGEABLE}
        _apply(locked, _checked(locked.museum_id, data, current_owner_id=locked.owner_id), today)
        if {name: _value(locked, name) for name in CHANGEABLE} == before:
            return ActionSaved(locked, changed=False)
        locked.version += 1
        locked.updated_by = user
        locked.updated_at = timezone.now()
        locked._history_user = user  # type: ignore[attr-defined]
        locked.save()
    return ActionSaved(locked)


def _checked(museum_id: int, data: ActionInput, *, current_owner_id: int | None) -> ActionInput:
    """The input, refused if it names an owner outside the museum or a question that does not exist.

    An owner who has left the team may stay the owner of what they already own.
    """
    if (
        data.owner_id is not None
        and data.owner_id != current_owner_id
        and not Membership.objects.filter(museum_id=museum_id, user_id=data.owner_id).exists()
    ):
        raise ServiceError(_("Choose the owner among the museum's members, or type a name."))
    if data.question_id is not None:
        dimension_of_question = (
            Question.objects.filter(pk=data.question_id).values_list("dimension_id", flat=True).first()
        )
        if dimension_of_question is None:
            raise ServiceError(_("The question this action came from no longer exists."))
        if data.dimension_id != dimension_of_question:
            # Moved to another dimension, or to none: the question no longer describes it.
            return _replace(data, question_id=None)
    return data


def _replace(data: ActionInput, **changes: Any) -> ActionInput:
    return ActionInput(**{**data.__dict__, **changes})


def _apply(action: Action, data: ActionInput, today: datetime.date) -> None:
    """Copy the input onto the action; the done date follows the status (today by default, else none)."""
    action.title = data.title.strip()
    action.description = data.description.strip()
    action.owner_id = data.owner_id
    action.owner_name = "" if data.owner_id is not None else data.owner_name.strip()
    action.due_date = data.due_date
    action.status = data.status
    action.status_note = data.status_note.strip()
    action.done_on = (data.done_on or today) if data.status == ActionStatus.DONE else None
    action.dimension_id = data.dimension_id
    action.question_id = data.question_id


def _value(action: Any, name: str) -> Any:
    """A changeable part's stored value (the owner: who, member or name)."""
    if name == "owner":
        return (action.owner_id, action.owner_name)
    if name == "dimension":
        return action.dimension_id
    return getattr(action, name)


# --- History and conflicts, in words -------------------------------------------------------


def _labels() -> dict[str, str]:
    """The names of an action's fields in its history: the downloads' column names, one home for both."""
    fields = ("title", "description", "dimension", "owner", "due_date", "status", "status_note", "done_on")
    return {field: str(COLUMN_NAMES[field]) for field in fields}


@dataclass
class _Names:
    """Owners' and dimensions' names for a list of changes, each looked up once."""

    people: dict[int, Any] = field(default_factory=dict)
    dimensions: dict[int, str] = field(default_factory=dict)

    def text(self, name: str, value: Any) -> str:
        if name == "owner":
            owner_id, owner_name = value
            if owner_id is not None:
                return display_name(self.people.get(owner_id))
            return owner_name or _("nobody yet")
        if name == "dimension":
            return self.dimensions.get(value, "") if value is not None else pgettext("no dimension", "none")
        if name == "status":
            return str(ActionStatus(value).label) if value in ActionStatus.values else str(value)
        if isinstance(value, datetime.date):
            return formats.date_format(value, "DATE_FORMAT")
        if value in (None, ""):
            return pgettext("an empty field", "empty")
        return str(value)


def _names_for(records: Iterable[Any]) -> _Names:
    """The people and dimensions that records mention: two queries at most, however many records."""
    records = list(records)
    people = {r.owner_id for r in records if r.owner_id is not None}
    dimensions = {r.dimension_id for r in records if r.dimension_id is not None}
    return _Names(
        people={user.pk: user for user in get_user_model().objects.filter(pk__in=people)} if people else {},
        dimensions=dict(Dimension.objects.filter(pk__in=dimensions).values_list("pk", "title"))
        if dimensions
        else {},
    )


def _differences(before: Any, after: Any, names: _Names) -> list[FieldChange]:
    labels = _labels()
    return [
        FieldChange(
            name, labels[name], names.text(name, _value(before, name)), names.text(name, _value(after, name))
        )
        for name in CHANGEABLE
        if _value(before, name) != _value(after, name)
    ]


def changes_since(current: Action, seen_version: int) -> list[FieldChange]:
    """What changed in the action since the version a person saw, from its history (empty: unknown)."""
    seen = Action.history.filter(id=current.pk, version=seen_version).order_by("-history_date").first()
    if seen is None:
        return []
    return _differences(seen, current, _names_for([seen, current]))


@dataclass(frozen=True)
class HistoryEntry:
    """One saved change of an action: when, by whom, and what changed (nothing listed: created)."""

    when: datetime.datetime
    who: Any
    created: bool
    changes: list[FieldChange]


def action_history(action: Action) -> list[HistoryEntry]:
    """The action's changes, newest first, each in words (three queries)."""
    records = list(
        Action.history.filter(id=action.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = _names_for(records)
    entries = []
    previous = None
    for record in records:
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                created=previous is None,
                changes=[] if previous is None else _differences(previous, record, names),
            )
        )
        previous = record
    return entries[::-1]


# --- The plan as a calendar ----------------------------------------------------------------


def plan_calendar(
    actions: Iterable[Action],
    *,
    name: str,
    url_of: Callable[[Action], str],
    domain: str,
    now: datetime.datetime | None = None,
) -> bytes:
    """An iCalendar file (RFC 5545) with one all-day event per action that has a due date.

    Outlook, Google Calendar and Apple Calendar import it. Each event's UID is
    ``action-<id>@<domain>``, so that importing a newer download updates the same events instead
    of adding copies; SEQUENCE follows the action's version. A dropped action's event is
    CANCELLED; a done one stays, its title ticked, its status in the description and categories. Events are
    transparent: a deadline does not make anyone busy.
    """
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//museumai//Action plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    labels = _labels()
    for action in actions:
        if action.due_date is None:
            continue
        event = Event()
        event.add("uid", f"action-{action.pk}@{domain}")
        event.add("dtstamp", now.astimezone(datetime.UTC))
        event.add("dtstart", action.due_date)
        if action.due_date < datetime.date.max:  # an all-day event ends the next day
            event.add("dtend", action.due_date + datetime.timedelta(days=1))
        # A done action stays in the calendar as a record, marked done in its title too.
        event.add("summary", f"✓ {action.title}" if action.status == ActionStatus.DONE else action.title)
        url = url_of(action)
        status = str(ActionStatus(action.status).label)
        lines = []
        if action.dimension is not None:
            lines.append(f"{labels['dimension']}: {_dimension_text(action.dimension)}")
        if action.question is not None:
            lines.append(f"{_('Question')}: {action.question.text}")
        lines.append(f"{labels['owner']}: {owner_text(action)}")
        lines.append(f"{labels['status']}: {status}")
        lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("url", url)
        event.add("status", "CANCELLED" if action.status == ActionStatus.DROPPED else "CONFIRMED")
        event.add("categories", [status])
        event.add("transp", "TRANSPARENT")
        event.add("sequence", max(action.version - 1, 0))
        event.add("created", action.created_at.astimezone(datetime.UTC))
        event.add("last-modified", action.updated_at.astimezone(datetime.UTC))
        calendar.add_component(event)
    return calendar.to_ical()


def _dimension_text(dimension: Dimension) -> str:
    """ "2. Transparency" style: the area's number, then the dimension (area loaded with the dimension)."""
    return f"{dimension.recommendation.number}. {dimension.title}"


def owner_text(action: Action) -> str:
    """Who owns the action, as the plan's pages say it: a member's name, a typed name, or nobody yet."""
    return action_owner(action) or _("nobody yet")
