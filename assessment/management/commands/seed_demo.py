from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.services import email_confirm
from assessment import register, scores, sector
from assessment.demo_answers import AnswerGenerator, answers_create
from assessment.models import (
    Action,
    ActionStatus,
    Answer,
    AreaScore,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    Membership,
    Museum,
    MuseumType,
    Role,
    SectorResult,
    SizeBand,
)
from recommendations.models import FrameworkVersion, Question
from recommendations.register_rules import Facts, default_rules, triage

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
DEMO_USERNAMES = [username for username, _museum, _role, _name in DEMO_USERS]
ADMIN_USERNAME = "demo-admin"
# Demo Museum A's action plan: two actions done, one in progress, two planned (one of them overdue);
# owned by members, or by a name typed in. Each serves a question (by slug) of the current framework.
DEMO_ACTIONS: list[dict[str, Any]] = [
    {
        "question": "ai-systems-inventory",
        "title": "List the AI systems we use, including AI in everyday software",
        "status": ActionStatus.DONE,
        "owner": "demo-lead",
        "due_in_days": -150,
        "done_days_ago": 130,
    },
    {
        "question": "staff-ai-literacy",
        "title": "Half-day AI literacy session for front-of-house staff",
        "status": ActionStatus.DONE,
        "owner_name": "Regional museum association",
        "due_in_days": -60,
        "done_days_ago": 45,
    },
    {
        "question": "biometrics-red-lines",
        "title": "Write down our red lines on facial and emotion recognition",
        "status": ActionStatus.IN_PROGRESS,
        "owner": "demo-editor",
        "due_in_days": 45,
    },
    {
        "question": "dpia-before-high-risk-processing",
        "title": "Screen the visitor-counting project for a DPIA",
        "status": ActionStatus.PLANNED,
        "owner_name": "Marta Jansen (external DPO)",
        "due_in_days": -10,
    },
    {
        "question": "tdm-opt-out-decision",
        "title": "Decide with the board whether our content may train commercial AI models",
        "status": ActionStatus.PLANNED,
        "owner": "demo-lead",
        "due_in_days": 90,
    },
]

# Generated museums are spread round-robin over these countries (and over types and sizes), so that
# every breakdown in the sector overview has data.
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
COUNTRIES = list(CITY_BY_COUNTRY)


class Command(BaseCommand):
    help = "Create demo museums and users (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="Password for every demo user (default: a random one, printed)."
        )
        parser.add_argument("--museums", type=int, default=0, help="Further museums to generate.")
        parser.add_argument(
            "--seed", type=int, default=20240320, help="Random seed, so demo data is repeatable."
        )
        parser.add_argument(
            "--assessments-per-museum",
            type=int,
            default=0,
            help="Submitted assessments per generated museum.",
        )

    def handle(
        self, *args, password: str | None, museums: int, assessments_per_museum: int, seed: int, **options
    ):
        if museums < 0 or assessments_per_museum < 0:
            raise CommandError("--museums and --assessments-per-museum cannot be negative.")
        password = password or secrets.token_urlsafe(12)
        if len(password) < 12:
            raise CommandError("Demo passwords must be at least 12 characters, like every password here.")
        with transaction.atomic():
            self._demo_users(password)
            generated = self._generated_museums(museums)
        framework = FrameworkVersion.objects.current()
        if framework is None:
            self.stderr.write("No framework loaded (run load_framework first): demo assessments skipped.")
        else:
            generator = AnswerGenerator(framework, random.Random(seed))
            with transaction.atomic():
                self._demo_assessments(generator)
                self._demo_actions(generator.framework)
                self._demo_register()
            created = self._generated_assessments(generator, assessments_per_museum)
            if created:
                self.stdout.write(f"Created {created} submitted assessments for the generated museums.")
            # The demo's own assessments went through rescore; the generated ones were inserted in bulk.
            rows = sector.rebuild() if created else SectorResult.objects.count()
            self.stdout.write(f"Sector summary: {rows} rows (a museum's latest assessment per year).")
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
            email_confirm(user=user)  # demo addresses receive no mail; they count as confirmed
        admin, _created = user_model.objects.update_or_create(
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
        email_confirm(user=admin)

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

    def _demo_assessments(self, generator: AnswerGenerator) -> None:
        """Demo Museum A: submitted assessments from the last two years and a draft in progress (once)."""
        museum = Museum.objects.get(name="Demo Museum A")
        if museum.assessments.exists():
            return
        user_model = get_user_model()
        lead = user_model.objects.get(username="demo-lead")
        editor = user_model.objects.get(username="demo-editor")
        now = timezone.now()
        # The yearly submissions were made on the version current then (the first, if there are
        # several), so the draft shows a move to the current version: its new and changed questions.
        first = (
            FrameworkVersion.objects.filter(slug=generator.framework.slug).order_by("date", "pk").first()
            or generator.framework
        )
        earlier = generator if first == generator.framework else AnswerGenerator(first, generator.rng)
        # Two yearly submissions, so the dashboard has progress over time to show.
        submitted = None
        for years_ago, maturity in ((2, 1.0), (1, 1.6)):
            submitted = Assessment.objects.create(
                museum=museum,
                framework=earlier.framework,
                started_by=lead,
                created_at=now - timedelta(days=365 * years_ago + 15),
                status=AssessmentStatus.SUBMITTED,
                submitted_by=lead,
                submitted_at=now - timedelta(days=365 * years_ago),
            )
            answers_create(earlier.answers(submitted, maturity=maturity, answered_by=lead))
        draft = Assessment.objects.create(
            museum=museum,
            framework=generator.framework,
            started_by=editor,
            created_at=now - timedelta(days=3),
            copied_from=submitted,
        )
        answers_create(generator.answers(draft, maturity=2.1, answered_by=editor, share_answered=0.5))
        for assessment in museum.assessments.select_related("framework"):
            scores.rescore(assessment)

    def _demo_actions(self, framework: FrameworkVersion) -> None:
        """Demo Museum A's action plan (once), each action serving a question of ``framework``."""
        museum = Museum.objects.get(name="Demo Museum A")
        if museum.actions.exists():
            return
        users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
        lead = users["demo-lead"]
        questions = {
            question.slug: question
            for question in Question.objects.filter(
                dimension__recommendation__framework=framework
            ).select_related("dimension")
        }
        today = timezone.localdate()
        for spec in DEMO_ACTIONS:
            question = questions.get(spec["question"])
            action = Action(
                museum=museum,
                title=spec["title"],
                description=question.guidance if question else "",
                dimension=question.dimension if question else None,
                question=question,
                owner=users.get(spec.get("owner", "")),
                owner_name=spec.get("owner_name", ""),
                due_date=today + timedelta(days=spec["due_in_days"]),
                status=spec["status"],
                done_on=today - timedelta(days=spec["done_days_ago"]) if "done_days_ago" in spec else None,
                created_by=lead,
                updated_by=lead,
            )
            action._history_user = lead  # type: ignore[attr-defined]  # django-simple-history's author
            action.save()

    def _demo_register(self) -> None:
        """Demo Museum A's AI register (once): a visitor chatbot not yet disclosed, and an auto-tagger."""
        museum = Museum.objects.get(name="Demo Museum A")
        if museum.ai_systems.exists():
            return
        lead = get_user_model().objects.get(username="demo-lead")
        rules = default_rules()
        for spec in DEMO_SYSTEMS:
            system = register.system_create(museum=museum, user=lead, data=spec.data, rules=rules)
            answers = demo_triage_answers(spec.data.use, spec.facts, rules)
            register.triage_save(
                system=system, user=lead, answers=answers, seen_version=system.version, rules=rules
            )

    def _generated_assessments(self, generator: AnswerGenerator, per_museum: int) -> int:
        """Top every generated museum up to ``per_museum`` submitted assessments, in bulk batches."""
        if per_museum <= 0:
            return 0
        museums = (
            Museum.objects.filter(name__startswith="Generated Museum ")
            .annotate(existing=Count("assessments", filter=Q(assessments__status=AssessmentStatus.SUBMITTED)))
            .filter(existing__lt=per_museum)
            .order_by("pk")
        )
        created = 0
        batch: list[tuple[Assessment, float]] = []
        for museum in museums.iterator(chunk_size=500):
            maturity = generator.museum_maturity(museum)
            # django-stubs forgets annotations when a custom QuerySet (MuseumQuerySet) is iterated.
            for round_number in range(museum.existing, per_museum):  # type: ignore[attr-defined]
                batch.append(
                    (
                        generator.submitted_assessment(museum, round_number, per_museum),
                        maturity + 0.35 * round_number,
                    )
                )
            if len(batch) >= 500:
                created += self._insert(generator, batch)
                batch = []
        if batch:
            created += self._insert(generator, batch)
        return created

    @staticmethod
    @transaction.atomic
    def _insert(generator: AnswerGenerator, batch: list[tuple[Assessment, float]]) -> int:
        """Insert assessments with their answers and their scores (computed by scoring.py) in bulk."""
        answers_by_assessment = []
        score_results = []
        for assessment, maturity in batch:
            answers = generator.answers(assessment, maturity=maturity, answered_by=None)
            result = generator.score(answers)
            # The columns can be set before the insert; the area and dimension rows need the id.
            for name, value in scores.score_rows(0, result).fields.items():
                setattr(assessment, name, value)
            answers_by_assessment.append(answers)
            score_results.append(result)
        assessments = Assessment.objects.bulk_create([assessment for assessment, _maturity in batch])
        for assessment, answers in zip(assessments, answers_by_assessment, strict=True):
            for answer in answers:
                answer.assessment = assessment
        # No history rows here: generated museums have no members, so nobody can ever change these
        # answers (or copy them forward), and history rows would nearly triple the seeding time.
        Answer.objects.bulk_create([a for answers in answers_by_assessment for a in answers], batch_size=5000)
        rows = [
            scores.score_rows(assessment.pk, result)
            for assessment, result in zip(assessments, score_results, strict=True)
        ]
        AreaScore.objects.bulk_create([area for row in rows for area in row.areas], batch_size=5000)
        DimensionScore.objects.bulk_create([d for row in rows for d in row.dimensions], batch_size=5000)
        return len(assessments)


@dataclass(frozen=True)
class DemoSystem:
    data: register.SystemInput
    facts: dict[str, Any]


DEMO_SYSTEMS = [
    DemoSystem(
        register.SystemInput(
            name="Ask Demo Museum",
            use="visitor-chatbot",
            supplier="ChatGuide Ltd",
            purpose="Answers visitors' questions about opening hours, tickets and the collection, online.",
        ),
        {"meets": ("visitors", "public-online"), "ai-system": "ai"},
    ),
    DemoSystem(
        register.SystemInput(
            name="Collection auto-tagger",
            use="metadata-enrichment",
            supplier="TagWorks",
            purpose="Suggests keywords for collection photographs; cataloguers accept or reject them.",
        ),
        {"meets": ("nobody",)},
    ),
]


def demo_triage_answers(use: str, facts: dict[str, Any], rules: Any) -> dict[str, Any]:
    """Answers to every question the triage asks of a use: ``facts`` where given, else no / the first
    choice / none ticked, asked round after round as a person would see them."""
    answers: dict[str, Any] = {}
    for _round in range(len(rules.questions)):
        result = triage(Facts(use, answers), today=timezone.localdate(), rules=rules)
        if result.complete:
            break
        for question in result.questions:
            if question.slug in facts:
                answers[question.slug] = facts[question.slug]
            elif question.type == "yes-no":
                answers[question.slug] = False
            elif question.type == "choice":
                answers[question.slug] = question.choices[0].slug
            else:
                answers[question.slug] = ()
    return answers
