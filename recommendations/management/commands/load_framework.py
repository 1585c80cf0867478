from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.datafile import (
    DATA_FILES,
    FrameworkDataError,
    load,
    load_translations,
    read_data_file,
)


class Command(BaseCommand):
    help = (
        "Load the framework's data files into the database, every published version, the newest as "
        "current (idempotent, keyed on slugs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=None, help="Load this data file only (default: every version's file)"
        )
        parser.add_argument(
            "--not-current", action="store_true", help="Load without making this version the current one."
        )

    def handle(self, *args, file: Path | None, not_current: bool, **options):
        files = [file] if file else list(DATA_FILES)
        for position, path in enumerate(files, start=1):
            # Older versions first, and only the last one loaded becomes current.
            self.load_one(path, make_current=not not_current and position == len(files))

    def load_one(self, path: Path, *, make_current: bool) -> None:
        try:
            data = read_data_file(path)
            report = load(data, make_current=make_current)
            self.load_translations(path, data, report.framework)
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

    def load_translations(self, path: Path, data: dict, framework) -> None:
        """Each language's file beside the version's, when there is one; what it lacks shows in English."""
        for loaded in load_translations(path, data, framework):
            if not loaded.found:
                self.stdout.write(f"{framework}: no {loaded.language} translation; English shown.")
                continue
            note = f", {loaded.missing} texts missing (English shown for them)" if loaded.missing else ""
            self.stdout.write(
                f"{framework}: {loaded.language} translation loaded ({loaded.changed} rows changed{note})."
            )
