"""Time the sector overview's aggregates (run against a database holding many assessments).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/museumai_bench DJANGO_DEBUG=1 \
        .venv/bin/python bench/overview_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumai.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessment.models import Assessment  # noqa: E402
from nemo import stats  # noqa: E402


def main() -> None:
    print(f"{connection.vendor}: {Assessment.objects.count():,} assessments")
    for by in stats.BREAKDOWNS:
        timings = []
        for _run in range(3):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                overview = stats.sector_overview(by)
            timings.append(time.perf_counter() - start)
        print(
            f"by {by:8} median {statistics.median(timings):6.2f} s over 3 runs, "
            f"{len(queries)} queries, {len(overview.groups)} groups"
        )


if __name__ == "__main__":
    main()
