from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.models import AreaScore, Assessment, Museum
from nemo import stats
from tests.conftest import make_museum, make_user, read_csv, submitted_assessment


def test_overview_counts_levels_and_means(sector):
    overview = stats.sector_overview("country")
    assert overview.submitted == 3 and overview.museums_assessed == 3
    assert {level: count for level, _name, count in overview.level_counts} == {0: 0, 1: 1, 2: 1, 3: 1, 4: 0}
    groups = {group.key: group for group in overview.groups}
    assert groups["FR"].museums == 2 and groups["FR"].submitted_assessments == 2
    assert groups["FR"].area_means == [pytest.approx(2.0)] * 3
    assert groups["DE"].dimension_means == [pytest.approx(2.0)] * len(overview.dimensions)
    assert groups["FR"].label == "France"
    by_size = {group.key: group for group in stats.sector_overview("size").groups}
    assert by_size["micro"].area_means[0] == pytest.approx(1.5)
    assert by_size["large"].label == "250 staff or more"


def test_overview_means_are_the_means_of_stored_scores(sector):
    overview = stats.sector_overview("type")
    expected = sum(AreaScore.objects.filter(area__number=1).values_list("score", flat=True)) / 3
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
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    micro_area_1 = next(
        r for r in records if r["group"] == "micro" and r["kind"] == "area" and r["item"] == "1"
    )
    assert float(micro_area_1["mean_score"]) == pytest.approx(1.5)
    assert Assessment.objects.count() == 3


def test_the_overview_csv_names_what_it_counts_and_gives_the_level_distribution(
    sector, client_for, nemo_admin
):
    """Belgium had 12 museums and 23 submitted assessments; the column said 12 "submitted_assessments"."""
    museum = Museum.objects.get(name="Sector museum 0")  # FR, level 1; now a second assessment at level 4
    submitted_assessment(museum, museum.memberships.get().user, lambda q: 4)
    rows = read_csv(client_for(nemo_admin).get(reverse("nemo_overview_csv") + "?by=country"))
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    france = [r for r in records if r["group"] == "FR"]
    assert {(r["museums"], r["submitted_assessments"]) for r in france} == {("2", "3")}
    levels = {r["item"]: r["museums_at_level"] for r in france if r["kind"] == "level"}
    assert levels == {"0": "0", "1": "0", "2": "0", "3": "1", "4": "1"}  # each museum by its latest
    everyone = [r for r in records if r["group"] == "all"]
    assert {(r["museums"], r["submitted_assessments"]) for r in everyone} == {("3", "4")}
    assert {r["item"]: r["museums_at_level"] for r in everyone if r["kind"] == "level"} == {
        "0": "0",
        "1": "0",
        "2": "1",
        "3": "1",
        "4": "1",
    }
    level_4 = next(r for r in everyone if r["kind"] == "level" and r["item"] == "4")
    assert level_4["item_label"] == "Leading" and level_4["mean_score"] == ""
    assert {r["kind"] for r in everyone} == {"level", "area", "dimension"}


def test_each_museum_counts_once_with_its_latest_assessment(sector, framework):
    from assessment.models import Museum

    museum = Museum.objects.get(name="Sector museum 0")  # level 1 so far
    owner = museum.memberships.get().user
    submitted_assessment(museum, owner, lambda q: 4)
    overview = stats.sector_overview("country")
    assert overview.submitted == 4 and overview.museums_assessed == 3
    assert {level: count for level, _name, count in overview.level_counts} == {0: 0, 1: 0, 2: 1, 3: 1, 4: 1}
    assert {g.key: g.museums for g in overview.groups} == {"FR": 2, "DE": 1}
    assert {g.key: g.submitted_assessments for g in overview.groups} == {"FR": 3, "DE": 1}


def test_a_score_a_hair_under_a_whole_number_has_the_same_level_everywhere(
    framework, lead, museum_a, client_for, nemo_admin
):
    """Float arithmetic can leave a mean at 2.9999999999999996; people, and scoring.py, read it as 3."""
    from assessment.scoring import level_reached

    almost_three = 2.9999999999999996
    assert almost_three < 3 and level_reached(almost_three) == 3
    assessment = submitted_assessment(museum_a, lead, lambda q: 3)
    Assessment.objects.filter(pk=assessment.pk).update(
        overall_score=almost_three, overall_level=level_reached(almost_three)
    )
    level_three = framework.levels.get(level=3).name
    assert {level: count for level, _name, count in stats.sector_overview().level_counts}[3] == 1
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
