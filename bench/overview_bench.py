"""Time what NEMO's sector figures cost at scale: the overview's views, a museum's benchmarks, the open data.

On PostgreSQL it first seeds 100,000 submitted assessments if the database has fewer
(bench/sector_seed.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/museumai_bench DJANGO_DEBUG=1 \\
        .venv/bin/python bench/overview_bench.py

Each view gives the median of 5 runs after one warm-up (framework content cached, as in a running
server), cold (just after the summary changed) and warm (asked again before it changes), and the
number of queries, which must not grow with the data: first the figures as the code computes
them, then the pages and downloads as a browser gets them (rendering and middleware included).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumai.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessment import benchmarks, results  # noqa: E402
from assessment.models import Assessment, SectorResult  # noqa: E402
from nemo import open_data, stats  # noqa: E402

RUNS = 5


def timed(label: str, work: Callable[[], Any]) -> None:
    """Cold: the summary just changed, so the figures are computed (the cache cleared before each
    run). Warm: asked again before the summary changes (the database's answer from the cache)."""
    work()  # warm-up: framework content and translations cached, as in a running server
    for state in ("cold", "warm"):
        timings = []
        for _run in range(RUNS):
            if state == "cold":
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                work()
                timings.append(time.perf_counter() - start)
        median = 1000 * statistics.median(timings)
        print(f"{label:50} {state} median {median:7.1f} ms, {len(queries)} queries")


SCALE = 100_000


def main() -> None:
    submitted = Assessment.objects.submitted().count()
    if connection.vendor == "postgresql" and submitted < SCALE:
        # Seeding is its own script: it clones realistic museums in SQL, about four minutes.
        seeder = Path(__file__).resolve().parent / "sector_seed.py"
        subprocess.run([sys.executable, str(seeder), "--assessments", str(SCALE)], check=True)
        submitted = Assessment.objects.submitted().count()
    print(
        f"{connection.vendor}: {submitted:,} submitted assessments, "
        f"{SectorResult.objects.count():,} summary rows"
    )
    for by in stats.BREAKDOWNS:
        timed(f"overview by {by}", partial(stats.sector_figures, stats.Selection(by=by)))
    timed(
        "overview by country × size", lambda: stats.sector_figures(stats.Selection(by="country", then="size"))
    )
    timed(
        "overview by size, split by stance",
        lambda: stats.sector_figures(stats.Selection(by="size", then="stance")),
    )
    timed(
        "one question's answers, by country",
        lambda: stats.question_table(stats.Selection(by="country"), stats.questions()[0][0]),
    )
    assessment = Assessment.objects.submitted().select_related("museum", "framework").order_by("-pk").first()
    if assessment is not None:
        board = results.dashboard(assessment)
        items = results.benchmark_items(board)
        timed(
            "a museum's benchmarks (museums like yours)",
            lambda: benchmarks.museums_like(assessment.museum, items),
        )
    # The open data comes in releases: computing one (the daily check, when 5 museums changed) and
    # serving the current one, as every request does.
    timed("open data: computing a release", lambda: open_data.as_json(open_data.sector_data()))
    timed("open data: the current release", open_data.document)
    pages()


def got(browser: Client, url: str) -> None:
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Read as a browser would: a streamed download to its end.
    b"".join(getattr(response, "streaming_content", [])) if response.streaming else response.content


def pages() -> None:
    """The pages and downloads through Django's test client: middleware, templates and all."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    staff, _created = get_user_model().objects.get_or_create(
        username="bench-nemo-staff", defaults={"is_staff": True, "email": "bench@example.org"}
    )
    browser = Client()
    browser.force_login(staff)
    overview, overview_csv = reverse("nemo_overview"), reverse("nemo_overview_csv")
    overview_xlsx = reverse("nemo_overview_xlsx")
    for label, url in (
        ("page: overview by country", f"{overview}?by=country"),
        ("page: overview by country × size", f"{overview}?by=country&then=size"),
        ("page: overview by year", f"{overview}?by=year"),
        ("download: overview by country (CSV)", f"{overview_csv}?by=country"),
        ("download: overview by country (XLSX)", f"{overview_xlsx}?by=country"),
        ("page: open data", reverse("open_data")),
        ("download: open data (JSON)", reverse("open_data_json")),
        ("download: open data (CSV)", reverse("open_data_csv")),
    ):
        timed(label, partial(got, browser, url))
    # A museum with a member to see it (the seeded clones have none).
    assessment = (
        Assessment.objects.submitted().filter(museum__memberships__isnull=False).order_by("-pk").first()
    )
    member = (
        get_user_model().objects.filter(memberships__museum_id=assessment.museum_id).first()
        if assessment is not None
        else None
    )
    if assessment is not None and member is not None:
        museum_browser = Client()
        museum_browser.force_login(member)
        url = reverse("assessment:results", args=[assessment.museum_id, assessment.pk])
        timed("page: a museum's results with museums like yours", partial(got, museum_browser, url))


if __name__ == "__main__":
    main()
