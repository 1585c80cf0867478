"""Benchmark the CSV exports against a floor: Python's csv module writing the same rows from memory.

Run against a database that already holds data, e.g.:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DJANGO_DEBUG=1 .venv/bin/python manage.py migrate
    ... load_framework; seed_demo --museums 2000 --assessments-per-museum 5
    DATABASE_URL=... DJANGO_DEBUG=1 .venv/bin/python bench/export_bench.py

Reports, per export: rows, seconds, rows/s, time to the first line, the ratio to
the floor (export time ÷ time for csv to write the same rows already in memory),
and how much the process's peak memory grew while streaming.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumai.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessment import exports  # noqa: E402
from assessment.models import Assessment, AssessmentStatus  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream(name: str, header, rows_factory) -> dict:
    """Stream the export to /dev/null, as a download would; peak memory is measured around it."""
    before = peak_rss_mb()
    start = time.perf_counter()
    first_row_at = None
    count = -1
    with open(os.devnull, "w") as sink, CaptureQueriesContext(connection) as queries:
        for line in exports.csv_lines(header, rows_factory()):
            if count == 0:
                first_row_at = time.perf_counter() - start
            sink.write(line)
            count += 1
    return {
        "name": name,
        "rows": count,
        "seconds": time.perf_counter() - start,
        "first_row_ms": (first_row_at or 0) * 1000,
        "queries": len(queries),
        "memory_mb": peak_rss_mb() - before,
    }


def floor(header, rows_factory) -> float:
    """The floor: the same rows, already in memory, written by the csv module alone."""
    rows = list(rows_factory())
    start = time.perf_counter()
    writer = csv.writer(io.StringIO())
    writer.writerow(header)
    writer.writerows(rows)
    return time.perf_counter() - start


def main() -> None:
    submitted = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)
    print(f"{connection.vendor}: {submitted.count():,} submitted assessments")
    exports_to_run = [
        ("wide", exports.wide_header(submitted), lambda: exports.wide_rows(submitted)),
        ("long", exports.LONG_HEADER, lambda: exports.long_rows(submitted)),
    ]
    # Streaming first, so that peak-memory growth is not hidden by the floors' in-memory lists.
    results = [stream(name, header, factory) for name, header, factory in exports_to_run]
    for result, (_name, header, factory) in zip(results, exports_to_run, strict=True):
        floor_seconds = floor(header, factory)
        rate = result["rows"] / result["seconds"]
        ratio = result["seconds"] / floor_seconds
        print(
            f"{result['name']:5} {result['rows']:>9,} rows  {result['seconds']:6.2f} s  "
            f"{rate:>9,.0f} rows/s  first row {result['first_row_ms']:5.0f} ms  "
            f"{result['queries']} queries  floor {floor_seconds:5.2f} s  ratio {ratio:4.1f}×  "
            f"peak memory +{result['memory_mb']:.0f} MB while streaming"
        )


if __name__ == "__main__":
    main()
