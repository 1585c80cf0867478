"""Start a new language: its interface catalogue and a content file per framework version, to translate.

1. Add the language to ``LANGUAGES`` in museumai/settings.py, e.g. ``("it", _("Italian"))``.
2. ``python manage.py start_language it`` writes ``locale/it/LC_MESSAGES/django.po`` (every message
   of the interface, untranslated) and ``recommendations/framework.it.yaml`` (and one per older
   version), with every text of the framework left empty under its English, as a comment; and the
   migration that gives the framework's translated fields their Italian columns.
3. Translate both; ``make test`` says what is still missing; ``make run`` (or ``load_framework``
   and ``compilemessages``) shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from recommendations.datafile import DATA_FILES, read_data_file, translation_file

MAKEMESSAGES_IGNORE = [".venv", "tests", "bench", "staticfiles", "node_modules"]


class Command(BaseCommand):
    help = "Create the catalogue and the framework content files of a new language, ready to translate."

    def add_arguments(self, parser):
        parser.add_argument("language", help="The language's code, as in LANGUAGES (e.g. it, es, pl).")

    def handle(self, *args, language: str, **options):
        if language not in dict(settings.LANGUAGES) or language == "en":
            raise CommandError(
                f"Add {language!r} to LANGUAGES in museumai/settings.py first (English is the source)."
            )
        call_command(
            "makemessages",
            locale=[language],
            ignore_patterns=MAKEMESSAGES_IGNORE,
            add_location="file",
            verbosity=0,
        )
        self.stdout.write(f"Interface: locale/{language}/LC_MESSAGES/django.po")
        # django-modeltranslation keeps each language in its own columns: the new ones need a migration.
        call_command("makemigrations", "recommendations", name=f"language_{language}", verbosity=0)
        self.stdout.write(f"Database: a migration adds the {language} columns (recommendations/migrations/)")
        for path in DATA_FILES:
            target = translation_file(path, language)
            if target.exists():
                self.stdout.write(f"{target.name} exists: left as it is.")
                continue
            target.write_text(content_template(read_data_file(path), language), encoding="utf-8")
            self.stdout.write(f"Framework: {target.relative_to(Path(settings.BASE_DIR))}")
        self.stdout.write(
            self.style.SUCCESS("Translate the empty texts (the English is above each), then load.")
        )


def content_template(data: dict[str, Any], language: str) -> str:
    """Every text of a version's data file, keyed by slug, empty, with its English as a comment above."""
    lines = [
        f"# {data['framework']['title']} {data['framework']['version']} in {language!r}: translate every",
        "# empty text from the English in the comment above it. NEMO's quotes (passages, policy_text) get",
        "# an unofficial translation: the English stays the quote.",
        f"language: {language}",
    ]

    def text(key: str, english: str, indent: int) -> None:
        pad = " " * indent
        for line in " ".join(str(english).split()).splitlines() or [""]:
            lines.append(f"{pad}# {line}")
        lines.append(f'{pad}{key}: ""')

    lines.append("framework:")
    text("title", data["framework"]["title"], 2)
    text("description", data["framework"]["description"], 2)
    lines.append("scale:")
    for level in data["scale"]:
        lines.append(f"  {level['level']}:")
        text("name", level["name"], 4)
        text("description", level["description"], 4)
    lines.append("passages:")
    for passage in data["passages"]:
        text(passage["slug"], passage["text"], 2)
    lines.append("recommendations:")
    for area in data["recommendations"]:
        lines.append(f"  {area['slug']}:")
        text("title", area["title"], 4)
        text("policy_text", area["policy_text"], 4)
    lines.append("dimensions:")
    for area in data["recommendations"]:
        for dimension in area["dimensions"]:
            lines.append(f"  {dimension['slug']}:")
            text("title", dimension["title"], 4)
            text("description", dimension["description"], 4)
    lines.append("questions:")
    for area in data["recommendations"]:
        for dimension in area["dimensions"]:
            for question in dimension["questions"]:
                lines.append(f"  {question['slug']}:")
                for key in ("text", "why"):
                    text(key, question[key], 4)
                lines.append("    levels:")
                for level, english in enumerate(question["levels"]):
                    lines.append(f"      # {level}: {' '.join(str(english).split())}")
                    lines.append('      - ""')
                text("guidance", question["guidance"], 4)
                if question.get("legal_reference"):
                    text("legal_reference", question["legal_reference"], 4)
                if question.get("does_not_apply_reasons"):
                    lines.append("    does_not_apply_reasons:")
                    for reason in question["does_not_apply_reasons"]:
                        text(reason["slug"], reason["text"], 6)
    return "\n".join(lines) + "\n"
