from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from recommendations.framework_data import export, framework_with_content, with_level_names
from recommendations.models import FrameworkVersion


def _current_framework() -> FrameworkVersion:
    framework = FrameworkVersion.objects.current()
    if framework is None:
        raise Http404("No framework is loaded yet.")
    return framework_with_content(framework.pk)


@require_safe
def framework_detail(request):
    """The whole questionnaire, public, so a museum can preview it before signing up."""
    return render(
        request, "recommendations/framework.html", {"framework": with_level_names(_current_framework())}
    )


@require_safe
def framework_export(request):
    response = JsonResponse(
        export(_current_framework()), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'inline; filename="nemo-ai-readiness-framework.json"'
    return response
