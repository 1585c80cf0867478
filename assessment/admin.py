from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from assessment import exports
from assessment.models import Answer, Assessment, Invitation, Membership, Museum


class MembershipInline(admin.TabularInline):
    """Members at a glance; roles change here, people join by invitation or in Memberships."""

    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "created_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "museum")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Museum)
class MuseumAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "museum_type", "size_band", "member_count", "created_at"]
    list_filter = [("country", admin.AllValuesFieldListFilter), "museum_type", "size_band"]
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


class OverallLevelFilter(admin.SimpleListFilter):
    """Filter on the named maturity level the overall score has fully reached."""

    title = _("overall level")
    parameter_name = "overall_level"

    def lookups(self, request, model_admin):
        return [("none", _("Not scored")), *[(str(level), str(level)) for level in range(5)]]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(overall_score__isnull=True)
        if value in {"0", "1", "2", "3", "4"}:
            level = int(value)
            upper = {"overall_score__lt": level + 1} if level < 4 else {}
            return queryset.filter(overall_score__gte=level, **upper)
        return queryset


@admin.action(description=_("Export as CSV, one row per assessment"))
def export_wide(modeladmin, request, queryset):
    return exports.csv_response(
        "museumai-assessments-wide.csv", exports.wide_header(queryset), exports.wide_rows(queryset)
    )


@admin.action(description=_("Export as CSV, one row per answer"))
def export_long(modeladmin, request, queryset):
    return exports.csv_response("museumai-answers-long.csv", exports.LONG_HEADER, exports.long_rows(queryset))


def _score_column(field: str, description):
    @admin.display(description=description, ordering=field)
    def column(admin_view, obj):
        value = getattr(obj, field)
        return "—" if value is None else f"{value:.2f}"

    return column


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = [
        "museum",
        "museum_country",
        "museum_type",
        "museum_size",
        "framework_version",
        "status",
        "created_at",
        "submitted_at",
        "overall",
        "area_1",
        "area_2",
        "area_3",
    ]
    list_filter = [
        "status",
        "framework",
        OverallLevelFilter,
        # Only the countries that occur, not all 250.
        ("museum__country", admin.AllValuesFieldListFilter),
        "museum__museum_type",
        "museum__size_band",
    ]
    search_fields = ["museum__name", "museum__city"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "museum",
        "framework",
        "status",
        "started_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "copied_from",
        "overall_score",
        "answered_count",
        "applicable_count",
        "compliance_flags",
    ]
    inlines = [AnswerInline]
    actions = [export_wide, export_long]
    list_per_page = 100

    overall = _score_column("overall_score", _("overall"))
    area_1 = _score_column("area_1_score", _("area 1"))
    area_2 = _score_column("area_2_score", _("area 2"))
    area_3 = _score_column("area_3_score", _("area 3"))

    def get_queryset(self, request):
        return super().get_queryset(request).with_scores()

    @admin.display(description=_("country"), ordering="museum__country")
    def museum_country(self, obj):
        return obj.museum.country.code

    @admin.display(description=_("type"), ordering="museum__museum_type")
    def museum_type(self, obj):
        return obj.museum.get_museum_type_display()

    @admin.display(description=_("size"), ordering="museum__size_band")
    def museum_size(self, obj):
        return obj.museum.get_size_band_display()

    @admin.display(description=_("framework"), ordering="framework__version")
    def framework_version(self, obj):
        return obj.framework.version

    def has_add_permission(self, request) -> bool:
        # Assessments are started by museum staff, on the current framework.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A submitted assessment is a record: read-only here as everywhere else.
        if obj is not None and obj.is_submitted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_submitted:
            return False
        return super().has_delete_permission(request, obj)
