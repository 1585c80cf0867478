"""Pages of the museum's AI register: the list, a system with its triage and duties, their forms, downloads.

Each view: access check (``access.py``), form, a call to ``register.py``, redirect. Members read the
register and download it; editors and leads register systems, answer the triage and keep the duties.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessment import exports, register
from assessment.access import get_membership, get_museum_object
from assessment.display import display_name
from assessment.errors import ServiceError
from assessment.forms import AiSystemForm, DutyStatusForm, TriageForm
from assessment.models import AiSystem, Membership, Role
from assessment.team import member_choices
from assessment.views.saved import saved_redirect
from recommendations.register_rules import Triage

SYSTEMS = AiSystem.objects.select_related("owner", "updated_by").prefetch_related("duty_statuses")


def _uses(rules: Any) -> list[tuple[str, str]]:
    return [(use.slug, use.label) for use in rules.uses.values()]


def _system_url(museum_id: int, system: AiSystem) -> str:
    return reverse("assessment:system", args=[museum_id, system.pk])


@login_required
@require_safe
def register_page(request: HttpRequest, museum_id: int) -> HttpResponse:
    """The register: every system with its role, class and duties, and the counts that matter."""
    membership = get_membership(request.user, museum_id)
    return render(
        request,
        "assessment/register.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "register": register.register_read(museum_id),
        },
    )


def _render_system_form(
    request: HttpRequest,
    membership: Membership,
    form: AiSystemForm,
    *,
    system: AiSystem | None = None,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    rules = register.current_rules()
    return render(
        request,
        "assessment/system_form.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "form": form,
            "system": system,
            "conflict": conflict,
            "use_help": {use.slug: use.help for use in rules.uses.values()},
        },
        status=status,
    )


def _system_input(form: AiSystemForm) -> register.SystemInput:
    data = form.cleaned_data
    return register.SystemInput(
        name=data["name"].strip(),
        use=data["use"],
        supplier=data["supplier"].strip(),
        purpose=data["purpose"],
        owner_id=data["owner"],
        started_on=data["started_on"],
        next_review_on=data["next_review_on"],
        notes=data["notes"],
        evidence=data["evidence"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_create(request: HttpRequest, museum_id: int) -> HttpResponse:
    """Register a system: what it is; the triage follows on its own page."""
    membership = get_membership(request.user, museum_id, min_role=Role.EDITOR)
    rules = register.current_rules()
    members = member_choices(museum_id)
    if request.method == "GET":
        form = AiSystemForm(initial={"version": 0}, uses=_uses(rules), members=members)
        return _render_system_form(request, membership, form)
    form = AiSystemForm(request.POST, uses=_uses(rules), members=members)
    if form.is_valid():
        try:
            system = register.system_create(
                museum=membership.museum, user=request.user, data=_system_input(form), rules=rules
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Registered: “%(name)s”. Now answer a few questions about it.") % {"name": system.name},
            )
            return redirect("assessment:system_triage", museum_id, system.pk)
    return _render_system_form(request, membership, form, status=400)


def _system_for(request: HttpRequest, museum_id: int, system_id: int) -> tuple[AiSystem, Membership]:
    """The museum's system: every member reads it, editors and leads post to it."""
    min_role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    return get_museum_object(request.user, SYSTEMS, museum_id=museum_id, pk=system_id, min_role=min_role)


@login_required
@require_safe
def system_page(request: HttpRequest, museum_id: int, system_id: int) -> HttpResponse:
    """A system: its record, what the triage says, its duties with their status, and its history."""
    system, membership = _system_for(request, museum_id, system_id)
    rules = register.current_rules()
    entry = register.system_entry(system, today=timezone.localdate(), rules=rules)
    return render(
        request,
        "assessment/system.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "entry": entry,
            "system": system,
            "history": register.system_history(system, rules),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, museum_id: int, system_id: int) -> HttpResponse:
    """A system's record: read by every member, saved by editors and leads."""
    system, membership = _system_for(request, museum_id, system_id)
    rules = register.current_rules()
    members = member_choices(museum_id, system.owner)
    if request.method == "GET":
        form = AiSystemForm(initial=AiSystemForm.initial_for(system), uses=_uses(rules), members=members)
        return _render_system_form(request, membership, form, system=system)
    form = AiSystemForm(request.POST, uses=_uses(rules), members=members)
    if not form.is_valid():
        return _render_system_form(request, membership, form, system=system, status=400)
    try:
        saved = register.system_update(
            system=system,
            user=request.user,
            data=_system_input(form),
            seen_version=form.cleaned_data["version"],
            rules=rules,
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _render_system_form(request, membership, form, system=system, status=400)
    if saved.conflict:
        _conflict_message(request, saved.system.updated_by, form)
        form.take_version(saved.system.version)
        return _render_system_form(request, membership, form, system=saved.system, conflict=True, status=409)
    _saved_message(request, saved.changed, saved.system.name)
    return saved_redirect(request, _system_url(museum_id, saved.system))


def _conflict_message(request: HttpRequest, colleague: Any, form: Any) -> None:
    """A colleague saved first: theirs is kept; this person's stays in the form, to save again knowingly."""
    if colleague is not None and colleague.pk == request.user.pk:
        messages.warning(
            request,
            _(
                "You saved this in another tab or window while this page was open: nothing from this page "
                "was saved yet. What you typed here is in the form: save again to keep it."
            ),
        )
        return
    messages.warning(
        request,
        _(
            "%(person)s saved this while you were working: nothing of yours was saved yet. "
            "Your version is in the form: save again to keep yours."
        )
        % {"person": display_name(colleague, capfirst=True)},
    )


def _saved_message(request: HttpRequest, changed: bool, name: str) -> None:
    if changed:
        messages.success(request, _("Saved: “%(name)s”.") % {"name": name})
    else:
        messages.info(request, _("Nothing had changed; nothing to save."))


def _triage_questions(result: Triage, rules: Any) -> list[Any]:
    """The questions the page shows: those asked of this system, answered or not, in the rules' order."""
    open_slugs = {question.slug for question in result.questions}
    return [
        question
        for question in rules.questions
        if question.slug not in result.use.implies
        and (question.slug in open_slugs or question.slug in result.answers)
    ]


def _render_triage(
    request: HttpRequest,
    membership: Membership,
    entry: register.RegisterEntry,
    form: TriageForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessment/system_triage.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "system": entry.system,
            "entry": entry,
            "form": form,
            "still_to_ask": len(entry.triage.questions),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_triage(request: HttpRequest, museum_id: int, system_id: int) -> HttpResponse:
    """The guided triage: the questions that matter for this system, a few more as answers call for them."""
    system, membership = _system_for(request, museum_id, system_id)
    rules = register.current_rules()
    today = timezone.localdate()
    entry = register.system_entry(system, today=today, rules=rules)
    questions = _triage_questions(entry.triage, rules)
    if request.method == "GET":
        form = TriageForm(initial=TriageForm.initial_for(system.answers, system.version), questions=questions)
        return _render_triage(request, membership, entry, form)
    form = TriageForm(request.POST, questions=questions)
    if not form.is_valid():
        return _render_triage(request, membership, entry, form, status=400)
    try:
        saved = register.triage_save(
            system=system,
            user=request.user,
            answers=form.answers(),
            seen_version=form.cleaned_data["version"],
            rules=rules,
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _render_triage(request, membership, entry, form, status=400)
    if saved.conflict:
        _conflict_message(request, saved.system.updated_by, form)
        form.take_version(saved.system.version)
        return _render_triage(request, membership, entry, form, status=409)
    entry = register.system_entry(saved.system, today=today, rules=rules)
    if not entry.complete:
        count = len(entry.triage.questions)
        messages.info(
            request,
            ngettext(
                "Saved. %(count)s question is still to answer.",
                "Saved. %(count)s questions are still to answer.",
                count,
            )
            % {"count": count},
        )
        url = reverse("assessment:system_triage", args=[museum_id, system.pk])
        return saved_redirect(request, f"{url}#next-question")
    messages.success(
        request, _("Triage complete: here is what the law asks for “%(name)s”.") % {"name": system.name}
    )
    return saved_redirect(request, _system_url(museum_id, system) + "#duties")


@login_required
@require_http_methods(["GET", "POST"])
def duty_edit(request: HttpRequest, museum_id: int, system_id: int, duty: str) -> HttpResponse:
    """One duty of a system: what it means and from when, and where the museum stands on it."""
    system, membership = _system_for(request, museum_id, system_id)
    entry = register.system_entry(system, today=timezone.localdate(), rules=register.current_rules())
    row = entry.duty(duty)
    if row is None:
        raise Http404  # a duty the triage does not list for this system (a stale link)
    status = 200
    if request.method == "GET":
        form = DutyStatusForm(initial=DutyStatusForm.initial_for(row.record))
    else:
        form = DutyStatusForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = register.duty_save(
                    system=system,
                    duty=duty,
                    user=request.user,
                    status=data["status"],
                    note=data["note"],
                    evidence=data["evidence"],
                    seen_version=data["version"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                if not saved.conflict:
                    _saved_message(request, saved.changed, row.finding.title)
                    return saved_redirect(request, _system_url(museum_id, system) + f"#duty-{duty}")
                _conflict_message(request, saved.record.updated_by, form)
                form.take_version(saved.record.version)
                row = register.DutyRow(row.finding, saved.record)
                status = 409
    return render(
        request,
        "assessment/duty_form.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "system": system,
            "row": row,
            "form": form,
            "conflict": status == 409,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_delete(request: HttpRequest, museum_id: int, system_id: int) -> HttpResponse:
    """Remove a system from the register, after a confirmation page (editors and leads)."""
    system, membership = get_museum_object(
        request.user, SYSTEMS, museum_id=museum_id, pk=system_id, min_role=Role.EDITOR
    )
    if request.method == "POST":
        # Removed by a colleague meanwhile: what this person asked for is done all the same.
        with contextlib.suppress(ServiceError):
            register.system_delete(system=system, user=request.user)
        messages.success(request, _("Removed from the register: “%(name)s”.") % {"name": system.name})
        return redirect("assessment:register", museum_id)
    return render(
        request,
        "assessment/system_delete.html",
        {"membership": membership, "museum": membership.museum, "system": system},
    )


@login_required
@require_safe
def register_export(request: HttpRequest, museum_id: int, file_format: str = "csv") -> StreamingHttpResponse:
    """The register as CSV or XLSX: one row per duty of each system, as the register page shows them."""
    membership = get_membership(request.user, museum_id)
    today = timezone.localdate()
    return exports.download(
        file_format,
        exports.register_file_name(membership.museum, today),
        exports.column_names(exports.REGISTER_HEADER),
        exports.register_rows(register.register_read(museum_id, today=today)),
    )
