"""A fifth language is a matter of two files: the proof, with Italian, in a copy of the project.

Italian is not shipped: the test adds it to a copy's settings, runs the one command the README gives,
fills both files as a translator would (here mechanically), and sees the site speak it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run(project: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def fill(value):
    """What a translator does to every text of the content file (here: mark it as Italian)."""
    if isinstance(value, dict):
        return {key: fill(item) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item) for item in value]
    return "[it] testo" if value == "" else value


def test_adding_a_language_takes_one_command_and_two_translated_files(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "staticfiles", "*.sqlite3*", "__pycache__"
        ),
    )
    settings_file = project / "museumai" / "settings.py"
    source = settings_file.read_text()
    assert '    ("de", _("German")),\n' in source
    settings_file.write_text(
        source.replace('    ("de", _("German")),\n', '    ("de", _("German")),\n    ("it", "Italiano"),\n')
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    output = run(project, "start_language", "it", env=env)
    assert "locale/it/LC_MESSAGES/django.po" in output
    assert list((project / "recommendations" / "migrations").glob("*_language_it.py"))
    run(project, "makemigrations", "--check", "--dry-run", env=env)  # and no other migration is needed
    catalogue = polib.pofile(str(project / "locale" / "it" / "LC_MESSAGES" / "django.po"))
    english = polib.pofile(str(ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert {e.msgid for e in catalogue} == {e.msgid for e in english}, "every message of the interface"
    assert catalogue.percent_translated() == 0
    content = project / "recommendations" / "framework.it.yaml"
    data = yaml.safe_load(content.read_text())
    assert data["questions"]["ai-systems-inventory"]["text"] == ""
    assert "# Does the museum keep a list of the AI systems it uses" in content.read_text()

    # The translator's work: every message and every text.
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: "[it] " + entry.msgid, 1: "[it] " + entry.msgid_plural}
        else:
            entry.msgstr = "[it] " + entry.msgid
    catalogue.save()
    for path in (project / "recommendations").glob("framework*.it.yaml"):
        path.write_text(yaml.safe_dump(fill(yaml.safe_load(path.read_text())), allow_unicode=True))

    run(project, "compilemessages", "--ignore=.venv", "-v0", env=env)
    run(project, "migrate", "-v0", env=env)
    loaded = run(project, "load_framework", env=env)
    assert "it translation loaded" in loaded and "texts missing" not in loaded
    page = run(
        project,
        "shell",
        "-c",
        "from django.test import Client; "
        "print(Client().get('/framework/', HTTP_ACCEPT_LANGUAGE='it').content.decode())",
        env=env,
    )
    assert '<html lang="it">' in page
    assert "[it] The framework" in page  # the interface
    assert "[it] testo" in page  # the questions
