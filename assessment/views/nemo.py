"""Pages for NEMO staff (Django staff users), not for museum members."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessment import exports, stats


def staff_required(view):
    """Logged-in NEMO staff only: others are sent to log in, or refused with 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
@require_safe
def sector_overview(request):
    overview = stats.sector_overview(request.GET.get("by", "country"))
    chart_data = {
        "levels": {
            "labels": [name for _level, name, _n in overview.level_counts],
            "counts": [n for _level, _name, n in overview.level_counts],
        },
        "areas": {
            "labels": [group.label for group in overview.groups],
            "series": [
                {
                    "label": f"{area.number}. {area.title}",
                    "data": [_round(g.area_means[i]) for g in overview.groups],
                }
                for i, area in enumerate(overview.areas)
            ],
        },
    }
    return render(
        request,
        "assessment/nemo/overview.html",
        {"overview": overview, "breakdowns": stats.BREAKDOWNS, "chart_data": chart_data},
    )


@staff_required
@require_safe
def sector_overview_csv(request):
    overview = stats.sector_overview(request.GET.get("by", "country"))
    return exports.csv_response(
        f"museumai-sector-overview-by-{overview.by}.csv",
        stats.OVERVIEW_CSV_HEADER,
        stats.overview_csv_rows(overview),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
