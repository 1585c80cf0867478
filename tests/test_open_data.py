"""The open data: public, the overview's figures with the same small groups hidden, a licence and a
versioned schema."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from nemo import open_data, stats
from tests.conftest import submitted_museums


def test_anyone_gets_the_json_with_licence_version_date_and_museums(client, sector):
    document = client.get(reverse("open_data_json")).json()
    assert document["schema_version"] == open_data.SCHEMA_VERSION
    assert "CC BY 4.0" in document["licence"]["name"] and document["licence"]["url"].startswith("https://")
    assert document["museums"] == {"value": 11, "hidden": None} and document["min_group"] == 5
    assert document["framework"] and document["computed_on"]
    assert [grouping["grouped_by"] for grouping in document["groupings"]] == [
        "country",
        "type",
        "size",
        "year",
    ]


def test_the_json_shows_what_the_overview_shows(client, sector):
    document = client.get(reverse("open_data_json")).json()
    by_country = document["groupings"][0]
    overall = next(table for table in by_country["tables"] if table["key"] == "level:overall")
    page = stats.sector_figures(stats.Selection(by="country")).overall
    shown = {
        row.label: [cell.value for cell in row.cells]
        for row in [*page.rows, page.everyone]
        if row.total.shown
    }
    assert {row["label"]: [cell["value"] for cell in row["cells"]] for row in overall["rows"]} == shown


def test_a_small_country_is_never_named(client, sector, framework):
    submitted_museums(2, level=4, prefix="Malta", country="MT")
    body = client.get(reverse("open_data_json")).content.decode()
    assert "Malta" not in body and '"MT"' not in body
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("open_data_csv")).getvalue().decode().lstrip("\ufeff")))
    )
    assert rows[0] == stats.CSV_HEADER
    assert not any("Malta" in cell for row in rows for cell in row)


def test_the_public_page_needs_no_login(client, sector):
    page = client.get(reverse("open_data"))
    assert page.status_code == 200 and "CC BY 4.0" in page.content.decode()
