"""Museums like yours: where a museum's scores stand among museums of its size, type and country.

Read from the sector summary (assessment/sector.py), never from another museum's assessment, and
only for groups of at least ``MIN_GROUP`` other museums: a smaller group falls back to every museum
counted, said so on the page. Each comparison is its own group; percentiles count the museums
below (and half of those level with) the museum's score; the group's median is a level, as on
NEMO's overview. A fixed number of queries, whatever the number of museums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from assessment import sector
from assessment.models import Museum
from assessment.sector import item_slots
from nemo.suppression import MIN_GROUP

LEVELS = (0, 1, 2, 3, 4)
# (key, summary column, who they are)
COMPARISONS = (
    ("size", "size_band", _("Museums of your size")),
    ("type", "museum_type", _("Museums of your type")),
    ("country", "country", _("Museums in your country")),
)
EVERYONE = "all"


@dataclass(frozen=True)
class Standing:
    """One score of the museum against a group."""

    key: str  # "overall", "area:<slug>", "dimension:<slug>"
    title: str
    score: float | None
    percentile: int | None  # the share of the group's museums scoring lower (ties count half), by 5
    median_level: int | None


@dataclass(frozen=True)
class Comparison:
    key: str  # "size", "type", "country"
    label: str  # who the museum is compared with
    narrow_label: str  # who it would be compared with, had there been enough of them
    museums: int
    fell_back: bool  # the narrow group was too small: compared with every museum instead
    standings: list[Standing]

    @property
    def overall(self) -> Standing:
        return self.standings[0]


@dataclass(frozen=True)
class Benchmarks:
    comparisons: list[Comparison]
    counted: bool  # the museum is counted in the sector figures itself
    too_few: bool  # fewer than MIN_GROUP other museums in all: no comparison at all

    @property
    def rows(self) -> list[tuple[Standing, list[tuple[Standing, Comparison]]]]:
        """Per score, the museum's standing in each comparison (the page's table rows)."""
        if not self.comparisons:
            return []
        return [
            (standing, [(comparison.standings[index], comparison) for comparison in self.comparisons])
            for index, standing in enumerate(self.comparisons[0].standings)
        ]

    @property
    def radar_median(self) -> list[int | None] | None:
        """The first comparison's median level per dimension, for the radar (None without one)."""
        if not self.comparisons:
            return None
        return [s.median_level for s in self.comparisons[0].standings if s.key.startswith("dimension:")]

    @property
    def radar_label(self) -> str:
        return self.comparisons[0].label if self.comparisons else ""


def museums_like(museum: Museum, items: Sequence[tuple[str, str, float | None]]) -> Benchmarks:
    """The museum's standing per item ``(key, title, score)`` among museums like it.

    Four queries; two once the summary's answer is in the cache (until the summary changes).
    """
    others = sector.equals("latest", True) & ~sector.equals("museum_id", museum.pk)
    # str(): a country is a django-countries object, which the database driver cannot take.
    group_of = {
        key: sector.equals(column, str(getattr(museum, column))) for key, column, _label in COMPARISONS
    }
    slots = item_slots()
    counted: dict[str, sector.Where] = {}
    for index, (key, _title, score) in enumerate(items):
        level_column, score_column = _columns(key, slots)
        if level_column is None or score_column is None:
            continue
        for level in LEVELS:
            counted[f"{index}_{level}"] = sector.equals(level_column, level)
        if score is not None:
            # The summary holds areas' and dimensions' scores in hundredths: compare like with like.
            stored = score if key == "overall" else sector.stored_score(score)
            counted[f"{index}_below"] = sector.below(score_column, stored)
            counted[f"{index}_level"] = sector.equals(score_column, stored)
    keys = [key for key, _column, _label in COMPARISONS]

    def count() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        (sizes,) = sector.aggregate(others, counts=dict(group_of))
        # One pass over the museums in any of the groups, split by which groups each is in: far
        # fewer rows and conditions than a count per group. Asked even when too few museums are
        # counted, so that a page costs the same queries whatever the data.
        wanted = others  # a group that falls back compares with every museum: all are needed
        if all(sizes[key] >= MIN_GROUP for key in keys):
            wanted = others & (group_of[keys[0]] | group_of[keys[1]] | group_of[keys[2]])
        conditions = [group_of[key] for key in keys]
        return sizes, sector.aggregate(wanted, counts=counted, group_by_conditions=conditions)

    sizes, parts = sector.cached(
        "benchmarks", (museum.pk, sorted(group_of.items()), sorted(counted.items())), count
    )
    sizes[EVERYONE] = sizes["museums"]
    chosen = {key: key if sizes[key] >= MIN_GROUP else EVERYONE for key in keys}
    counts: dict[str, dict[str, int]] = {group: {} for group in [*keys, EVERYONE]}
    for part in parts:
        member_of = [key for position, key in enumerate(keys) if part[f"condition_{position}"]]
        for group in [*member_of, EVERYONE]:
            for name in counted:
                counts[group][name] = counts[group].get(name, 0) + part[name]
    if sizes[EVERYONE] < MIN_GROUP:
        return Benchmarks([], museum.in_sector_figures, too_few=True)
    comparisons = []
    for key, _column, label in COMPARISONS:
        group = chosen[key]
        standings = [_standing(counts, group, index, item) for index, item in enumerate(items)]
        comparisons.append(
            Comparison(
                key=key,
                label=str(label) if group != EVERYONE else str(_("All museums counted")),
                narrow_label=str(label),
                museums=sizes[group],
                fell_back=group == EVERYONE,
                standings=standings,
            )
        )
    return Benchmarks(comparisons, museum.in_sector_figures, too_few=False)


def _columns(key: str, slots: dict[tuple[str, str], int]) -> tuple[str | None, str | None]:
    if key == "overall":
        return "overall_level", "overall_score"
    kind, _sep, slug = key.partition(":")
    slot = slots.get((kind, slug))
    return (f"level_{slot}", f"score_{slot}") if slot else (None, None)


def _standing(
    counts: dict[str, dict[str, int]], group: str, index: int, item: tuple[str, str, float | None]
) -> Standing:
    key, title, score = item
    of_group = counts[group]
    levels = [of_group.get(f"{index}_{level}", 0) for level in LEVELS]
    scored = sum(levels)
    median = None
    if scored >= MIN_GROUP:
        running = 0
        for level, count in zip(LEVELS, levels, strict=True):
            running += count
            if running >= scored / 2:
                median = level
                break
    percentile = None
    if score is not None and scored >= MIN_GROUP:
        below = of_group.get(f"{index}_below", 0) + of_group.get(f"{index}_level", 0) / 2
        # In steps of 5: finer steps in a small group would say how many others scored just below.
        percentile = 5 * round(20 * below / scored)
    return Standing(key, title, score, percentile, median)
