"""The sector's figures for NEMO and for the open data, from the sector summary, with small groups hidden.

Every figure is counted over ``SectorResult`` (assessment/sector.py): per museum, its latest
submitted assessment (or, for one year, its latest submitted that year). Drafts never count,
nor do museums that chose not to be counted. One aggregate query gives a whole page, whatever
the number of museums: per group, museums at each level of every area and dimension, mean
scores, stances and the state of every legal duty.

Every table goes through nemo/suppression.py: a figure describing fewer than 5 museums is
hidden, and so is what would give it back by differencing (a total minus the visible figures,
or a cross-table minus the margins shown on another page).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from assessment import sector
from assessment.models import SECTOR_SCORE_SCALE, AiStance, MuseumType, SectorResult, SizeBand
from assessment.scoring import level_name, rounded
from assessment.sector import ANSWER_EXEMPT, ANSWER_NOT_APPLICABLE, ANSWER_UNANSWERED, item_slots
from nemo.suppression import MIN_GROUP, Figure, figures, hidden_keys
from recommendations.content import current_framework_content, level_names
from recommendations.models import FrameworkVersion

# What museums can be grouped by: the summary's column and the word for it.
GROUPINGS = {
    "country": ("country", _("Country")),
    "type": ("museum_type", _("Museum type")),
    "size": ("size_band", _("Size")),
    "stance": ("ai_stance", _("Stance on AI")),
    "year": ("year", _("Year of submission")),
}
# "year" is the trend: per year, each museum's latest assessment submitted that year.
BREAKDOWNS = ("country", "type", "size", "year")
CROSSINGS = ("country", "type", "size", "stance")
ALL = ("all",)  # the key of the row for every museum
LEVELS = (0, 1, 2, 3, 4)
NOT_SCORED = "none"
STANCES = (AiStance.USING, AiStance.EXPLORING, AiStance.NOT_BY_DECISION, "")
ANSWER_COLUMNS = ("0", "1", "2", "3", "4", "na", "exempt", "unanswered")


@dataclass(frozen=True)
class Selection:
    """What NEMO asked to see: groups (and a second grouping to cross them with), and which data."""

    by: str = "country"
    then: str = ""  # "" or another grouping: a cross-table (or each group split by stance)
    year: int | None = None  # None: each museum's latest assessment; else its latest in that year

    @classmethod
    def from_query(cls, query: Any) -> Selection:
        """From a page's query string; anything unknown falls back to the default (never an error)."""
        by = query.get("by", "country")
        by = by if by in BREAKDOWNS else "country"
        then = query.get("then", "")
        then = then if then in CROSSINGS and then != by and by != "year" else ""
        year_text = query.get("year", "")
        # isascii(): "²".isdigit() is true, but int() refuses it.
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
        if year is not None and not 2000 <= year < timezone.localdate().year:
            year = None  # only whole years: see years()
        return cls(by=by, then=then, year=year)

    @property
    def columns(self) -> list[str]:
        return [GROUPINGS[key][0] for key in self.groupings]

    @property
    def groupings(self) -> list[str]:
        return [key for key in (self.by, self.then) if key]

    @property
    def label(self) -> str:
        words = [str(GROUPINGS[key][1]) for key in self.groupings]
        return " × ".join(words)

    @property
    def is_trend(self) -> bool:
        return self.by == "year"

    def where(self, today: datetime.date | None = None) -> sector.Where:
        """The summary rows these figures count, as ``sector.aggregate`` takes them."""
        if self.is_trend:  # whole years only: see years()
            return sector.below("year", (today or timezone.localdate()).year)
        return sector.equals("latest", True) if self.year is None else sector.equals("year", self.year)

    def query(self) -> str:
        """The selection as a query string, for links to the same figures (page, CSV, XLSX)."""
        parts = {"by": self.by, "then": self.then, "year": self.year or ""}
        return urlencode({key: value for key, value in parts.items() if value})


@dataclass(frozen=True)
class Item:
    """What a level table is about: the overall score, an area or a dimension (of the current version)."""

    key: str  # "overall", "area:<slug>", "dimension:<slug>"
    title: str
    slot: int | None  # its summary columns (None: overall, or never assessed)
    kind: str

    def level_column(self) -> str | None:
        if self.kind == "overall":
            return "overall_level"
        return f"level_{self.slot}" if self.slot else None

    @property
    def scale(self) -> int:
        """What the score column holds per point of score (areas and dimensions: hundredths)."""
        return 1 if self.kind == "overall" else SECTOR_SCORE_SCALE

    def score_column(self) -> str | None:
        if self.kind == "overall":
            return "overall_score"
        return f"score_{self.slot}" if self.slot else None


@dataclass(frozen=True)
class Duty:
    slug: str
    text: str
    reference: str
    applies_from: datetime.date | None
    only_if_ai_in_use: bool
    slot: int | None

    def in_force(self, today: datetime.date) -> bool:
        return self.applies_from is None or today >= self.applies_from


@dataclass
class Row:
    """One group's line of a table: its total and its figures per column, hidden where small."""

    key: tuple[str, ...]
    label: str
    total: Figure
    cells: list[Figure]
    median: str = ""  # level tables: the median level's name and the quartiles' (shown groups only)
    quartiles: str = ""
    mean: float | None = None

    def share(self, index: int) -> int | None:
        """The column's share of the row, in percent (None when either is hidden)."""
        cell = self.cells[index]
        if cell.value is None or not self.total.value:
            return None
        return round(100 * cell.value / self.total.value)

    @property
    def with_shares(self) -> list[tuple[Figure, int | None]]:
        return [(cell, self.share(index)) for index, cell in enumerate(self.cells)]


@dataclass
class Table:
    key: str  # "level:overall", "level:area:<slug>", "stance", "duty:<slug>", "answers:<slug>"
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[Row]
    everyone: Row
    note: str = ""  # a legal reference, or what the table counts
    left_out: int = 0  # groups hidden but not among ``rows`` (a table read back from the open data)

    @property
    def width(self) -> int:
        return len(self.columns) + 2

    @property
    def hidden_rows(self) -> int:
        """Groups left out of the table: too small, or withheld so as not to reveal one."""
        return self.left_out + sum(not row.total.shown for row in self.rows)


@dataclass
class SectorFigures:
    selection: Selection
    framework: str
    computed_on: datetime.date
    museums: Figure  # museums counted (with a submitted assessment, not opted out)
    groups: list[Row]  # per group: its museums
    levels: list[Table]  # overall, then per area, then per dimension
    stance: Table
    duties: list[Table]
    question: Table | None = None

    @property
    def overall(self) -> Table:
        return self.levels[0]

    @property
    def areas(self) -> list[Table]:
        return [table for table in self.levels if table.key.startswith("level:area:")]

    @property
    def dimensions(self) -> list[Table]:
        return [table for table in self.levels if table.key.startswith("level:dimension:")]


def group_label(by: str, key: Any) -> str:
    if by == "year":
        return str(key)
    if by == "country":
        return str(countries.name(key)) or key
    if by == "stance":
        return str(AiStance(key).label) if key in AiStance.values else str(_("Stance not said"))
    choices = MuseumType if by == "type" else SizeBand
    return str(choices(key).label) if key in choices.values else key


def _order(by: str, key: Any) -> tuple[int, str]:
    """Sizes from small to large, stances in their order, years in time, the rest by name."""
    if by == "size":
        return (SizeBand.values.index(key) if key in SizeBand.values else 99, "")
    if by == "stance":
        return (STANCES.index(key) if key in STANCES else 99, "")
    if by == "year":
        return (int(key), "")
    return (0, group_label(by, key))


def _items(framework: FrameworkVersion | None, slots: dict[tuple[str, str], int]) -> list[Item]:
    items = [Item("overall", str(_("Overall")), None, "overall")]
    if framework is None:
        return items
    for area in framework.recommendations.all():
        items.append(
            Item(f"area:{area.slug}", f"{area.number}. {area.title}", slots.get(("area", area.slug)), "area")
        )
    for area in framework.recommendations.all():
        for dimension in area.dimensions.all():
            items.append(
                Item(
                    f"dimension:{dimension.slug}",
                    dimension.title,
                    slots.get(("dimension", dimension.slug)),
                    "dimension",
                )
            )
    return items


def _duties(framework: FrameworkVersion | None, slots: dict[tuple[str, str], int]) -> list[Duty]:
    if framework is None:
        return []
    return [
        Duty(
            question.slug,
            question.text,
            question.legal_reference,
            question.duty_applies_from,
            question.only_if_ai_in_use,
            slots.get(("question", question.slug)),
        )
        for area in framework.recommendations.all()
        for dimension in area.dimensions.all()
        for question in dimension.questions.all()
        if question.legal_duty
    ]


def _duty_conditions(duty: Duty, today: datetime.date) -> dict[str, sector.Where]:
    """The museums a duty is flagged for now (or coming for, before it applies) and those it does
    not apply to, by the day's law, as ``assessment.scoring`` decides them for one museum.

    Only the counts a duty table shows: each costs the database a test per museum.
    """
    column = f"answer_{duty.slot}"
    exempt = sector.equals(column, ANSWER_EXEMPT)
    # IS FALSE, not = false: a museum that has not said whether it uses AI has the duty (NULL = false
    # would leave it out of every count).
    no_ai = sector.is_false("uses_ai")
    name, counted = ("flag", sector.one_of(column, [0, 1])) if duty.in_force(today) else ("coming", ~exempt)
    if not duty.only_if_ai_in_use:
        return {"not_applying": exempt, name: counted}
    return {"not_applying": exempt | (sector.is_set(column) & no_ai), name: counted & ~no_ai}


def _aggregates(
    items: Sequence[Item], duties: Sequence[Duty], today: datetime.date
) -> tuple[dict[str, sector.Where], dict[str, str]]:
    """The counts and score sums of a page, named for ``_level_counts`` and ``_duty_counts`` to read."""
    counts: dict[str, sector.Where] = {}
    sums: dict[str, str] = {}
    for stance in STANCES:
        counts[f"stance_{stance or 'none'}"] = sector.equals("ai_stance", stance)
    for index, item in enumerate(items):
        level, score = item.level_column(), item.score_column()
        if level is None or score is None:
            continue
        for value in LEVELS:
            counts[f"i{index}_{value}"] = sector.equals(level, value)
        sums[f"i{index}_sum"] = score
    for index, duty in enumerate(duties):
        if duty.slot is None:
            continue
        for name, condition in _duty_conditions(duty, today).items():
            counts[f"d{index}_{name}"] = condition
    return counts, sums


def sector_figures(
    selection: Selection | None = None,
    *,
    today: datetime.date | None = None,
    cube: tuple[Sequence[str], list[dict[str, Any]]] | None = None,
) -> SectorFigures:
    """Every figure of the overview for a selection, small groups hidden.

    A cross-table is worked out one way round whichever way it is asked for (country × size and
    size × country hide the same cells), then turned for display: hiding depends on the order
    figures come in, and two orders could together give back a cell each one hides.
    """
    selection = selection or Selection()
    canonical, turned = _canonical(selection)
    figures = _sector_figures(canonical, today=today, cube=cube)
    if not turned:
        return figures
    figures.selection = selection
    figures.groups = _turned_rows(figures.groups, selection)
    for table in [*figures.levels, figures.stance, *figures.duties]:
        _turn(table, selection)
    return figures


def _canonical(selection: Selection) -> tuple[Selection, bool]:
    """The selection with its two groupings in the order of CROSSINGS, and whether they were turned."""
    by, then = selection.by, selection.then
    if then and by in CROSSINGS and CROSSINGS.index(then) < CROSSINGS.index(by):
        return Selection(by=selection.then, then=selection.by, year=selection.year), True
    return selection, False


def _turned_rows(rows: list[Row], selection: Selection) -> list[Row]:
    turned = []
    for row in rows:
        key = tuple(reversed(row.key))
        turned.append(dataclasses.replace(row, key=key, label=_group_label(selection, key)))
    return sorted(turned, key=lambda row: _group_order(selection, row.key))


def _group_label(selection: Selection, key: tuple[Any, ...]) -> str:
    """A group's name: "France", or "France · 1–9 staff" in a cross-table."""
    if key == ALL:
        return str(_("All museums"))
    return " · ".join(group_label(g, k) for g, k in zip(selection.groupings, key, strict=True))


def _group_order(selection: Selection, key: tuple[Any, ...]) -> list[tuple[int, str]]:
    return [_order(g, k) for g, k in zip(selection.groupings, key, strict=True)]


def _groups(
    selection: Selection, rows: dict[tuple[Any, ...], dict[str, Any]]
) -> tuple[list[tuple[Any, ...]], Any, dict[tuple[Any, ...], int], set[tuple[Any, ...]]]:
    """The groups of an aggregate in display order, their names, their sizes, and those hidden."""
    group_keys = sorted(rows, key=lambda key: _group_order(selection, key))
    labels = {key: _group_label(selection, key) for key in [*group_keys, ALL]}
    sizes = {key: rows[key]["museums"] for key in group_keys}
    hidden = _hidden_groups(sizes, sum(sizes.values()), crossed=bool(selection.then))
    return group_keys, labels.__getitem__, sizes, hidden


def _turn(table: Table, selection: Selection) -> None:
    table.rows = _turned_rows(table.rows, selection)


def _sector_figures(
    selection: Selection,
    *,
    today: datetime.date | None = None,
    cube: tuple[Sequence[str], list[dict[str, Any]]] | None = None,
) -> SectorFigures:
    """The figures of a selection whose cross-table, if any, is the right way round."""
    today = today or timezone.localdate()
    framework = current_framework_content()
    slots = item_slots()
    items = _items(framework, slots)
    duties = _duties(framework, slots)
    names = level_names(framework) if framework else ()
    columns = selection.columns
    if cube is None:
        counts, sums = _aggregates(items, duties, today)
        rows = sector.cached(
            "figures",
            (columns, selection.where(today), sorted(counts.items()), sorted(sums.items())),
            lambda: sector.aggregate(selection.where(today), columns, counts=counts, sums=sums),
        )
    else:
        rows = _rolled_up(*cube, columns)
    raw = {tuple(row[column] for column in columns): row for row in rows}
    group_keys, label, sizes, hidden_groups = _groups(selection, raw)
    total = sum(sizes.values())

    def table(
        key: str,
        title: str,
        column_keys: list[tuple[str, str]],
        counts_of: Any,
        note: str = "",
        unpublished: int | None = None,
    ) -> Table:
        per_group = {g: counts_of(raw[g]) for g in group_keys}
        crossed = bool(selection.then)
        return _table(
            key,
            title,
            column_keys,
            per_group,
            hidden_groups,
            label,
            crossed=crossed,
            note=note,
            unpublished=unpublished,
        )

    level_columns = [(str(level), level_name(level, names) or str(level)) for level in LEVELS]
    level_columns.append((NOT_SCORED, str(_("Not scored"))))
    level_tables = []
    for index, item in enumerate(items):
        if selection.then and item.kind == "dimension":
            continue  # a cross-table shows the overall level and the areas; dimensions are per group
        level_tables.append(
            _with_levels(
                table(
                    f"level:{item.key}", item.title, level_columns, lambda row, i=index: _level_counts(row, i)
                ),
                {g: raw[g] for g in group_keys},
                index,
                names,
                item.scale,
            )
        )
    stance_columns = [(stance or "none", group_label("stance", stance)) for stance in STANCES]
    stance_table = table(
        "stance",
        str(_("Stance on AI")),
        stance_columns,
        lambda row: ([row[f"stance_{key}"] for key, _label in stance_columns], row["museums"]),
    )
    duty_columns = [
        ("flag", str(_("Flagged: in force, answered 0 or 1"))),
        ("coming", str(_("Coming: applies from a later date"))),
        ("not_applying", str(_("Does not apply"))),
        ("other", str(_("Met or not answered"))),
    ]
    duty_tables = []
    for index, duty in enumerate(duties):
        if selection.then:
            break  # duties are shown per group, not crossed
        # A duty in force has nothing coming, one not yet in force nothing flagged: no empty column.
        shown_columns = [
            column for column in duty_columns if column[0] != ("coming" if duty.in_force(today) else "flag")
        ]
        duty_names = [key for key, _label in shown_columns]
        duty_tables.append(
            table(
                f"duty:{duty.slug}",
                duty.text,
                shown_columns,
                lambda row, i=index, names=duty_names: _duty_counts(row, i, names),
                duty.reference,
                unpublished=len(duty_names) - 1,  # "met or not answered"
            )
        )
    return SectorFigures(
        selection=selection,
        framework=str(framework) if framework else "",
        computed_on=today,
        museums=Figure(total) if total >= MIN_GROUP else Figure(None, "small"),
        groups=[Row(g, label(g), _group_figure(sizes[g], g in hidden_groups), []) for g in group_keys],
        levels=level_tables,
        stance=stance_table,
        duties=duty_tables,
    )


def figures_cube(columns: Sequence[str], *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Each museum's latest figures grouped by several columns at once, for ``sector_figures(cube=…)``
    to add up per grouping: one query for several pages' worth of figures (the open data)."""
    framework = current_framework_content()
    slots = item_slots()
    counts, sums = _aggregates(
        _items(framework, slots), _duties(framework, slots), today or timezone.localdate()
    )
    latest = sector.equals("latest", True)
    return sector.cached(
        "cube",
        (tuple(columns), sorted(counts.items()), sorted(sums.items())),
        lambda: sector.aggregate(latest, columns, counts=counts, sums=sums),
    )


def _rolled_up(
    cube_columns: Sequence[str], rows: list[dict[str, Any]], columns: Sequence[str]
) -> list[dict[str, Any]]:
    """Finer groups added up into coarser ones (every figure is a count or a sum, so they add up)."""
    assert set(columns) <= set(cube_columns), "a cube only adds up into groups of its own columns"
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[column] for column in columns)
        total = totals.setdefault(key, dict(zip(columns, key, strict=True)))
        for name, value in row.items():
            if name not in cube_columns:
                total[name] = (total.get(name) or 0) + (value or 0)
    return list(totals.values())


def _level_counts(row: dict[str, Any], index: int) -> tuple[list[int], int]:
    counts = [row.get(f"i{index}_{level}", 0) for level in LEVELS]
    return [*counts, row["museums"] - sum(counts)], row["museums"]


def _duty_counts(row: dict[str, Any], index: int, names: list[str]) -> tuple[list[int], int]:
    """The museums per column, the last ("other", never shown) being the rest: met, not answered, or
    on a version without the question. The total is the group's: how many museums are on another
    version is not a figure to give."""
    counts = [row.get(f"d{index}_{name}", 0) for name in names[:-1]]
    return [*counts, row["museums"] - sum(counts)], row["museums"]


def _group_figure(size: int, hidden: bool) -> Figure:
    if not hidden:
        return Figure(size)
    return Figure(None, "small" if size < MIN_GROUP else "withheld")


def _hidden_groups(sizes: dict[tuple[str, ...], int], total: int, *, crossed: bool) -> set[tuple[str, ...]]:
    """Groups too small to show, and those hidden so that the total minus the others cannot reveal one.

    In a cross-table, each first and second group's total is shown on another page: they are
    margins the reader knows.
    """
    values: dict[Any, int] = {("size", key): size for key, size in sizes.items()}
    relations: list[list[Any]] = []
    known: set[Any] = set()
    if crossed:
        for position in (0, 1):
            margins: dict[str, list[Any]] = {}
            for key in sizes:
                margins.setdefault(key[position], []).append(("size", key))
            for value, members in margins.items():
                margin = ("margin", position, value)
                values[margin] = sum(sizes[member[1]] for member in members)
                known.add(margin)
                relations.append([*members, margin])
    else:
        values[("size", ALL)] = total
        relations.append([*(("size", key) for key in sizes), ("size", ALL)])
    return {key[1] for key in hidden_keys(values, relations, known=known) if key[0] == "size"}


def _table(
    key: str,
    title: str,
    columns: list[tuple[str, str]],
    per_group: dict[tuple[str, ...], tuple[list[int], int]],
    hidden_groups: set[tuple[str, ...]],
    label: Any,
    *,
    crossed: bool,
    note: str = "",
    unpublished: int | None = None,
) -> Table:
    """A table of counts per group and column, each figure hidden where it must be.

    The all-museums row is suppressed on its own (the same on every page); the groups' figures
    then so that no row, no column and, in a cross-table, no margin gives a hidden one back.
    The ``unpublished`` column counts in the sums but is never shown: a remainder nobody needs
    (duties met or not answered), which keeps the small figures beside it from being worked out.
    """
    width = len(columns)
    never_shown = (
        {("cell", group, unpublished) for group in [*per_group, ALL]} if unpublished is not None else set()
    )
    all_counts = [sum(counts[i] for counts, _total in per_group.values()) for i in range(width)]
    all_total = sum(total for _counts, total in per_group.values())
    everyone_values: dict[Any, int] = {("cell", ALL, i): count for i, count in enumerate(all_counts)} | {
        ("total", ALL): all_total
    }
    everyone_hidden = hidden_keys(
        everyone_values, [list(everyone_values)], unpublished=never_shown & set(everyone_values)
    )
    values: dict[Any, int] = dict(everyone_values)
    relations: list[list[Any]] = []
    forced: set[Any] = set()
    for group, (counts, total) in per_group.items():
        row_keys = [("cell", group, i) for i in range(width)]
        values.update(zip(row_keys, counts, strict=True))
        values[("total", group)] = total
        relations.append([*row_keys, ("total", group)])
        if group in hidden_groups:
            forced.update([*row_keys, ("total", group)])
    known: set[Any] = {k for k in everyone_values if k not in everyone_hidden}
    if crossed:
        for position in (0, 1):
            for value in {group[position] for group in per_group}:
                members = [group for group in per_group if group[position] == value]
                for i in [*range(width), "total"]:
                    margin = ("margin", position, value, i)
                    parts = [("total", g) if i == "total" else ("cell", g, i) for g in members]
                    values[margin] = sum(values[part] for part in parts)
                    known.add(margin)
                    relations.append([*parts, margin])
    else:
        for i in range(width):
            relations.append([*(("cell", g, i) for g in per_group), ("cell", ALL, i)])
        relations.append([*(("total", g) for g in per_group), ("total", ALL)])
    hidden = hidden_keys(
        values,
        relations,
        known=known,
        hidden=forced | (everyone_hidden - never_shown),
        unpublished=never_shown,
    )
    shown = figures(values, hidden)
    published = [i for i in range(width) if i != unpublished]
    rows = [
        Row(group, label(group), shown[("total", group)], [shown[("cell", group, i)] for i in published])
        for group in per_group
    ]
    everyone = Row(ALL, label(ALL), shown[("total", ALL)], [shown[("cell", ALL, i)] for i in published])
    return Table(key, title, [columns[i] for i in published], rows, everyone, note)


def _quantile_levels(counts: Sequence[int], names: Sequence[str]) -> tuple[str, str]:
    """The median level's name, and the lower and upper quartiles' (nearest rank), of a level count."""
    scored = sum(counts)
    if not scored:
        return "", ""

    def at(share: float) -> str:
        running = 0
        for level, count in zip(LEVELS, counts, strict=True):
            running += count
            if running >= share * scored:
                return level_name(level, names) or str(level)
        return ""

    return at(0.5), f"{at(0.25)} – {at(0.75)}"


def _with_levels(
    table: Table, raw: dict[tuple[str, ...], dict[str, Any]], index: int, names: Sequence[str], scale: int
) -> Table:
    """Median, quartiles and mean score on each shown row (a group of at least 5 museums)."""

    def describe(row: Row, stats: dict[str, Any]) -> None:
        if not row.total.shown:
            return
        counts = [stats.get(f"i{index}_{level}", 0) for level in LEVELS]
        row.median, row.quartiles = _quantile_levels(counts, names)
        # Every museum with a level has a score: the mean is over those. One decimal only: with two,
        # the means of two overlapping groups (all large museums, all French ones) could give back
        # the score of the one museum that is in one but not the other.
        total = stats.get(f"i{index}_sum")
        row.mean = (
            rounded(float(total) / sum(counts) / scale, 1)
            if counts and sum(counts) and total is not None
            else None
        )

    for row in table.rows:
        describe(row, raw[row.key])
    keys = [*(f"i{index}_{level}" for level in LEVELS), f"i{index}_sum"]
    everyone = {key: sum(s.get(key) or 0 for s in raw.values()) for key in keys}
    describe(table.everyone, everyone)
    return table


def years() -> list[int]:
    """The whole years with at least MIN_GROUP museums counted (one query).

    Offering a year with fewer would tell that some museum assessed itself then. The current year
    is left out: its museums are all among the latest, so "latest" minus "this year" would give
    the few that have not assessed themselves again yet.
    """
    return sorted(
        SectorResult.objects.filter(year__lt=timezone.localdate().year)
        .values("year")
        .annotate(museums=Count("pk"))
        .filter(museums__gte=MIN_GROUP)
        .values_list("year", flat=True)
        .order_by()
    )


def questions() -> list[tuple[str, str]]:
    """The current version's questions, (slug, text), for the question-level view.

    Not the legal-duty questions: their duty table shows them, hiding other figures than a table
    of their answers would, and the two together could give a hidden figure back.
    """
    framework = current_framework_content()
    if framework is None:
        return []
    return [
        (question.slug, question.text)
        for area in framework.recommendations.all()
        for dimension in area.dimensions.all()
        for question in dimension.questions.all()
        if not question.legal_duty
    ]


def question_table(selection: Selection, slug: str) -> Table | None:
    """One question's table, a cross-table worked out one way round (see ``sector_figures``)."""
    canonical, turned = _canonical(selection)
    table = _question_table(canonical, slug)
    if table is not None and turned:
        _turn(table, selection)
    return table


def _question_table(selection: Selection, slug: str) -> Table | None:
    """For one question: per group, museums at each answer, N/A, "does not apply" and no answer (1 query).

    The total is the group's; museums on a version without the question count in a column never
    shown (how many there are is not a figure to give). None for an unknown slug.
    """
    text = dict(questions()).get(slug)
    if text is None:
        return None
    slot = item_slots().get(("question", slug))
    codes = [*LEVELS, ANSWER_NOT_APPLICABLE, ANSWER_EXEMPT, ANSWER_UNANSWERED]
    column = f"answer_{slot}" if slot else None
    counts = {
        f"a{index}": sector.equals(column, code) if column else sector.NEVER
        for index, code in enumerate(codes)
    }
    columns = selection.columns
    rows = {
        tuple(row[c] for c in columns): row
        for row in sector.aggregate(selection.where(), columns, counts=counts)
    }
    group_keys, label, sizes, hidden_groups = _groups(selection, rows)
    column_labels = [
        *((str(level), str(level)) for level in LEVELS),
        ("na", str(_("Not applicable"))),
        ("exempt", str(_("Does not apply (a reason given)"))),
        ("unanswered", str(_("Not answered"))),
        ("absent", ""),  # on a version without the question: never shown
    ]

    def counted(key: tuple[Any, ...]) -> tuple[list[int], int]:
        given = [rows[key][f"a{i}"] for i in range(len(codes))]
        return [*given, sizes[key] - sum(given)], sizes[key]

    return _table(
        f"answers:{slug}",
        text,
        column_labels,
        {key: counted(key) for key in group_keys},
        hidden_groups,
        label,
        crossed=bool(selection.then),
        unpublished=len(column_labels) - 1,
    )


# The figures as rows, each column named for what it holds. Every table gives, per group shown and
# for all museums, one row per column of the table; a hidden figure leaves ``museums`` (or
# ``museums_in_group``) empty and says why in ``museums_hidden`` (``museums_in_group_hidden``).
CSV_HEADER = [
    "data",  # "latest" (each museum's latest submitted assessment) or a year of submission
    "grouped_by",
    "group",
    "group_label",
    "museums_in_group",  # museums the row describes (for a duty or a question: those it concerns)
    "museums_in_group_hidden",
    "table",  # "level:overall", "level:area:…", "level:dimension:…", "stance", "duty:…", "answers:…"
    "table_title",
    "column",
    "column_label",
    "museums",  # museums of the group in this column
    "museums_hidden",  # empty, "small" (fewer than 5 museums) or "withheld" (would reveal a small one)
    "percent_of_group",
    "median_level",  # level tables: the group's median level, its quartiles, its mean score (0–4)
    "quartile_levels",
    "mean_score",
]


def csv_rows(data: SectorFigures) -> Iterator[list[Any]]:
    selection = data.selection
    counted = "by year" if selection.is_trend else (selection.year or "latest")
    grouped_by = "+".join(selection.groupings)
    tables = [*data.levels, data.stance, *data.duties, *([data.question] if data.question else [])]
    for table in tables:
        # A group left out of the page is left out here too: naming it would tell that it has a
        # museum, and in a cross-table which combinations exist, from which the margins shown on
        # the single pages give a hidden one back.
        rows = [row for row in table.rows if row.total.shown]
        for row in rows if selection.is_trend else [*rows, table.everyone]:
            key = "all" if row.key == ALL else "+".join(str(part) for part in row.key)
            for index, (column, column_label) in enumerate(table.columns):
                cell = row.cells[index]
                yield [
                    counted,
                    grouped_by,
                    key,
                    row.label,
                    row.total.value,
                    row.total.hidden,
                    table.key,
                    table.title,
                    column,
                    column_label,
                    cell.value,
                    cell.hidden,
                    row.share(index),
                    row.median,
                    row.quartiles,
                    row.mean,
                ]
