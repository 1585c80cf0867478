"""Framework content in Django admin.

The data file ``recommendations/framework.yaml`` is the source of truth for a
release; edits made here are written back with
``manage.py export_framework --format yaml > recommendations/framework.yaml``
and reviewed like code (see README, "Editing the framework").
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from recommendations.models import (
    Dimension,
    FrameworkVersion,
    MaturityLevel,
    PolicyPassage,
    Question,
    Recommendation,
)


class MaturityLevelInline(admin.TabularInline):
    model = MaturityLevel
    extra = 0


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "version", "date", "is_current"]
    inlines = [MaturityLevelInline]


@admin.register(PolicyPassage)
class PolicyPassageAdmin(admin.ModelAdmin):
    list_display = ["slug", "source", "attribution", "framework"]
    list_filter = ["framework", "source"]
    search_fields = ["slug", "text", "attribution"]
    list_select_related = ["framework"]


class DimensionInline(admin.TabularInline):
    model = Dimension
    fields = ["position", "slug", "title", "weight"]
    extra = 0
    show_change_link = True


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    filter_horizontal = ["passages"]
    inlines = [DimensionInline]


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["position", "slug", "text", "weight", "legal_duty", "legal_reference"]
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["title", "recommendation", "weight", "position"]
    list_filter = ["recommendation__framework", "recommendation"]
    list_select_related = ["recommendation__framework"]
    search_fields = ["title", "slug"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["slug", "text", "dimension", "weight", "legal_duty", "legal_reference"]
    list_filter = ["dimension__recommendation__framework", "dimension__recommendation", "legal_duty"]
    list_select_related = ["dimension"]
    search_fields = ["slug", "text", "why", "guidance", "legal_reference"]
    filter_horizontal = ["passages"]
    fieldsets = [
        (None, {"fields": ["dimension", "position", "slug", "text", "why", "weight"]}),
        (_("Legal duty"), {"fields": ["legal_duty", "legal_reference"]}),
        (_("Level descriptors"), {"fields": ["level_0", "level_1", "level_2", "level_3", "level_4"]}),
        (_("Guidance and policy text"), {"fields": ["guidance", "passages"]}),
    ]
