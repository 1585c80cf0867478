"""Hypothesis throws arbitrary input at the site: never a server error.

The questionnaire's answer posts; then every form of the site and of the admin
(found on the pages themselves, so a new form is covered) and every admin list
filter, with the inputs that once gave server errors among the examples.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.db import models, transaction
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import email_confirmation_token
from assessment import answers
from assessment.models import Membership, Role
from recommendations.models import Question
from tests import test_permissions
from tests.conftest import make_museum, make_user, submitted_assessment
from tests.test_permissions import ACCESS, PUBLIC, STAFF, _url

# The permission matrix's world: museum A with every persona, and an id for every URL parameter.
world = test_permissions.world

FIELD_SUFFIXES = ["value", "reason", "note", "version"]
weird_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", "0", "4", "5", "-1", "na", "NA", "1.5", "99999999999999999999", " 2 ", "<script>", "\x00"]
    ),
    st.text(min_size=4990, max_size=5010, alphabet="ab"),
)


@pytest.fixture
def area_setup(framework, museum_a, lead, editor, client_for):
    assessment = answers.assessment_start(museum=museum_a, user=lead, copy_previous=False)
    question_ids = list(
        Question.objects.filter(
            dimension__recommendation__framework=framework, dimension__recommendation__number=1
        ).values_list("pk", flat=True)
    )
    url = reverse("assessment:area", args=[museum_a.pk, assessment.pk, 1])
    return client_for(editor), url, question_ids


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_answer_post_gets_a_clear_response(area_setup, data):
    client, url, question_ids = area_setup
    keys = st.one_of(
        st.builds(
            lambda q, s: f"q{q}-{s}",
            st.sampled_from([*question_ids, 0, 10**12]),
            st.sampled_from(FIELD_SUFFIXES),
        ),
        st.text(max_size=20),
    )
    post = data.draw(st.dictionaries(keys, weird_text, max_size=12))
    response = client.post(url, post)
    assert response.status_code in (302, 400, 409)
    if response.status_code == 400:
        assert "Nothing was saved yet" in response.content.decode()


def test_a_body_that_is_not_utf8_is_refused_clearly(area_setup):
    client, url, _question_ids = area_setup
    response = client.post(
        url, data=b"q1-value=\xff\xfe\xfd&q1-note=\xc3\x28", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (302, 400)


# --- Every form of the site and of the admin, and every admin list filter -------------------------

# Inputs that once gave server errors, and others of their kind: among hypothesis's examples. The
# first four (and a body declaring charset=latin-1) are also tried in every field of every form.
KNOWN_BAD = [
    "x" * 300,  # a username longer than axes's 255-character column (PostgreSQL)
    "\x00",  # PostgreSQL can neither store nor compare a NUL character
    "99999",  # a year beyond 9999
    "9" * 30,  # beyond any database integer
    "a\x00b",
    "%00",
    "-1",
    "1e309",
    "",
    " ",
    "<script>alert(1)</script>",
    "café \u202e\U0001f642",
    "line\r\nbreak",
    "a" * 6000,
]
IN_EVERY_FIELD = KNOWN_BAD[:4]
any_text = st.one_of(st.sampled_from(KNOWN_BAD), st.text(max_size=40))
# An admin inline's management form keeps the page's values: a form count of 99999 makes Django build
# 1,000 inline forms, which is slow rather than wrong (Django's own tests cover a tampered one).
MANAGEMENT_FIELDS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@dataclass(frozen=True)
class PageForm:
    """A form as a page shows it: where it is sent, its fields with the values the page offers."""

    page: str
    persona: str
    method: str
    action: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]

    def filled_with(self, value: str) -> dict[str, str]:
        """Every field set to ``value``; an admin inline's management form as the page gives it."""
        return {
            name: values[0] if name.endswith(MANAGEMENT_FIELDS) and values else value
            for name, values in self.fields
        }

    @property
    def target(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            return self.action


class _FormReader(HTMLParser):
    """The forms of a page, with each field's name and the values the page gives or offers it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict[str, str | None], dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._fields = {}
            self.forms.append((attributes, self._fields))
            return
        if self._fields is None:
            return
        name = attributes.get("name")
        if tag in ("input", "button") and name:
            self._fields.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self._fields.setdefault(name, [])
        elif tag == "option" and self._select:
            self._fields[self._select].append(attributes.get("value") or "")

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea:
            self._fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_on(client, url: str, page: str, persona: str) -> list[PageForm]:
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"{page} as {persona}: {response.status_code}"
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return []  # a download (CSV, JSON)
    reader = _FormReader()
    reader.feed(response.content.decode())
    shown_at = response.request["PATH_INFO"]
    return [
        PageForm(
            page=page,
            persona=persona,
            method=(attributes.get("method") or "get").lower(),
            action=attributes.get("action") or shown_at,
            fields=tuple((name, tuple(values)) for name, values in sorted(fields.items())),
        )
        for attributes, fields in reader.forms
    ]


@pytest.fixture
def people(world, museum_b):
    """The permission matrix's world, where every form of the site shows to someone."""
    personas = dict(world["personas"])
    personas["anonymous"] = None
    # Two museums: the menu's museum switch. The invitation's addressee: its accept form.
    Membership.objects.create(user=personas["lead"], museum=museum_b, role=Role.VIEWER)
    personas["invitee"] = make_user("new")
    # A submitted assessment, for the admin's assessment page (museum A's is a draft).
    submitted_assessment(museum_b, personas["outsider"], lambda question: 2)
    # A museum with a submitted assessment and an empty draft: its home offers to copy the answers.
    copier = personas["copier"] = make_user("copier")
    museum_c = make_museum(copier, "Museum C")
    submitted_assessment(museum_c, copier, lambda question: 1)
    answers.assessment_start(museum=museum_c, user=copier, copy_previous=False)
    # Someone who has not confirmed their address yet: the confirmation page offers to send the link.
    personas["unconfirmed"] = make_user("unconfirmed", email_confirmed=False)
    return personas


def _site_pages(world, people) -> list[tuple[str, str, str]]:
    """(page, persona, url): every page the permission matrix knows, as someone who may open it."""
    pages = []
    for name, rules in sorted(ACCESS.items()):
        access = dict(rules).get("get")
        if access is None:
            continue
        persona = {PUBLIC: "anonymous", STAFF: "nemo_admin"}.get(access, "lead")
        if name == "assessment:invitation_accept":
            persona = "invitee"
        pages.append((name, persona, _url(name, world)))
    # Pages whose form shows only in another state: a museum without a draft, a valid reset link.
    museum_b = Membership.objects.get(user=people["outsider"]).museum_id
    pages.append(
        ("assessment:assessment_start", "outsider", reverse("assessment:assessment_start", args=[museum_b]))
    )
    lead = people["lead"]
    reset = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(lead.pk)), default_token_generator.make_token(lead)],
    )
    pages.append(("password_reset_confirm", "anonymous", reset))
    # The e-mail confirmation page shows its form only for a link that is the lead's own.
    confirm = reverse("email_confirmation_link", args=[email_confirmation_token(lead)])
    pages = [page for page in pages if page[0] != "email_confirmation_link"]
    pages.append(("email_confirmation_link", "lead", confirm))
    pages.append(("email_confirmation", "unconfirmed", reverse("email_confirmation")))
    museum_c = Membership.objects.get(user=people["copier"]).museum_id
    pages.append(("assessment:museum_home", "copier", reverse("assessment:museum_home", args=[museum_c])))
    return pages


def _admin_pages(people) -> list[tuple[str, str, str]]:
    """(page, persona, url): each admin list (its actions), add page and change page, as a superuser."""
    nemo_admin = people["nemo_admin"]
    pages = []
    for model, model_admin in ADMINS:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{prefix}_changelist", "nemo_admin", reverse(f"{prefix}_changelist")))
        if model_admin.has_add_permission(_request_as(nemo_admin)):
            pages.append((f"{prefix}_add", "nemo_admin", reverse(f"{prefix}_add")))
        # What the admin lists (it never shows drafts).
        obj = model_admin.get_queryset(_request_as(nemo_admin)).first()
        if obj is not None:
            pages.append((f"{prefix}_change", "nemo_admin", reverse(f"{prefix}_change", args=[obj.pk])))
    return pages


def _request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _all_forms(pages, people, client_for) -> list[PageForm]:
    """Each form once, as the first page showing it gives it (logout is on every page)."""
    found: dict[tuple[str, str], PageForm] = {}
    for page, persona, url in pages:
        for form in forms_on(client_for(people[persona]), url, page, persona):
            found.setdefault((form.method, form.target), form)
    return list(found.values())


@pytest.fixture
def site_forms(world, people, client_for) -> list[PageForm]:
    return _all_forms(_site_pages(world, people), people, client_for)


@pytest.fixture
def admin_forms(world, people, client_for) -> list[PageForm]:
    """Admin's forms that send something: add, change, a list's actions (its search: with the filters)."""
    return [form for form in _all_forms(_admin_pages(people), people, client_for) if form.method == "post"]


@pytest.fixture
def clients(people, client_for) -> dict[str, Client]:
    """One logged-in client per persona, kept for every example (logging in each time is slow)."""
    return {persona: client_for(user) for persona, user in people.items()}


def send(clients: dict[str, Client], form: PageForm, data) -> HttpResponseBase:
    """One submission, undone afterwards, so that every example starts from the same data and session."""
    client = clients[form.persona]
    cookies = copy.deepcopy(client.cookies)  # logging out or in changes them; the rollback does not
    with transaction.atomic():
        response = (client.post if form.method == "post" else client.get)(form.action, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def test_every_form_is_found_and_refuses_known_bad_values_and_other_charsets_clearly(
    site_forms, admin_forms, clients, people, client_for
):
    posted_to = {form.target for form in site_forms if form.method == "post"}
    takes_posts = {name for name, rules in ACCESS.items() if any(method == "post" for method, _ in rules)}
    assert takes_posts <= posted_to, f"No form found for {sorted(takes_posts - posted_to)}"

    for form in site_forms + admin_forms:
        for value in IN_EVERY_FIELD:
            response = send(clients, form, form.filled_with(value))
            assert response.status_code < 500, (form.page, form.target, value)
        if form.method == "post":
            client = client_for(people[form.persona], enforce_csrf_checks=True)
            client.get(reverse("login"))  # a CSRF cookie, as the browser has it
            response = client.post(
                form.action,
                data=f"csrfmiddlewaretoken={client.cookies['csrftoken'].value}&name=caf%E9".encode(),
                content_type="application/x-www-form-urlencoded; charset=latin-1",
            )
            assert response.status_code == 400, (form.page, form.target)


def _fuzz_posts(form: PageForm) -> st.SearchStrategy[dict]:
    """Some of the form's fields, each with a value the page offers or an odd one, and stray keys."""
    field_values = {}
    for name, values in form.fields:
        if name.endswith(MANAGEMENT_FIELDS) and values:
            field_values[name] = st.sampled_from(values)
        else:
            field_values[name] = st.one_of(st.sampled_from(values), any_text) if values else any_text
    strays = {f"stray-{index}": any_text for index in range(2)}
    return st.fixed_dictionaries({}, optional={**field_values, **strays})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_submission_of_any_form_gets_no_server_error(site_forms, admin_forms, clients, data):
    form = data.draw(st.sampled_from(site_forms + admin_forms), label="form")
    response = send(clients, form, data.draw(_fuzz_posts(form), label="data"))
    assert response.status_code < 500


def admin_filters(model_admin, user) -> list[str]:
    """The parameters of an admin list's filters, date drill-down and search box."""
    changelist = model_admin.get_changelist_instance(_request_as(user))
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return sorted({*names, "q"})


def field_lookups(model) -> list[str]:
    """What else Django admin takes from a list's address: order, page, lookups on the model's fields."""
    names = ["o", "p", "all"]
    for field in model._meta.concrete_fields:
        names += [field.name, f"{field.name}__in", f"{field.name}__gte", f"{field.name}__isnull"]
        if isinstance(field, models.DateField):
            names.append(f"{field.name}__year")
        if isinstance(field, models.CharField | models.TextField):
            names.append(f"{field.name}__regex")
    return names


@pytest.fixture
def admin_lists(people, world) -> dict[str, tuple[str, list[str], list[str]]]:
    """Each admin list: its address, its filters, and the other parameters it takes."""
    return {
        model._meta.label: (
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            admin_filters(model_admin, people["nemo_admin"]),
            field_lookups(model),
        )
        for model, model_admin in ADMINS
    }


def show_list(clients, url: str, query: dict) -> HttpResponseBase:
    with transaction.atomic():  # undone, and on PostgreSQL a refused query does not spoil the next one
        response = clients["nemo_admin"].get(url, query)
        transaction.set_rollback(True)
    return response


def test_every_admin_filter_with_a_nul_a_year_beyond_9999_and_a_huge_number(admin_lists, clients):
    for label, (url, filters, _others) in admin_lists.items():
        for name in filters:
            for value in ("\x00", "99999", "9" * 30):
                assert show_list(clients, url, {name: value}).status_code < 500, (label, name, value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_admin_list_filter_gets_no_server_error(admin_lists, clients, data):
    url, filters, others = admin_lists[data.draw(st.sampled_from(sorted(admin_lists)), label="list")]
    query = data.draw(st.dictionaries(st.sampled_from(filters + others), any_text, max_size=3), label="query")
    assert show_list(clients, url, query).status_code < 500
