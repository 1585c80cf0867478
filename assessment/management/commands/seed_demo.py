from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessment.models import Membership, Museum, MuseumType, Role, SizeBand

DEMO_MUSEUMS = {
    "Demo Museum A": {
        "country": "BE",
        "city": "Brussels",
        "museum_type": MuseumType.HISTORY,
        "size_band": SizeBand.SMALL,
    },
    "Demo Museum B": {
        "country": "NL",
        "city": "Utrecht",
        "museum_type": MuseumType.ART,
        "size_band": SizeBand.MEDIUM,
    },
}
DEMO_USERS = [
    # username, museum, role, full name
    ("demo-lead", "Demo Museum A", Role.LEAD, "Lea Lead"),
    ("demo-editor", "Demo Museum A", Role.EDITOR, "Eddie Editor"),
    ("demo-viewer", "Demo Museum A", Role.VIEWER, "Vera Viewer"),
    ("demo-outsider", "Demo Museum B", Role.LEAD, "Otto Outsider"),
]
ADMIN_USERNAME = "demo-admin"

# Generated museums are spread over these, round-robin, so that every
# breakdown (country, type, size) in the sector overview has data.
COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "CH",
    "GB",
    "UA",
]
CITY_BY_COUNTRY = {
    "AT": "Graz",
    "BE": "Ghent",
    "BG": "Plovdiv",
    "CZ": "Brno",
    "DE": "Leipzig",
    "DK": "Aarhus",
    "EE": "Tartu",
    "ES": "Valencia",
    "FI": "Tampere",
    "FR": "Lyon",
    "GR": "Thessaloniki",
    "HR": "Split",
    "HU": "Debrecen",
    "IE": "Cork",
    "IT": "Bologna",
    "LT": "Kaunas",
    "LU": "Esch-sur-Alzette",
    "LV": "Riga",
    "MT": "Valletta",
    "NL": "Groningen",
    "NO": "Bergen",
    "PL": "Kraków",
    "PT": "Porto",
    "RO": "Cluj-Napoca",
    "SE": "Gothenburg",
    "SI": "Maribor",
    "SK": "Košice",
    "CH": "Basel",
    "GB": "Leeds",
    "UA": "Lviv",
}


class Command(BaseCommand):
    help = "Create demo museums and users (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="Password for every demo user (default: a random one, printed)."
        )
        parser.add_argument("--museums", type=int, default=0, help="Further museums to generate.")
        parser.add_argument(
            "--assessments-per-museum",
            type=int,
            default=0,
            help="Submitted assessments per generated museum.",
        )

    def handle(self, *args, password: str | None, museums: int, assessments_per_museum: int, **options):
        if museums < 0 or assessments_per_museum < 0:
            raise CommandError("--museums and --assessments-per-museum cannot be negative.")
        password = password or secrets.token_urlsafe(12)
        if len(password) < 12:
            raise CommandError("Demo passwords must be at least 12 characters, like every password here.")
        with transaction.atomic():
            self._demo_users(password)
            generated = self._generated_museums(museums)
        if assessments_per_museum:
            self.stderr.write(
                "Assessments are not part of the product yet; --assessments-per-museum is ignored."
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({generated} generated museums in total)."))
        self.stdout.write("Demo logins (username / password), at /accounts/login/:")
        for username, museum, role, _name in DEMO_USERS:
            self.stdout.write(f"  {username:14} / {password}   {role.label} of {museum}")
        self.stdout.write(f"  {ADMIN_USERNAME:14} / {password}   NEMO admin (Django admin at /admin/)")

    def _demo_users(self, password: str) -> None:
        user_model = get_user_model()
        hashed = make_password(password)
        museums = {}
        for name, fields in DEMO_MUSEUMS.items():
            museums[name], _created = Museum.objects.update_or_create(name=name, defaults=fields)
        for username, museum_name, role, full_name in DEMO_USERS:
            first, last = full_name.split(" ", 1)
            user, _created = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "first_name": first,
                    "last_name": last,
                    "password": hashed,
                    "is_active": True,
                },
            )
            Membership.objects.update_or_create(
                user=user, museum=museums[museum_name], defaults={"role": role}
            )
        user_model.objects.update_or_create(
            username=ADMIN_USERNAME,
            defaults={
                "email": f"{ADMIN_USERNAME}@example.org",
                "first_name": "Nemo",
                "last_name": "Admin",
                "password": hashed,
                "is_staff": True,
                "is_superuser": True,
                "is_active": True,
            },
        )

    def _generated_museums(self, wanted: int) -> int:
        """Bring the number of generated museums up to ``wanted`` (never down), in bulk."""
        existing = Museum.objects.filter(name__startswith="Generated Museum ").count()
        types, sizes = MuseumType.values, SizeBand.values
        new = [
            Museum(
                name=f"Generated Museum {index + 1:05d}",
                country=COUNTRIES[index % len(COUNTRIES)],
                city=CITY_BY_COUNTRY[COUNTRIES[index % len(COUNTRIES)]],
                museum_type=types[index % len(types)],
                # A different stride from the types', so that every type comes in every size.
                size_band=sizes[(index // len(types)) % len(sizes)],
            )
            for index in range(existing, wanted)
        ]
        Museum.objects.bulk_create(new, batch_size=1000)
        return max(existing, wanted)
