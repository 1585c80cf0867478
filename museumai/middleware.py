"""Middleware for the site's headers and for the faults a request can meet.

A request that fails for a reason the person can do something about gets a page
that says what happened and what to do, never a bare server error:

- a form body Django cannot decode, a number beyond the database's range:
  400 (``UnusableInputMiddleware``);
- a busy or unreachable database (a lock or statement timeout, a killed
  connection): 503 with ``Retry-After``, saying whether anything was saved
  (``DatabaseUnavailableMiddleware``; ``server_error`` for the same faults
  outside a view, e.g. while the session is saved);
- an admin list filter the database cannot use, or a selection of rows by
  ids that are no ids: the list and a message (``AdminListInputMiddleware``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import BadRequest, ValidationError
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views import defaults

from museumai import database

# What the "busy" page's Retry-After header asks a client to wait, in seconds.
RETRY_AFTER_SECONDS = 5


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, with inline styles allowed under the admin only.

    Django admin writes ``style="…"`` attributes in its templates; our own pages
    never do, so the rest of the site keeps ``style-src 'self'``.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(settings.CSP_ADMIN_URL_PREFIX):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts


class FriendlyMethodNotAllowedMiddleware:
    """Django answers a wrong HTTP method with an empty 405; show a page a person can act on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "content", b""):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class UnusableInputMiddleware:
    """Input the site cannot use gets a 400 page that says so, never a server error.

    - A form post that declares another charset than UTF-8 (``charset=latin-1``)
      makes ``request.POST`` raise ``BadRequest`` every time it is read.
      Django's own error pages read it again (for the CSRF token), fail in turn,
      and the server answers a bare 500. Reading the form here first, before
      any view or CSRF check, answers while the page can still be drawn.
    - A number too large for the database: SQLite cannot take an integer beyond
      64 bits, and Django's multiple-choice fields (admin's permissions,
      passages) hand it one unchecked. The view's transaction has been rolled
      back by then: nothing was saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsed here so that a failure is answered here
            except BadRequest as error:
                return self._refuse(request, error, "Bad request (unreadable form)")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return self._refuse(request, exception, "Bad request (a number beyond the database's range)")
        return None

    def _refuse(self, request: HttpRequest, error: Exception, reason: str) -> HttpResponse:
        response = render(request, "400.html", status=400)
        log_response("%s: %s", reason, request.path, response=response, request=request, exception=error)
        return response


class _CommittedWrites:
    """Whether a write of this request reached the database for good, so the busy page tells the truth.

    A database wrapper (see ``connection.execute_wrapper``) notes each INSERT,
    UPDATE or DELETE that succeeded; it counts once its transaction commits
    (at once in autocommit), and not if it is rolled back.
    """

    def __init__(self) -> None:
        self.any = False

    def _committed(self) -> None:
        self.any = True

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
        result = execute(sql, params, many, context)
        if not self.any and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            context["connection"].on_commit(self._committed)
        return result


def database_unavailable_response(request: HttpRequest, *, nothing_saved: bool) -> HttpResponse:
    """The "busy, try again" page: 503 with Retry-After, drawn without touching the database."""
    page = render_to_string(
        "503.html",
        {
            "sent_a_form": request.method not in ("GET", "HEAD", "OPTIONS"),
            "nothing_saved": nothing_saved,
            # One leading slash: "//host/…" would lead to another site.
            "retry_url": "/" + request.get_full_path().lstrip("/"),
        },
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A busy or unreachable database gives the "try again" page (503) instead of a server error.

    With PostgreSQL's lock and statement timeouts (settings), a held lock fails
    a request after a few seconds instead of holding its worker; a killed
    connection fails the requests using it at that moment, and the next ones
    reconnect (``CONN_HEALTH_CHECKS``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        writes = _CommittedWrites()
        request._museumai_committed_writes = writes  # type: ignore[attr-defined]
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(writes))
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database.is_unavailable(exception):
            return None
        writes = getattr(request, "_museumai_committed_writes", None)
        response = database_unavailable_response(request, nothing_saved=writes is not None and not writes.any)
        # Logged here, once, with the error; Django would log the 503 again without it.
        log_response(
            "Database busy or unreachable: %s",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same "try again" page when the database fails outside a view.

    E.g. while the session is saved after the view has run; whether the view's
    own work was saved is then unknown, and the page says so.
    """
    error = sys.exc_info()[1]
    if error is not None and database.is_unavailable(error):
        return database_unavailable_response(request, nothing_saved=False)
    return defaults.server_error(request)


class AdminListInputMiddleware:
    """An admin list's filter, search or selection the database cannot use: a message, never a 500.

    Django admin turns most bad filter values into a plain list ("?e=1"), but
    values that fail only when the query runs — a year beyond 9999, a NUL
    character on PostgreSQL, an invalid regular expression — get past it, as
    does an action on "selected rows" whose ids are no numbers. This covers
    every admin list, ours and those of auth and axes alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # Django admin's own answer to a filter value it refuses: the bare list, with no word why.
        if (
            response.status_code == 302
            and response.get("Location", "").endswith(f"?{ERROR_FLAG}=1")
            and _on_an_admin_list(request, filtered=True)
        ):
            self._cannot_filter(request)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        model_admin = getattr(view_func, "model_admin", None)
        if request.method != "POST" or model_admin is None or not _on_an_admin_list(request):
            return None
        id_field = model_admin.model._meta.pk
        try:
            for selected in request.POST.getlist(ACTION_CHECKBOX_NAME):
                id_field.to_python(selected)
        except ValidationError:
            messages.error(
                request, _("The rows chosen could not be read, so nothing was done. Choose them again.")
            )
            return HttpResponseRedirect(request.get_full_path())
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _on_an_admin_list(request, filtered=True) or database.is_unavailable(exception):
            return None
        if not isinstance(exception, ValueError | OverflowError | DatabaseError):
            return None
        self._cannot_filter(request)
        response = HttpResponseRedirect(request.path)
        log_response(
            "Admin filter the database refused: %s",
            request.get_full_path(),
            response=response,
            request=request,
            level="warning",
            exception=exception,
        )
        return response

    def _cannot_filter(self, request: HttpRequest) -> None:
        messages.error(
            request,
            _(
                "This list cannot be filtered or searched with the values in the address, "
                "so it is shown in full. Choose a filter on the page instead."
            ),
        )


def _on_an_admin_list(request: HttpRequest, *, filtered: bool = False) -> bool:
    """An admin list (``filtered``: shown with something in its address)."""
    match = request.resolver_match
    on_a_list = (
        match is not None and match.namespace == "admin" and (match.url_name or "").endswith("_changelist")
    )
    return on_a_list and (not filtered or (request.method == "GET" and bool(request.GET)))


class NoStoreForLoggedInMiddleware:
    """Every response to a logged-in user, downloads included, carries ``Cache-Control: no-store``.

    A museum's answers and exports must not stay in a shared computer's browser cache, nor in a
    proxy's, after the person has logged out. Runs after the authentication middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
