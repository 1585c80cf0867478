from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from assessment.models import Invitation, Membership, Museum


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
