"""Pages for NEMO staff (Django staff users), not for museum members: the sector overview."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from assessment import exports
from nemo import open_data as nemo_open_data
from nemo import register_stats, stats, suppression

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


def _figures(request: HttpRequest) -> stats.SectorFigures:
    """The figures the query string asks for, with the chosen question's table."""
    selection = stats.Selection.from_query(request.GET)
    figures = stats.sector_figures(selection)
    figures.question = stats.question_table(selection, request.GET.get("question", ""))
    return figures


@staff_required
@require_safe
def sector_overview(request: HttpRequest) -> HttpResponse:
    figures = _figures(request)
    return render(
        request,
        "nemo/overview.html",
        {
            "sector": figures,
            "breakdowns": [(key, stats.GROUPINGS[key][1]) for key in stats.BREAKDOWNS],
            "crossings": [(key, stats.GROUPINGS[key][1]) for key in stats.CROSSINGS],
            "years": stats.years(),
            "questions": stats.questions(),
            "chosen_question": figures.question.key.removeprefix("answers:") if figures.question else "",
            "sector_register": register_stats.sector_register(language=get_language() or "en"),
            "min_group": suppression.MIN_GROUP,
            "chart_data": {
                "levels": {
                    "labels": [label for _key, label in figures.overall.columns],
                    "counts": [cell.value for cell in figures.overall.everyone.cells],
                }
            },
        },
    )


@staff_required
@require_safe
def sector_overview_file(request: HttpRequest, file_format: str = "csv") -> StreamingHttpResponse:
    """Everything the overview shows for the same choices, as a file: CSV, or XLSX (``file_format``)."""
    figures = _figures(request)
    selection = figures.selection
    name = "-".join(
        str(part)
        for part in ("museumai-sector", selection.by, selection.then, selection.year or "latest")
        if part
    )
    return exports.download(file_format, name, stats.CSV_HEADER, stats.csv_rows(figures))


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The public page: what the open data holds, its licence, and the downloads (no login)."""
    return render(
        request,
        "nemo/open_data.html",
        {
            "sector": stats.sector_figures(stats.Selection(by="country")),
            "licence": nemo_open_data.LICENCE,
            "schema_version": nemo_open_data.SCHEMA_VERSION,
            "min_group": suppression.MIN_GROUP,
        },
    )


@require_safe
def open_data_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(nemo_open_data.document(), json_dumps_params={"indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def open_data_csv(request: HttpRequest) -> StreamingHttpResponse:
    data = nemo_open_data.sector_data()
    return exports.download(
        "csv",
        f"museumai-open-data-{data[0].computed_on.isoformat()}",
        stats.CSV_HEADER,
        nemo_open_data.csv_rows(data),
    )
