"""Production settings refuse what would leak or weaken: mail printed to a log, a development key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "museumai.example.org",
    "DATABASE_URL": "sqlite:////tmp/museumai-deploy-check-never-opened.sqlite3",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/1",
}
# The test runner's own environment (pyproject.toml) must not leak into the commands run here.
OURS = ("DJANGO_", "DATABASE_URL", "WHITENOISE_", "AXES_", "INVITATION_")


def _manage(*args: str, timeout: float = 60, **environment: str | None) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith(OURS)}
    env.update({name: value for name, value in environment.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _deploy_check(**overrides: str | None) -> subprocess.CompletedProcess:
    environment: dict[str, str | None] = {**PRODUCTION, **overrides}
    return _manage("check", "--deploy", "--fail-level", "WARNING", **environment)


def test_production_settings_pass_the_deploy_check():
    result = _deploy_check()
    assert result.returncode == 0, result.stderr


def test_production_without_a_mail_backend_refuses_to_start():
    result = _deploy_check(DJANGO_EMAIL_BACKEND=None)
    assert result.returncode != 0
    assert "Set DJANGO_EMAIL_BACKEND" in result.stderr


def test_the_deploy_check_refuses_a_console_mail_and_warns_of_a_per_process_cache():
    result = _deploy_check(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", DJANGO_CACHE_URL=None
    )
    assert result.returncode != 0
    assert "museumai.E001" in result.stderr and "never reaches anyone" in result.stderr
    assert "museumai.W001" in result.stderr and "per process" in result.stderr


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "dummy"])
def test_every_development_mail_backend_is_refused(settings, backend):
    from museumai.checks import check_mail_backend

    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    assert [message.id for message in check_mail_backend()] == ["museumai.E001"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert check_mail_backend() == []


def test_manage_py_without_a_secret_key_refuses_instead_of_turning_debug_on():
    result = _manage("check")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_runserver_open_to_the_network_without_a_secret_key_refuses():
    result = _manage("runserver", "0.0.0.0:8799", "--noreload", timeout=30)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("argv", "development"),
    [
        (["manage.py", "runserver"], True),
        (["manage.py", "runserver", "8000"], True),
        (["manage.py", "runserver", "127.0.0.1:8000"], True),
        (["manage.py", "runserver", "localhost:8000"], True),
        (["manage.py", "runserver", "[::1]:8000"], True),
        (["manage.py", "runserver", "--noreload", "127.0.0.2:8000"], True),
        (["manage.py", "runserver", "0.0.0.0:8000"], False),
        (["manage.py", "runserver", "0:8000"], False),
        (["manage.py", "runserver", "[::]:8000"], False),
        (["manage.py", "runserver", "museumai.example.org:80"], False),
        (["manage.py", "runserver", "192.168.1.10:8000"], False),
        (["manage.py", "migrate"], False),
        (["manage.py", "shell"], False),
        (["manage.py"], False),
    ],
)
def test_only_runserver_on_this_machine_counts_as_a_developers(argv, development):
    from manage import is_local_runserver

    assert is_local_runserver(argv) is development


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("rediss://cache.internal:6380/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_configured_by_url(url, backend):
    from museumai.settings import cache_from_url

    assert cache_from_url(url)["BACKEND"] == backend


def test_a_cache_url_that_is_not_understood_stops_the_start():
    from django.core.exceptions import ImproperlyConfigured

    from museumai.settings import cache_from_url

    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE_URL must be redis://"):
        cache_from_url("memcached://127.0.0.1:11211")
