"""Rate limits on what creates accounts or sends mail: sign-up, password reset, invitations, confirmations.

Counted with django-ratelimit in the default cache, per client IP (as
``accounts.client_ip`` finds it; IPv6 per /64) and per person or address.
Addresses are compared case-folded, so "Alice@Example.org" and
"alice@example.org" share one count. The rates are ``settings.RATE_LIMITS``.

The cache must be shared by every app process (Redis, ``DJANGO_CACHE_URL``)
for a limit to hold across them; the per-process default is for development,
and ``check --deploy`` says so.
"""

from __future__ import annotations

import logging
import unicodedata

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)


def normalised_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def rate_limited(request: HttpRequest, action: str, *, user: object = None, email: str = "") -> bool:
    """Count one more ``action`` by this client IP (and this user, and for this address, when given);
    True if any of them is over its limit (``RATE_LIMITS["<action>_ip"]``, ``…_user``, ``…_email``).

    Every count goes up, even when an earlier one is already over: someone who keeps trying stays
    limited. If the cache cannot be reached the request goes through (logged as an error): these
    limits slow abuse down, and a broken cache must not stop people from signing up or resetting a
    password.
    """
    keys: dict[str, str] = {"ip": "ip"}
    values = {"user": str(getattr(user, "pk", "") or ""), "email": normalised_email(email)}
    for name, value in values.items():
        if value:
            keys[name] = value
    limited = False
    for name, key_value in keys.items():
        rate = settings.RATE_LIMITS[f"{action}_{name}"]
        key = "ip" if name == "ip" else (lambda _group, _request, value=key_value: value)
        try:
            over = is_ratelimited(request, group=f"{action}.{name}", key=key, rate=rate, increment=True)
        except Exception:
            logger.exception("Rate limit %s.%s not counted; the request goes through", action, name)
            over = False
        limited = limited or over
    return limited
