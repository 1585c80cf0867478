"""Check whether a new release of the open data is due, and publish it: run it once a day, just
after midnight in the site's time zone (cron, a systemd timer), so that no visitor waits for it.

Without it the day's first visit to the open data does the same.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nemo import open_data
from nemo.suppression import MIN_GROUP


class Command(BaseCommand):
    help = (
        "Publish a new release of the open data (the public sector figures) if one is due: at least "
        f"{MIN_GROUP} museums changed since the last one, or the law, the questionnaire or the year did."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        release, why = open_data.check_release()
        if why:
            self.stdout.write(self.style.SUCCESS(f"Open data released for {release.day.isoformat()}: {why}."))
            return
        changed = open_data.museums_changed_since(release)
        self.stdout.write(
            f"The release of {release.day.isoformat()} stays current: {changed} museums changed since "
            f"(a new release needs {MIN_GROUP})."
        )
