"""The public framework: the whole questionnaire as a page and as JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from recommendations.content import current_framework_content
from recommendations.datafile import export
from recommendations.models import FrameworkVersion


def _current_framework() -> FrameworkVersion:
    framework = current_framework_content()
    if framework is None:
        raise Http404("No framework is loaded yet.")
    return framework


@require_safe
def framework_detail(request: HttpRequest) -> HttpResponse:
    """The whole questionnaire, public, so a museum can preview it before signing up."""
    return render(request, "recommendations/framework.html", {"framework": _current_framework()})


@require_safe
def framework_export(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(
        export(_current_framework()), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'inline; filename="nemo-ai-readiness-framework.json"'
    return response
