from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import Answer, Assessment, Invitation, Membership, Museum


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Museum)
class MuseumAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "museum_type", "size_band", "member_count", "created_at"]
    list_filter = ["country", "museum_type", "size_band"]
    search_fields = ["name", "city"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, museum: Museum) -> int:
        return museum.member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "museum", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "museum"]
    search_fields = ["user__email", "user__username", "museum__name"]
    autocomplete_fields = ["user", "museum"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "museum", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["museum", "invited_by"]
    search_fields = ["email", "museum__name"]
    readonly_fields = ["invited_by", "created_at", "accepted_at", "accepted_by"]


class AnswerInline(admin.TabularInline):
    """Answers are given by museum staff; NEMO reviews them here, read-only."""

    model = Answer
    fields = [
        "question",
        "level",
        "not_applicable",
        "not_applicable_reason",
        "note",
        "answered_by",
        "answered_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "answered_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["museum", "status", "framework", "created_at", "submitted_at"]
    list_filter = ["status", "framework"]
    list_select_related = ["museum", "framework"]
    search_fields = ["museum__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["started_by", "created_at", "submitted_by", "submitted_at", "copied_from"]
    raw_id_fields = ["museum"]
    inlines = [AnswerInline]

    def has_change_permission(self, request, obj=None) -> bool:
        # A submitted assessment is a record: read-only here as everywhere else.
        if obj is not None and obj.is_submitted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_submitted:
            return False
        return super().has_delete_permission(request, obj)
