"""NEMO's view of the sector's AI registers: kinds of system and open duties, small groups never shown."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessment.models import AiSystem, SystemDuty
from nemo.register_stats import MIN_GROUP, sector_register, suppressed
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
    return {row.slug: row.museums for row in sector.uses}


def test_counts_below_five_are_hidden_and_so_is_the_smallest_other_one():
    assert suppressed([6, 1, 0, 5]) == [6, None, 0, None]
    assert suppressed([6, 2, 3, 5]) == [6, None, None, 5]
    assert suppressed([6, 5, 0]) == [6, 5, 0]
    assert suppressed([0, 4]) == [0, None]


@pytest.mark.parametrize("count", [4, 5, 6])
def test_a_use_is_shown_only_for_five_museums_or_more(db, count):
    museums_with(count, "visitor-chatbot", CHATBOT)
    sector = sector_register(language="en")
    if count < MIN_GROUP:
        assert sector.museums is None and sector.systems is None
        assert all(row.museums is None for row in sector.uses)
        assert all(row.museums is None for row in sector.duties)
    else:
        assert (sector.museums, sector.systems) == (count, count)
        assert uses(sector)["visitor-chatbot"] == count
        assert uses(sector)["recruitment-screening"] == 0


def test_one_museum_with_a_rare_use_cannot_be_found_by_differencing(db):
    museums = museums_with(6, "visitor-chatbot", CHATBOT)
    museums_with(5, "metadata-enrichment", {"meets": ["nobody"]}, first=10)
    AiSystem.objects.create(museum=museums[0], name="CV sorter", use="recruitment-screening")
    counts = uses(sector_register(language="en"))
    assert counts["recruitment-screening"] is None  # one museum
    assert counts["metadata-enrichment"] is None  # else 11 museums − 6 − 5 would not add up to a hidden 0
    assert counts["visitor-chatbot"] == 6


def test_open_duties_by_article_count_museums_and_leave_settled_ones_out(db, client_for, nemo_admin):
    museums = museums_with(6, "visitor-chatbot", CHATBOT)
    sector = sector_register(language="en")
    disclosure = next(row for row in sector.duties if row.slug == "check-ai-disclosure")
    assert (disclosure.museums, disclosure.systems) == (6, 6)
    assert "Art. 50(1)" in disclosure.reference
    # One museum tells its visitors: five remain, still shown; the museum that did is not singled out.
    system = AiSystem.objects.get(museum=museums[0])
    SystemDuty.objects.create(system=system, duty="check-ai-disclosure", status="done")
    disclosure = next(
        row for row in sector_register(language="en").duties if row.slug == "check-ai-disclosure"
    )
    assert (disclosure.museums, disclosure.systems) == (5, 5)
    # A second one does: four remain, hidden.
    SystemDuty.objects.create(
        system=AiSystem.objects.get(museum=museums[1]), duty="check-ai-disclosure", status="done"
    )
    disclosure = next(
        row for row in sector_register(language="en").duties if row.slug == "check-ai-disclosure"
    )
    assert disclosure.museums is None and disclosure.systems is None
    page = client_for(nemo_admin).get(reverse("nemo_overview")).content.decode()
    assert "6 museums keep a register, with 6 AI systems in all." in page
    assert "not shown (fewer than 5 museums" in page


def test_the_overview_reads_in_the_reader_language(db):
    museums_with(5, "visitor-chatbot", CHATBOT)
    french = sector_register(language="fr")
    english = sector_register(language="en")
    assert [row.label for row in french.uses] != [row.label for row in english.uses]
    assert [row.museums for row in french.uses] == [row.museums for row in english.uses]
