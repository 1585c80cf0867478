"""Pages for NEMO staff (Django staff users), not for museum members: the sector overview."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
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
    release = nemo_open_data.current_release()
    by_country = nemo_open_data.figures_by(release.document, "country")
    by_country.levels[0] = nemo_open_data.in_reader_language(by_country.overall, "country")
    by_country.framework = nemo_open_data.framework_in_reader_language(release.document)
    return render(
        request,
        "nemo/open_data.html",
        {
            "sector": by_country,
            "earlier_days": nemo_open_data.earlier_releases(release),
            "licence": nemo_open_data.LICENCE,
            "schema_version": nemo_open_data.SCHEMA_VERSION,
            "min_group": suppression.MIN_GROUP,
        },
    )


def _release(request: HttpRequest) -> dict[str, Any]:
    """The current release, or the one of ``?day=YYYY-MM-DD`` (404 when that day has none)."""
    day_text = request.GET.get("day", "")
    if not day_text:
        return nemo_open_data.document()
    try:
        day = datetime.date.fromisoformat(day_text)
    except ValueError:
        raise Http404("Not a day: YYYY-MM-DD") from None
    released = nemo_open_data.released_on(day)
    if released is None:
        raise Http404("No open data was released that day.")
    return released


@require_safe
def open_data_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(_release(request), json_dumps_params={"indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def open_data_csv(request: HttpRequest) -> StreamingHttpResponse:
    released = _release(request)
    if not nemo_open_data.readable(released):
        raise Http404("That release is in an earlier schema: download its JSON.")
    return exports.download(
        "csv",
        f"museumai-open-data-{released['computed_on']}",
        stats.CSV_HEADER,
        nemo_open_data.csv_rows(released),
    )
