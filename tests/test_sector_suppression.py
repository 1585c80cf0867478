"""Small groups never show, nor can they be worked out from what does: on the page, in CSV and XLSX.

A group of 4 museums is hidden, groups of 5 and 6 are shown, and a total minus the figures
shown never gives one hidden group back. nemo/suppression.py decides; these tests read what
NEMO staff read.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from assessment.models import Museum, SectorResult
from nemo import stats
from nemo.suppression import MIN_GROUP, SMALL, WITHHELD, hidden_keys
from tests.conftest import make_museum, make_user, read_csv, submitted_assessment, submitted_museums
from tests.test_xlsx import xlsx_rows


def add_museums(country: str, levels: list[int], *, size_band: str = "small") -> list[Museum]:
    """One museum per level given, in ``country``, each answering its level throughout."""
    museums = []
    for level in levels:
        index = Museum.objects.count()
        owner = make_user(f"lead{index}")
        museum = make_museum(owner, f"{country} museum {index}", country=country, size_band=size_band)
        submitted_assessment(museum, owner, lambda q, level=level: level)
        museums.append(museum)
    return museums


def page_text(client, query: str = "") -> str:
    return strip_tags(client.get(reverse("nemo_overview") + query).content.decode())


def csv_records(client, query: str = "") -> list[dict[str, str]]:
    rows = read_csv(client.get(reverse("nemo_overview_csv") + query))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def xlsx_records(client, query: str = "") -> list[dict[str, object]]:
    rows = xlsx_rows(client.get(reverse("nemo_overview_xlsx") + query))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def group_sizes(records) -> dict[str, str]:
    """Each group's museums as the file gives them (the overall level table's first column)."""
    return {
        r["group"]: r["museums_in_group"] or r["museums_in_group_hidden"]
        for r in records
        if r["table"] == "level:overall" and r["column"] == "0"
    }


def remainders(records) -> list[tuple[str, str, int]]:
    """Per table and column, the all-museums figure minus the groups' figures shown beside it.

    That is what the figures hidden in the column add up to: someone with the file can work it
    out, so it must never be one small group (1 to 4); 0 when nothing is hidden. The same for
    the groups' museums (each table's first column carries them).
    """
    out = []
    first_columns = {}
    for r in records:
        first_columns.setdefault(r["table"], r["column"])
    for table, column in sorted({(r["table"], r["column"]) for r in records}):
        rows = [r for r in records if (r["table"], r["column"]) == (table, column)]
        everyone = next(r for r in rows if r["group"] == "all")
        groups = [r for r in rows if r["group"] != "all"]
        if everyone["museums"]:
            shown = sum(int(r["museums"]) for r in groups if r["museums"])
            out.append((table, column, int(everyone["museums"]) - shown))
        if everyone["museums_in_group"] and column == first_columns[table]:
            shown = sum(int(r["museums_in_group"]) for r in groups if r["museums_in_group"])
            out.append((table, "museums", int(everyone["museums_in_group"]) - shown))
    return out


def assert_no_small_remainder(records) -> None:
    small = [(t, c, rest) for t, c, rest in remainders(records) if 0 < rest < MIN_GROUP]
    assert not small, f"a total minus the figures shown gives back a small group: {small}"


# --- Groups of 4, 5 and 6 -----------------------------------------------------------------


@pytest.fixture
def four_five_six(framework):
    """Luxembourg 4 museums (level 1), Belgium 5 (level 2), the Netherlands 6 (three at 2, three at 3)."""
    add_museums("LU", [1, 1, 1, 1])
    add_museums("BE", [2, 2, 2, 2, 2])
    add_museums("NL", [2, 2, 2, 3, 3, 3])


def test_a_group_of_four_never_appears_and_the_next_smallest_is_withheld_with_it(
    four_five_six, client_for, nemo_admin
):
    """With a group of 4, the total 15 minus Belgium 5 and the Netherlands 6 would give it back:
    Belgium is withheld too, and 15 − 6 = 9 is two groups, not one."""
    client = client_for(nemo_admin)
    text = page_text(client, "?by=country")
    assert "Luxembourg" not in text and "Belgium" not in text
    assert "Netherlands" in text
    assert "2 groups are not shown" in text
    for records in (csv_records(client, "?by=country"), xlsx_records(client, "?by=country")):
        assert {r["group_label"] for r in records} == {"Netherlands", "All museums"}
        assert not any("LU" in str(r["group"]) or "Luxembourg" in str(r["group_label"]) for r in records)
    records = csv_records(client, "?by=country")
    assert group_sizes(records) == {"NL": "6", "all": "15"}
    assert ("level:overall", "museums", 4 + 5) in remainders(records)  # Luxembourg and Belgium together
    assert_no_small_remainder(records)


def test_groups_of_five_and_six_show_when_the_hidden_ones_add_up_to_five(
    four_five_six, client_for, nemo_admin
):
    add_museums("MT", [4])  # one museum in Malta: with Luxembourg's 4, five hidden
    client = client_for(nemo_admin)
    text = page_text(client, "?by=country")
    assert "Belgium" in text and "Netherlands" in text
    assert "Luxembourg" not in text and "Malta" not in text
    for records in (csv_records(client, "?by=country"), xlsx_records(client, "?by=country")):
        assert {r["group_label"] for r in records} == {"Belgium", "Netherlands", "All museums"}
    records = csv_records(client, "?by=country")
    assert group_sizes(records) == {"BE": "5", "NL": "6", "all": "16"}
    assert ("level:overall", "museums", 4 + 1) in remainders(records)  # Luxembourg and Malta, not one
    assert_no_small_remainder(records)


def test_no_level_column_gives_back_a_hidden_group_by_differencing(four_five_six, client_for, nemo_admin):
    client = client_for(nemo_admin)
    for query in ("?by=country", "?by=size", "?by=type", "?by=country&then=size"):
        records = csv_records(client, query)
        assert_no_small_remainder(records)
    # All 15 museums: level 1 four (Luxembourg's), level 2 eight, level 3 three. Only the 8 shows.
    records = csv_records(client, "?by=country")
    overall = {r["column"]: r for r in records if r["table"] == "level:overall" and r["group"] == "all"}
    assert [overall[column]["museums"] for column in ("0", "1", "2", "3", "4", "none")] == [""] * 2 + [
        "8"
    ] + [""] * 3
    assert overall["1"]["museums_hidden"] == SMALL
    # The Netherlands' 3 at level 2 are hidden: 8 minus what is shown leaves them with Belgium's 5.
    netherlands = {r["column"]: r for r in records if r["table"] == "level:overall" and r["group"] == "NL"}
    assert netherlands["2"]["museums"] == "" and netherlands["2"]["museums_hidden"] == SMALL
    assert ("level:overall", "2", 3 + 5) in remainders(records)


def shown_cells(figures: stats.SectorFigures) -> set[tuple[str, str, str]]:
    """(table, group, column) of every count shown: in the files, the cells with a number."""
    tables = [*figures.levels, figures.stance, *figures.duties]
    return {
        (table.key, "all" if row.key == stats.ALL else "+".join(map(str, row.key)), str(column))
        for table in tables
        for row in (table.rows if figures.selection.is_trend else [*table.rows, table.everyone])
        if row.total.shown
        for (column, _label), cell in zip(table.columns, row.cells, strict=True)
        if cell.shown
    }


@pytest.mark.parametrize(
    "choice",
    [{"by": "country"}, {"by": "size"}, {"by": "country", "then": "size"}, {"by": "year"}],
)
def test_the_page_and_the_files_hide_the_same_figures(four_five_six, client_for, nemo_admin, choice):
    add_museums("MT", [4])
    # The trend shows whole years only: last year, six at level 2 (shown) and five at level 1 (hidden
    # with the empty levels, so that those add up to five).
    submitted_museums(6, prefix="Last year", days_ago=365)
    submitted_museums(5, level=1, prefix="Last year at 1", days_ago=365)
    client = client_for(nemo_admin)
    query = "?" + "&".join(f"{key}={value}" for key, value in choice.items())
    expected = shown_cells(stats.sector_figures(stats.Selection.from_query(choice)))
    assert expected  # something is shown at all
    for records in (csv_records(client, query), xlsx_records(client, query)):
        numbers = {
            (r["table"], str(r["group"]), str(r["column"])) for r in records if r["museums"] not in ("", None)
        }
        assert numbers == expected


# --- A cross-table and the margins shown on the single pages -------------------------------


def possible_values(client, cell: tuple[str, str]) -> set[int]:
    """What someone could work out for one country and size from the three pages' figures.

    They know each country's museums (?by=country), each size's (?by=size), the cross-table's
    shown groups and, when the page says how many groups it leaves out, that many are not empty.
    Every assignment of museums to the combinations consistent with all that is possible.
    """
    countries = {k: int(v) for k, v in group_sizes(csv_records(client, "?by=country")).items() if v.isdigit()}
    sizes = {k: int(v) for k, v in group_sizes(csv_records(client, "?by=size")).items() if v.isdigit()}
    crossed_records = csv_records(client, "?by=country&then=size")
    crossed = group_sizes(crossed_records)
    total = countries.pop("all")
    sizes.pop("all")
    crossed.pop("all")
    named = {tuple(key.split("+")) for key in crossed}
    known = {tuple(key.split("+")): int(value) for key, value in crossed.items() if value.isdigit()}
    said = re.search(r"(\d+) groups? (?:is|are) not shown", page_text(client, "?by=country&then=size"))
    hidden_count = int(said.group(1)) if said else None
    lists_hidden_groups = any(not value.isdigit() for value in crossed.values())
    combinations = list(itertools.product(countries, sizes))
    possible = set()
    for values in itertools.product(range(total + 1), repeat=len(combinations)):
        table = dict(zip(combinations, values, strict=True))
        if sum(values) != total:
            continue
        if any(sum(table[(c, s)] for s in sizes) != n for c, n in countries.items()):
            continue
        if any(sum(table[(c, s)] for c in countries) != n for s, n in sizes.items()):
            continue
        if any(table[key] != value for key, value in known.items()):
            continue
        if any(table[key] == 0 for key in named):
            continue  # a group the file names has museums
        if lists_hidden_groups and any(table[key] for key in combinations if key not in named):
            continue  # the file names every group that has museums
        unshown = [key for key in combinations if key not in known]
        if hidden_count is not None and sum(1 for key in unshown if table[key]) != hidden_count:
            continue
        possible.add(table[cell])
    return possible


@pytest.fixture
def one_large_german_museum(framework):
    """France: 5 large museums. Germany: 5 micro and 1 large. By country 5 and 6, by size 5 and 6."""
    add_museums("FR", [2, 2, 2, 2, 2], size_band="large")
    add_museums("DE", [1, 1, 1, 1, 1], size_band="micro")
    add_museums("DE", [4], size_band="large")


def test_a_cross_table_cell_cannot_be_worked_out_from_the_single_pages_margins(
    one_large_german_museum, client_for, nemo_admin
):
    """Germany 6 and Germany micro 5 are each shown somewhere; the one large German museum must
    not follow from them."""
    client = client_for(nemo_admin)
    assert group_sizes(csv_records(client, "?by=country")) == {"FR": "5", "DE": "6", "all": "11"}
    assert group_sizes(csv_records(client, "?by=size")) == {"micro": "5", "large": "6", "all": "11"}
    crossed = csv_records(client, "?by=country&then=size")
    assert set(group_sizes(crossed)) == {"all"}  # every combination is hidden or withheld
    text = page_text(client, "?by=country&then=size")
    assert "Germany · 250 staff or more" not in text and "Germany · 1–9 staff" not in text
    assert len(possible_values(client, ("DE", "large"))) > 1


def test_a_cross_table_hides_a_small_cell_and_what_would_give_it_back(framework, client_for, nemo_admin):
    """France: 3 micro and 6 large; Germany: 6 micro and 6 large. The French micro museums are
    hidden, and with them a cell in France's row and one in the micro column, then the fourth."""
    add_museums("FR", [1, 1, 1], size_band="micro")
    add_museums("FR", [2] * 6, size_band="large")
    add_museums("DE", [2] * 6, size_band="micro")
    add_museums("DE", [3] * 6, size_band="large")
    client = client_for(nemo_admin)
    figures = stats.sector_figures(stats.Selection(by="country", then="size"))
    hidden = {row.key: row.total.hidden for row in figures.overall.rows}
    assert hidden[("FR", "micro")] == SMALL
    assert hidden[("FR", "large")] == WITHHELD and hidden[("DE", "micro")] == WITHHELD
    assert hidden[("DE", "large")] == WITHHELD  # else 6 + 6 − Germany micro… gives the rest back
    assert len(possible_values(client, ("FR", "micro"))) > 1
    assert_no_small_remainder(csv_records(client, "?by=country&then=size"))


# --- A museum that opted out is in no figure ------------------------------------------------


@pytest.fixture
def three_countries(framework):
    """Belgium 5 (one at level 4, four at 2), Germany 6 and the Netherlands 6 (all at level 2)."""
    return {
        "BE": add_museums("BE", [4, 2, 2, 2, 2]),
        "DE": add_museums("DE", [2] * 6),
        "NL": add_museums("NL", [2] * 6),
    }


def test_a_museum_that_opts_out_leaves_every_figure(three_countries, client_for, nemo_admin):
    client = client_for(nemo_admin)
    question = stats.questions()[0][0]
    query = f"?by=country&question={question}"
    before = csv_records(client, query)
    assert group_sizes(before) == {"BE": "5", "DE": "6", "NL": "6", "all": "17"}
    answers_before = {
        r["group"]: r for r in before if r["table"] == f"answers:{question}" and r["column"] == "4"
    }
    assert (
        answers_before["BE"]["museums_in_group"] == "5" and answers_before["all"]["museums_in_group"] == "17"
    )
    assert "Belgium" in page_text(client, query)

    leaving = three_countries["BE"][0]  # the one at level 4
    lead = leaving.memberships.get().user
    response = client_for(lead).post(
        reverse("assessment:museum_edit", args=[leaving.pk]),
        {
            "name": leaving.name,
            "country": "BE",
            "city": leaving.city,
            "museum_type": leaving.museum_type,
            "size_band": leaving.size_band,
            "website": "",
            # "in_sector_figures" unticked: not posted
        },
    )
    assert response.status_code == 302
    assert not SectorResult.objects.filter(museum=leaving).exists()

    after = csv_records(client, query)
    # Belgium is down to 4: hidden, and Germany withheld with it (17 − 1 − 6 − 6 would be 4).
    assert group_sizes(after) == {"NL": "6", "all": "16"}
    assert not any(r["group"] == "BE" for r in after)
    answers_after = [r for r in after if r["table"] == f"answers:{question}"]
    assert {r["group"] for r in answers_after} == {"NL", "all"}
    assert {r["museums_in_group"] for r in answers_after if r["group"] == "all"} == {"16"}
    assert_no_small_remainder(after)
    everyone = next(r for r in after if r["table"] == "level:overall" and r["group"] == "all")
    assert float(everyone["mean_score"]) == 2.0  # its level 4 no longer counts
    text = page_text(client, query)
    assert "Belgium" not in text
    figures = stats.sector_figures(stats.Selection(by="country"))
    assert figures.museums.value == 16 and figures.overall.everyone.mean == 2.0


# --- hidden_keys on tables made by hand ----------------------------------------------------


def test_one_small_figure_hides_the_smallest_other_one_in_its_total():
    values = {"a": 3, "b": 7, "c": 9, "total": 19}
    assert hidden_keys(values, [["a", "b", "c", "total"]]) == {"a", "b"}


def test_hidden_figures_must_add_up_to_at_least_five():
    values = {"a": 1, "b": 2, "c": 6, "d": 8, "total": 17}
    assert hidden_keys(values, [["a", "b", "c", "d", "total"]]) == {"a", "b", "c"}


def test_zero_is_hidden_like_any_small_figure():
    values = {"none": 0, "some": 8, "total": 8}
    assert hidden_keys(values, [["none", "some", "total"]]) == {"none", "some"}


def test_nothing_is_hidden_when_every_figure_is_five_or_more():
    values = {"a": 5, "b": 6, "total": 11}
    assert hidden_keys(values, [["a", "b", "total"]]) == set()


def test_a_margin_shown_on_another_page_is_never_hidden():
    values = {"a": 3, "b": 6, "margin": 9}
    assert hidden_keys(values, [["a", "b", "margin"]], known={"margin"}) == {"a", "b"}
    # Nothing else to hide: the margin stays, and so the small figure alone.
    assert hidden_keys(values, [["a", "b", "margin"]], known={"b", "margin"}) == {"a"}


def test_a_figure_hidden_in_one_relation_is_protected_in_every_other():
    # A 2 × 2 table with its row and column totals: the small cell hides one in its row and one
    # in its column, and those in turn the fourth.
    values = {"a": 2, "b": 6, "c": 7, "d": 8, "ab": 8, "cd": 15, "ac": 9, "bd": 14}
    relations = [["a", "b", "ab"], ["c", "d", "cd"], ["a", "c", "ac"], ["b", "d", "bd"]]
    hidden = hidden_keys(values, relations)
    assert {"a", "b", "c"} <= hidden
    for relation in relations:
        inside = [key for key in relation if key in hidden]
        assert not inside or (len(inside) >= 2 and sum(values[key] for key in inside) >= MIN_GROUP)


def test_figures_already_hidden_are_protected_too():
    values = {"a": 9, "b": 8, "c": 12, "total": 29}
    assert hidden_keys(values, [["a", "b", "c", "total"]], hidden={"a"}) == {"a", "b"}


def test_the_same_figures_hide_the_same_way_every_time():
    values = {"a": 2, "b": 6, "c": 6, "total": 14}
    relations = [["a", "b", "c", "total"]]
    results = {frozenset(hidden_keys(dict(values), relations)) for _ in range(20)}
    assert results == {frozenset({"a", "b"})}  # of two equal figures, the first listed
    reordered = {"a": 2, "c": 6, "b": 6, "total": 14}
    assert hidden_keys(reordered, relations) == {"a", "c"}


def test_only_whole_years_with_five_museums_or_more_are_offered(framework, client_for, nemo_admin):
    """Not this year either: its museums are all among the latest, so the latest figures minus this
    year's would give those that have not assessed themselves again yet."""
    submitted_museums(5, prefix="Before", days_ago=760)
    submitted_museums(4, prefix="Earlier", days_ago=400)
    submitted_museums(5, prefix="Now")
    this_year = timezone.localdate().year
    earlier = (timezone.localtime() - timedelta(days=400)).year
    before = (timezone.localtime() - timedelta(days=760)).year
    assert stats.years() == [before]
    page = client_for(nemo_admin).get(reverse("nemo_overview")).content.decode()
    assert f"Latest submitted in {before}" in page
    assert f"Latest submitted in {earlier}" not in page and f"Latest submitted in {this_year}" not in page
    assert stats.Selection.from_query({"year": str(this_year)}).year is None


def test_a_cross_table_hides_the_same_cells_whichever_way_round(four_five_six):
    """Worked out in one order only: two orders could each hide a different cell of the same table."""
    add_museums("NL", [1, 1, 4, 4, 4], size_band="large")

    def shown(by: str, then: str, turned: bool) -> set[tuple[str, tuple[str, ...], str]]:
        figures = stats.sector_figures(stats.Selection(by=by, then=then))
        return {
            (table.key, tuple(reversed(row.key)) if turned else row.key, column)
            for table in [*figures.levels, figures.stance]
            for row in table.rows
            if row.total.shown
            for (column, _label), cell in zip(table.columns, row.cells, strict=True)
            if cell.shown
        }

    assert shown("country", "size", False) == shown("size", "country", True)


def test_odd_choices_never_fail(four_five_six, client_for, nemo_admin):
    client = client_for(nemo_admin)
    for query in [
        "?year=²",
        "?year=99999999999999999999",
        "?by=year&then=size",
        "?then=country",
        "?question=x",
    ]:
        assert client.get(reverse("nemo_overview") + query).status_code == 200
        assert client.get(reverse("nemo_overview_csv") + query).status_code == 200
