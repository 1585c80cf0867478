"""Pages for NEMO staff (Django staff users), not for museum members: the sector overview."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from assessment import exports
from assessment.scoring import rounded
from nemo import register_stats, stats

Response = TypeVar("Response", bound=HttpResponseBase)


def staff_required(view: Callable[..., Response]) -> Callable[..., Response]:
    """Logged-in NEMO staff only: others are sent to log in, or refused with 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
@require_safe
def sector_overview(request: HttpRequest) -> HttpResponse:
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
                    "data": [rounded(g.area_means[i]) for g in overview.groups],
                }
                for i, area in enumerate(overview.areas)
            ],
        },
    }
    return render(
        request,
        "nemo/overview.html",
        {
            "overview": overview,
            "breakdowns": stats.BREAKDOWNS,
            "chart_data": chart_data,
            "sector_register": register_stats.sector_register(language=get_language() or "en"),
            "min_group": suppression.MIN_GROUP,
        },
    )


@staff_required
@require_safe
def sector_overview_file(request: HttpRequest, file_format: str = "csv") -> StreamingHttpResponse:
    """The overview's aggregates as a file: CSV, or XLSX for a spreadsheet (``file_format``)."""
    overview = stats.sector_overview(request.GET.get("by", "country"))
    return exports.download(
        file_format,
        f"museumai-sector-overview-by-{overview.by}",
        stats.OVERVIEW_CSV_HEADER,
        stats.overview_csv_rows(overview),
    )
