"""The framework data file: read, validate, load into the database, export back.

The YAML file and the JSON export share one shape, so that an export of the
database (after edits in Django admin) can be written back as the data file:
``manage.py export_framework --format yaml > recommendations/framework.yaml``.
The app itself reads the loaded framework through ``recommendations/content.py``.

Each published version has its own file: ``framework.yaml`` is the current one,
``framework-1.0.yaml`` the first, kept for the assessments that use it.
``manage.py load_framework`` loads them all, oldest first, the last as current.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.conf import settings
from django.db import models, transaction
from django.utils import translation

from recommendations.models import (
    MATURITY_LEVELS,
    Dimension,
    DutyExemption,
    FrameworkVersion,
    MaturityLevel,
    PolicyPassage,
    Question,
    Recommendation,
)

DATA_FILE = Path(__file__).resolve().parent / "framework.yaml"
SOURCE_LANGUAGE = "en"  # the data files' language; each other language has its file beside them
# Every published version, oldest first; the last is the current one.
DATA_FILES = (DATA_FILE.with_name("framework-1.0.yaml"), DATA_FILE)
QUESTION_KEYS = {
    "slug",
    "text",
    "why",
    "weight",
    "legal_duty",
    "legal_reference",
    "levels",
    "guidance",
    "passages",
    "duty_applies_from",
    "only_if_ai_in_use",
    "does_not_apply_reasons",
    "revised",
    "presumes_ai_in_use",
}

Row = TypeVar("Row", bound=models.Model)


class FrameworkDataError(ValueError):
    """The data file breaks a rule; the message says where and which."""


@dataclass
class Tally:
    """Rows created, updated and deleted, by kind."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass(kw_only=True)
class LoadReport(Tally):
    """What a load changed, and the version it loaded."""

    framework: FrameworkVersion


def read_data_file(path: Path = DATA_FILE) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FrameworkDataError(f"{path}: cannot read: {exc}") from exc
    validate(data)
    return data


def _levels_as_text(levels: list[Any]) -> list[str]:
    """Levels may be written as five strings or as [{level, description}] (the export's shape)."""
    if all(isinstance(item, dict) for item in levels):
        return [item["description"] for item in sorted(levels, key=lambda item: item["level"])]
    return [str(item) for item in levels]


def validate(data: Any) -> None:
    """Check the rules the database cannot: counts, references, unique slugs."""
    problems: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            problems.append(message)

    if not isinstance(data, dict):
        raise FrameworkDataError(
            "The data file must be a mapping with framework, scale, passages, recommendations."
        )
    for key in ("framework", "scale", "passages", "recommendations"):
        need(key in data, f"missing top-level key {key!r}")
    if problems:
        raise FrameworkDataError("; ".join(problems))

    need(
        [item.get("level") for item in data["scale"]] == list(MATURITY_LEVELS),
        "scale must list levels 0, 1, 2, 3, 4 in order",
    )
    # Pages link to area 1 as the questionnaire's start, so areas are numbered 1, 2, … without gaps.
    numbers = [recommendation.get("number") for recommendation in data["recommendations"]]
    need(
        numbers == list(range(1, len(numbers) + 1)),
        f"recommendations must be numbered 1 to {len(numbers)} in order, not {numbers}",
    )
    passage_slugs = [passage["slug"] for passage in data["passages"]]
    for slug, count in Counter(passage_slugs).items():
        need(count == 1, f"passage slug {slug!r} is used {count} times")
    known_passages = set(passage_slugs)

    dimension_slugs: list[str] = []
    question_slugs: list[str] = []
    for recommendation in data["recommendations"]:
        where = f"recommendation {recommendation.get('number')}"
        for slug in recommendation.get("passages", []):
            need(slug in known_passages, f"{where}: unknown passage {slug!r}")
        for dimension in recommendation.get("dimensions", []):
            dimension_slugs.append(dimension["slug"])
            need(int(dimension.get("weight", 0)) >= 1, f"dimension {dimension['slug']}: weight must be ≥ 1")
            for question in dimension.get("questions", []):
                slug = question["slug"]
                question_slugs.append(slug)
                need(
                    len(question.get("levels", [])) == 5,
                    f"question {slug}: needs exactly 5 level descriptors",
                )
                need(int(question.get("weight", 0)) >= 1, f"question {slug}: weight must be ≥ 1")
                need(
                    bool(question.get("legal_duty")) == bool(question.get("legal_reference")),
                    f"question {slug}: legal_reference is required exactly when legal_duty is true",
                )
                need(bool(question.get("passages")), f"question {slug}: link at least one policy passage")
                for passage in question.get("passages", []):
                    need(passage in known_passages, f"question {slug}: unknown passage {passage!r}")
                for key in ("text", "why", "guidance"):
                    need(bool(str(question.get(key, "")).strip()), f"question {slug}: {key} is empty")
                _validate_duty(question, need)
    for kind, slugs in (("dimension", dimension_slugs), ("question", question_slugs)):
        for slug, count in Counter(slugs).items():
            need(count == 1, f"{kind} slug {slug!r} is used {count} times")
    if problems:
        raise FrameworkDataError("The framework data file has problems:\n- " + "\n- ".join(problems))


def _validate_duty(question: dict[str, Any], need: Any) -> None:
    """The fields that say when and to whom a legal duty applies: only on legal duties, well formed."""
    slug = question["slug"]
    unknown = set(question) - QUESTION_KEYS
    need(not unknown, f"question {slug}: unknown keys {sorted(unknown)}")
    if not question.get("legal_duty"):
        for key in ("duty_applies_from", "only_if_ai_in_use", "does_not_apply_reasons"):
            need(key not in question, f"question {slug}: {key} is only for legal duties")
    need(
        _is_date(question.get("duty_applies_from")),
        f"question {slug}: duty_applies_from must be a date (YYYY-MM-DD)",
    )
    # PostgreSQL refuses a value longer than its column: say which one here rather than fail there.
    limit = Question._meta.get_field("legal_reference").max_length or 0
    need(
        len(question.get("legal_reference") or "") <= limit,
        f"question {slug}: legal_reference is over {limit} characters",
    )
    reasons = question.get("does_not_apply_reasons") or []
    need(
        all(isinstance(r, dict) and set(r) == {"slug", "text"} and str(r["text"]).strip() for r in reasons),
        f"question {slug}: each of does_not_apply_reasons needs a slug and a text",
    )
    text_limit = DutyExemption._meta.get_field("text").max_length or 0
    need(
        all(len(str(r.get("text", ""))) <= text_limit for r in reasons if isinstance(r, dict)),
        f"question {slug}: a reason is over {text_limit} characters",
    )
    reason_slugs = [r.get("slug") for r in reasons if isinstance(r, dict)]
    need(len(reason_slugs) == len(set(reason_slugs)), f"question {slug}: reason slugs must differ")


def _sync(report: Tally, model: type[Row], lookup: dict[str, Any], values: dict[str, Any]) -> Row:
    """Create or update one row, saving only when something differs (so reloads change nothing).

    ``lookup`` finds the row (it may span relations, e.g. slugs unique per
    framework); ``values`` must hold everything else a new row needs.
    """
    obj = model._default_manager.filter(**lookup).first()
    name = str(model._meta.verbose_name_plural)
    if obj is None:
        direct = {key: value for key, value in lookup.items() if "__" not in key}
        obj = model._default_manager.create(**direct, **values)
        report.created[name] += 1
        return obj
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        report.updated[name] += 1
    return obj


def _sync_m2m(report: Tally, obj: models.Model, attribute: str, targets: list[PolicyPassage]) -> None:
    manager = getattr(obj, attribute)
    if {item.pk for item in manager.all()} != {item.pk for item in targets}:
        manager.set(targets)
        report.updated[f"{obj._meta.verbose_name} passage links"] += 1


def _delete_missing(report: Tally, queryset: models.QuerySet[Any], keep: set[int]) -> None:
    stale = queryset.exclude(pk__in=keep)
    count = stale.count()
    if count:
        stale.delete()
        report.deleted[str(queryset.model._meta.verbose_name_plural)] += count


@transaction.atomic
def load(data: dict[str, Any], *, make_current: bool = True) -> LoadReport:
    """Load the data into the version it names, keyed on slugs; idempotent.

    The data file is the English; translations come from ``load_translation``.
    """
    with translation.override(SOURCE_LANGUAGE):
        return _load(data, make_current=make_current)


def _load(data: dict[str, Any], *, make_current: bool) -> LoadReport:
    validate(data)
    meta = data["framework"]
    date = _as_date(meta["date"])
    existing = FrameworkVersion.objects.filter(slug=meta["slug"], version=str(meta["version"])).first()
    if existing is not None and existing.assessments.exists():
        _refuse_scoring_changes(existing, data)
    report = Tally()
    if make_current:
        FrameworkVersion.objects.filter(is_current=True).exclude(
            slug=meta["slug"], version=str(meta["version"])
        ).update(is_current=False)
    framework = _sync(
        report,
        FrameworkVersion,
        {"slug": meta["slug"], "version": str(meta["version"])},
        {
            "title": meta["title"],
            "date": date,
            "description": str(meta.get("description", "")).strip(),
            **({"is_current": True} if make_current else {}),
        },
    )

    levels = [
        _sync(
            report,
            MaturityLevel,
            {"framework": framework, "level": item["level"]},
            {"name": item["name"], "description": item["description"].strip()},
        )
        for item in data["scale"]
    ]
    _delete_missing(report, framework.levels.all(), {level.pk for level in levels})

    passages: dict[str, PolicyPassage] = {}
    for position, item in enumerate(data["passages"]):
        passages[item["slug"]] = _sync(
            report,
            PolicyPassage,
            {"framework": framework, "slug": item["slug"]},
            {
                "source": item["source"],
                "attribution": item["attribution"].strip(),
                "text": item["text"].strip(),
                "position": position,
            },
        )

    recommendation_ids: set[int] = set()
    dimension_ids: set[int] = set()
    question_ids: set[int] = set()
    for item in data["recommendations"]:
        recommendation = _sync(
            report,
            Recommendation,
            {"framework": framework, "slug": item["slug"]},
            {
                "number": item["number"],
                "title": item["title"].strip(),
                "policy_text": item["policy_text"].strip(),
            },
        )
        recommendation_ids.add(recommendation.pk)
        _sync_m2m(report, recommendation, "passages", [passages[slug] for slug in item.get("passages", [])])
        for dimension_position, dimension_item in enumerate(item["dimensions"]):
            dimension = _sync(
                report,
                Dimension,
                {"recommendation__framework": framework, "slug": dimension_item["slug"]},
                {
                    "recommendation": recommendation,
                    "title": dimension_item["title"].strip(),
                    "description": dimension_item["description"].strip(),
                    "weight": int(dimension_item["weight"]),
                    "position": dimension_position,
                    "foundation": bool(dimension_item.get("foundation")),
                },
            )
            dimension_ids.add(dimension.pk)
            for question_position, question_item in enumerate(dimension_item["questions"]):
                question = _sync_question(report, framework, dimension, question_item, question_position)
                question_ids.add(question.pk)
                _sync_exemptions(report, question, question_item.get("does_not_apply_reasons") or [])
                _sync_m2m(
                    report, question, "passages", [passages[slug] for slug in question_item["passages"]]
                )

    _delete_missing(
        report, Question.objects.filter(dimension__recommendation__framework=framework), question_ids
    )
    _delete_missing(report, Dimension.objects.filter(recommendation__framework=framework), dimension_ids)
    _delete_missing(report, framework.recommendations.all(), recommendation_ids)
    _delete_missing(report, framework.passages.all(), {passage.pk for passage in passages.values()})
    return LoadReport(
        framework=framework, created=report.created, updated=report.updated, deleted=report.deleted
    )


def _refuse_scoring_changes(framework: FrameworkVersion, data: dict[str, Any]) -> None:
    """A version assessments use may get wording fixes, but nothing that changes scores."""
    in_file = {
        (r["slug"], d["slug"], int(d["weight"]), q["slug"], int(q["weight"]), bool(q.get("legal_duty")))
        for r in data["recommendations"]
        for d in r["dimensions"]
        for q in d["questions"]
    }
    in_database = set(
        Question.objects.filter(dimension__recommendation__framework=framework).values_list(
            "dimension__recommendation__slug",
            "dimension__slug",
            "dimension__weight",
            "slug",
            "weight",
            "legal_duty",
        )
    )
    if in_file != in_database:
        raise FrameworkDataError(
            f"Assessments use {framework}: its areas, dimensions, questions, weights and legal duties "
            "cannot change, or their scores would. Fix wording only, or raise `version:` in the data "
            "file to publish a new version."
        )


def _sync_question(
    report: Tally, framework: FrameworkVersion, dimension: Dimension, item: dict[str, Any], position: int
) -> Question:
    levels = _levels_as_text(item["levels"])
    values = {
        "dimension": dimension,
        "text": item["text"].strip(),
        "why": item["why"].strip(),
        "weight": int(item["weight"]),
        "legal_duty": bool(item.get("legal_duty")),
        "legal_reference": (item.get("legal_reference") or "").strip(),
        "guidance": item["guidance"].strip(),
        "position": position,
        "duty_applies_from": _as_date(item.get("duty_applies_from")),
        "only_if_ai_in_use": bool(item.get("only_if_ai_in_use")),
        "revised": bool(item.get("revised")),
        "presumes_ai_in_use": bool(item.get("presumes_ai_in_use")),
        **{f"level_{level}": levels[level].strip() for level in MATURITY_LEVELS},
    }
    return _sync(
        report, Question, {"dimension__recommendation__framework": framework, "slug": item["slug"]}, values
    )


def _is_date(value: Any) -> bool:
    """Absent, a YAML date, or an ISO date string (as the JSON export writes it)."""
    try:
        _as_date(value)
    except ValueError:
        return False
    return True


def _as_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _sync_exemptions(report: Tally, question: Question, reasons: list[dict[str, Any]]) -> None:
    kept = {
        _sync(
            report,
            DutyExemption,
            {"question": question, "slug": reason["slug"]},
            {"text": str(reason["text"]).strip(), "position": position},
        ).pk
        for position, reason in enumerate(reasons)
    }
    _delete_missing(report, question.exemptions.all(), kept)


def export(framework: FrameworkVersion) -> dict[str, Any]:
    """The framework in the data file's shape (levels as {level, description}), deterministic."""
    with translation.override(SOURCE_LANGUAGE):
        return _export(framework)


def _export(framework: FrameworkVersion) -> dict[str, Any]:
    return {
        "framework": {
            "slug": framework.slug,
            "version": framework.version,
            "title": framework.title,
            "date": framework.date.isoformat(),
            "description": framework.description,
        },
        "scale": [
            {"level": level.level, "name": level.name, "description": level.description}
            for level in framework.levels.all()
        ],
        "passages": [
            {"slug": p.slug, "source": p.source, "attribution": p.attribution, "text": p.text}
            for p in framework.passages.all()
        ],
        "recommendations": [
            {
                "number": recommendation.number,
                "slug": recommendation.slug,
                "title": recommendation.title,
                "policy_text": recommendation.policy_text,
                "passages": [p.slug for p in recommendation.passages.all()],
                "dimensions": [
                    {
                        "slug": dimension.slug,
                        "title": dimension.title,
                        "description": dimension.description,
                        "weight": dimension.weight,
                        **({"foundation": True} if dimension.foundation else {}),
                        "questions": [_export_question(question) for question in dimension.questions.all()],
                    }
                    for dimension in recommendation.dimensions.all()
                ],
            }
            for recommendation in framework.recommendations.all()
        ],
    }


def _export_question(question: Question) -> dict[str, Any]:
    return {
        "slug": question.slug,
        "text": question.text,
        "why": question.why,
        "weight": question.weight,
        "legal_duty": question.legal_duty,
        "legal_reference": question.legal_reference,
        "levels": [{"level": level, "description": text} for level, text in question.level_descriptors],
        "guidance": question.guidance,
        "passages": [p.slug for p in question.passages.all()],
        # Only where they say something, so that a version without them exports as it was written.
        **(
            {"duty_applies_from": question.duty_applies_from.isoformat()}
            if question.duty_applies_from
            else {}
        ),
        **({"only_if_ai_in_use": True} if question.only_if_ai_in_use else {}),
        **(
            {"does_not_apply_reasons": [{"slug": e.slug, "text": e.text} for e in question.exemptions.all()]}
            if question.exemptions.all()
            else {}
        ),
        **({"revised": True} if question.revised else {}),
        **({"presumes_ai_in_use": True} if question.presumes_ai_in_use else {}),
    }


# --- Translations: framework.<lang>.yaml beside each version's file, keyed by slug ----------------

QUESTION_TEXT_FIELDS = ("text", "why", "guidance", "legal_reference")


def translation_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def translation_file(path: Path, language: str) -> Path:
    """``framework.yaml`` → ``framework.fr.yaml``; ``framework-1.0.yaml`` → ``framework-1.0.fr.yaml``."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def read_translation_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FrameworkDataError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("language"), str):
        raise FrameworkDataError(f"{path}: a translation file is a mapping that starts with its language")
    return data


def translation_gaps(source: dict[str, Any], translated: dict[str, Any]) -> list[str]:
    """Everything of the English data file that the translation lacks (or names but should not)."""
    gaps: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            gaps.append(message)

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value.strip())

    meta = translated.get("framework") or {}
    need(text(meta.get("title")) and text(meta.get("description")), "framework: title and description")
    scale = translated.get("scale") or {}
    for item in source["scale"]:
        level = scale.get(item["level"]) or {}
        need(text(level.get("name")) and text(level.get("description")), f"scale level {item['level']}")
    passages = translated.get("passages") or {}
    for passage in source["passages"]:
        need(text(passages.get(passage["slug"])), f"passage {passage['slug']}")
    areas = translated.get("recommendations") or {}
    dimensions = translated.get("dimensions") or {}
    questions = translated.get("questions") or {}
    for area in source["recommendations"]:
        item = areas.get(area["slug"]) or {}
        need(text(item.get("title")) and text(item.get("policy_text")), f"area {area['slug']}")
        for dimension in area["dimensions"]:
            item = dimensions.get(dimension["slug"]) or {}
            need(text(item.get("title")) and text(item.get("description")), f"dimension {dimension['slug']}")
            for question in dimension["questions"]:
                slug = question["slug"]
                item = questions.get(slug) or {}
                for key in ("text", "why", "guidance"):
                    need(text(item.get(key)), f"question {slug}: {key}")
                need(
                    bool(item.get("legal_reference")) == bool(question.get("legal_reference")),
                    f"question {slug}: legal_reference",
                )
                levels = item.get("levels") or []
                need(
                    len(levels) == 5 and all(text(level) for level in levels), f"question {slug}: five levels"
                )
                reasons = item.get("does_not_apply_reasons") or {}
                for reason in question.get("does_not_apply_reasons") or []:
                    need(text(reasons.get(reason["slug"])), f"question {slug}: reason {reason['slug']}")
    known = {q["slug"] for a in source["recommendations"] for d in a["dimensions"] for q in d["questions"]}
    need(not set(questions) - known, f"questions not in the English: {sorted(set(questions) - known)}")
    return gaps


@transaction.atomic
def load_translation(framework: FrameworkVersion, translated: dict[str, Any]) -> int:
    """Write one language's texts into a loaded version's translated columns; returns rows changed.

    Keyed by slug; what the file does not give stays as it was (the page then shows the English).
    """
    language = translated["language"]
    if language not in translation_languages():
        raise FrameworkDataError(
            f"{language!r} is not one of the site's other languages {translation_languages()}"
        )
    changed = 0

    def write(obj: models.Model, values: dict[str, Any]) -> None:
        nonlocal changed
        columns = {f"{field}_{language}": str(value).strip() for field, value in values.items() if value}
        for column, value in columns.items():
            # PostgreSQL refuses a value longer than its column: say which one, on every database.
            limit = getattr(obj._meta.get_field(column), "max_length", None)
            if limit and len(value) > limit:
                raise FrameworkDataError(
                    f"{language} translation of {obj._meta.model_name} {getattr(obj, 'slug', obj.pk)}: "
                    f"{column} is over {limit} characters"
                )
        different = [column for column, value in columns.items() if getattr(obj, column) != value]
        if different:
            for column in different:
                setattr(obj, column, columns[column])
            obj.save(update_fields=different)
            changed += 1

    meta = translated.get("framework") or {}
    write(framework, {"title": meta.get("title"), "description": meta.get("description")})
    scale = translated.get("scale") or {}
    for level in framework.levels.all():
        item = scale.get(level.level) or {}
        write(level, {"name": item.get("name"), "description": item.get("description")})
    passages = translated.get("passages") or {}
    for passage in framework.passages.all():
        write(passage, {"translation": passages.get(passage.slug)})
    areas = translated.get("recommendations") or {}
    dimensions = translated.get("dimensions") or {}
    questions = translated.get("questions") or {}
    for area in framework.recommendations.all():
        item = areas.get(area.slug) or {}
        write(area, {"title": item.get("title"), "policy_translation": item.get("policy_text")})
    for dimension in Dimension.objects.filter(recommendation__framework=framework):
        item = dimensions.get(dimension.slug) or {}
        write(dimension, {"title": item.get("title"), "description": item.get("description")})
    for question in Question.objects.filter(dimension__recommendation__framework=framework).prefetch_related(
        "exemptions"
    ):
        item = questions.get(question.slug) or {}
        levels = list(item.get("levels") or [None] * 5)
        write(
            question,
            {
                **{field: item.get(field) for field in QUESTION_TEXT_FIELDS},
                **{f"level_{level}": levels[level] for level in MATURITY_LEVELS if level < len(levels)},
            },
        )
        reasons = item.get("does_not_apply_reasons") or {}
        for exemption in question.exemptions.all():
            write(exemption, {"text": reasons.get(exemption.slug)})
    return changed


@dataclass(frozen=True)
class TranslationLoaded:
    language: str
    found: bool  # the language's file exists
    changed: int = 0  # rows changed
    missing: int = 0  # texts the file lacks (the English shows for them)


def load_translations(
    path: Path, data: dict[str, Any], framework: FrameworkVersion
) -> list[TranslationLoaded]:
    """Each language's file beside a version's data file, loaded into that version, when there is one."""
    loaded = []
    for language in translation_languages():
        translated_path = translation_file(path, language)
        if not translated_path.exists():
            loaded.append(TranslationLoaded(language, found=False))
            continue
        translated = read_translation_file(translated_path)
        gaps = translation_gaps(data, translated)
        loaded.append(TranslationLoaded(language, True, load_translation(framework, translated), len(gaps)))
    return loaded


def export_translation(framework: FrameworkVersion, language: str) -> dict[str, Any]:
    """One language's texts of a loaded version, in the translation file's shape (deterministic)."""

    def value(obj: models.Model, field: str) -> str:
        return getattr(obj, f"{field}_{language}") or ""

    questions = {}
    for question in (
        Question.objects.filter(dimension__recommendation__framework=framework)
        .order_by("dimension__recommendation__number", "dimension__position", "position")
        .prefetch_related("exemptions")
    ):
        item: dict[str, Any] = {field: value(question, field) for field in ("text", "why")}
        item["levels"] = [value(question, f"level_{level}") for level in MATURITY_LEVELS]
        item["guidance"] = value(question, "guidance")
        if question.legal_reference_en:  # type: ignore[attr-defined]
            item["legal_reference"] = value(question, "legal_reference")
        reasons = {exemption.slug: value(exemption, "text") for exemption in question.exemptions.all()}
        if reasons:
            item["does_not_apply_reasons"] = reasons
        questions[question.slug] = item
    return {
        "language": language,
        "framework": {"title": value(framework, "title"), "description": value(framework, "description")},
        "scale": {
            level.level: {"name": value(level, "name"), "description": value(level, "description")}
            for level in framework.levels.all()
        },
        "passages": {passage.slug: value(passage, "translation") for passage in framework.passages.all()},
        "recommendations": {
            area.slug: {"title": value(area, "title"), "policy_text": value(area, "policy_translation")}
            for area in framework.recommendations.all()
        },
        "dimensions": {
            dimension.slug: {
                "title": value(dimension, "title"),
                "description": value(dimension, "description"),
            }
            for dimension in Dimension.objects.filter(recommendation__framework=framework).order_by(
                "recommendation__number", "position"
            )
        },
        "questions": questions,
    }
