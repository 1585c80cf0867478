"""Museums like yours: a museum's standing among museums of its size, type and country, checked
against a count by hand over the other museums' latest assessments; small groups fall back."""

from __future__ import annotations

import pytest

from assessment import benchmarks, results, sector
from assessment.models import Assessment, Museum
from tests.conftest import make_museum, make_user, submitted_assessment, submitted_museums


def standing_of(museum: Museum) -> benchmarks.Benchmarks:
    assessment = Assessment.objects.submitted().get(museum=museum)
    return benchmarks.museums_like(museum, results.benchmark_items(results.dashboard(assessment)))


def by_key(comparison: benchmarks.Comparison) -> dict[str, benchmarks.Standing]:
    return {standing.key: standing for standing in comparison.standings}


@pytest.fixture
def peers(framework):
    """Seven small Belgian history museums: two at level 1, three at 2, two at 3; and ours at 2."""
    for level, count in ((1, 2), (2, 3), (3, 2)):
        submitted_museums(count, level=level, prefix=f"Peer {level}", country="BE", size_band="small")
    owner = make_user("ours")
    ours = make_museum(owner, "Ours", country="BE", size_band="small")
    submitted_assessment(ours, owner, lambda q: 2)
    return ours


def test_the_percentile_and_median_match_a_count_by_hand(peers):
    comparisons = {comparison.key: comparison for comparison in standing_of(peers).comparisons}
    assert set(comparisons) == {"size", "type", "country"}
    for comparison in comparisons.values():
        assert comparison.museums == 7 and not comparison.fell_back
        overall = by_key(comparison)["overall"]
        # Below: the two at level 1; level with us: three, counting half. (2 + 1.5) / 7.
        assert overall.percentile == 50  # (2 + 3 / 2) / 7, in steps of 5
        assert overall.median_level == 2
        area = next(s for key, s in by_key(comparison).items() if key.startswith("area:"))
        assert area.percentile == overall.percentile


def test_a_group_of_fewer_than_five_others_falls_back_to_every_museum(peers):
    owner = make_user("lonely")
    lonely = make_museum(owner, "Lonely", country="FR", size_band="small", museum_type="art")
    submitted_assessment(lonely, owner, lambda q: 4)
    comparisons = {comparison.key: comparison for comparison in standing_of(lonely).comparisons}
    assert comparisons["size"].museums == 8 and not comparisons["size"].fell_back
    for key in ("type", "country"):
        assert comparisons[key].fell_back and comparisons[key].museums == 8
        assert by_key(comparisons[key])["overall"].percentile == 100


def test_too_few_museums_in_all_gives_no_comparison(framework):
    (museum,) = submitted_museums(1, level=2)
    submitted_museums(3, level=2, prefix="Other")
    like = standing_of(museum)
    assert like.too_few and like.comparisons == []


def test_a_museum_that_opted_out_is_not_among_the_others(peers):
    opted_out = Museum.objects.get(name="Peer 1 0")
    opted_out.in_sector_figures = False
    opted_out.save()
    sector.refresh([opted_out.pk])
    comparison = standing_of(peers).comparisons[0]
    assert comparison.museums == 6
    assert by_key(comparison)["overall"].percentile == 40  # (1 + 3 / 2) / 6 = 42 %, in steps of 5
    # It still sees where it stands among the others.
    assert not standing_of(opted_out).too_few and not standing_of(opted_out).counted


def test_the_results_page_shows_the_comparison(peers, client_for):
    lead = peers.memberships.get().user
    assessment = Assessment.objects.submitted().get(museum=peers)
    page = client_for(lead).get(f"/museums/{peers.pk}/assessments/{assessment.pk}/results/").content.decode()
    assert "Museums like yours" in page and "Museums of your size" in page and "higher than 50" in page
