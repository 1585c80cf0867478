"""Server CPU time and query count of the pages people wait for, on a database the script fills itself.

    .venv/bin/python bench/page_bench.py                      # fresh SQLite file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/museumai_page_bench \\
        .venv/bin/python bench/page_bench.py --fresh          # creates (--fresh: drops first) that database

Measured, in-process through Django's test client (whole middleware stack, templates included):

1. a questionnaire area page (area 1) of a draft whose answers are all filled in, in English and in
   French (the browser's language): a translated page must cost at most 10 % more;
2. the save of that area: the POST of its whole form, every answer changed (two sets of values,
   alternated), so that each run writes every question of the area; the POST alone, not the redirect;
3. the results dashboard of a submitted assessment with 1 and with 50 earlier submitted assessments,
   and its PDF report, made and kept;
4. Django admin's museum list with 100 museums.

Per page: the median server CPU time (``time.process_time()``, so with SQLite it includes the
database engine, with PostgreSQL only the Python side), the median wall time, and the number of
queries. Timed runs are not wrapped in ``CaptureQueriesContext``: its debug cursor costs CPU (on
SQLite it runs an extra query per query to quote the parameters), so the queries are counted in one
more, untimed run. Settings are production-like (DEBUG off, as the test suite runs); DEBUG on would
log every query and slow template rendering.

The data is built the way people build it: museums, assessments, answers and submissions through
the app's own URLs and forms, so that the script survives changes to the code behind them. Only the
admin's 100 museums and the users are created with the ORM, and the framework with load_framework.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import re
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_DATABASE = "/tmp/museumai_page_bench.sqlite3"
# Production-like settings, as the test suite uses (pyproject.toml), unless the caller set them.
BENCH_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "museumai.settings",
    "DJANGO_SECRET_KEY": "page-bench-secret-key-not-for-production",
    "DJANGO_DEBUG": "0",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "WHITENOISE_USE_FINDERS": "1",
    "DJANGO_STATIC_MANIFEST": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
}
OWN_SQLITE_FILE = "DATABASE_URL" not in os.environ
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DATABASE}")
for _name, _value in BENCH_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

# WhiteNoise warns that collectstatic has not run; static files are no part of this benchmark.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve, reverse  # noqa: E402

from assessment.models import Membership, Museum  # noqa: E402

# The app's own login backend (the last one; axes comes first), wherever it lives.
BACKEND = settings.AUTHENTICATION_BACKENDS[-1]
FIELD = re.compile(r"^q(\d+)-(value|reason|note|version)$")
SAVED = re.compile(r"(\d+) answers? saved")
NOTES = [
    "Discussed at the last staff meeting.",
    "See the collections policy, section 4.",
    "Only the director knows about this so far.",
    "Part of the digitisation plan agreed with the region.",
]


# --- Database ---------------------------------------------------------------------


def prepare_database(fresh: bool) -> str:
    """Create (or with ``fresh``, recreate) the database, migrate it and load the framework."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        if fresh or OWN_SQLITE_FILE:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        quoted = connection.ops.quote_name(name)
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and fresh:
                cursor.execute(f"DROP DATABASE {quoted}")
            if fresh or not exists:
                cursor.execute(f"CREATE DATABASE {quoted}")
    call_command("migrate", verbosity=0)
    if Museum.objects.exists() or get_user_model().objects.exists():
        sys.exit(f"{name} already holds data: give a new database name, or --fresh to recreate it.")
    call_command("load_framework", stdout=io.StringIO())
    return str(name)


# --- Talking to the app -----------------------------------------------------------


class AreaFormParser(HTMLParser):
    """The questionnaire's fields as a browser would send them: {question id: {part: value}}."""

    def __init__(self):
        super().__init__()
        self.questions: dict[int, dict[str, str]] = {}
        self._textarea: tuple[int, str] | None = None

    def _field(self, name: str | None) -> tuple[int, str] | None:
        match = FIELD.match(name or "")
        if match is None:
            return None
        question_id = int(match[1])
        self.questions.setdefault(question_id, {"value": "", "reason": "", "note": "", "version": ""})
        return question_id, match[2]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        found = self._field(attrs.get("name"))
        if found is None:
            return
        question_id, part = found
        if tag == "textarea":
            self._textarea = found
        elif tag == "input" and (attrs.get("type") != "radio" or "checked" in attrs):
            self.questions[question_id][part] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            question_id, part = self._textarea
            self.questions[question_id][part] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def expect(response, status: int, what: str):
    if response.status_code != status:
        raise SystemExit(f"{what}: HTTP {response.status_code}, expected {status}")
    return response


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def create_museum(client: Client, name: str) -> int:
    response = client.post(
        reverse("assessment:museum_create"),
        {
            "name": name,
            "country": "NL",
            "city": "Utrecht",
            "museum_type": "history",
            "size_band": "small",
            "website": "https://example.org",
        },
    )
    return resolve(expect(response, 302, "create museum")["Location"]).kwargs["museum_id"]


def start_assessment(client: Client, museum_id: int, copy_previous: bool) -> int:
    data = {"copy_previous": "on"} if copy_previous else {}
    response = client.post(reverse("assessment:assessment_start", args=[museum_id]), data)
    return resolve(expect(response, 302, "start assessment")["Location"]).kwargs["assessment_id"]


@dataclass
class Assessment:
    client: Client
    museum_id: int
    assessment_id: int
    areas: list[int] = field(default_factory=lambda: [1, 2, 3])

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"assessment:{name}", args=[self.museum_id, self.assessment_id, *kwargs.values()])

    def area_url(self, number: int) -> str:
        return self.url("area", number=number)

    def read_area(self, number: int) -> tuple[dict[int, dict[str, str]], str]:
        """The area's form fields as the page shows them, and the page's text."""
        response = expect(self.client.get(self.area_url(number)), 200, f"area {number}")
        parser = AreaFormParser()
        page = response.content.decode()
        parser.feed(page)
        return parser.questions, page

    def post_area(self, number: int, data: dict[str, str]):
        return self.client.post(self.area_url(number), data)

    def submit(self) -> None:
        expect(self.client.post(self.url("assessment_submit")), 302, "submit")


def form_data(fields: dict[int, dict[str, str]], answers: dict[int, tuple[str, str, str]]) -> dict[str, str]:
    """The POST of an area form: the page's fields with ``answers`` ({id: (value, reason, note)}) typed in."""
    data = {"then": "stay"}
    for question_id, parts in fields.items():
        value, reason, note = answers.get(question_id, (parts["value"], parts["reason"], parts["note"]))
        prefix = f"q{question_id}"
        data |= {
            f"{prefix}-value": value,
            f"{prefix}-reason": reason,
            f"{prefix}-note": note,
            f"{prefix}-version": parts["version"],
        }
    return data


def plausible_answers(question_ids, rng: random.Random, maturity: float) -> dict[int, tuple[str, str, str]]:
    """Levels around a maturity, some not applicable with a reason, some notes."""
    answers = {}
    for question_id in question_ids:
        if rng.random() < 0.08:
            answers[question_id] = ("na", "We hold no collection this applies to.", "")
            continue
        level = min(4, max(0, round(rng.gauss(maturity, 1.0))))
        note = rng.choice(NOTES) if rng.random() < 0.3 else ""
        answers[question_id] = (str(level), "", note)
    return answers


def answer_everything(assessment: Assessment, rng: random.Random, maturity: float) -> None:
    for number in assessment.areas:
        fields, _page = assessment.read_area(number)
        data = form_data(fields, plausible_answers(fields, rng, maturity))
        expect(assessment.post_area(number, data), 302, f"save area {number}")


def changed_answers(question_ids, variant: int) -> dict[int, tuple[str, str, str]]:
    """Two sets of values (variant 0 and 1) that differ in every question's level and note."""
    answers = {}
    for index, question_id in enumerate(sorted(question_ids)):
        if variant == 0 and index % 9 == 4:
            answers[question_id] = ("na", "Not relevant for a museum of our size.", "Checked with the board.")
        else:
            level = (index + 2 * variant) % 5
            answers[question_id] = (str(level), "", f"Evidence, version {variant}: {NOTES[index % 4]}")
    return answers


# --- Measuring --------------------------------------------------------------------


@dataclass
class Measurement:
    label: str
    cpu_ms: float
    cpu_min_ms: float
    wall_ms: float
    queries: int


def measure(label: str, request, *, runs: int, warmup: int, prepare=None, check=None) -> Measurement:
    """Median CPU and wall time of ``request()`` over ``runs``, after ``warmup``; queries of one more run.

    ``prepare()``, untimed, builds the arguments of each request; ``check(response)`` verifies it.
    """
    cpu, wall = [], []
    for run in range(warmup + runs + 1):
        arguments = prepare() if prepare else ()
        gc.collect()
        if run < warmup + runs:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            response = request(*arguments)
            cpu_end, wall_end = time.process_time(), time.perf_counter()
            if run >= warmup:
                cpu.append(cpu_end - cpu_start)
                wall.append(wall_end - wall_start)
        else:
            with CaptureQueriesContext(connection) as queries:
                response = request(*arguments)
            # Now: the captured queries are read from the connection's log, which the next request clears.
            query_count = len(queries)
        if check:
            check(response)
    return Measurement(
        label, statistics.median(cpu) * 1000, min(cpu) * 1000, statistics.median(wall) * 1000, query_count
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page (default: %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default: %(default)s)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    options = parser.parse_args()
    runs, warmup = options.runs, options.warmup

    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    database = prepare_database(options.fresh)
    user_model = get_user_model()
    rng = random.Random(2024)

    # A museum with a draft of its second assessment, every question answered.
    lead = user_model.objects.create_user("lead@example.org", "lead@example.org", first_name="Lea")
    client = login(lead)
    museum_id = create_museum(client, "Museum of the Draft")
    first = Assessment(client, museum_id, start_assessment(client, museum_id, copy_previous=False))
    answer_everything(first, rng, maturity=1.5)
    first.submit()
    draft = Assessment(client, museum_id, start_assessment(client, museum_id, copy_previous=True))
    answer_everything(draft, rng, maturity=2.0)

    # A museum that has assessed itself again and again; its dashboard is measured at 2 and at 51.
    history_client = login(user_model.objects.create_user("history@example.org", "history@example.org"))
    history_museum = create_museum(history_client, "Museum of Many Assessments")
    submitted: dict[int, Assessment] = {}
    dashboards = []
    for count in range(1, 52):
        assessment = Assessment(
            history_client,
            history_museum,
            start_assessment(history_client, history_museum, copy_previous=count > 1),
        )
        answer_everything(assessment, rng, maturity=1.0 + count * 0.04)
        assessment.submit()
        submitted[count] = assessment
        if count in (2, 51):
            results_url = assessment.url("results")
            dashboards.append(
                measure(
                    f"results GET, {count - 1} earlier submitted",
                    lambda url=results_url: history_client.get(url),
                    runs=runs,
                    warmup=warmup,
                    check=lambda response: expect(response, 200, "results"),
                )
            )
    # The board's PDF of the latest: made (about a second of CPU), then kept for the day.
    report_url = submitted[51].url("report")
    for label, prepare in (("made", cache.clear), ("kept", None)):
        dashboards.append(
            measure(
                f"report PDF GET, {label}",
                lambda url=report_url: history_client.get(url),
                runs=max(3, runs // 4),
                warmup=1,
                prepare=(lambda clear=prepare: clear() or ()) if prepare else None,
                check=lambda response: expect(response, 200, "report"),
            )
        )

    # Admin: 100 museums, each with a member or two.
    existing = Museum.objects.count()
    museums = Museum.objects.bulk_create(
        Museum(
            name=f"Museum {number:03}",
            country=rng.choice(["NL", "BE", "DE", "FR", "LU", "AT", "DK"]),
            city=rng.choice(["Utrecht", "Gent", "Köln", "Lille", "Wien"]),
            museum_type=rng.choice(["art", "history", "science_technology", "natural_history"]),
            size_band=rng.choice(["micro", "small", "medium", "large"]),
        )
        for number in range(100 - existing)
    )
    members = user_model.objects.bulk_create(
        user_model(username=f"member{number}@example.org", email=f"member{number}@example.org")
        for number in range(len(museums))
    )
    Membership.objects.bulk_create(
        Membership(user=member, museum=museums[(number + offset) % len(museums)], role=role)
        for number, member in enumerate(members)
        for offset, role in ((0, "lead"), (1, "editor"))
    )
    admin_client = login(user_model.objects.create_superuser("nemo", "nemo@example.org"))

    # 1. The area page.
    area_url = draft.area_url(1)
    area = measure(
        "area 1 GET (draft, all answered)",
        lambda: client.get(area_url),
        runs=runs,
        warmup=warmup,
        check=lambda response: expect(response, 200, "area"),
    )

    # 1b. The same page in French: translated interface and questions (modeltranslation's columns).
    area_french = measure(
        "area 1 GET in French",
        lambda: client.get(area_url, HTTP_ACCEPT_LANGUAGE="fr"),
        runs=runs,
        warmup=warmup,
        check=lambda response: expect(response, 200, "area in French"),
    )

    # 2. The save of the area: each run sends the other set of values, with the versions the page shows.
    saved_counts = []
    variants = iter(range(10**6))

    def prepare_save():
        fields, _page = draft.read_area(1)
        return (form_data(fields, changed_answers(fields, next(variants) % 2)),)

    def check_save(response):
        expect(response, 302, "save area 1")
        _fields, page = draft.read_area(1)
        saved = SAVED.search(page)
        saved_counts.append(int(saved[1]) if saved else 0)

    save = measure(
        "area 1 save POST (302)",
        lambda data: draft.post_area(1, data),
        runs=runs,
        warmup=warmup,
        prepare=prepare_save,
        check=check_save,
    )
    questions = len(draft.read_area(1)[0])
    if set(saved_counts) != {questions}:
        raise SystemExit(f"saves wrote {sorted(set(saved_counts))} answers, expected {questions} each time")

    # 4. Admin's museum list.
    admin = measure(
        f"admin museum list ({Museum.objects.count()} museums)",
        lambda: admin_client.get("/admin/assessment/museum/"),
        runs=runs,
        warmup=warmup,
        check=lambda response: expect(response, 200, "admin museum list"),
    )

    debug = "DEBUG on (every query logged: slower than production)" if settings.DEBUG else "DEBUG off"
    print(
        f"{connection.vendor} ({database}), {debug}, "
        f"median of {runs} runs after {warmup} warm-ups (whole run {time.perf_counter() - started:.0f} s)"
    )
    print(f"{'page':42} {'CPU ms':>7} {'(min)':>7} {'wall ms':>8} {'queries':>8}")
    for row in [area, area_french, save, *dashboards, admin]:
        print(f"{row.label:42} {row.cpu_ms:7.1f} {row.cpu_min_ms:7.1f} {row.wall_ms:8.1f} {row.queries:8}")
    print(
        f"area 1 in French / in English: {area_french.cpu_ms / area.cpu_ms:.2f} × CPU, "
        f"{area_french.wall_ms / area.wall_ms:.2f} × wall, {area_french.queries - area.queries:+d} queries"
    )
    print(
        f"area 1 save: {questions} answers saved per POST, "
        f"{save.cpu_ms / questions:.2f} CPU ms ({save.wall_ms / questions:.2f} wall ms) per answer"
    )
    print(
        f"load average (1 min): {load_at_start:.2f} before, {os.getloadavg()[0]:.2f} after, "
        f"on {os.cpu_count()} CPUs (this script adds about 1; more means other processes competed)"
    )


if __name__ == "__main__":
    main()
