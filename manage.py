#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import ipaddress
import os
import sys


def is_local_runserver(argv: list[str]) -> bool:
    """``runserver`` reachable from this machine only (the default 127.0.0.1:8000, localhost, ::1).

    That is clearly a developer's machine: nobody else can reach a development key or debug pages.
    """
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    positional = [arg for arg in argv[2:] if not arg.startswith("-")]
    if not positional:
        return True
    address = positional[0]
    if address.isdigit():  # a port alone: runserver binds to 127.0.0.1 (or ::1 with -6)
        return True
    if address.startswith("["):
        host = address[1 : address.find("]")]
    elif address.count(":") == 1:
        host = address.split(":")[0]
    else:
        host = address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumai.settings")
    # Without a secret key, only `runserver` on this machine alone turns development mode on (a known
    # key, debug pages). Every other command, and a server open to the network, needs DJANGO_SECRET_KEY
    # or an explicit DJANGO_DEBUG=1 (as `make run` and `make lint` set); settings.py says so.
    # `makemigrations` only reads and writes code (a developer's `makemigrations --check` included).
    developer_command = is_local_runserver(sys.argv) or sys.argv[1:2] == ["makemigrations"]
    if not os.environ.get("DJANGO_SECRET_KEY") and developer_command:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
