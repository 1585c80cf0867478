from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from assessment import exports
from assessment.models import Answer, Assessment


class Command(BaseCommand):
    help = (
        "Write submitted assessments as CSV (UTF-8, BOM): --format wide (row per assessment) or long "
        "(per answer). Drafts are never exported: they belong to their museum until submitted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["long", "wide"], default="wide")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, format: str, output: Path | None, **options):
        # What NEMO sees, as in Django admin: submitted assessments only.
        assessments = Assessment.objects.submitted()
        if format == "wide":
            header, rows, total = (
                exports.wide_header(assessments),
                exports.wide_rows(assessments),
                assessments.count(),
            )
        else:
            total = Answer.objects.filter(assessment__in=assessments).count()
            header, rows = exports.LONG_HEADER, exports.long_rows(assessments)
        lines = exports.csv_lines(header, rows)
        # A progress bar only for a person watching a terminal, never inside the CSV.
        show_progress = output is not None and sys.stderr.isatty()
        # The stream self.stdout wraps (django-stubs types its other attributes as callables).
        stdout = cast(TextIO, self.stdout._out)
        try:
            target = output.open("w", encoding="utf-8", newline="") if output else stdout
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        try:
            target.write(next(lines))  # the header
            for line in tqdm(lines, total=total, unit=" rows", disable=not show_progress, file=sys.stderr):
                target.write(line)
        finally:
            if output:
                target.close()
        if output:
            self.stderr.write(
                f"Wrote {total} {'assessments' if format == 'wide' else 'answers'} to {output}."
            )
