"""Small groups are never shown: which figures of a table must be hidden, in one place.

A figure that would describe fewer than ``MIN_GROUP`` museums is hidden, 0 included (else a
hidden figure would say "at least one museum"). Hiding it is not enough where figures add up:
a total minus the visible parts would give it back. So every set of figures that adds up (a
"relation": a row and its total, a column and the all-museums row, cells and a margin shown on
another page) must hide either nothing, or at least two figures that together describe at least
``MIN_GROUP`` museums; the smallest visible figure is hidden until that holds.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

# The fewest museums a figure may describe: below that, it could point at one museum.
MIN_GROUP = 5

SMALL = "small"  # fewer than MIN_GROUP museums (0 included)
WITHHELD = "withheld"  # enough museums, but showing it would reveal a small figure by differencing

HIDDEN_WORDS = {
    SMALL: _("fewer than %(min)s museums") % {"min": MIN_GROUP},
    WITHHELD: _("withheld: would reveal a smaller figure"),
}

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Figure:
    """A count as NEMO's pages and files show it: the number, or why it is not shown."""

    value: int | None
    hidden: str = ""  # SMALL, WITHHELD, or "" when shown

    @property
    def shown(self) -> bool:
        return not self.hidden


def hidden_keys(
    values: Mapping[Key, int],
    relations: Sequence[Sequence[Key]],
    *,
    known: Collection[Key] = (),
    hidden: Collection[Key] = (),
    unpublished: Collection[Key] = (),
) -> set[Key]:
    """The figures to hide among ``values``.

    ``relations`` are the sets of figures that add up (a total with its parts, in any order);
    ``known`` figures are shown elsewhere and never hidden here (margins of a cross-table);
    ``hidden`` are hidden already (a group hidden in every table); ``unpublished`` figures are
    never shown but need no protection (a remainder such as "met or not answered").

    A reader who knows every shown figure works out any hidden one that is alone in a relation,
    and from there others, relation by relation. Hiding goes on until no protected figure can be
    worked out, and the hidden figures of a relation never add up to fewer than ``MIN_GROUP``
    museums. Deterministic: the same data hides the same figures on every page and in every file.
    """
    order = {key: index for index, key in enumerate(values)}
    free = set(unpublished)
    out = (
        set(hidden) | free | {key for key, value in values.items() if value < MIN_GROUP and key not in known}
    )
    relations_of: dict[Key, list[int]] = defaultdict(list)
    for index, relation in enumerate(relations):
        for key in relation:
            relations_of[key].append(index)
    while True:
        broken = _broken_relations(values, relations, relations_of, out, free)
        added = False
        for index in broken:
            hidden_here = [key for key in relations[index] if key in out]
            if len(hidden_here) >= 2 and sum(values[key] for key in hidden_here) >= MIN_GROUP:
                continue  # mended by a figure hidden for another relation in this pass
            candidates = [key for key in relations[index] if key not in out and key not in known]
            if candidates:
                out.add(min(candidates, key=lambda key: (values[key], order[key])))
                added = True
        if not added:
            return out


def _broken_relations(
    values: Mapping[Key, int],
    relations: Sequence[Sequence[Key]],
    relations_of: Mapping[Key, list[int]],
    out: set[Key],
    free: set[Key],
) -> list[int]:
    """The relations through which a protected hidden figure, or a small sum of them, can be worked out."""
    unknown = set(out)
    unknown_count = [sum(key in unknown for key in relation) for relation in relations]
    broken: list[int] = []
    queue = deque(index for index, count in enumerate(unknown_count) if count == 1)
    while queue:
        index = queue.popleft()
        if unknown_count[index] != 1:
            continue
        (key,) = [key for key in relations[index] if key in unknown]
        if key not in free:
            broken.append(index)  # a protected figure would follow from the others
            continue
        unknown.discard(key)  # a remainder worked out: it may lead to the next one
        for other in relations_of[key]:
            unknown_count[other] -= 1
            if unknown_count[other] == 1:
                queue.append(other)
    for index, relation in enumerate(relations):
        left = [key for key in relation if key in unknown]
        if (
            index not in broken
            and len(left) >= 2
            and any(key not in free for key in left)
            and sum(values[key] for key in left) < MIN_GROUP
        ):
            broken.append(index)
    return broken


def figures(values: Mapping[Key, int], hidden: Collection[Key]) -> dict[Key, Figure]:
    """Each value as a Figure: SMALL when hidden below MIN_GROUP, WITHHELD when hidden to protect one."""
    return {
        key: Figure(None, SMALL if value < MIN_GROUP else WITHHELD) if key in hidden else Figure(value)
        for key, value in values.items()
    }


def suppressed(counts: list[int]) -> list[Figure]:
    """Counts that do not add up to a total shown (museums per kind of AI system, one museum in several).

    Every one below ``MIN_GROUP`` is hidden and, when only one was, the smallest other one too, so
    that nothing follows from comparing two pages over time either.
    """
    shown = [Figure(None, SMALL) if count < MIN_GROUP else Figure(count) for count in counts]
    if sum(not figure.shown for figure in shown) == 1:
        visible = [(figure.value, index) for index, figure in enumerate(shown) if figure.shown]
        if visible:
            shown[min(visible)[1]] = Figure(None, WITHHELD)
    return shown
