from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import assert_accessible, log_in


def test_sector_overview_is_accessible_with_its_charts(page, sector, nemo_admin):
    log_in(page, nemo_admin)
    page.goto("/nemo/overview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sector overview")
    assert page.evaluate("Chart.getChart(document.querySelector('#levels-chart')) !== undefined")
    overall = page.get_by_role("table", name="Museums at each overall level, by Country")
    expect(overall.get_by_role("row", name="France")).to_be_visible()
    assert_accessible(page, context="sector overview by country")

    page.get_by_label("Group museums by").select_option(label="Size")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("rowheader", name="1–9 staff").first).to_be_visible()
    expect(page.get_by_role("rowheader", name="250 staff or more").first).to_be_visible()
    assert_accessible(page, context="sector overview by size")

    # Crossed with size, each country's groups are under five museums: none is shown.
    page.get_by_label("Group museums by").select_option(label="Country")
    page.get_by_label("Cross with").select_option(label="Size")
    page.get_by_role("button", name="Show").click()
    crossed = page.get_by_role("table", name="Museums at each overall level, by Country × Size")
    expect(crossed.get_by_role("rowheader", name="All museums")).to_be_visible()
    expect(crossed.get_by_role("rowheader", name="France · 1–9 staff")).to_have_count(0)
    # Nor how many are left out: with each country's and each size's totals, that could give one back.
    expect(page.get_by_text("not shown: they have fewer than")).to_have_count(0)
    assert_accessible(page, context="sector overview by country and size")

    page.get_by_label("Group museums by").select_option(label="Year of submission")
    page.get_by_label("Cross with").select_option(label="Nothing")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Trend: each row is one year")).to_be_visible()
    assert_accessible(page, context="sector overview by year")
