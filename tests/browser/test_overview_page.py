from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import assert_accessible, log_in


def test_sector_overview_is_accessible_with_its_charts(page, sector, nemo_admin):
    log_in(page, nemo_admin)
    page.goto("/nemo/overview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sector overview")
    assert page.evaluate("Chart.getChart(document.querySelector('#areas-chart')) !== undefined")
    assert_accessible(page, context="sector overview by country")
    page.get_by_label("Break down by").select_option(label="Size")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("cell", name="1–9 staff")
        .or_(page.get_by_role("columnheader", name="1–9 staff"))
        .first
    ).to_be_visible()
    assert_accessible(page, context="sector overview by size")
