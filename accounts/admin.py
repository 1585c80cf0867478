from django.contrib import admin

from accounts.models import ConfirmedEmail


@admin.register(ConfirmedEmail)
class ConfirmedEmailAdmin(admin.ModelAdmin):
    """NEMO staff can see who confirmed which address, and confirm one by hand for someone whose mail
    never arrives (after checking who they are by other means)."""

    list_display = ["email", "user", "confirmed_at"]
    search_fields = ["email", "user__username", "user__email"]
    raw_id_fields = ["user"]
    date_hierarchy = "confirmed_at"
