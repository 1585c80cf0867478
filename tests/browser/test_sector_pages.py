"""In Chromium: the public open-data page, and a museum's results compared with museums like it.
Axe on both, and no sideways scrolling on a phone."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from assessment.models import Assessment, Museum
from nemo import open_data
from tests.conftest import assert_accessible, log_in, no_sideways_scrolling, results_url, submitted_museums


def test_anyone_reads_the_open_data_and_downloads_it(page, sector):
    yesterday = timezone.localdate() - timedelta(days=1)
    open_data.publish(yesterday)
    submitted_museums(5, level=4, prefix="Later", country="NL")  # enough for a new release
    page.goto(reverse("open_data"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open data")
    expect(
        page.get_by_role("link", name="Creative Commons Attribution 4.0 International (CC BY 4.0)")
    ).to_be_visible()
    assert_accessible(page, context="open data")
    no_sideways_scrolling(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (CSV)", exact=True).click()
    assert download.value.suggested_filename == f"museumai-open-data-{timezone.localdate().isoformat()}.csv"
    # An earlier day's release, for a figure cited then.
    earlier = f"Download (CSV) {date_format(yesterday, 'DATE_FORMAT')}"
    with page.expect_download() as download:
        page.get_by_role("link", name=earlier, exact=True).click()
    assert download.value.suggested_filename == f"museumai-open-data-{yesterday.isoformat()}.csv"
    document = json.loads(page.request.get(reverse("open_data_json")).text())
    assert document["schema_version"] == open_data.SCHEMA_VERSION and document["museums"]["value"] == 16


def test_a_museum_sees_where_it_stands_among_museums_like_it(page, sector):
    museum = Museum.objects.get(name="Sector museum 0")  # French, micro, at level 1
    lead = get_user_model().objects.get(memberships__museum=museum)
    assessment = Assessment.objects.get(museum=museum)
    log_in(page, lead)
    page.goto(results_url(assessment))
    section = page.locator("section[aria-labelledby=like-yours-heading]")
    expect(section.get_by_role("heading", name="Museums like yours")).to_be_visible()
    # Four other micro museums are too few: it is compared with all museums counted, and told so.
    expect(section).to_contain_text("Museums of your size: fewer than 5 other museums")
    expect(section.get_by_role("table")).to_contain_text("higher than")
    assert_accessible(page, context="results with museums like yours")
    no_sideways_scrolling(page)
