"""Database faults a request can meet, and the statement timeout that ``migrate`` lifts.

A lock held too long, a statement cancelled by ``statement_timeout``, a
connection killed or lost, SQLite's "database is locked": the database is busy
or out of reach for a moment, and the same request can work a few seconds
later. Those get a "try again" page (503, see museumai/middleware.py). Every
other database error is a bug or bad input and stays what it is.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db import InterfaceError, OperationalError, connections

# SQLite's words for a moment's trouble. Its other OperationalErrors ("no such table", a regular
# expression function that raised) are bugs or bad input, not the database being busy.
_SQLITE_BUSY_WORDS = ("locked", "busy", "unable to open", "disk i/o")


def is_unavailable(error: BaseException) -> bool:
    """The database is busy or unreachable right now: trying again in a moment can work."""
    if isinstance(error, InterfaceError):  # e.g. "connection already closed", after a kill
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        message = str(cause).lower()
        return any(words in message for words in _SQLITE_BUSY_WORDS)
    # PostgreSQL: lock and statement timeouts (LockNotAvailable, QueryCanceled), a terminated or
    # lost connection, deadlocks, the server starting or shutting down.
    return True


def lift_statement_timeout(*, using: str, **kwargs: Any) -> None:
    """Before ``migrate``: a migration may rightly take minutes; cancelling it would undo it all.

    The lock timeout stays: a migration that cannot get its lock fails after a few seconds
    instead of making every request queue behind it (run it again when it is quieter, or with
    ``DATABASE_LOCK_TIMEOUT_MS=0`` to wait as long as it takes).
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def restore_statement_timeout(*, using: str, **kwargs: Any) -> None:
    """After ``migrate``: back to the timeout the connection was opened with (its ``options``)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def connect_signals() -> None:
    from django.db.models.signals import post_migrate, pre_migrate

    pre_migrate.connect(lift_statement_timeout, dispatch_uid="museumai.lift_statement_timeout")
    post_migrate.connect(restore_statement_timeout, dispatch_uid="museumai.restore_statement_timeout")
