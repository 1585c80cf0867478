"""The museum's AI register, in one place: what its pages read, what a save writes.

A register is the museum's list of AI systems (``models.AiSystem``). What the law says of each one
(role, class, GDPR points, duties with their dates) is not stored: ``register_rules.triage`` works
it out on each read from the system's use and triage answers, on the site's today, in the reader's
language. What is stored is what only the museum knows: the answers, and where it stands on each
duty (``models.SystemDuty``, a row once someone said so; none means "not started").

Here:

- reads: the register with every system's triage and duty statuses (``register_read``, two queries
  whatever its size), one system (``system_entry``), the register in short for other pages
  (``RegisterSummary``: counts, the Art. 50(1) disclosure gaps the results page flags);
- writes: ``system_create``, ``system_update``, ``triage_save``, ``duty_save``, ``system_delete``.
  A save based on an older version than the stored one changes nothing and is reported as a
  conflict, so the page can keep what the person typed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import formats, timezone, translation

from assessment.errors import ServiceError
from assessment.models import AiSystem, DutyStatus, Membership, Museum, SystemDuty
from recommendations.register_rules import (
    CLASSES,
    Answer,
    Classification,
    DutyFinding,
    Facts,
    Question,
    RegisterRules,
    RoleFinding,
    Triage,
    rules_in,
    triage,
)

OTHER_USE = "other"
# The duties behind the Art. 50(1) flag: people must be told they are talking to an AI.
DISCLOSURE_DUTIES = ("check-ai-disclosure", "check-ai-disclosure-staff", "design-ai-disclosure")
# Duties whose neglect the results page flags beside the questionnaire's own legal-duty flags: a ban in
# force, and telling visitors they are talking to an AI (Art. 50(1), no transition).
FLAGGED_DUTIES = ("stop-prohibited-use", "stop-intimate-imagery", *DISCLOSURE_DUTIES)
# What the register says under each questionnaire question it informs: the duties it counts there
# (an empty tuple: every duty).
QUESTION_DUTIES: dict[str, tuple[str, ...]] = {
    "ai-systems-inventory": (),
    "ai-act-role-per-system": (),
    "prohibited-practices-check": ("stop-prohibited-use", "stop-intimate-imagery"),
    "high-risk-uses-checked": (
        "high-risk-deployer-duties",
        "inform-workers",
        "fundamental-rights-impact-assessment",
        "register-high-risk-use",
        "high-risk-provider-duties",
        "high-risk-existing-system",
    ),
    "ai-interaction-disclosure": DISCLOSURE_DUTIES,
    "generated-content-disclosure": (
        "mark-generated-content",
        "mark-generated-content-existing",
        "disclose-deepfake",
        "disclose-ai-text",
    ),
    "staff-ai-literacy": ("ai-literacy",),
    "dpia-before-high-risk-processing": ("gdpr-dpia",),
    "biometrics-red-lines": ("gdpr-special-category", "inform-exposed-people"),
    "visitor-data-in-ai-services": (
        "gdpr-lawful-basis",
        "gdpr-information",
        "gdpr-processor-contract",
        "gdpr-transfers",
    ),
    "ai-in-marketing-and-fundraising": ("gdpr-profiling", "gdpr-automated-decisions"),
}
# The class a register line shows first: the heaviest one that applies or is coming.
CLASS_ORDER = {slug: rank for rank, slug in enumerate(CLASSES)}


def current_rules() -> RegisterRules:
    """The rules in the language of the request being served."""
    return rules_in(translation.get_language() or "en")


def usable_facts(system: AiSystem, rules: RegisterRules) -> Facts:
    """The system's use and answers as the rules can take them.

    Rules change between versions: an answer to a question that no longer exists, an answer that is
    no longer one of its choices, or one that contradicts what the use now implies is set aside (it
    is kept in the database, unused). A use that no longer exists is triaged as "other".
    """
    use = rules.uses.get(system.use) or rules.uses[OTHER_USE]
    questions = {question.slug: question for question in rules.questions}
    answers: dict[str, Answer] = {}
    for slug, value in (system.answers or {}).items():
        question = questions.get(slug)
        if question is None or slug in use.implies:
            continue
        answer = _answer(question, value)
        if answer is not None:
            answers[slug] = answer
    return Facts(use.slug, answers)


def _answer(question: Question, value: Any) -> Answer | None:
    choices = {choice.slug for choice in question.choices}
    if question.type == "yes-no":
        return value if isinstance(value, bool) else None
    if question.type == "choice":
        return value if isinstance(value, str) and value in choices else None
    if isinstance(value, list | tuple) and all(isinstance(item, str) and item in choices for item in value):
        return tuple(value)
    return None


# --- In words ------------------------------------------------------------------------------


def class_name(slug: str) -> str:
    _ = translation.gettext
    return {
        "prohibited": _("Prohibited"),
        "high-risk": _("High-risk"),
        "transparency": _("Transparency duties"),
        "minimal": _("Minimal risk"),
    }.get(slug, slug)


def role_name(slug: str) -> str:
    _ = translation.gettext
    return {"deployer": _("Deployer"), "provider": _("Provider")}.get(slug, slug)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def class_words(item: Classification) -> str:
    """A class as a line of text: "High-risk (from 2 December 2027)" when it is still to come."""
    if item.status == "coming" and item.applies_from is not None:
        return translation.gettext("%(class)s (from %(date)s)") % {
            "class": class_name(item.slug),
            "date": _date(item.applies_from),
        }
    return class_name(item.slug)


def role_words(role: RoleFinding) -> str:
    """The museum's role, and the one a rule still to come gives it: "Deployer; provider from …"."""
    if role.coming_slug and role.coming_from:
        # Whole sentences, so that each language writes the roles in its own case.
        if (role.slug, role.coming_slug) == ("deployer", "provider"):
            return translation.gettext("Deployer; provider from %(date)s") % {"date": _date(role.coming_from)}
        return translation.gettext("%(role)s; from %(date)s: %(coming)s") % {
            "role": role_name(role.slug),
            "coming": role_name(role.coming_slug),
            "date": _date(role.coming_from),
        }
    return role_name(role.slug)


def timing_words(duty: DutyFinding) -> str:
    if duty.status == "coming" and duty.applies_from is not None:
        return translation.gettext("Coming: applies from %(date)s") % {"date": _date(duty.applies_from)}
    return translation.gettext("Applies now")


# --- Reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyRow:
    """A duty the triage lists for a system, with where the museum stands on it."""

    finding: DutyFinding
    record: SystemDuty | None

    @property
    def slug(self) -> str:
        return self.finding.slug

    @property
    def status(self) -> DutyStatus:
        return DutyStatus(self.record.status) if self.record is not None else DutyStatus.NOT_STARTED

    @property
    def settled(self) -> bool:
        return self.record is not None and self.record.settled

    @property
    def current(self) -> bool:
        return self.finding.status == "current"

    @property
    def overdue(self) -> bool:
        """It applies already and is neither done nor said not to apply."""
        return self.current and not self.settled

    @property
    def coming(self) -> bool:
        return self.finding.status == "coming"


@dataclass(frozen=True)
class RegisterEntry:
    """One system as the register shows it: the record, what the triage says, its duties."""

    system: AiSystem
    triage: Triage
    duties: list[DutyRow]

    @property
    def complete(self) -> bool:
        return self.triage.complete

    @property
    def use_label(self) -> str:
        return self.triage.use.label

    @property
    def heaviest_class(self) -> str:
        """The class to show first (prohibited, high-risk, transparency, minimal), current or coming."""
        return min(self.triage.classification_slugs, key=CLASS_ORDER.__getitem__, default="minimal")

    @property
    def overdue(self) -> list[DutyRow]:
        return [row for row in self.duties if row.overdue]

    @property
    def coming(self) -> list[DutyRow]:
        return [row for row in self.duties if row.coming]

    @property
    def disclosure_missing(self) -> bool:
        """People should be told they are talking to an AI, and the museum has not said it is done."""
        return any(row.slug in DISCLOSURE_DUTIES and row.overdue for row in self.duties)

    def duty(self, slug: str) -> DutyRow | None:
        return next((row for row in self.duties if row.slug == slug), None)


def system_entry(
    system: AiSystem,
    *,
    today: datetime.date,
    rules: RegisterRules,
    records: Iterable[SystemDuty] | None = None,
) -> RegisterEntry:
    """A system with its triage and duty statuses (``records``, else its prefetched ``duty_statuses``)."""
    result = triage(usable_facts(system, rules), today=today, rules=rules)
    by_duty = {record.duty: record for record in (system.duty_statuses.all() if records is None else records)}
    return RegisterEntry(system, result, [DutyRow(duty, by_duty.get(duty.slug)) for duty in result.duties])


@dataclass(frozen=True)
class Register:
    entries: list[RegisterEntry]
    today: datetime.date

    @property
    def systems(self) -> int:
        return len(self.entries)

    @property
    def overdue(self) -> int:
        return sum(len(entry.overdue) for entry in self.entries)

    @property
    def coming(self) -> int:
        return sum(len(entry.coming) for entry in self.entries)

    @property
    def incomplete(self) -> int:
        return sum(not entry.complete for entry in self.entries)

    @property
    def disclosure_missing(self) -> list[RegisterEntry]:
        return [entry for entry in self.entries if entry.disclosure_missing]

    @property
    def flags(self) -> list[tuple[RegisterEntry, DutyRow]]:
        """The systems' flagged duties that apply now and are not settled, for the results page."""
        return [
            (entry, row)
            for entry in self.entries
            for row in entry.duties
            if row.slug in FLAGGED_DUTIES and row.overdue
        ]

    def note_for(self, question_slug: str) -> RegisterNote | None:
        """What the register says under a questionnaire question it informs (``None`` for others)."""
        if question_slug not in QUESTION_DUTIES:
            return None
        wanted = QUESTION_DUTIES[question_slug]
        rows = [
            (entry, row) for entry in self.entries for row in entry.duties if not wanted or row.slug in wanted
        ]
        return RegisterNote(
            systems=self.systems,
            concerned=len({entry.system.pk for entry, _row in rows}),
            overdue=sum(row.overdue for _entry, row in rows),
            coming=sum(row.coming for _entry, row in rows),
            done=sum(row.settled for _entry, row in rows),
            overdue_systems=sorted(
                {entry.system.name for entry, row in rows if row.overdue}, key=str.casefold
            ),
            every_duty=not wanted,
        )

    def by_class(self) -> dict[str, int]:
        """How many systems show each class first, in the classes' order (classes with none left out)."""
        counts = dict.fromkeys(CLASSES, 0)
        for entry in self.entries:
            counts[entry.heaviest_class] += 1
        return {slug: count for slug, count in counts.items() if count}


@dataclass(frozen=True)
class RegisterNote:
    """The register's state under a questionnaire question: systems, and the duties that question covers."""

    systems: int
    concerned: int  # systems with at least one of the question's duties
    overdue: int
    coming: int
    done: int
    overdue_systems: list[str]
    every_duty: bool


def duty_records_by_system(records: Iterable[SystemDuty]) -> defaultdict[int, list[SystemDuty]]:
    """Duty statuses grouped by their system's id (one query for the lot, however many systems)."""
    grouped: defaultdict[int, list[SystemDuty]] = defaultdict(list)
    for record in records:
        grouped[record.system_id].append(record)
    return grouped


def register_read(
    museum_id: int, *, today: datetime.date | None = None, rules: RegisterRules | None = None
) -> Register:
    """The museum's register, every system triaged on `today` (two queries, whatever its size, even empty)."""
    today = today or timezone.localdate()
    rules = rules or current_rules()
    systems = list(AiSystem.objects.for_museum(museum_id))
    records = duty_records_by_system(SystemDuty.objects.filter(system__museum_id=museum_id))
    return Register(
        [system_entry(system, today=today, rules=rules, records=records[system.pk]) for system in systems],
        today,
    )


# --- Writes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemInput:
    """What the register's form for a system posted."""

    name: str
    use: str
    supplier: str = ""
    purpose: str = ""
    owner_id: int | None = None
    started_on: datetime.date | None = None
    next_review_on: datetime.date | None = None
    notes: str = ""
    evidence: str = ""


CHANGEABLE = [
    "name",
    "use",
    "supplier",
    "purpose",
    "owner_id",
    "started_on",
    "next_review_on",
    "notes",
    "evidence",
]


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: what is stored now, whether this save changed it, or a colleague's conflict."""

    system: AiSystem
    changed: bool = True
    conflict: bool = False


def _check(museum_id: int, data: SystemInput, *, current_owner_id: int | None, rules: RegisterRules) -> None:
    if data.use not in rules.uses:
        raise ServiceError(translation.gettext("Choose one of the uses listed."))
    if (
        data.owner_id is not None
        and data.owner_id != current_owner_id
        and not Membership.objects.filter(museum_id=museum_id, user_id=data.owner_id).exists()
    ):
        raise ServiceError(translation.gettext("The owner must be a member of the museum."))


def system_create(
    *, museum: Museum, user: Any, data: SystemInput, rules: RegisterRules | None = None
) -> AiSystem:
    """A new system in the museum's register; its history's first row names who registered it."""
    _check(museum.pk, data, current_owner_id=None, rules=rules or current_rules())
    system = AiSystem(museum=museum, created_by=user, updated_by=user)
    for name in CHANGEABLE:
        setattr(system, name, getattr(data, name))
    system._history_user = user  # type: ignore[attr-defined]
    system.save()
    return system


def system_update(
    *, system: AiSystem, user: Any, data: SystemInput, seen_version: int, rules: RegisterRules | None = None
) -> Saved:
    """Save the form over the system, unless a colleague saved it since ``seen_version``."""
    _check(system.museum_id, data, current_owner_id=system.owner_id, rules=rules or current_rules())
    with transaction.atomic():
        locked = _locked(system)
        if locked.version != seen_version:
            return Saved(_fresh(locked), changed=False, conflict=True)
        before = {name: getattr(locked, name) for name in CHANGEABLE}
        for name in CHANGEABLE:
            setattr(locked, name, getattr(data, name))
        if {name: getattr(locked, name) for name in CHANGEABLE} == before:
            return Saved(locked, changed=False)
        _stamp(locked, user)
    return Saved(locked)


def triage_save(
    *, system: AiSystem, user: Any, answers: Mapping[str, Answer], seen_version: int, rules: RegisterRules
) -> Saved:
    """Record the triage answers given on the page (others are kept), unless a colleague saved since.

    An answer must be one the question takes; a question left unanswered is removed from the record,
    so that clearing an answer is possible.
    """
    questions = {question.slug: question for question in rules.questions}
    for slug, value in answers.items():
        if slug not in questions or (value is not None and _answer(questions[slug], value) is None):
            raise ServiceError(translation.gettext("This page was out of date. Reload it and try again."))
    with transaction.atomic():
        locked = _locked(system)
        if locked.version != seen_version:
            return Saved(_fresh(locked), changed=False, conflict=True)
        stored = dict(locked.answers or {})
        for slug, value in answers.items():
            if value is None:
                stored.pop(slug, None)
            else:
                stored[slug] = list(value) if isinstance(value, tuple) else value
        if stored == (locked.answers or {}):
            return Saved(locked, changed=False)
        locked.answers = stored
        _stamp(locked, user)
    return Saved(locked)


@dataclass(frozen=True)
class DutySaved:
    """The outcome of a duty's save: the record as stored now, and whether this save changed it or met
    a colleague's (``conflict``: nothing of this person's was saved)."""

    record: SystemDuty
    changed: bool = True
    conflict: bool = False


def duty_save(
    *,
    system: AiSystem,
    duty: str,
    user: Any,
    status: str,
    note: str,
    evidence: str,
    seen_version: int,
) -> DutySaved:
    """Where the museum stands on one duty of the system, unless a colleague saved it since ``seen_version``.

    ``seen_version`` 0 means the page showed no record yet; a record made meanwhile is a conflict.
    """
    if status not in DutyStatus.values:
        raise ServiceError(translation.gettext("Choose one of the statuses listed."))
    with transaction.atomic():
        _locked(system)  # one save at a time per system, and none once it is removed
        record = SystemDuty.objects.select_for_update().filter(system=system, duty=duty).first()
        stored_version = record.version if record is not None else 0
        if stored_version != seen_version:
            if record is None:
                raise ServiceError(translation.gettext("This page was out of date. Reload it and try again."))
            return DutySaved(record, changed=False, conflict=True)
        if record is None:
            record = SystemDuty(system=system, duty=duty, version=0)
        elif (record.status, record.note, record.evidence) == (status, note, evidence):
            return DutySaved(record, changed=False)
        record.status, record.note, record.evidence = status, note, evidence
        _stamp(record, user)
    return DutySaved(record)


def system_delete(*, system: AiSystem, user: Any) -> None:
    """Remove a system from the register, with its duties' statuses (their history rows name who)."""
    with transaction.atomic():
        locked = _locked(system)
        for record in SystemDuty.objects.filter(system=locked):
            record._history_user = user  # type: ignore[attr-defined]
            record.delete()
        locked._history_user = user  # type: ignore[attr-defined]
        locked.delete()


def _locked(system: AiSystem) -> AiSystem:
    """The system's row, locked until the transaction ends; removed meanwhile: said, not a server error."""
    locked = AiSystem.objects.select_for_update().filter(pk=system.pk).first()
    if locked is None:
        raise ServiceError(
            translation.gettext("This system was removed from the register meanwhile: nothing was saved.")
        )
    return locked


def _stamp(row: AiSystem | SystemDuty, user: Any) -> None:
    """A change saved: a new version, by whom and when, in the history under their name."""
    row.version += 1
    row.updated_by = user
    row.updated_at = timezone.now()
    row._history_user = user  # type: ignore[union-attr]
    row.save()


def _fresh(system: AiSystem) -> AiSystem:
    return AiSystem.objects.select_related("owner", "updated_by").get(pk=system.pk)


# --- History ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    when: datetime.datetime
    who: Any
    what: str
    details: list[str] = field(default_factory=list)


def system_history(system: AiSystem, rules: RegisterRules) -> list[HistoryLine]:
    """The system's changes and its duties' status changes, newest first, in words (two queries)."""
    _ = translation.gettext
    duty_titles = {duty.slug: duty.title for duty in rules.duties}
    status_labels = dict(DutyStatus.choices)
    lines: list[HistoryLine] = []
    labels = {item.name: str(item.verbose_name) for item in AiSystem._meta.fields}
    unseen = ["version", "updated_at", "updated_by"]
    previous = None
    for record in system.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None:
            lines.append(
                HistoryLine(
                    record.history_date,
                    record.history_user,
                    translation.pgettext("register history", "Registered"),
                )
            )
        else:
            delta = record.diff_against(previous, excluded_fields=unseen)
            changed = {labels.get(change.field, change.field) for change in delta.changes}
            if changed:
                lines.append(
                    HistoryLine(
                        record.history_date,
                        record.history_user,
                        translation.pgettext("register history", "Changed"),
                        sorted(changed),
                    )
                )
        previous = record
    for record in (
        SystemDuty.history.filter(system_id=system.pk).select_related("history_user").order_by("history_date")
    ):
        title = duty_titles.get(record.duty, record.duty)
        if record.history_type == "-":
            continue
        lines.append(
            HistoryLine(
                record.history_date,
                record.history_user,
                _("“%(duty)s”: %(status)s") % {"duty": title, "status": status_labels.get(record.status, "")},
                [text for text in (record.note, record.evidence) if text],
            )
        )
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines
