"""Faults: a busy or lost database, unreadable input, a deleted member — a clear page, never a 500.

The lock tests hold a real lock from another connection (PostgreSQL: a table
lock, as a migration or a stuck transaction takes; SQLite: the file's write
lock) and give the request's connection a 1-second timeout, so they stay fast.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection
from django.db.models.signals import pre_migrate
from django.test import Client
from django.urls import reverse

from assessment import answers
from assessment.models import Answer, Assessment, Membership, Museum, Role
from assessment.views import assessments as assessment_views
from tests.conftest import make_user, questions_of
from tests.test_assessments import area_questions, area_url, page_post

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

BUSY_PAGE = "The site is busy"
NOTHING_SAVED = "Nothing was saved."
MAYBE_SAVED = "may have been saved only in part"


def busy_error() -> OperationalError:
    """What Django raises when SQLite's write lock is not free in time."""
    try:
        raise sqlite3.OperationalError("database is locked")
    except sqlite3.OperationalError as cause:
        try:
            raise OperationalError("database is locked") from cause
        except OperationalError as error:
            return error


def assert_busy_page(response, *, saved: str | None = None) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f"<h1>{BUSY_PAGE}</h1>" in page
    assert "Please try again in a moment" in page
    if saved is not None:
        assert saved in page
    return page


@contextmanager
def answers_table_locked() -> Iterator[None]:
    """Another connection holds a lock the answers' readers or writers need, until the block ends."""
    if connection.vendor == "postgresql":
        other = connection.get_new_connection(connection.get_connection_params())
        with other.cursor() as cursor:  # psycopg opens a transaction: the lock lasts until rollback
            cursor.execute(f"LOCK TABLE {Answer._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    else:
        # SQLite locks the whole file, for writers only: readers go on (WAL).
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


@contextmanager
def waits_at_most_one_second(timeout: str = "lock_timeout") -> Iterator[None]:
    """This connection gives up waiting after 1 s (the settings give a few seconds)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET {timeout} = '1s'")
        else:
            cursor.execute("PRAGMA busy_timeout = 1000")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"RESET {timeout}")
            else:
                seconds = connection.settings_dict["OPTIONS"]["timeout"]
                cursor.execute(f"PRAGMA busy_timeout = {seconds * 1000}")


@pytest.fixture
def committed_draft(transactional_db, framework, museum_a, lead, editor) -> Assessment:
    """A draft committed for real, so that another connection sees it (and its locks are free)."""
    return answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)


# --- Timeouts ----------------------------------------------------------------------


@on_postgres
def test_postgres_connections_wait_a_few_seconds_at_most(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('statement_timeout', 'lock_timeout')"
        )
        in_force = dict(cursor.fetchall())
    assert in_force == {
        "statement_timeout": str(settings.DATABASE_STATEMENT_TIMEOUT_MS),
        "lock_timeout": str(settings.DATABASE_LOCK_TIMEOUT_MS),
    }
    assert 0 < settings.DATABASE_LOCK_TIMEOUT_MS <= settings.DATABASE_STATEMENT_TIMEOUT_MS <= 15_000


@on_postgres
def test_migrate_runs_without_the_statement_timeout_and_gets_it_back(db):
    seen_during_migrate = []

    def record(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
            seen_during_migrate.append(cursor.fetchone()[0])

    pre_migrate.connect(record, dispatch_uid="test-record-timeout")
    try:
        call_command("migrate", verbosity=0)
    finally:
        pre_migrate.disconnect(dispatch_uid="test-record-timeout")
    assert seen_during_migrate and set(seen_during_migrate) == {"0"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        assert cursor.fetchone()[0] == str(settings.DATABASE_STATEMENT_TIMEOUT_MS)


@pytest.mark.parametrize("timeout", ["lock_timeout", "statement_timeout"])
def test_a_held_lock_fails_a_request_fast_with_a_try_again_page_and_nothing_half_saved(
    timeout, committed_draft, client_for, editor
):
    if timeout == "statement_timeout" and connection.vendor != "postgresql":
        pytest.skip("SQLite has one busy timeout")
    question = area_questions(committed_draft)[0]
    post = page_post(committed_draft, {question.pk: {"value": "3", "note": "typed with care"}})
    client = client_for(editor)
    with answers_table_locked(), waits_at_most_one_second(timeout):
        started = time.monotonic()
        response = client.post(area_url(committed_draft), post)
        assert time.monotonic() - started < 5
        assert_busy_page(response, saved=NOTHING_SAVED)

        reading = client.get(area_url(committed_draft) + "?from=list")
        if connection.vendor == "postgresql":  # the table lock stops readers too
            page = assert_busy_page(reading)
            assert f'href="{area_url(committed_draft)}?from=list">Try again</a>' in page
            assert NOTHING_SAVED not in page  # nothing was sent
        else:  # SQLite's write lock does not (WAL)
            assert reading.status_code == 200

        # A page that does not read answers is not held up.
        assert client.get(reverse("assessment:team", args=[committed_draft.museum_id])).status_code == 200
    assert not Answer.objects.filter(assessment=committed_draft).exists()
    # Sent again once the lock is gone, it is saved.
    assert client.post(area_url(committed_draft), post).status_code == 302
    assert Answer.objects.get(assessment=committed_draft, question=question).note == "typed with care"


# --- A lost connection -------------------------------------------------------------


def _terminate_when_waiting(pid: int, done: threading.Event) -> None:
    """From a third connection, kill backend ``pid`` once it waits for a lock (as an operator would)."""
    killer = connection.get_new_connection(connection.get_connection_params())
    killer.autocommit = True
    try:
        with killer.cursor() as cursor:
            for _attempt in range(100):
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
                row = cursor.fetchone()
                if row and row[0] == "Lock":
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                    break
                time.sleep(0.05)
    finally:
        killer.close()
        done.set()


def _backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


@on_postgres
def test_killed_connections_fail_only_the_requests_using_them_then_and_with_a_try_again_page(
    committed_draft, client_for, editor
):
    client = client_for(editor)
    question = area_questions(committed_draft)[0]
    post = page_post(committed_draft, {question.pk: {"value": "2"}})

    # Killed while a save waits on the database.
    killed = threading.Event()
    with answers_table_locked():
        threading.Thread(target=_terminate_when_waiting, args=(_backend_pid(), killed)).start()
        response = client.post(area_url(committed_draft), post)
        killed.wait(10)
    assert_busy_page(response, saved=NOTHING_SAVED)
    # What Django does between requests: the broken connection is dropped, the next one reconnects.
    close_old_connections()
    assert client.post(area_url(committed_draft), post).status_code == 302
    assert Answer.objects.get(assessment=committed_draft, question=question).level == 2

    # Killed while idle between requests: the health check replaces it before it is used.
    killer = connection.get_new_connection(connection.get_connection_params())
    killer.autocommit = True
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [_backend_pid()])
    killer.close()
    close_old_connections()
    assert client.get(area_url(committed_draft)).status_code == 200


# --- What the page says about saving ----------------------------------------------


def test_a_failure_after_the_answers_were_committed_does_not_claim_nothing_was_saved(
    committed_draft, client_for, editor, monkeypatch
):
    def fails(*args, **kwargs):
        raise busy_error()

    monkeypatch.setattr(assessment_views, "_after_save", fails)
    question = area_questions(committed_draft)[0]
    response = client_for(editor).post(
        area_url(committed_draft), page_post(committed_draft, {question.pk: {"value": "1"}})
    )
    page = assert_busy_page(response, saved=MAYBE_SAVED)
    assert NOTHING_SAVED not in page
    assert Answer.objects.get(assessment=committed_draft, question=question).level == 1


def test_a_busy_database_while_the_session_is_saved_gives_the_try_again_page(
    client_for, editor, museum_a, monkeypatch
):
    """After the view: the museum switch is remembered in the session, saved on the way out."""

    def fails(self, must_create=False):
        raise busy_error()

    client = client_for(editor, raise_request_exception=False)
    monkeypatch.setattr(SessionStore, "save", fails)
    response = client.post(reverse("assessment:museum_switch", args=[museum_a.pk]))
    assert_busy_page(response, saved=MAYBE_SAVED)


def test_the_busy_page_is_logged_once_with_its_cause(client_for, lead, museum_a, monkeypatch, caplog):
    def fails(*args, **kwargs):
        raise busy_error()

    monkeypatch.setattr(Membership.objects, "for_user", fails)
    with caplog.at_level("WARNING", logger="django.request"):
        response = client_for(lead).get(reverse("assessment:museum_list"))
    assert_busy_page(response)
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.status_code == 503
    assert "database is locked" in str(record.exc_info[1])


def test_other_database_errors_stay_server_errors(client_for, lead, monkeypatch):
    def fails(*args, **kwargs):
        try:
            raise sqlite3.OperationalError("no such table: assessment_membership")
        except sqlite3.OperationalError as cause:
            raise OperationalError("no such table: assessment_membership") from cause

    monkeypatch.setattr(Membership.objects, "for_user", fails)
    response = client_for(lead, raise_request_exception=False).get(reverse("assessment:museum_list"))
    assert response.status_code == 500


# --- Bad input ---------------------------------------------------------------------


def test_a_form_declaring_another_charset_than_utf8_is_refused_clearly(db):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        data=f"csrfmiddlewaretoken={token}&username=caf%E9&password=x".encode(),
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not read what your browser sent, so nothing was saved" in page


def test_a_username_longer_than_any_account_is_refused_with_a_message(db):
    response = Client().post(reverse("login"), {"username": "x" * 300, "password": "whatever it is"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 300)." in response.content.decode()
    assert not AccessAttempt.objects.exists()  # nothing for axes to store in its 255 characters


@pytest.mark.parametrize(
    "url",
    [
        "/admin/assessment/museum/?created_at__year=99999",
        "/admin/assessment/assessment/?created_at__year=99999",
        "/admin/axes/accessattempt/?attempt_time__year=99999",
    ],
)
def test_an_admin_filter_value_the_database_refuses_shows_the_list_with_a_message(
    url, client_for, nemo_admin, museum_a
):
    client = client_for(nemo_admin)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url in (url.split("?")[0], url.split("?")[0] + "?e=1")  # ?e=1: Django admin caught it
    listing = client.get(response.url)
    assert listing.status_code == 200
    assert "cannot be filtered or searched with the values in the address" in listing.content.decode()


def test_a_nul_character_in_an_admin_filter_is_no_server_error(client_for, nemo_admin, museum_a):
    client = client_for(nemo_admin)
    # The country filter offers only the countries that occur: a NUL matches none.
    response = client.get("/admin/assessment/assessment/?museum__country=%00", follow=True)
    assert response.status_code == 200
    # A search for it is answered too (a list, or a message where the database refuses the value).
    response = client.get("/admin/assessment/museum/?q=%00", follow=True)
    assert response.status_code == 200
    assert "Select museum to" in response.content.decode()


def test_an_admin_action_on_rows_named_by_no_ids_does_nothing_and_says_so(client_for, nemo_admin, museum_a):
    client = client_for(nemo_admin)
    changelist = reverse("admin:assessment_museum_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [museum_a.pk, "abc"]}
    )
    assert response.status_code == 302
    assert (
        "The rows chosen could not be read, so nothing was done" in client.get(response.url).content.decode()
    )
    assert Museum.objects.filter(pk=museum_a.pk).exists()


# --- A deleted member --------------------------------------------------------------


@pytest.fixture
def work_of_deleted_members(framework, museum_a, lead, viewer):
    """An assessment started, answered and submitted by three people whose accounts are then deleted."""
    starter, answerer = make_user("stan", name="Stan Starter"), make_user("ann", name="Ann Answerer")
    for person in (starter, answerer):
        Membership.objects.create(user=person, museum=museum_a, role=Role.EDITOR)
    assessment = answers.assessment_start(museum=museum_a, user=starter, copy_previous=False)
    answers.answers_save(
        assessment=assessment,
        user=answerer,
        inputs=[answers.AnswerInput(q.pk, 2, False, "", "a note", 0) for q in questions_of(assessment)],
    )
    answers.assessment_submit(assessment=assessment, user=lead)
    for person in (starter, answerer, lead):
        person.delete()
    assessment.refresh_from_db()
    assert (assessment.started_by, assessment.submitted_by) == (None, None)
    assert not Answer.objects.filter(assessment=assessment, answered_by__isnull=False).exists()
    return assessment


def test_every_page_of_work_by_deleted_members_names_them_a_former_member(
    work_of_deleted_members, client_for, viewer
):
    assessment = work_of_deleted_members
    museum_id, question = assessment.museum_id, questions_of(assessment)[0]
    args = [museum_id, assessment.pk]
    pages = {
        "museum home": (reverse("assessment:museum_home", args=[museum_id]), "by a former member"),
        "assessment list": (reverse("assessment:assessment_list", args=[museum_id]), "by a former member"),
        "review": (reverse("assessment:assessment_detail", args=args), "Started by a former member"),
        "area": (area_url(assessment), "Submitted by a former member"),
        "results": (reverse("assessment:results", args=args), "Submitted by a former member"),
        "targets": (reverse("assessment:targets", args=args), "Submitted by a former member"),
        "history": (
            reverse("assessment:answer_history", args=[*args, question.pk]),
            ">A former member</td>",
        ),
    }
    client = client_for(viewer)
    for name, (url, words) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert words in " ".join(response.content.decode().split()), name
    for export in ("assessment:export_answers", "assessment:export_scores"):
        response = client.get(reverse(export, args=args))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)


def test_work_by_deleted_members_opens_in_admin(work_of_deleted_members, client_for, nemo_admin):
    client = client_for(nemo_admin)
    change = reverse("admin:assessment_assessment_change", args=[work_of_deleted_members.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:assessment_assessment_changelist")).status_code == 200
