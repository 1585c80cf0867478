from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.datafile import DATA_FILE, FrameworkDataError, load, read_data_file


class Command(BaseCommand):
    help = "Load the NEMO framework data file into the database (idempotent, keyed on slugs)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Data file (default: %(default)s)")
        parser.add_argument(
            "--not-current", action="store_true", help="Load without making this version the current one."
        )

    def handle(self, *args, file: Path, not_current: bool, **options):
        try:
            report = load(read_data_file(file), make_current=not not_current)
        except FrameworkDataError as exc:
            raise CommandError(str(exc)) from exc
        framework = report.framework
        if not report.changed:
            self.stdout.write(f"{framework}: already up to date, nothing changed.")
            return
        for verb, counts in (
            ("created", report.created),
            ("updated", report.updated),
            ("deleted", report.deleted),
        ):
            if counts:
                summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
                self.stdout.write(f"{framework}: {verb} {summary}.")
        self.stdout.write(self.style.SUCCESS(f"{framework} loaded."))
