"""Framework content in Django admin.

The data file ``recommendations/framework.yaml`` is the source of truth for a
release; edits made here are written back with
``manage.py export_framework --format yaml > recommendations/framework.yaml``
and reviewed like code (see README, "Editing the framework").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from recommendations.models import (
    Dimension,
    DutyExemption,
    FrameworkVersion,
    MaturityLevel,
    PolicyPassage,
    Question,
    Recommendation,
)

if TYPE_CHECKING:
    # What the mixins below are mixed into, so that their super() calls are checked.
    from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin

    _AdminBase = BaseModelAdmin[Any]
    _InlineBase = InlineModelAdmin[Any, Any]
else:
    _AdminBase = _InlineBase = object


def _in_use(framework: FrameworkVersion | None) -> bool:
    """Assessments were started on this version: what changes their scores is frozen."""
    return framework is not None and framework.assessments.exists()


class ScoringFrozenWhenInUse(_AdminBase):
    """Wording may be corrected on a version in use; weights and structure may not.

    Changing them would silently change the scores of assessments already made;
    publish a new framework version instead (see README, "The framework").
    """

    frozen_fields: tuple[str, ...] = ()

    def framework_of(self, obj: Any) -> FrameworkVersion | None:
        raise NotImplementedError

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and _in_use(self.framework_of(obj)):
            fields += [name for name in self.frozen_fields if name not in fields]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _in_use(self.framework_of(obj)):
            return False
        return super().has_delete_permission(request, obj)


class ScoringFrozenInlineWhenInUse(ScoringFrozenWhenInUse, _InlineBase):
    """The same for inlines, where ``obj`` is the parent: no new rows under a version in use."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _in_use(self.framework_of(obj)):
            return False
        return super().has_add_permission(request, obj)


class NoNewRowsInVersionInUse(forms.ModelForm):
    """Refuse a new question or dimension under a framework version that assessments use."""

    parent_field = ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        parent = cleaned.get(self.parent_field)
        framework = getattr(parent, "framework", None) or getattr(
            getattr(parent, "recommendation", None), "framework", None
        )
        if self.instance.pk is None and _in_use(framework):
            raise forms.ValidationError(
                _("Assessments use this framework version: add it in a new version of the data file instead.")
            )
        return cleaned


class QuestionAdminForm(NoNewRowsInVersionInUse):
    parent_field = "dimension"


class DimensionAdminForm(NoNewRowsInVersionInUse):
    parent_field = "recommendation"


class MaturityLevelInline(ScoringFrozenInlineWhenInUse, TranslationTabularInline):
    model = MaturityLevel
    extra = 0
    frozen_fields = ("level",)

    def framework_of(self, framework: FrameworkVersion) -> FrameworkVersion:
        return framework


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(TranslationAdmin):
    list_display = ["title", "slug", "version", "date", "is_current"]
    inlines = [MaturityLevelInline]


@admin.register(PolicyPassage)
class PolicyPassageAdmin(TranslationAdmin):
    list_display = ["slug", "source", "attribution", "framework"]
    list_filter = ["framework", "source"]
    search_fields = ["slug", "text", "attribution"]
    list_select_related = ["framework"]


class DimensionInline(ScoringFrozenInlineWhenInUse, TranslationTabularInline):
    model = Dimension
    frozen_fields = ("slug", "weight")

    def framework_of(self, recommendation: Recommendation) -> FrameworkVersion:
        return recommendation.framework

    fields = ["position", "slug", "title", "weight"]
    extra = 0
    show_change_link = True


@admin.register(Recommendation)
class RecommendationAdmin(ScoringFrozenWhenInUse, TranslationAdmin):
    frozen_fields = ("framework", "number", "slug")

    def framework_of(self, recommendation: Recommendation) -> FrameworkVersion:
        return recommendation.framework

    list_display = ["number", "title", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    filter_horizontal = ["passages"]
    inlines = [DimensionInline]


class QuestionInline(ScoringFrozenInlineWhenInUse, TranslationStackedInline):
    model = Question
    frozen_fields = ("slug", "weight", "legal_duty")

    def framework_of(self, dimension: Dimension) -> FrameworkVersion:
        return dimension.recommendation.framework

    fields = ["position", "slug", "text", "weight", "legal_duty", "legal_reference"]
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(ScoringFrozenWhenInUse, TranslationAdmin):
    form = DimensionAdminForm
    frozen_fields = ("recommendation", "slug", "weight")

    def framework_of(self, dimension: Dimension) -> FrameworkVersion:
        return dimension.recommendation.framework

    list_display = ["title", "recommendation", "weight", "position"]
    list_filter = ["recommendation__framework", "recommendation"]
    list_select_related = ["recommendation__framework"]
    search_fields = ["title", "slug"]
    inlines = [QuestionInline]


class DutyExemptionInline(ScoringFrozenInlineWhenInUse, TranslationTabularInline):
    """The reasons a duty may not apply: wording may be fixed; the slugs answers store may not."""

    model = DutyExemption
    extra = 0
    frozen_fields = ("slug",)
    fields = ["position", "slug", "text"]

    def framework_of(self, question: Question) -> FrameworkVersion:
        return question.dimension.recommendation.framework


@admin.register(Question)
class QuestionAdmin(ScoringFrozenWhenInUse, TranslationAdmin):
    form = QuestionAdminForm
    frozen_fields = ("dimension", "slug", "weight", "legal_duty")

    def framework_of(self, question: Question) -> FrameworkVersion:
        return question.dimension.recommendation.framework

    # The question's words first (and as the link): people know questions by their text, not their slug.
    list_display = ["text", "slug", "dimension", "weight", "legal_duty", "legal_reference"]
    list_filter = ["dimension__recommendation__framework", "dimension__recommendation", "legal_duty"]
    list_select_related = ["dimension"]
    search_fields = ["slug", "text", "why", "guidance", "legal_reference"]
    filter_horizontal = ["passages"]
    fieldsets = [
        (None, {"fields": ["dimension", "position", "slug", "text", "why", "weight"]}),
        (
            _("Legal duty"),
            {
                "fields": [
                    "legal_duty",
                    "legal_reference",
                    "duty_applies_from",
                    "only_if_ai_in_use",
                    "revised",
                ]
            },
        ),
        (_("Level descriptors"), {"fields": ["level_0", "level_1", "level_2", "level_3", "level_4"]}),
        (_("Guidance and policy text"), {"fields": ["guidance", "passages"]}),
    ]
    inlines = [DutyExemptionInline]
