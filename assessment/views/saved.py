"""Where a successful save leads, for a plain form and for one sent by ``static/js/keep-typed.js``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

# keep-typed.js sends it: the save went through fetch(), which follows a redirect but drops its #place.
KEEP_TYPED_HEADER = "X-Keep-Typed"


def saved_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect to `url`; for keep-typed.js, `url` in JSON, so the page goes there with its #place."""
    if request.headers.get(KEEP_TYPED_HEADER):
        return JsonResponse({"location": url})
    return redirect(url)
