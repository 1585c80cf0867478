"""Shared fixtures: the personas every access test speaks of, and a real browser.

Personas (after healthchecks' alice/bob/charlie):
- ``lead``, ``editor``, ``viewer``: members of museum A with those roles;
- ``outsider``: lead of museum B, no access to A;
- ``nemo_admin``: NEMO staff (Django staff), member of no museum;
- anonymous: the plain ``client`` fixture.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from accounts.services import email_confirm, user_create
from assessment import answers, team
from assessment import sector as sector_summary
from assessment.models import Assessment, Membership, Museum, Role
from recommendations.datafile import DATA_FILES, load, load_translations, read_data_file
from recommendations.models import FrameworkVersion, Question

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# our fixtures make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# No deadline: property tests check results, not speed (a loaded CI machine made them flaky).
hypothesis_settings.register_profile("museumai", deadline=None)
hypothesis_settings.load_profile("museumai")

PASSWORD = "correct horse battery staple 2024"
BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limits_used():
    """Rate limits count in the cache, which outlives a test: each test starts with none used."""
    cache.clear()


def make_user(username: str, *, name: str = "", email_confirmed: bool = True):
    first, _sep, last = (name or username.title()).partition(" ")
    user = user_create(email=f"{username}@example.org", name=f"{first} {last}".strip(), password=PASSWORD)
    if email_confirmed:  # as if they had opened the link mailed at sign-up
        email_confirm(user=user)
    return user


def make_museum(owner, name: str, **fields) -> Museum:
    defaults = {"country": "BE", "city": "Brussels", "museum_type": "history", "size_band": "small"}
    return team.museum_create(user=owner, name=name, **{**defaults, **fields})


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real framework once into the test database, every version as in production (the
    newest current); each test rolls back to it."""
    with django_db_blocker.unblock():
        load_every_version()


def load_every_version() -> FrameworkVersion:
    """Every published version with its translations, the newest current: as ``load_framework`` does."""
    for position, path in enumerate(DATA_FILES, start=1):
        data = read_data_file(path)
        framework = load(data, make_current=position == len(DATA_FILES)).framework
        load_translations(path, data, framework)
    return framework


@pytest.fixture(autouse=True)
def english_to_start_with():
    """Each test starts in English: a request in another language leaves its language active in the
    test's thread (a server activates each request's own)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def framework(db):
    """The current framework (reloaded if a transactional test emptied the database)."""
    return FrameworkVersion.objects.current() or load_every_version()


@pytest.fixture
def lead(db):
    return make_user("alice", name="Alice Lead")


@pytest.fixture
def museum_a(lead) -> Museum:
    return make_museum(lead, "Museum A")


@pytest.fixture
def editor(museum_a):
    user = make_user("bob", name="Bob Editor")
    Membership.objects.create(user=user, museum=museum_a, role=Role.EDITOR)
    return user


@pytest.fixture
def viewer(museum_a):
    user = make_user("vera", name="Vera Viewer")
    Membership.objects.create(user=user, museum=museum_a, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(db):
    return make_user("charlie", name="Charlie Outsider")


@pytest.fixture
def museum_b(outsider) -> Museum:
    return make_museum(outsider, "Museum B", country="NL", city="Utrecht", museum_type="art")


@pytest.fixture
def nemo_admin(db):
    user = make_user("nemo", name="Nemo Admin")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def client_for():
    """A test client logged in as the given user (``None``: anonymous)."""

    def _client(user, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return _client


# --- Shared helpers: assessments answered, submitted and read back ---------------------


def questions_of(assessment):
    return list(
        Question.objects.filter(dimension__recommendation__framework=assessment.framework)
        .select_related("dimension__recommendation")
        .order_by("dimension__recommendation__number", "dimension__position", "position")
    )


def answer_all(assessment, user, level_for, note_for=lambda q: ""):
    answers.answers_save(
        assessment=assessment,
        user=user,
        inputs=[
            answers.AnswerInput(q.pk, level_for(q), False, "", note_for(q), 0)
            for q in questions_of(assessment)
        ],
    )


def submitted_assessment(museum, lead, level_for, days_ago=0):
    assessment = answers.assessment_start(museum=museum, user=lead, copy_previous=False)
    answer_all(assessment, lead, level_for)
    answers.assessment_submit(assessment=assessment, user=lead)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
    # As if submitted then: the sector summary counts it in that year.
    sector_summary.refresh([museum.pk])
    assessment.refresh_from_db()
    return assessment


def submitted_museums(
    count: int, *, level: int = 2, prefix: str = "Museum", days_ago: int = 0, **fields
) -> list[Museum]:
    """``count`` museums (with ``fields``: country, size_band …), each with a lead and a submitted
    assessment answered ``level`` throughout."""
    museums = []
    for index in range(count):
        owner = make_user(f"{prefix}-{index}".lower().replace(" ", "-"))
        museum = make_museum(owner, f"{prefix} {index}", **fields)
        submitted_assessment(museum, owner, lambda q: level, days_ago=days_ago)
        museums.append(museum)
    return museums


def results_url(assessment):
    return reverse("assessment:results", args=[assessment.museum_id, assessment.pk])


# (country, size, level answered throughout, how many museums)
SECTOR_PLAN = [("FR", "micro", 1, 3), ("FR", "large", 3, 3), ("DE", "micro", 2, 2), ("DE", "large", 2, 3)]


@pytest.fixture
def sector(framework):
    """Eleven museums with known scores, so that groups of five or more show their figures.

    By country: France 6 (three micro at level 1, three large at level 3), Germany 5 (all at
    level 2). By size: micro 5, large 6. A country and a size together is under 5: hidden.
    "Sector museum 0" is French, micro, at level 1.
    """
    plan = [(country, size, level) for country, size, level, count in SECTOR_PLAN for _ in range(count)]
    for index, (country, size, level) in enumerate(plan):
        owner = make_user(f"sector{index}")
        museum = make_museum(owner, f"Sector museum {index}", country=country, size_band=size)
        submitted_assessment(museum, owner, lambda q, level=level: level)
    return plan


def column_keys(header: list) -> list[str]:
    """A person's download names its columns in their language: back to the stable keys, in English."""
    from assessment.exports import COLUMN_NAMES

    keys = {str(label): key for key, label in COLUMN_NAMES.items()}
    assert all(name in keys for name in header), f"columns without a name: {set(header) - set(keys)}"
    return [keys[name] for name in header]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "a byte-order mark so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


# --- Browser tests -----------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped browser test is a failure: CI must not pass without a browser."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser") and os.environ.get("CI", "").lower() == "true":
        report.outcome = "failed"
        report.longrepr = (
            f"Browser test skipped under CI=true ({report.longrepr}). Install Chromium: make chromium"
        )


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page, *, context: str = "") -> None:
    """Fail on any WCAG 2.1 A/AA violation axe-core finds.

    axe is vendored under static/ and loaded from this site, so the page's CSP allows it.
    """
    page.wait_for_load_state("load")  # a page still loading has no document to add axe to
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
    assert not violations, f"axe found WCAG violations on {context or page.url}:\n" + "\n".join(violations)


def log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^\s*Email or username")).fill(user.email)
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    # Wait for the page the login leads to: Chromium can hang for good on a tab closed or
    # navigated while a navigation is being committed (playwright#42366).
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


# A phone held upright: no page may scroll sideways at this width.
PHONE = {"width": 375, "height": 800}


def no_sideways_scrolling(page) -> None:
    page.set_viewport_size(PHONE)
    # Charts redraw at the new width a moment after the resize, as on a phone turned upright.
    page.wait_for_function(f"() => document.documentElement.scrollWidth <= {PHONE['width']}", timeout=5_000)
    page.set_viewport_size({"width": 1280, "height": 720})


def add_ai_systems(museum, count: int, *, user=None) -> None:
    """`count` AI systems in the museum's register, each with a duty marked done (for query counts)."""
    from assessment.models import AiSystem, SystemDuty
    from recommendations.register_rules import default_rules

    uses = list(default_rules().uses)
    systems = AiSystem.objects.bulk_create(
        AiSystem(
            museum=museum,
            name=f"System {index}",
            use=uses[index % len(uses)],
            owner=user,
            answers={"meets": ["visitors"], "personal-data": True, "built-by-museum": False},
        )
        for index in range(count)
    )
    SystemDuty.objects.bulk_create(
        SystemDuty(system=system, duty="ai-literacy", status="done", updated_by=user) for system in systems
    )
