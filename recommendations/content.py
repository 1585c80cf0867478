"""The framework as the app reads it: one version's whole content, loaded once per process.

Every questionnaire page, save and dashboard needs a version's areas,
dimensions, questions, passages and level names. Loading them takes 9 queries,
so each process keeps the loaded content per version, keyed on the version's
``content_changed_at``. Any change to the version or to a row under it (the
loader, Django admin, a shell) moves that timestamp on (see ``touch`` and the
signal handlers below), so every app server notices the change on its next
read and loads the content again.

The cached objects are shared between requests: treat them as read-only
(``scores.framework_spec`` memoises its scoring shape on them, which is safe:
it is derived from the same content). Writes that bypass model signals —
``QuerySet.update()``, ``bulk_create``, raw SQL — must call ``touch()``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone

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

CACHED_VERSIONS = 8

_cache: OrderedDict[tuple[int, datetime], FrameworkVersion] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class LevelDescriptor:
    """One of a question's five levels, with the scale's name for it.

    Built once per cached version; its words are read when shown, so that each person gets them in
    their own language (a translated field answers in the active language).
    """

    level: int
    scale: MaturityLevel | None
    question: Question

    @property
    def name(self) -> str:
        return self.scale.name if self.scale is not None else ""

    @property
    def description(self) -> str:
        return getattr(self.question, f"level_{self.level}")


def _load(framework_id: int) -> FrameworkVersion:
    """A framework version with everything below it, in a fixed number of queries (9)."""
    ordered_passages = models.Prefetch("passages", queryset=PolicyPassage.objects.order_by("position"))
    # One Prefetch per prefetch_related() call: django-stubs types all of a call's lookups alike.
    framework = (
        FrameworkVersion.objects.prefetch_related("levels")
        .prefetch_related(ordered_passages)
        .prefetch_related(
            models.Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("number")
                .prefetch_related(ordered_passages)
                .prefetch_related(
                    models.Prefetch(
                        "dimensions",
                        queryset=Dimension.objects.order_by("position").prefetch_related(
                            models.Prefetch(
                                "questions",
                                queryset=Question.objects.order_by("position")
                                .prefetch_related(ordered_passages)
                                .prefetch_related("exemptions"),
                            )
                        ),
                    )
                ),
            )
        )
        .get(pk=framework_id)
    )
    scale = {level.level: level for level in framework.levels.all()}
    for question in questions_of(framework):
        # Built once per version, not per page: the five descriptors with the scale's levels,
        # and the passages as a plain list (a template's .all would make a queryset each time).
        question.descriptors = [
            LevelDescriptor(level, scale.get(level), question) for level in MATURITY_LEVELS
        ]
        question.passage_list = list(question.passages.all())
        question.exemption_list = list(question.exemptions.all())
    return framework


def framework_content(framework: FrameworkVersion | int) -> FrameworkVersion:
    """The version with its whole content, from this process's cache when it is still current.

    Pass the ``FrameworkVersion`` when you have it (for example
    ``assessment.framework`` through ``select_related``): its timestamp is then
    known and a cached copy costs no query. An id costs one query for the timestamp.
    """
    if isinstance(framework, FrameworkVersion):
        framework_id, changed_at = framework.pk, framework.content_changed_at
    else:
        framework_id = framework
        changed_at = (
            FrameworkVersion.objects.filter(pk=framework_id)
            .values_list("content_changed_at", flat=True)
            .get()
        )
    key = (framework_id, changed_at)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    content = _load(framework_id)
    if content.content_changed_at != changed_at:
        # Changed between the two reads: serve what was loaded, cache nothing.
        return content
    with _cache_lock:
        _cache[key] = content
        while len(_cache) > CACHED_VERSIONS:
            _cache.popitem(last=False)
    return content


def current_framework_content() -> FrameworkVersion | None:
    framework = FrameworkVersion.objects.current()
    return framework_content(framework) if framework else None


def current_areas() -> list[Recommendation]:
    """The current version's areas: admin, exports and the sector overview show a column for each."""
    framework = current_framework_content()
    return list(framework.recommendations.all()) if framework else []


def level_names(framework: FrameworkVersion) -> tuple[str, ...]:
    """The scale's level names, 0 to 4, of a loaded version."""
    return tuple(level.name for level in framework.levels.all())


def questions_of(framework: FrameworkVersion) -> list[Question]:
    """Every question of a loaded version, in questionnaire order."""
    return [
        question
        for area in framework.recommendations.all()
        for dimension in area.dimensions.all()
        for question in dimension.questions.all()
    ]


def exemptions_of(question: Question) -> list[DutyExemption]:
    """A question's reasons a duty may not apply: from the cached content, else one query."""
    cached = getattr(question, "exemption_list", None)
    return cached if cached is not None else list(question.exemptions.all())


def area_by_number(framework: FrameworkVersion, number: int) -> Recommendation | None:
    return next((area for area in framework.recommendations.all() if area.number == number), None)


# --- Keeping the timestamp current -------------------------------------------------------


def touch(versions: models.QuerySet[FrameworkVersion]) -> None:
    """Mark these versions' content as changed, so that cached copies are reloaded."""
    versions.update(content_changed_at=timezone.now())


def _versions_of(instance: models.Model) -> models.QuerySet[FrameworkVersion]:
    """The version a framework row belongs to, as a queryset (one UPDATE touches it)."""
    if isinstance(instance, FrameworkVersion):
        return FrameworkVersion.objects.filter(pk=instance.pk)
    if hasattr(instance, "framework_id"):  # maturity levels, passages, recommendations
        return FrameworkVersion.objects.filter(pk=instance.framework_id)
    if isinstance(instance, Dimension):
        return FrameworkVersion.objects.filter(recommendations=instance.recommendation_id)
    if isinstance(instance, Question):
        return FrameworkVersion.objects.filter(recommendations__dimensions=instance.dimension_id)
    if isinstance(instance, DutyExemption):
        return FrameworkVersion.objects.filter(recommendations__dimensions__questions=instance.question_id)
    return FrameworkVersion.objects.none()


def _content_saved(sender, instance, raw=False, **kwargs) -> None:
    # Fixtures (raw saves) too: loaddata changes content as much as admin does.
    touch(_versions_of(instance))


def _content_deleted(sender, instance, **kwargs) -> None:
    touch(_versions_of(instance))


def _passages_relinked(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        touch(_versions_of(instance))


def connect_signals() -> None:
    """Called once from the app config: every write to the content moves the timestamp on."""
    for model in apps.get_app_config("recommendations").get_models():
        post_save.connect(_content_saved, sender=model, dispatch_uid=f"touch-on-save-{model.__name__}")
        # Before the delete, while the row still leads to its version.
        pre_delete.connect(_content_deleted, sender=model, dispatch_uid=f"touch-on-delete-{model.__name__}")
    for through in (Question.passages.through, Recommendation.passages.through):
        m2m_changed.connect(
            _passages_relinked, sender=through, dispatch_uid=f"touch-on-link-{through.__name__}"
        )
