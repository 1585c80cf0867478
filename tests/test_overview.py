"""NEMO's sector overview: each museum once, by its latest submitted assessment, on the page and in files.

The ``sector`` fixture (tests/conftest.py): France 6 museums (three micro at level 1, three
large at level 3), Germany 5 (all at level 2); by size, micro 5 and large 6.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone

from assessment import sector as sector_summary
from assessment.models import AreaScore, Assessment, Museum, SectorResult
from nemo import stats
from tests.conftest import make_museum, make_user, read_csv, submitted_assessment, submitted_museums
from tests.test_xlsx import xlsx_rows

# Measured, whatever the number of museums: session and user, the current framework version (three
# times: figures, questions menu, chosen question), the slot columns, the one aggregate of the
# page, the years offered, the register's two totals (its counts are cached), the museum menu.
QUERIES_OVERVIEW_PAGE = 14  # cold: the figures and the AI registers figures computed
QUERIES_OVERVIEW_PAGE_WITH_QUESTION = 16  # the slot columns again, and the answers from the summary
# Session, user, the framework version twice, the slot columns, whether the summary changed, the
# aggregate (the figures computed: a cache cleared, as just after the summary changed).
QUERIES_OVERVIEW_FILE = 7
QUERIES_OVERVIEW_FILE_WITH_QUESTION = 9


def level_name(framework, level: int) -> str:
    return framework.levels.get(level=level).name


def rows_by_group(table) -> dict[str, stats.Row]:
    return {"+".join(row.key): row for row in [*table.rows, table.everyone]}


def records(response) -> list[dict[str, str]]:
    rows = read_csv(response)
    assert rows[0] == stats.CSV_HEADER
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def overview_csv(client, query: str = "") -> list[dict[str, str]]:
    return records(client.get(reverse("nemo_overview_csv") + query))


def test_the_overview_gives_each_country_its_museums_median_quartiles_and_mean(sector, framework):
    figures = stats.sector_figures(stats.Selection(by="country"))
    assert figures.museums.value == 11
    overall = rows_by_group(figures.overall)
    assert (overall["FR"].label, overall["FR"].total.value) == ("France", 6)
    assert (overall["DE"].label, overall["DE"].total.value) == ("Germany", 5)
    assert overall["all"].total.value == 11
    exploring, managed, integrated = (level_name(framework, level) for level in (1, 2, 3))
    # France: 1, 1, 1, 3, 3, 3. The median is the third of six (nearest rank).
    assert (overall["FR"].median, overall["FR"].quartiles) == (exploring, f"{exploring} – {integrated}")
    assert (overall["DE"].median, overall["DE"].quartiles) == (managed, f"{managed} – {managed}")
    assert overall["FR"].mean == pytest.approx(2.0) and overall["DE"].mean == pytest.approx(2.0)
    # Five museums at level 2 in all: enough to show; the levels of 3 museums are not.
    assert [cell.value for cell in overall["all"].cells] == [None, None, 5, None, None, None]
    for area in figures.areas:
        assert rows_by_group(area)["FR"].mean == pytest.approx(2.0)
    assert len(figures.areas) == 3 and len(figures.dimensions) == 16


def test_by_size_the_means_follow_the_museums_of_each_size(sector):
    figures = stats.sector_figures(stats.Selection(by="size"))
    first_area = rows_by_group(figures.areas[0])
    assert first_area["micro"].mean == pytest.approx((3 * 1 + 2 * 2) / 5)
    assert first_area["large"].mean == pytest.approx((3 * 3 + 3 * 2) / 6)
    assert first_area["large"].label == "250 staff or more"
    assert [row.key for row in figures.overall.rows] == [("micro",), ("large",)]  # small to large


def test_the_overview_means_are_the_means_of_stored_scores(sector):
    figures = stats.sector_figures(stats.Selection(by="type"))
    history = rows_by_group(figures.areas[0])["history"]
    expected = AreaScore.objects.filter(area__number=1, assessment__framework__is_current=True).aggregate(
        mean=Avg("score")
    )["mean"]
    assert history.total.value == 11
    assert history.mean == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(
    "query",
    [
        {"by": "planet"},
        {"by": "country", "then": "country"},
        {"by": "country", "then": "moon"},
        {"year": "1999"},
        {"year": "twenty"},
    ],
)
def test_an_unknown_choice_falls_back_to_each_museums_latest_by_country(query):
    assert stats.Selection.from_query(query) == stats.Selection(by="country", then="", year=None)


def test_the_trend_by_year_is_never_crossed():
    assert stats.Selection.from_query({"by": "year", "then": "size"}) == stats.Selection(by="year")


def test_an_unknown_choice_still_shows_the_page(sector, client_for, nemo_admin):
    response = client_for(nemo_admin).get(reverse("nemo_overview") + "?by=planet&year=abc&question=nope")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="country" selected>' in page
    assert "France" in page and "Germany" in page


def test_the_overview_downloads_as_csv(sector, client_for, nemo_admin):
    records = overview_csv(client_for(nemo_admin), "?by=size")
    first_area = next(table.key for table in stats.sector_figures(stats.Selection(by="size")).areas)
    micro = [r for r in records if r["group"] == "micro" and r["table"] == first_area]
    assert len(micro) == 6  # one row per column: five levels and "not scored"
    assert {(r["group_label"], r["museums_in_group"], r["mean_score"]) for r in micro} == {
        ("1–9 staff", "5", "1.4")
    }
    assert {r["data"] for r in records} == {"latest"} and {r["grouped_by"] for r in records} == {"size"}
    assert Assessment.objects.count() == 11  # downloading changes nothing


def test_the_csv_counts_each_museum_once_with_its_latest_assessment(
    sector, client_for, nemo_admin, framework
):
    museum = Museum.objects.get(name="Sector museum 0")  # French, at level 1; now again, at level 4
    submitted_assessment(museum, museum.memberships.get().user, lambda q: 4)
    records = overview_csv(client_for(nemo_admin), "?by=country")
    overall = {r["group"]: r for r in records if r["table"] == "level:overall" and r["column"] == "2"}
    assert overall["FR"]["museums_in_group"] == "6"  # still six museums, not seven assessments
    assert overall["all"]["museums_in_group"] == "11"
    # France is now 1, 1, 3, 3, 3, 4: its median the third, level 3; its mean 15 / 6.
    assert overall["FR"]["median_level"] == level_name(framework, 3)
    assert float(overall["FR"]["mean_score"]) == pytest.approx(2.5)
    assert float(overall["all"]["mean_score"]) == round((15 + 10) / 11, 1)  # one decimal, as published
    assert SectorResult.objects.count() == 11


def test_each_museum_counts_once_with_its_latest_assessment(sector, framework):
    museum = Museum.objects.get(name="Sector museum 0")
    submitted_assessment(museum, museum.memberships.get().user, lambda q: 4)
    overall = rows_by_group(stats.sector_figures(stats.Selection(by="country")).overall)
    assert {key: row.total.value for key, row in overall.items()} == {"FR": 6, "DE": 5, "all": 11}
    assert overall["FR"].mean == pytest.approx(2.5)


def test_the_overview_page_shows_what_staff_chose(sector, client_for, nemo_admin):
    page = client_for(nemo_admin).get(reverse("nemo_overview") + "?by=size").content.decode()
    assert "1–9 staff" in page and "250 staff or more" in page
    assert "Museums at each overall level, by Size" in page
    assert f"{reverse('nemo_overview_csv')}?by=size" in page


@pytest.fixture
def spread(framework):
    """Museums in three countries and two years, so that every kind of table has rows."""

    def _spread(count: int) -> None:
        countries = ["FR", "DE", "NL"]
        for index in range(count):
            owner = make_user(f"spread{index}")
            museum = make_museum(
                owner,
                f"Spread {index}",
                country=countries[index % 3],
                size_band="micro" if index % 2 else "large",
            )
            submitted_assessment(museum, owner, lambda q, index=index: index % 5, days_ago=400)
            if index % 3 == 0:  # assessed again this year
                submitted_assessment(museum, owner, lambda q, index=index: (index + 1) % 5)

    return _spread


SELECTIONS = ["", "?by=size", "?by=country&then=size", "?by=type&then=stance", "?by=year"]


@pytest.mark.parametrize("museums", [6, 30])
def test_the_overview_takes_the_same_number_of_queries_however_many_museums(
    spread, museums, client_for, nemo_admin, django_assert_num_queries
):
    spread(museums)
    assert SectorResult.objects.filter(latest=True).count() == museums
    client = client_for(nemo_admin)
    client.get(reverse("nemo_overview"))  # the framework's content is loaded once per process, then cached
    year = timezone.localdate().year
    question = stats.questions()[0][0]
    for query in [*SELECTIONS, f"?year={year - 1}"]:
        cache.clear()  # the cost that matters: the figures computed, as just after the summary changed
        with django_assert_num_queries(QUERIES_OVERVIEW_PAGE):
            assert client.get(reverse("nemo_overview") + query).status_code == 200
    cache.clear()
    with django_assert_num_queries(QUERIES_OVERVIEW_PAGE_WITH_QUESTION):
        assert client.get(reverse("nemo_overview") + f"?by=size&question={question}").status_code == 200


@pytest.mark.parametrize("museums", [6, 30])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_overview_files_take_the_same_number_of_queries_however_many_museums(
    spread, museums, file_format, client_for, nemo_admin, django_assert_num_queries
):
    spread(museums)
    client = client_for(nemo_admin)
    client.get(reverse("nemo_overview"))
    question = stats.questions()[0][0]
    for query, queries in [
        *((query, QUERIES_OVERVIEW_FILE) for query in SELECTIONS),
        (f"?by=size&question={question}", QUERIES_OVERVIEW_FILE_WITH_QUESTION),
    ]:
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(reverse(f"nemo_overview_{file_format}") + query)
            rows = read_csv(response) if file_format == "csv" else xlsx_rows(response)
        assert rows[0] == stats.CSV_HEADER


def test_a_score_a_hair_under_a_whole_number_has_the_same_level_everywhere(
    framework, lead, museum_a, client_for, nemo_admin
):
    """Float arithmetic can leave a mean at 2.9999999999999996; people, and scoring.py, read it as 3."""
    from assessment.scoring import level_reached

    almost_three = 2.9999999999999996
    assert almost_three < 3 and level_reached(almost_three) == 3
    assessment = submitted_assessment(museum_a, lead, lambda q: 3)
    submitted_museums(4, level=3, prefix="Threes")
    Assessment.objects.filter(pk=assessment.pk).update(
        overall_score=almost_three, overall_level=level_reached(almost_three)
    )
    sector_summary.refresh([museum_a.pk])  # as every stored score change of a submitted assessment does
    level_three = framework.levels.get(level=3).name
    everyone = stats.sector_figures().overall.everyone
    assert everyone.total.value == 5
    assert (everyone.median, everyone.quartiles, everyone.mean) == (
        level_three,
        f"{level_three} – {level_three}",
        3.0,
    )
    admin = client_for(nemo_admin)
    listed = admin.get(
        reverse("admin:assessment_assessment_changelist") + "?overall_level=3"
    ).content.decode()
    assert "Museum A" in listed
    rows = read_csv(
        admin.post(
            reverse("admin:assessment_assessment_changelist"),
            {"action": "export_wide", "_selected_action": [str(assessment.pk)]},
        )
    )
    assert dict(zip(rows[0], rows[1], strict=True))["overall_level"] == level_three


def test_admin_sorts_assessments_by_their_scores(framework, lead, museum_a, client_for, nemo_admin):
    submitted_assessment(museum_a, lead, lambda q: 2)
    page = client_for(nemo_admin).get(reverse("admin:assessment_assessment_changelist")).content.decode()
    for field in ("overall_score", "area_1_score", "area_2_score", "area_3_score"):
        assert f'class="sortable column-{field}' in page, field


def test_museums_assessed_in_an_earlier_year_count_in_that_years_figures(framework):
    submitted_museums(5, level=1, prefix="Earlier", country="NL", days_ago=400)
    year = (timezone.localtime() - timedelta(days=400)).year
    assert year in stats.years()
    assert rows_by_group(stats.sector_figures(stats.Selection(year=year)).overall)["NL"].total.value == 5
    assert stats.sector_figures(stats.Selection(year=year + 1)).museums.value is None


def all_museums_in_a_duty_about_ai_in_use(framework) -> dict[str, int | None]:
    """The all-museums row of the first duty in force that applies only to AI in use, by column."""
    duty = next(
        duty
        for duty in stats._duties(framework, sector_summary.item_slots())
        if duty.only_if_ai_in_use and duty.in_force(timezone.localdate())
    )
    figures = stats.sector_figures(stats.Selection(by="country"))
    table = next(table for table in figures.duties if table.key == f"duty:{duty.slug}")
    return {key: cell.value for (key, _label), cell in zip(table.columns, table.everyone.cells, strict=True)}


def test_a_duty_about_ai_in_use_counts_museums_that_have_not_said_whether_they_use_ai(framework):
    # As the museum's own results do (assessment.scoring): only "we use no AI" lifts such a duty.
    submitted_museums(5, level=0, prefix="Unsaid", country="FR")
    submitted_museums(5, level=3, prefix="Met", country="DE")
    assert set(SectorResult.objects.values_list("uses_ai", flat=True)) == {None}
    everyone = all_museums_in_a_duty_about_ai_in_use(framework)
    assert everyone["flag"] == 5  # the five French museums at level 0


def test_a_duty_about_ai_in_use_does_not_apply_to_museums_that_use_none(framework):
    museums = submitted_museums(5, level=0, prefix="NoAI", country="FR")
    submitted_museums(5, level=0, prefix="Unsaid", country="DE")
    Assessment.objects.filter(museum__in=museums).update(ai_stance="not_by_decision", uses_ai=False)
    sector_summary.refresh([museum.pk for museum in museums])
    everyone = all_museums_in_a_duty_about_ai_in_use(framework)
    # The five that use no AI are not flagged: the duty does not apply to them.
    assert everyone["not_applying"] == 5
    assert everyone["flag"] == 5  # the five that have not said
