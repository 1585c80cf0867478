from __future__ import annotations

import pytest
from django.urls import reverse

from assessment import stats
from assessment.models import AreaScore, Assessment
from tests.conftest import make_museum, make_user
from tests.test_results import read_csv, submitted_assessment


@pytest.fixture
def sector(framework):
    """Three museums in two countries and two sizes, with known scores."""
    plan = [("FR", "micro", 1), ("FR", "large", 3), ("DE", "micro", 2)]
    for index, (country, size, level) in enumerate(plan):
        owner = make_user(f"sector{index}")
        museum = make_museum(owner, f"Sector museum {index}", country=country, size_band=size)
        submitted_assessment(museum, owner, lambda q, level=level: level)
    return plan


def test_overview_counts_levels_and_means(sector):
    overview = stats.sector_overview("country")
    assert overview.submitted == 3 and overview.museums_assessed == 3
    assert {level: count for level, _name, count in overview.level_counts} == {0: 0, 1: 1, 2: 1, 3: 1, 4: 0}
    groups = {group.key: group for group in overview.groups}
    assert groups["FR"].assessments == 2
    assert groups["FR"].area_means == [pytest.approx(2.0)] * 3
    assert groups["DE"].dimension_means == [pytest.approx(2.0)] * len(overview.dimensions)
    assert groups["FR"].label == "France"
    by_size = {group.key: group for group in stats.sector_overview("size").groups}
    assert by_size["micro"].area_means[0] == pytest.approx(1.5)
    assert by_size["large"].label == "250 staff or more"


def test_overview_means_are_the_means_of_stored_scores(sector):
    overview = stats.sector_overview("type")
    expected = sum(AreaScore.objects.filter(number=1).values_list("score", flat=True)) / 3
    assert overview.groups[0].area_means[0] == pytest.approx(expected)


def test_an_unknown_breakdown_falls_back_to_country(sector):
    assert stats.sector_overview("planet").by == "country"


@pytest.mark.parametrize("extra", [0, 6])
def test_overview_query_count_is_constant(
    sector, client_for, nemo_admin, extra, django_assert_max_num_queries
):
    for index in range(extra):
        owner = make_user(f"extra{index}")
        museum = make_museum(owner, f"Extra {index}", country="IT")
        submitted_assessment(museum, owner, lambda q: 2)
    client = client_for(nemo_admin)
    for by in ("country", "type", "size"):
        with django_assert_max_num_queries(16):
            response = client.get(reverse("nemo_overview") + f"?by={by}")
        assert response.status_code == 200


def test_overview_aggregates_download_as_csv(sector, client_for, nemo_admin):
    rows = read_csv(client_for(nemo_admin).get(reverse("nemo_overview_csv") + "?by=size"))
    assert rows[0] == stats.OVERVIEW_CSV_HEADER
    micro_area_1 = next(r for r in rows[1:] if r[1] == "micro" and r[4] == "area" and r[5] == "1")
    assert float(micro_area_1[6]) == pytest.approx(1.5)
    assert Assessment.objects.count() == 3


def test_each_museum_counts_once_with_its_latest_assessment(sector, framework):
    from assessment.models import Museum

    museum = Museum.objects.get(name="Sector museum 0")  # level 1 so far
    owner = museum.memberships.get().user
    submitted_assessment(museum, owner, lambda q: 4)
    overview = stats.sector_overview("country")
    assert overview.submitted == 4 and overview.museums_assessed == 3
    assert {level: count for level, _name, count in overview.level_counts} == {0: 0, 1: 0, 2: 1, 3: 1, 4: 1}
    assert {g.key: g.assessments for g in overview.groups} == {"FR": 2, "DE": 1}
