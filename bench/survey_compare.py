"""An area's save next to django-survey-and-report's survey submission, in server CPU ms per answer.

The claim checked: saving questionnaire answers here is 7–14 % slower than "the common Django survey
app" (PyPI django-survey-and-report) saving the same number of answers. That app is not a dependency
of museumai: it runs in a throwaway virtualenv, in a throwaway Django project that this script writes
under /tmp. Nothing of it is committed.

    python3.11 -m venv /tmp/survey-venv
    /tmp/survey-venv/bin/pip install django-survey-and-report==1.5.0     # brings Django 5.2
    /tmp/survey-venv/bin/python bench/survey_compare.py --ours-python .venv/bin/python

First it runs bench/page_bench.py with museumai's own interpreter (``--ours-python``) and reads its
figure for the save of area 1 (CPU ms per answer, and how many questions area 1 has); or take a
figure measured before with ``--ours-ms-per-answer MS --questions N``. Then it measures, the same
way (``time.process_time()`` around a test-client POST, median after warm-ups, queries counted in
one more run), django-survey-and-report's survey submission with as many questions, all on one
page, posted by a logged-in user who edits their earlier response (each run changes every
answer, as in page_bench), in three shapes:

- one radio question per question of the area (levels 0–4 or "not applicable"): the same number
  of answers, but each only a level;
- a radio, a one-line text (the reason for "not applicable") and a multi-line text (the note) per
  question of the area: the fields each of our answers has (three stored answers each there);
- the first shape posted anonymously, which creates a new response every time.

Both run on SQLite files under /tmp with the same options (WAL, synchronous NORMAL).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = Path("/tmp/survey-compare")
SURVEY_VERSION = "1.5.0"
OURS = re.compile(r"area 1 save: (\d+) answers saved per POST, ([\d.]+) CPU ms")

SETTINGS = """
from pathlib import Path

SECRET_KEY = "survey-compare-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "survey",
]
# startproject's middleware.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "survey_project.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
# As museumai's SQLite settings.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(Path(__file__).resolve().parent.parent / "db.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
STATIC_URL = "static/"
LOGIN_URL = "/admin/login/"
# Read by django-survey-and-report from django.conf.settings.
CHOICES_SEPARATOR = ","
DEFAULT_SURVEY_PUBLISHING_DURATION = 7
USER_DID_NOT_ANSWER = "Left blank"
EXCEL_COMPATIBLE_CSV = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""

URLS = """
from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("admin/", admin.site.urls), path("survey/", include("survey.urls"))]
"""


def run_ours(python: str, runs: int) -> tuple[int, float, str]:
    """page_bench's save of area 1: (questions, CPU ms per answer, its whole report)."""
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    report = subprocess.run(
        [python, str(REPO / "bench" / "page_bench.py"), "--runs", str(runs)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = OURS.search(report)
    if match is None:
        raise SystemExit(f"page_bench printed no figure for the save:\n{report}")
    return int(match[1]), float(match[2]), report


def write_project() -> None:
    package = PROJECT / "survey_project"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(textwrap.dedent(SETTINGS))
    (package / "urls.py").write_text(textwrap.dedent(URLS))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{PROJECT / 'db.sqlite3'}{suffix}").unlink(missing_ok=True)


def measure(request, prepare, check, *, runs: int, warmup: int) -> tuple[float, int]:
    """Median CPU ms of ``request(*prepare())`` after ``warmup`` runs, and the queries of one more run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu = []
    for run in range(warmup + runs + 1):
        arguments = prepare()
        gc.collect()
        if run < warmup + runs:
            start = time.process_time()
            response = request(*arguments)
            if run >= warmup:
                cpu.append(time.process_time() - start)
        else:
            with CaptureQueriesContext(connection) as queries:
                response = request(*arguments)
            query_count = len(queries)
        check(response)
    return statistics.median(cpu) * 1000, query_count


def measure_survey(questions: int, runs: int, warmup: int) -> list[tuple[str, int, float, int]]:
    """Per shape: (label, answers stored per POST, CPU ms per POST, queries)."""
    import django

    # The app's PDF/LaTeX exporter wants pandas for one chart kind; surveys are not exported here.
    warnings.filterwarnings("ignore", "Cannot import 'sankey'", UserWarning)
    sys.path.insert(0, str(PROJECT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "survey_project.settings"
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from survey.models import Answer, Question, Survey

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("respondent")
    levels = ["0", "1", "2", "3", "4", "Not applicable"]

    def build(name: str, kinds: list[str], logged_in: bool):
        survey = Survey.objects.create(
            name=name, description=name, need_logged_user=logged_in, editable_answers=True
        )
        fields = []
        for number in range(questions):
            for kind in kinds:
                question = Question.objects.create(
                    survey=survey,
                    text=f"Question {number + 1} ({kind})",
                    order=len(fields),
                    required=kind == Question.RADIO,
                    type=kind,
                    choices=",".join(levels) if kind == Question.RADIO else None,
                )
                fields.append((question.pk, kind))
        return survey, fields

    def post_data(fields, variant: int) -> dict[str, str]:
        data = {}
        for index, (question_id, kind) in enumerate(fields):
            if kind == Question.RADIO:
                level = levels[(index + 2 * variant) % 5]
                data[f"question_{question_id}"] = level.lower().replace(" ", "-")
            elif kind == Question.SHORT_TEXT:
                data[f"question_{question_id}"] = f"Reason, version {variant}"
            else:
                data[f"question_{question_id}"] = f"Evidence, version {variant}: see the policy, section 4."
        return data

    shapes = [
        ("survey: 1 radio per question, logged in, edit", [Question.RADIO], True),
        (
            "survey: radio + reason + note per question, logged in, edit",
            [Question.RADIO, Question.SHORT_TEXT, Question.TEXT],
            True,
        ),
        ("survey: 1 radio per question, anonymous, new", [Question.RADIO], False),
    ]
    results = []
    for label, kinds, logged_in in shapes:
        survey, fields = build(label, kinds, logged_in)
        client = Client()
        if logged_in:
            client.force_login(user)
        url = reverse("survey-detail", kwargs={"id": survey.pk})
        variants = iter(range(10**6))
        posted = []

        def prepare(fields=fields, variants=variants, posted=posted):
            posted.append(post_data(fields, next(variants) % 2))
            return (posted[-1],)

        def check(response, survey=survey, posted=posted):
            """A redirect, and every answer stored as posted."""
            if response.status_code != 302:
                raise SystemExit(f"{survey.name}: HTTP {response.status_code}, expected a redirect")
            latest = survey.responses.order_by("-updated", "-pk").first()
            answers = Answer.objects.filter(response=latest).values_list("question", "body")
            stored = {f"question_{question_id}": body for question_id, body in answers}
            if stored != posted[-1]:
                raise SystemExit(f"{survey.name}: the answers stored differ from those posted")

        cpu_ms, query_count = measure(
            lambda data, client=client, url=url: client.post(url, data),
            prepare,
            check,
            runs=runs,
            warmup=warmup,
        )
        results.append((label, len(fields), cpu_ms, query_count))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per POST (default: %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default: %(default)s)")
    parser.add_argument("--ours-python", help="museumai's interpreter, to run bench/page_bench.py")
    parser.add_argument("--ours-ms-per-answer", type=float, help="page_bench's figure, instead of running it")
    parser.add_argument("--questions", type=int, help="questions in area 1 (with --ours-ms-per-answer)")
    options = parser.parse_args()

    if options.ours_ms_per_answer is not None:
        if options.questions is None:
            parser.error("--ours-ms-per-answer needs --questions (area 1's question count)")
        questions, ours = options.questions, options.ours_ms_per_answer
        print(f"museumai: {ours:.2f} CPU ms per answer (given), area 1 has {questions} questions")
    elif options.ours_python:
        questions, ours, report = run_ours(options.ours_python, options.runs)
        print("museumai, bench/page_bench.py:")
        print(textwrap.indent(report.strip(), "  "))
    else:
        parser.error("give --ours-python (museumai's interpreter) or --ours-ms-per-answer and --questions")

    from importlib.metadata import version

    if version("django-survey-and-report") != SURVEY_VERSION:
        raise SystemExit(f"install django-survey-and-report=={SURVEY_VERSION} (this compares that version)")
    write_project()
    results = measure_survey(questions, options.runs, options.warmup)

    import django

    print(
        f"\ndjango-survey-and-report {SURVEY_VERSION} on Django {django.get_version()}, SQLite, "
        f"{questions} questions on one page, median of {options.runs} runs after {options.warmup} warm-ups"
    )
    print(f"{'POST':62} {'answers':>7} {'CPU ms':>7} {'queries':>7} {'ms/question':>11} {'ours ÷':>7}")
    for label, answers, cpu_ms, query_count in results:
        per_question = cpu_ms / questions
        print(
            f"{label:62} {answers:7} {cpu_ms:7.1f} {query_count:7} {per_question:11.2f} "
            f"{ours / per_question:7.2f}"
        )
    ours_label = "museumai: area 1 save (page_bench)"
    print(f"{ours_label:62} {questions:7} {ours * questions:7.1f} {'':7} {ours:11.2f}")
    print("ms/question: CPU ms per POST ÷ questions of the area; 'ours ÷' > 1 means museumai is slower.")


if __name__ == "__main__":
    main()
