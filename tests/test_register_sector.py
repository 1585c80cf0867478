"""NEMO's view of the sector's AI registers: kinds of system and open duties, small groups never shown."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessment.models import AiSystem, SystemDuty
from nemo.register_stats import sector_register
from nemo.suppression import MIN_GROUP, suppressed
from recommendations.register_rules import default_rules
from tests.conftest import make_museum, make_user

CHATBOT = {"meets": ["visitors"], "built-by-museum": False, "personal-data": False}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def museums_with(count: int, use: str, answers=None, *, first: int = 0) -> list:
    museums = []
    for index in range(first, first + count):
        owner = make_user(f"owner{index}")
        museum = make_museum(owner, f"Museum {index}")
        AiSystem.objects.create(museum=museum, name=f"{use} {index}", use=use, answers=answers or {})
        museums.append(museum)
    return museums


def uses(sector) -> dict[str, int | None]:
    return {row.slug: row.museums.value for row in sector.uses}


def duty(sector, slug: str):
    return next(row for row in sector.duties if row.slug == slug)


def values(figures) -> list[int | str]:
    return [figure.value if figure.shown else figure.hidden for figure in figures]


def test_counts_below_five_zero_included_are_hidden_and_so_is_the_smallest_other_one():
    assert values(suppressed([6, 1, 7, 5])) == [6, "small", 7, "withheld"]
    assert values(suppressed([6, 2, 0, 5])) == [6, "small", "small", 5]
    assert values(suppressed([6, 5, 9])) == [6, 5, 9]
    assert values(suppressed([0, 4])) == ["small", "small"]
    assert values(suppressed([3])) == ["small"]


@pytest.mark.parametrize("count", [4, 5, 6])
def test_a_use_is_shown_only_for_five_museums_or_more(db, count):
    museums_with(count, "visitor-chatbot", CHATBOT)
    sector = sector_register(language="en")
    if count < MIN_GROUP:
        assert sector.museums is None and sector.systems is None
        assert all(not row.museums.shown for row in sector.uses)
        assert all(not row.museums.shown and row.systems is None for row in sector.duties)
    else:
        assert (sector.museums, sector.systems) == (count, count)
        assert uses(sector)["visitor-chatbot"] == count
        # No museum uses it, and the page does not say so: 0 is hidden as 1 to 4 would be.
        assert uses(sector)["recruitment-screening"] is None
    # Every duty of the rules has its row, open anywhere or not: a row's presence reveals nothing.
    assert {row.slug for row in sector.duties} == {item.slug for item in default_rules().duties}


def test_one_museum_with_a_rare_use_cannot_be_found_by_differencing(db):
    museums = museums_with(6, "visitor-chatbot", CHATBOT)
    museums_with(5, "metadata-enrichment", {"meets": ["nobody"]}, first=10)
    AiSystem.objects.create(museum=museums[0], name="CV sorter", use="recruitment-screening")
    sector = sector_register(language="en")
    # Every other use is hidden as "fewer than 5" (0 or not): no hidden figure can be worked out.
    assert uses(sector) == {
        **dict.fromkeys(uses(sector)),
        "visitor-chatbot": 6,
        "metadata-enrichment": 5,
    }


def test_open_duties_by_article_count_museums_and_leave_settled_ones_out(db, client_for, nemo_admin):
    museums = museums_with(6, "visitor-chatbot", CHATBOT)
    sector = sector_register(language="en")
    disclosure = duty(sector, "check-ai-disclosure")
    assert (disclosure.museums.value, disclosure.systems) == (6, 6)
    assert "Art. 50(1)" in disclosure.reference
    # One museum tells its visitors: five remain, still shown; the museum that did is not singled out.
    system = AiSystem.objects.get(museum=museums[0])
    SystemDuty.objects.create(system=system, duty="check-ai-disclosure", status="done")
    disclosure = next(
        row for row in sector_register(language="en").duties if row.slug == "check-ai-disclosure"
    )
    assert (disclosure.museums.value, disclosure.systems) == (5, 5)
    # A second one does: four remain, hidden.
    SystemDuty.objects.create(
        system=AiSystem.objects.get(museum=museums[1]), duty="check-ai-disclosure", status="done"
    )
    disclosure = next(
        row for row in sector_register(language="en").duties if row.slug == "check-ai-disclosure"
    )
    assert disclosure.museums.hidden == "small" and disclosure.systems is None
    page = client_for(nemo_admin).get(reverse("nemo_overview")).content.decode()
    assert "6 museums keep a register, with 6 AI systems in all." in page
    assert "fewer than 5" in page


def test_the_overview_reads_in_the_reader_language(db):
    museums_with(5, "visitor-chatbot", CHATBOT)
    french = sector_register(language="fr")
    english = sector_register(language="en")
    assert [row.label for row in french.uses] != [row.label for row in english.uses]
    assert [row.museums for row in french.uses] == [row.museums for row in english.uses]


def test_a_use_with_exactly_one_hidden_figure_hides_the_smallest_other_one_too(db):
    from nemo import suppression

    # Two uses only, so that one hidden figure could be worked out from the total and the other.
    museums_with(6, "visitor-chatbot", CHATBOT)
    museums_with(5, "metadata-enrichment", {"meets": ["nobody"]}, first=10)
    sector = sector_register(language="en")
    figures = suppressed([6, 5, 1])
    assert values(figures) == [6, "withheld", "small"]
    assert uses(sector)["visitor-chatbot"] == 6
    assert suppression.WITHHELD == "withheld"
