"""The client's IP address, for login throttling and rate limits, as the configured proxies report it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare


def client_ip(request: HttpRequest) -> str:
    """The address the request came from: ``REMOTE_ADDR``, or behind ``PROXY_COUNT`` reverse proxies,
    the address the outermost proxy received it from.

    Each proxy appends the address it received the request from to X-Forwarded-For, after whatever
    the client sent, so the client is the PROXY_COUNT-th entry from the right (the innermost proxy
    itself is REMOTE_ADDR); entries further left are the client's own claims and never trusted.
    Without a proxy the header is the client's own claim and ignored. python-ipware counts the
    proxies listed in the header, one fewer than the proxies in front (the innermost is not listed).
    """
    remote_address = request.META.get("REMOTE_ADDR", "")
    proxies: int = settings.PROXY_COUNT
    if proxies <= 0:
        return remote_address
    ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies - 1)
    address, _trusted_route = ipware.get_client_ip(request.META)
    # A header too short for the proxies configured: the request did not come through them all.
    return str(address) if address is not None else remote_address
