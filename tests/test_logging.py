"""The log: a refused request is one line; a server error keeps its traceback."""

from __future__ import annotations

import logging
import sys

from django.urls import reverse


def _console() -> logging.Handler:
    """The handler settings.LOGGING gives the root logger: what the server's log shows."""
    [handler] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    return handler


def test_a_403_is_logged_in_one_line_without_a_traceback(client_for, viewer, museum_a, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(viewer).get(reverse("assessment:museum_edit", args=[museum_a.pk]))
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info  # Django attaches the PermissionDenied…
    line = _console().format(record)
    assert line == f"Forbidden (Permission denied): {reverse('assessment:museum_edit', args=[museum_a.pk])}"
    assert "Traceback" not in line


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x", (), sys.exc_info()
        )
    record.status_code = 500
    assert "Traceback" in _console().format(record)
    assert "RuntimeError: boom" in _console().format(record)
