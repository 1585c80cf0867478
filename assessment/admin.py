"""Django admin for NEMO staff: museums and teams, submitted assessments (read-only) with exports, and
the museums' action plans (read-only).

What NEMO sees of assessments: submitted ones only, never a draft. A draft
belongs to its museum's team until its lead submits it (the submit page says
so); here it is absent from the list, its filters, search, actions and
exports, and its change, history and delete URLs are a 404 — for every staff
user, superusers included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from assessment import exports, sector
from assessment.display import action_owner, answer_text, display_name, score_text
from assessment.models import (
    Action,
    AiSystem,
    Answer,
    Assessment,
    AssessmentQuerySet,
    Invitation,
    Membership,
    Museum,
    SystemDuty,
    area_score_field,
)
from recommendations.content import current_areas
from recommendations.models import MaturityLevel

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _MemberCount(TypedDict):
        member_count: int


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


def country_name(code: str) -> str:
    """A country by its name ("Belgium"), not its ISO code; an unknown code as it is."""
    return str(countries.name(code)) or code


class CountryFilter(admin.SimpleListFilter):
    """Countries by name, only those that occur in the list (not all 250), sorted by name."""

    title = _("country")
    parameter_name = field = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list(self.field, flat=True).distinct()
        return sorted(((code, country_name(code)) for code in codes if code), key=lambda item: item[1])

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{self.field: value}) if value else queryset


class MuseumCountryFilter(CountryFilter):
    parameter_name = field = "museum__country"


@admin.register(Museum)
class MuseumAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "country_display",
        "city",
        "museum_type",
        "size_band",
        "member_count",
        "created_at",
    ]
    list_filter = [CountryFilter, "museum_type", "size_band"]
    search_fields = ["name", "city"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Its country, type, size or choice to be counted may have changed: the sector figures follow.
        sector.refresh([obj.pk])

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, museum: WithAnnotations[Museum, _MemberCount]) -> int:
        return museum.member_count

    # A method, not the field: admin would rebuild the field's 250 country choices on every row.
    @admin.display(description=_("country"), ordering="country")
    def country_display(self, museum: Museum) -> str:
        return country_name(museum.country.code)


class LenientAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, showing a posted value that names no row as no choice.

    Re-showing a refused form, Django's widget looks the posted value up as an
    id, and a value that is no number ("abc") raised a server error there.
    """

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        naming_a_row = []
        for candidate in value:
            try:
                field.to_python(candidate)
            except ValidationError:
                continue
            naming_a_row.append(candidate)
        return super().optgroups(name, naming_a_row, attr)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "museum", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "museum"]
    search_fields = ["user__email", "user__username", "museum__name"]
    autocomplete_fields = ["user", "museum"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = LenientAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "museum", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["museum", "invited_by"]
    search_fields = ["email", "museum__name"]
    readonly_fields = ["invited_by", "created_at", "accepted_at", "accepted_by"]


class AnswerInline(admin.TabularInline):
    """Answers are given by museum staff; NEMO reviews them here, read-only, in questionnaire order."""

    model = Answer
    fields = readonly_fields = (
        "question_text",
        "answer",
        "note",
        "answered_by_name",
        "answered_at",
    )
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question__dimension__recommendation", "answered_by")
            .order_by(
                "question__dimension__recommendation__number",
                "question__dimension__position",
                "question__position",
            )
        )

    @admin.display(description=_("question"))
    def question_text(self, answer: Answer) -> str:
        question = answer.question
        return f"{question.dimension.recommendation.number}. {question.text}"

    @admin.display(description=_("answer"))
    def answer(self, answer: Answer) -> str:
        return answer_text(answer)

    @admin.display(description=_("answered by"))
    def answered_by_name(self, answer: Answer) -> str:
        return display_name(answer.answered_by)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OverallLevelFilter(admin.SimpleListFilter):
    """Filter on the maturity level the overall score has fully reached, as scoring.py stored it."""

    title = _("overall level")
    parameter_name = "overall_level"

    def lookups(self, request, model_admin):
        return [("none", _("Not scored")), *[(str(level), str(level)) for level in range(5)]]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(overall_level__isnull=True)
        if value in {"0", "1", "2", "3", "4"}:
            return queryset.filter(overall_level=int(value))
        return queryset


def _export(file_format: str, kind: str, queryset: AssessmentQuerySet):
    """The selected (submitted) assessments, one row each ("wide") or one row per answer ("long")."""
    if kind == "wide":
        name, header, rows = (
            "museumai-assessments-wide",
            exports.wide_header(queryset),
            exports.wide_rows(queryset),
        )
    else:
        name, header, rows = "museumai-answers-long", exports.LONG_HEADER, exports.long_rows(queryset)
    return exports.download(file_format, name, header, rows)


@admin.action(description=_("Export as a spreadsheet (XLSX), one row per assessment"))
def export_wide_xlsx(modeladmin, request, queryset):
    return _export("xlsx", "wide", queryset)


@admin.action(description=_("Export as a spreadsheet (XLSX), one row per answer"))
def export_long_xlsx(modeladmin, request, queryset):
    return _export("xlsx", "long", queryset)


@admin.action(description=_("Export as CSV, one row per assessment"))
def export_wide(modeladmin, request, queryset):
    return _export("csv", "wide", queryset)


@admin.action(description=_("Export as CSV, one row per answer"))
def export_long(modeladmin, request, queryset):
    return _export("csv", "long", queryset)


@functools.cache
def _score_column(field: str, description: str) -> Callable[[Assessment], str]:
    """A sortable score column; one function per field, so that admin knows it again when it sorts."""

    @admin.display(description=description, ordering=field)
    def column(obj: Assessment) -> str:
        return score_text(getattr(obj, field), digits=2)

    column.__name__ = field  # the cells' CSS class, field-<name>
    return column


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Submitted assessments only (see the module's docstring), read-only."""

    list_display = [
        "museum",
        "museum_country",
        "museum_type",
        "museum_size",
        "framework_version",
        "created_at",
        "submitted_at",
    ]
    list_filter = [
        "framework",
        OverallLevelFilter,
        MuseumCountryFilter,
        "museum__museum_type",
        "museum__size_band",
        "ai_stance",
    ]
    search_fields = ["museum__name", "museum__city"]
    date_hierarchy = "submitted_at"
    fields = readonly_fields = (
        "museum",
        "framework",
        "status",
        "started_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "copied_from",
        "overall_score_text",
        "overall_level_name",
        "answered_count",
        "applicable_count",
        "compliance_flags",
        "ai_stance",
        "ai_stance_reasons",
    )
    inlines = [AnswerInline]
    actions = [export_wide_xlsx, export_long_xlsx, export_wide, export_long]
    list_per_page = 100

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        """Sortable score columns: overall, and per area of the current framework version (by slug)."""
        area_columns = [
            _score_column(area_score_field(area), str(_("area %(number)s") % {"number": area.number}))
            for area in current_areas()
        ]
        return [*self.list_display, _score_column("overall_score", str(_("overall"))), *area_columns]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        # The model's default manager gives an AssessmentQuerySet; django-stubs types admin's as a QuerySet.
        queryset = cast(AssessmentQuerySet, super().get_queryset(request))
        # Drafts never: everything in this admin (list, filters, search, actions, exports, object URLs)
        # starts from this queryset.
        return queryset.submitted().with_area_scores(current_areas())

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Assessment:
        """A submitted assessment; a draft's change, history or delete URL is a 404, like a missing one."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Admin would redirect to its index saying "doesn't exist. Perhaps it was deleted?"
            raise Http404
        return obj

    @admin.display(description=_("country"), ordering="museum__country")
    def museum_country(self, obj: Assessment) -> str:
        return country_name(obj.museum.country.code)

    @admin.display(description=_("type"), ordering="museum__museum_type")
    def museum_type(self, obj):
        return obj.museum.get_museum_type_display()

    @admin.display(description=_("size"), ordering="museum__size_band")
    def museum_size(self, obj):
        return obj.museum.get_size_band_display()

    @admin.display(description=_("framework"), ordering="framework__version")
    def framework_version(self, obj):
        return obj.framework.version

    @admin.display(description=_("overall score"))
    def overall_score_text(self, obj: Assessment) -> str:
        return score_text(obj.overall_score, digits=2)

    @admin.display(description=_("overall level"))
    def overall_level_name(self, obj: Assessment) -> str:
        if obj.overall_level is None:
            return str(_("Not scored"))
        level = MaturityLevel.objects.filter(framework_id=obj.framework_id, level=obj.overall_level).first()
        return str(level) if level else str(obj.overall_level)

    def has_add_permission(self, request) -> bool:
        # Assessments are started by museum staff, on the current framework.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Only submitted assessments are here, and a submitted assessment is a record: read-only.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # The same: no "delete" action either, which would otherwise remove submitted records in bulk.
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """The museums' action plans, read-only: museums write them, each through its own plan page.

    Changing one here would bypass the version that protects a colleague's save, so NEMO reads.
    """

    list_display = ["title", "museum", "status", "due_date", "owner_display", "dimension", "updated_at"]
    list_filter = ["status", MuseumCountryFilter]
    list_select_related = ["museum", "owner", "dimension"]
    search_fields = ["title", "museum__name"]
    fields = readonly_fields = (
        "museum",
        "title",
        "description",
        "dimension",
        "question",
        "owner_display",
        "due_date",
        "status",
        "status_note",
        "done_on",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
    )
    list_per_page = 100

    @admin.display(description=_("owner"))
    def owner_display(self, action: Action) -> str:
        return action_owner(action) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # The museum's own plan: NEMO reads it, the museum's team changes it (with its history).
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A museum's own records, read by NEMO: the team changes them, with their versions and history."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SystemDutyInline(admin.TabularInline):
    model = SystemDuty
    fields = readonly_fields = ("duty", "status", "note", "evidence", "updated_by", "updated_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AiSystem)
class AiSystemAdmin(ReadOnlyAdmin):
    """The museums' AI registers, read-only. What each system owes is on the museum's register page."""

    list_display = ["name", "museum", "use", "supplier", "owner", "updated_at"]
    list_filter = ["use", MuseumCountryFilter]
    list_select_related = ["museum", "owner"]
    search_fields = ["name", "supplier", "museum__name"]
    fields = readonly_fields = (
        "museum",
        "name",
        "supplier",
        "use",
        "purpose",
        "owner",
        "started_on",
        "next_review_on",
        "notes",
        "evidence",
        "answers",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
    )
    inlines = [SystemDutyInline]
    list_per_page = 100
