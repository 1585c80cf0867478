"""The open data: public, the overview's figures with the same small groups hidden, a licence and a
versioned schema."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from assessment import sector as sector_summary
from assessment import team
from assessment.models import Museum, OpenDataRelease
from nemo import open_data, stats
from recommendations.content import current_framework_content, questions_of
from tests.conftest import read_csv, submitted_museums


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


def museums_in(response) -> int:
    return response.json()["museums"]["value"]


# Fixed days of one year with no legal duty coming into force between them: only museums' changes
# decide whether a new release is due.
DAY_1, DAY_2, DAY_3 = date(2030, 6, 3), date(2030, 6, 4), date(2030, 6, 5)


def test_a_new_release_comes_out_only_once_five_museums_changed(sector):
    first = open_data.document(DAY_1)
    submitted_museums(4, level=4, prefix="Later", country="NL")
    # Four museums submitted: a new release would differ from the first by their results alone.
    assert open_data.document(DAY_2) == first
    submitted_museums(1, level=4, prefix="Fifth", country="NL")
    release, why = open_data.check_release(DAY_3)
    assert why == "5 museums joined, changed or left"
    assert release.document["museums"]["value"] == 16 and release.document["computed_on"] == "2030-06-05"
    assert open_data.released_on(DAY_1) == first  # the first stays as it was


def test_museums_that_leave_count_as_changes_and_leave_at_the_next_release(sector):
    open_data.document(DAY_1)
    leaving = list(Museum.objects.filter(name__startswith="Sector museum").order_by("pk")[:5])
    for museum in leaving[:4]:
        museum.in_sector_figures = False
        museum.save()
        sector_summary.refresh([museum.pk])
    assert stats.sector_figures().museums.value == 7  # NEMO's overview: at once
    assert open_data.document(DAY_2)["museums"]["value"] == 11  # four changes: the release stays
    team.museum_delete(museum=leaving[4])
    assert open_data.museums_changed_since(open_data.current_release(DAY_2)) == 5
    assert open_data.document(DAY_3)["museums"]["value"] == 6


def first_duty_coming_into_force(framework) -> date:
    return min(
        question.duty_applies_from
        for question in questions_of(framework)
        if question.legal_duty and question.duty_applies_from
    )


def test_a_legal_duty_coming_into_force_brings_a_new_release(sector, framework):
    comes_into_force = first_duty_coming_into_force(framework)
    open_data.document(comes_into_force - timedelta(days=1))
    release, why = open_data.check_release(comes_into_force)
    assert why == "a legal duty came into force" and release.day == comes_into_force


def test_the_law_or_the_year_waits_while_one_to_four_museums_changed(sector, framework):
    comes_into_force = first_duty_coming_into_force(framework)
    first = open_data.document(comes_into_force - timedelta(days=1))
    submitted_museums(1, level=4, prefix="Later", country="NL")
    # Released now, it would differ from the last by that one museum as well as by the law.
    assert open_data.document(comes_into_force) == first
    new_year = date(comes_into_force.year + 1, 1, 2)
    assert open_data.document(new_year) == first


def test_saves_that_change_no_figure_are_no_change(sector):
    open_data.document(DAY_1)
    museums = list(Museum.objects.filter(name__startswith="Sector museum").order_by("pk")[:4])
    for museum in museums:
        museum.name += " (renamed)"
        museum.save()
    sector_summary.refresh([museum.pk for museum in museums])
    sector_summary.rebuild()
    submitted_museums(1, level=4, prefix="Later", country="NL")
    release = open_data.current_release(DAY_2)
    assert open_data.museums_changed_since(release) == 1
    assert release.day == DAY_1  # one real change: no new release


def test_the_check_reads_the_release_whatever_the_first_visitors_language(client, sector):
    yesterday = timezone.localdate() - timedelta(days=1)
    open_data.publish(yesterday)
    for language in ("de", "fr", "nl"):
        client.get(reverse("open_data_json"), HTTP_ACCEPT_LANGUAGE=language)
    assert list(OpenDataRelease.objects.values_list("day", flat=True)) == [yesterday]


def test_the_first_release_of_a_day_stays_when_two_publish_at_once(sector):
    first = open_data.publish(DAY_1)
    submitted_museums(5, level=4, prefix="Later", country="NL")
    assert open_data.publish(DAY_1).document == first.document
    assert OpenDataRelease.objects.get().document["museums"]["value"] == 11


def test_the_daily_command_says_whether_it_released(sector):
    output = io.StringIO()
    call_command("publish_open_data", stdout=output)
    call_command("publish_open_data", stdout=output)
    lines = output.getvalue().splitlines()
    assert lines[0] == f"Open data released for {timezone.localdate().isoformat()}: first release."
    assert lines[1] == (
        f"The release of {timezone.localdate().isoformat()} stays current: 0 museums changed since "
        "(a new release needs 5)."
    )


def test_an_earlier_release_stays_retrievable_as_it_was(client, sector):
    yesterday = timezone.localdate() - timedelta(days=1)
    open_data.publish(yesterday)
    submitted_museums(5, level=4, prefix="Later", country="NL")
    earlier = client.get(reverse("open_data_json"), {"day": yesterday.isoformat()})
    assert museums_in(earlier) == 11 and earlier.json()["computed_on"] == yesterday.isoformat()
    assert museums_in(client.get(reverse("open_data_json"))) == 16
    download = client.get(reverse("open_data_csv"), {"day": yesterday.isoformat()})
    assert yesterday.isoformat() in download["Content-Disposition"]
    assert read_csv(download)[0] == stats.CSV_HEADER
    page = client.get(reverse("open_data")).content.decode()
    assert f"?day={yesterday.isoformat()}" in page


def test_a_release_in_an_earlier_major_schema_is_served_as_json_only(client, sector):
    OpenDataRelease.objects.create(
        day=DAY_1, schema_version="0.9", document={"schema_version": "0.9"}, checked_on=DAY_1
    )
    assert client.get(reverse("open_data_json"), {"day": DAY_1.isoformat()}).json() == {
        "schema_version": "0.9"
    }
    assert client.get(reverse("open_data_csv"), {"day": DAY_1.isoformat()}).status_code == 404


@pytest.mark.parametrize("day", ["2020-01-01", "yesterday", "2026-13-45", "²", "9999-12-31"])
def test_a_day_without_a_release_is_not_found(client, sector, day):
    assert client.get(reverse("open_data_json"), {"day": day}).status_code == 404
    assert client.get(reverse("open_data_csv"), {"day": day}).status_code == 404


def test_the_csv_is_the_release_as_the_figures_were_computed(sector):
    computed = [row for figures in open_data.sector_data() for row in stats.csv_rows(figures)]
    assert list(open_data.csv_rows(open_data.document())) == computed
    assert len(computed) > 100


def test_the_public_page_speaks_the_readers_language(client, sector):
    page = client.get(reverse("open_data"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # The release is in English; its groups and levels are named in the reader's language.
    assert "Allemagne" in page and "Tous les musées" in page
    assert "<td>Géré</td><td>Géré – Géré</td>" in page  # Germany's median and quartiles
    assert "Managed" not in page
    with translation.override("fr"):
        in_french = str(current_framework_content())
    assert in_french in page and in_french != client.get(reverse("open_data_json")).json()["framework"]


def test_the_public_page_says_how_many_groups_it_leaves_out(client, sector):
    submitted_museums(2, level=4, prefix="Small", country="NL")
    page = client.get(reverse("open_data")).content.decode()
    assert "2 groups are not shown" in page  # the Netherlands, and one to protect it
    overall = client.get(reverse("open_data_json")).json()["groupings"][0]["tables"][0]
    assert overall["key"] == "level:overall" and overall["groups_not_shown"] == 2


def test_a_download_of_the_current_release_costs_one_query(client, sector, django_assert_num_queries):
    client.get(reverse("open_data_json"))  # the day's first: it publishes
    with django_assert_num_queries(1):
        client.get(reverse("open_data_json"))
    with django_assert_num_queries(1):
        read_csv(client.get(reverse("open_data_csv")))
