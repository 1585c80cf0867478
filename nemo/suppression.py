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
) -> set[Key]:
    """The figures to hide among ``values``.

    ``relations`` are the sets of figures that add up (a total with its parts, in any order);
    ``known`` figures are shown elsewhere and never hidden here (margins of a cross-table);
    ``hidden`` are hidden already (a group hidden in every table). Deterministic: the same data
    hides the same figures on every page and in every file.
    """
    order = {key: index for index, key in enumerate(values)}
    out = set(hidden) | {key for key, value in values.items() if value < MIN_GROUP and key not in known}
    relations_of: dict[Key, list[int]] = defaultdict(list)
    hidden_count = [0] * len(relations)
    hidden_sum = [0] * len(relations)
    for index, relation in enumerate(relations):
        for key in relation:
            relations_of[key].append(index)
            if key in out:
                hidden_count[index] += 1
                hidden_sum[index] += values[key]

    def gives_one_back(index: int) -> bool:
        count = hidden_count[index]
        return count == 1 or (count >= 2 and hidden_sum[index] < MIN_GROUP)

    # Hiding more never makes a relation that was safe unsafe, except one that hid nothing: so only
    # the relations of a newly hidden figure need a second look.
    queue = deque(index for index in range(len(relations)) if gives_one_back(index))
    while queue:
        index = queue.popleft()
        if not gives_one_back(index):
            continue
        candidates = [key for key in relations[index] if key not in out and key not in known]
        if not candidates:
            continue
        chosen = min(candidates, key=lambda key: (values[key], order[key]))
        out.add(chosen)
        for other in relations_of[chosen]:
            hidden_count[other] += 1
            hidden_sum[other] += values[chosen]
            if gives_one_back(other):
                queue.append(other)
    return out


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
