from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from assessment import services
from assessment.models import Assessment
from recommendations.framework_data import framework_with_content


class Command(BaseCommand):
    help = (
        "Recompute the stored scores of every assessment with assessment/scoring.py "
        "(after an upgrade that changes the method, or after correcting weights in a framework version)."
    )

    def handle(self, *args, **options):
        frameworks = {}
        count = 0
        for assessment in Assessment.objects.order_by("pk").iterator(chunk_size=500):
            if assessment.framework_id not in frameworks:
                frameworks[assessment.framework_id] = framework_with_content(assessment.framework_id)
            with transaction.atomic():
                # Locked like a save, so that an answer saved meanwhile is not scored over.
                locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
                services.assessment_rescore(locked, frameworks[assessment.framework_id])
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Rescored {count} assessments."))
