from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from assessment import scores
from assessment.models import Assessment


class Command(BaseCommand):
    help = (
        "Recompute the stored scores and levels of every assessment with assessment/scoring.py "
        "(after an upgrade that changes the method, or after correcting weights in a framework version)."
    )

    def handle(self, *args, **options):
        count = 0
        for assessment_id in Assessment.objects.order_by("pk").values_list("pk", flat=True).iterator():
            with transaction.atomic():
                # Locked like a save, so that an answer saved meanwhile is not scored over.
                locked = Assessment.objects.select_for_update(of=("self",)).select_related("framework")
                scores.rescore(locked.get(pk=assessment_id))
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Rescored {count} assessments."))
