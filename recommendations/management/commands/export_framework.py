from __future__ import annotations

import json

import yaml
from django.core.management.base import BaseCommand, CommandError

from recommendations.content import framework_content
from recommendations.datafile import export, export_translation, translation_languages
from recommendations.models import FrameworkVersion


class Command(BaseCommand):
    help = (
        "Print the loaded framework as deterministic JSON (default) or as YAML in the data file's shape, "
        "e.g. to write admin edits back: export_framework --format yaml > recommendations/framework.yaml; "
        "with --language, one language's translation file: "
        "export_framework --format yaml --language fr > recommendations/framework.fr.yaml"
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "yaml"], default="json")
        parser.add_argument("--framework-version", help="Version to export (default: current).")
        parser.add_argument(
            "--language",
            choices=translation_languages(),
            help="Export this language's translation (keyed by slug) instead of the English data file.",
        )

    def handle(self, *args, format: str, framework_version: str | None, language: str | None, **options):
        if framework_version:
            framework = FrameworkVersion.objects.filter(version=framework_version).first()
        else:
            framework = FrameworkVersion.objects.current()
        if framework is None:
            raise CommandError("No framework is loaded. Run: python manage.py load_framework")
        data = export_translation(framework, language) if language else export(framework_content(framework))
        if format == "yaml":
            self.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110), ending="")
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))
