"""Recompute NEMO's sector summary (each museum's latest submitted assessment per year) from scratch."""

from django.core.management.base import BaseCommand

from assessment import sector


class Command(BaseCommand):
    help = "Recompute the sector summary that NEMO's overview, the benchmarks and the open data read."

    def handle(self, *args, **options):
        rows = sector.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Sector summary rebuilt: {rows} rows."))
