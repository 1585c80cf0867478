"""The sector's AI registers, for NEMO: which kinds of system museums use, and which duties are open.

Small groups are never shown: a figure that would describe fewer than ``MIN_GROUP`` museums is
suppressed, 0 included (else a hidden figure would say "at least one museum"), and so is the smallest
other figure of its table when only one was, so that a total minus the visible figures cannot reveal
it. Every use and every duty of the rules has its row, so that a row's presence says nothing either.

What a system owes comes from the register's rules, applied in Python to every system (0.2 ms
each); the result is kept in the cache until a register changes, the rules change or the day ends.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from assessment.models import AiSystem, SystemDuty
from assessment.register import duty_records_by_system, system_entry
from nemo.suppression import MIN_GROUP, SMALL, Figure, suppressed
from recommendations.register_rules import RegisterRules, default_rules, rules_digest, rules_in

SECTOR_REGISTER_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class UseRow:
    slug: str
    label: str
    museums: Figure


@dataclass(frozen=True)
class SectorDutyRow:
    slug: str
    title: str
    reference: str
    museums: Figure  # museums with this duty applying now and not settled, for one system or more
    systems: int | None  # systems with it open (None when the museums are not shown)


@dataclass(frozen=True)
class SectorRegister:
    museums: int | None  # museums with at least one system registered (None: fewer than MIN_GROUP)
    systems: int | None
    uses: list[UseRow]
    duties: list[SectorDutyRow]
    today: datetime.date

    @property
    def any_suppressed(self) -> bool:
        return any(row.museums is None for row in self.uses) or any(
            row.museums is None for row in self.duties
        )


def _counts(
    rules: RegisterRules, today: datetime.date
) -> tuple[int, int, dict[str, set[int]], dict[str, list[int]]]:
    """Museums and systems in registers, museums per use, and (museum per open system) per duty."""
    records = duty_records_by_system(SystemDuty.objects.all())
    museums_by_use: dict[str, set[int]] = defaultdict(set)
    open_by_duty: dict[str, list[int]] = defaultdict(list)
    museums: set[int] = set()
    systems = 0
    for system in (
        AiSystem.objects.order_by().only("pk", "museum_id", "use", "answers").iterator(chunk_size=2000)
    ):
        entry = system_entry(system, today=today, rules=rules, records=records.get(system.pk, []))
        systems += 1
        museums.add(system.museum_id)
        museums_by_use[entry.triage.use.slug].add(system.museum_id)
        for row in entry.overdue:
            open_by_duty[row.slug].append(system.museum_id)
    return len(museums), systems, museums_by_use, open_by_duty


def sector_register(*, language: str, today: datetime.date | None = None) -> SectorRegister:
    """The sector's registers in aggregate, with small groups suppressed (kept in the cache, see above)."""
    today = today or timezone.localdate()
    rules = default_rules()
    state = AiSystem.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    duties_state = SystemDuty.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    key = (
        "sector-register:"
        + hashlib.sha256(repr((state, duties_state, rules_digest("en"), today)).encode()).hexdigest()
    )
    counted = cache.get(key)
    if counted is None:
        counted = _counts(rules, today)
        cache.set(key, counted, SECTOR_REGISTER_CACHE_SECONDS)
    museums, systems, museums_by_use, open_by_duty = counted
    words = rules_in(language)
    enough = museums >= MIN_GROUP
    nothing = Figure(None, SMALL)
    use_counts = suppressed([len(museums_by_use.get(slug, ())) for slug in words.uses])
    duty_counts = suppressed([len(set(open_by_duty.get(duty.slug, ()))) for duty in words.duties])
    return SectorRegister(
        museums=museums if enough else None,
        systems=systems if enough else None,
        uses=[
            UseRow(use.slug, use.label, figure if enough else nothing)
            for use, figure in zip(words.uses.values(), use_counts, strict=True)
        ],
        duties=[
            SectorDutyRow(
                duty.slug,
                duty.title,
                str(duty.legal_reference),
                figure if enough else nothing,
                len(open_by_duty[duty.slug]) if enough and figure.shown else None,
            )
            for duty, figure in zip(words.duties, duty_counts, strict=True)
        ],
        today=today,
    )
