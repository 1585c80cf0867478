"""The results as a PDF report for a museum's board (``assessment/report.py`` composes and renders it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe

from assessment.access import get_museum_object
from assessment.models import Assessment, Role
from assessment.report import (
    REPORT_CACHE_SECONDS,
    css_string,
    page_numbers_css,
    pdf_render,
    report_cache_key,
    report_compose,
    report_file_name,
)


@login_required
@require_safe
def assessment_report(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """The PDF: a cover, the answer first, the action plan; ``?appendix=1`` adds the detail per area."""
    assessment, _membership = get_museum_object(
        request.user,
        Assessment.objects.select_related("museum", "framework"),
        museum_id=museum_id,
        pk=assessment_id,
        min_role=Role.VIEWER,
    )
    today = localdate()
    appendix = request.GET.get("appendix") == "1"
    key = report_cache_key(assessment, appendix=appendix, today=today)
    pdf = cache.get(key) if key else None
    if pdf is None:
        report = report_compose(assessment, appendix=appendix, today=today)
        html = render_to_string(
            "assessment/report.html",
            {
                "museum": assessment.museum,
                "assessment": assessment,
                "report": report,
                "board": report.board,
                "museum_name_css": css_string(assessment.museum.name),
                "page_numbers_css": page_numbers_css(),
            },
        )
        pdf = pdf_render(html, base_url=request.build_absolute_uri("/"))
        if key:
            cache.set(key, pdf, REPORT_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_file_name(assessment, today)}"'
    return response
