"""Every language is complete: the interface's catalogues, the framework's content, the templates' strings.

These are the checks CI runs so that a new string cannot ship untranslated: a message missing, fuzzy
or with placeholders that differ from the English; a framework text without its translation; a
template text that is not marked for translation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

from recommendations.datafile import (
    DATA_FILES,
    read_data_file,
    read_translation_file,
    translation_file,
    translation_gaps,
    translation_languages,
)

ROOT = Path(settings.BASE_DIR)
LANGUAGES = translation_languages()


def catalogue(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def test_the_site_offers_english_french_dutch_and_german():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "nl", "de"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_message_is_translated(language):
    po = polib.pofile(str(catalogue(language)))
    assert po.metadata.get("Language") == language
    assert [e.msgid for e in po.untranslated_entries()] == [], "untranslated"
    assert [e.msgid for e in po.fuzzy_entries()] == [], "fuzzy (to check, then unflag)"
    assert [e.msgid for e in po.obsolete_entries()] == [], "obsolete (run makemessages with --no-obsolete)"
    # GNU msgfmt's own checks: the placeholders (%(name)s, %d …) of each translation match the English.
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(catalogue(language))], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def _ids(path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_the_catalogues_hold_every_string_the_code_marks(tmp_path):
    """makemessages, run on a copy of the code, finds no message the committed catalogues lack."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "staticfiles", "*.sqlite3*", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            LANGUAGES[0],
            "--ignore=tests",
            "--ignore=bench",
            "--add-location=file",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1"},
    )
    marked = _ids(copy / "locale" / LANGUAGES[0] / "LC_MESSAGES" / "django.po")
    missing = marked - _ids(catalogue(LANGUAGES[0]))
    assert not missing, f"run makemessages (see README) and translate: {sorted(m[1] for m in missing)[:20]}"
    for language in LANGUAGES[1:]:
        assert _ids(catalogue(language)) == _ids(catalogue(LANGUAGES[0])), f"{language} catalogue differs"


@pytest.mark.parametrize("data_file", DATA_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_framework_text_has_its_translation(data_file, language):
    path = translation_file(data_file, language)
    assert path.exists(), f"{path.name} is missing"
    translated = read_translation_file(path)
    assert translated["language"] == language
    assert translation_gaps(read_data_file(data_file), translated) == []


# --- Templates: no user-facing text outside {% translate %} / {% blocktranslate %} -------------------

HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
# Attributes people read or hear: their values must come from a translate tag, not be written in.
READ_ATTRIBUTES = re.compile(r"""\b(?:aria-label|title|alt|placeholder)\s*=\s*"([^"]*)\"""")
WORD = re.compile(r"[A-Za-z]{2,}")
# Words that need no translation: the brand, NEMO's name, HTML entities.
NOT_TRANSLATED = re.compile(r"\b(?:museumai|NEMO)\b|&[a-z]+;|&#\d+;", re.IGNORECASE)
PLACEHOLDER = "\x00"


def _untranslated_text(source: str) -> list[str]:
    """Text a person would read that no translate tag produced (template code becomes a placeholder)."""
    parts = []
    skipping = None  # inside {% comment %} or {% blocktranslate %}: until its end tag
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skipping and name == skipping:
                skipping = None
            elif name == "comment":
                skipping = "endcomment"
            elif name in ("blocktranslate", "blocktrans"):
                skipping = "end" + name
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT:
            parts.append(PLACEHOLDER if skipping else token.contents)
    page = HIDDEN.sub(" ", "".join(parts))
    found = [f'attribute "{value}"' for value in READ_ATTRIBUTES.findall(page) if WORD.search(_words(value))]
    for text in TAG.sub(PLACEHOLDER, page).split(PLACEHOLDER):
        if WORD.search(_words(text)):
            found.append(" ".join(text.split()))
    return found


def _words(text: str) -> str:
    return NOT_TRANSLATED.sub(" ", text.replace(PLACEHOLDER, " "))


def _templates() -> list[Path]:
    return sorted(
        path
        for path in (ROOT / "templates").rglob("*")
        if path.suffix in (".html", ".txt") and "admin" not in path.relative_to(ROOT / "templates").parts[:1]
    )


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_every_template_marks_its_text_for_translation(template):
    assert _untranslated_text(template.read_text(encoding="utf-8")) == []


def test_the_template_check_catches_unmarked_text():
    assert _untranslated_text("<p>Save your answers</p>") == ["Save your answers"]
    assert _untranslated_text('<a aria-label="Close the menu" href="/">x</a>') == [
        'attribute "Close the menu"'
    ]
    assert _untranslated_text('<p>{% translate "Save" %}</p><span>museumai</span>') == []
    assert _untranslated_text("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}") == []


def _normalised(value):
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return " ".join(str(value).split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_export_framework_language_writes_the_translation_file_back(language, framework, tmp_path):
    """Edits made in admin, per language, go back to the data files as the English does."""
    from django.core.management import call_command

    output = tmp_path / f"framework.{language}.yaml"
    with output.open("w", encoding="utf-8") as stream:
        call_command("export_framework", "--format", "yaml", "--language", language, stdout=stream)
    exported = read_translation_file(output)
    committed = read_translation_file(translation_file(DATA_FILES[-1], language))
    assert _normalised(exported) == _normalised(committed)


def test_a_translation_too_long_for_its_column_is_refused_on_every_database(framework):
    """PostgreSQL would refuse it at the database; SQLite would keep it: the loader refuses it on both."""
    from recommendations.datafile import FrameworkDataError, load_translation
    from recommendations.models import DutyExemption

    exemption = DutyExemption.objects.filter(question__dimension__recommendation__framework=framework).first()
    question = exemption.question
    translated = {
        "language": "de",
        "questions": {question.slug: {"does_not_apply_reasons": {exemption.slug: "x" * 1001}}},
    }
    with pytest.raises(FrameworkDataError, match="over 1000 characters"):
        load_translation(framework, translated)
