"""Settings for museumai, configured from the environment.

One file for every environment: development, tests and production differ only
in environment variables (see README, "Configuration"). Bad values fail loudly
at start-up rather than half-working.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    # Django's own deploy check (security.W009) flags keys that start with "django-insecure".
    SECRET_KEY = "django-insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before admin: it gives the admin a tab per language on translated framework fields.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_countries",
    "recommendations",
    "assessment",
    "accounts",
    "nemo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "museumai.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the person's choice (cookie), else the browser's; the account's choice once
    # logged in (accounts.language.AccountLanguageMiddleware). URLs stay the same.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.AccountLanguageMiddleware",
    "museumai.middleware.NoStoreForLoggedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Faults a person can act on get a page saying what to do (see museumai/middleware.py).
    "museumai.middleware.UnusableInputMiddleware",
    "museumai.middleware.DatabaseUnavailableMiddleware",
    "museumai.middleware.AdminListInputMiddleware",
    "museumai.middleware.FriendlyMethodNotAllowedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees every authentication failure.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "museumai.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessment.context_processors.museum_switcher",
            ],
        },
    },
]

WSGI_APPLICATION = "museumai.wsgi.application"

# Database: SQLite file by default, PostgreSQL when DATABASE_URL says postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers queue
    # (up to the timeout) instead of failing with "database is locked"; WAL lets
    # readers continue while someone writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: concurrency and browser tests need a real shared database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

# PostgreSQL: a request waits at most this long for a lock, or for one statement, then gets the
# "busy, try again" page (museumai/middleware.py) instead of holding its worker until gunicorn kills
# it. Set when the connection opens, so persistent connections (CONN_MAX_AGE) keep them; `migrate`
# lifts the statement timeout while it runs (museumai/database.py). 0 waits for ever.
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 10_000)
DATABASE_LOCK_TIMEOUT_MS = env_int("DATABASE_LOCK_TIMEOUT_MS", 3_000)
if min(DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_LOCK_TIMEOUT_MS) < 0:
    raise ImproperlyConfigured("DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_LOCK_TIMEOUT_MS must be 0 or more")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        [
            _options.get("options", ""),  # any given in DATABASE_URL's ?options=
            f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
            f"-c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}",
        ]
    ).strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict[str, str]:
    """DJANGO_CACHE_URL: redis://host:6379/0 (rediss://, unix://) for Redis; empty or locmem:// for memory."""
    if url in ("", "locmem://"):
        # Per process: fine for development and one process; check --deploy warns about it.
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "museumai"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL must be redis://… or locmem://, not {url!r}")


# The cache holds the rate limits (accounts/limits.py); every app process must share it for a
# limit to hold across them.
CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", "").strip())}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrUsernameBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Repeated characters, keyboard runs, sequences and the person's own name (zxcvbn).
    {"NAME": "accounts.validators.GuessablePasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed logins are throttled per username *and* IP: a museum's staff often share
# one public IP, and one person's typos must not lock out their colleagues.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# "Username" is the account however it was typed (username or email, any letter case): the login
# backend accepts every such spelling, so they must share one count.
AXES_USERNAME_CALLABLE = "accounts.backends.login_throttle_key"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of the app (each appends to X-Forwarded-For); 0 ignores that header,
# which the client alone would then have written. accounts/client_ip.py reads it for axes and the rate limits.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more, not {PROXY_COUNT}")
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

# Rate limits (accounts/limits.py) on what creates accounts or sends mail, per client IP, per person
# and per address. Generous enough for a museum's team behind one IP, or a workshop on one Wi-Fi.
RATELIMIT_IP_META_KEY = "accounts.client_ip.client_ip"
RATE_LIMITS = {
    "signup_ip": "10/h",
    "password_reset_email": "3/h",
    "password_reset_ip": "20/h",
    "invitation_user": "20/h",
    "invitation_ip": "50/h",
    "email_confirmation_user": "3/h",
    "email_confirmation_ip": "20/h",
}

# Internationalisation: every user-facing string is marked for translation.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("nl", _("Dutch")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as each language writes them (templates use DATE_FORMAT, never a fixed pattern).
FORMAT_MODULE_PATH = ["museumai.formats"]
LANGUAGE_COOKIE_NAME = "museumai_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Framework content: English is the source; a field not yet translated shows its English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Development and tests run without collectstatic (DJANGO_STATIC_MANIFEST=0):
# whitenoise then serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)
WHITENOISE_MANIFEST_STRICT = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail. Development prints it to the console; production must name a backend, or reset and
# confirmation links would land in the server's log (`check --deploy` also refuses the console).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "")
if not EMAIL_BACKEND:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_EMAIL_BACKEND (django.core.mail.backends.smtp.EmailBackend, with DJANGO_EMAIL_HOST "
            "and friends): without it, password-reset links would be printed to the server's log. "
            "DJANGO_DEBUG=1 prints mail to the console for local development."
        )
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Seconds; a mail is sent inside the transaction that records it (an invitation), so never wait forever.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "museumai <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The action plan's calendar file names each event action-<id>@<this>: keep it the same for the life
# of the site, so that importing a newer download updates the events instead of adding copies.
CALENDAR_UID_DOMAIN = os.environ.get("DJANGO_CALENDAR_UID_DOMAIN", "").strip() or "museumai"

# Invitations are signed links that expire.
INVITATION_MAX_AGE = timedelta(days=env_int("INVITATION_MAX_AGE_DAYS", 14))
# So are the links that confirm an email address.
EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=env_int("EMAIL_CONFIRMATION_MAX_AGE_DAYS", 7))

# Security headers and cookies. Production defaults; DJANGO_DEBUG relaxes the
# ones that need HTTPS so that runserver works on http://127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_PROXY", not DEBUG):
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload is a decision for the domain's owner, not the app.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Django admin uses inline style attributes; it alone may.
CSP_ADMIN_URL_PREFIX = "/admin/"


class _OneLineBelow500(logging.Formatter):
    """A refused request (403, 400, …) is logged as its one line; only server errors keep a traceback.

    Django attaches the exception when it logs a PermissionDenied or a
    SuspiciousOperation, which printed a whole traceback for every 403.
    """

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            # A copy: other handlers still get the record as it was logged.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"one_line_below_500": {"()": _OneLineBelow500}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "one_line_below_500"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF report at INFO; its warnings (a rule it ignores) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
