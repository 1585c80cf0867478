"""Pages of a museum's action plan: the list with its filters, an action's form and history, downloads.

Each view: access check (``access.py``), form, a call to ``plan.py``, redirect. Members read the plan
and download it; editors and leads add and change actions.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessment import exports, plan
from assessment.access import get_membership, get_museum_object
from assessment.display import display_name
from assessment.errors import ServiceError
from assessment.forms import ActionForm, PlanFilterForm, dimension_choices
from assessment.models import Action, Membership, Role
from assessment.team import member_choices
from assessment.views.saved import saved_redirect
from recommendations.content import current_framework_content
from recommendations.models import Dimension, Question

FILTER_PARAMETERS = ("owner", "area", "dimension", "status")


def _filters(request: HttpRequest) -> tuple[PlanFilterForm, str]:
    """The plan's filter form from the address, and the query string of its filters alone."""
    given = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        value = request.GET.get(name)
        if value:
            given[name] = value
    form = PlanFilterForm(given if given else None)
    return form, given.urlencode()


@login_required
@require_safe
def plan_page(request: HttpRequest, museum_id: int) -> HttpResponse:
    """The museum's plan by status, with filters (a GET form), counts and downloads."""
    membership = get_membership(request.user, museum_id)
    form, query = _filters(request)
    filters = form.filters()
    board = plan.plan_read(museum_id=museum_id, filters=filters)
    owners = plan.owner_options(museum_id)
    framework = current_framework_content()
    areas = list(framework.recommendations.all()) if framework else []
    chosen_owner = form.data.get("owner", "") if form.is_bound else ""
    if chosen_owner and chosen_owner not in {option.token for option in owners}:
        # A link to an owner who owns nothing now: still shown as chosen, so the empty list makes sense.
        label = chosen_owner[5:] if chosen_owner.startswith("name:") else _("Someone who owns no action now")
        owners.append(plan.OwnerOption(chosen_owner, label))
    dimensions = [d for area in areas for d in area.dimensions.all()]
    return render(
        request,
        "assessment/plan.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "plan": board,
            "filters": filters,
            "form": form,
            "owners": owners,
            "areas": areas,
            "dimension_known": not filters.dimension or filters.dimension in {d.slug for d in dimensions},
            "query": f"?{query}" if query else "",
        },
    )


def _dimensions(extra: Dimension | None) -> list[Any]:
    framework = current_framework_content()
    return dimension_choices(framework.recommendations.all() if framework else [], extra)


# The ids ?question= and ?dimension= take: digits, as in URLs (museumai/converters.py).
_ID = re.compile(r"[0-9]{1,18}")


def _source(request: HttpRequest, name: str, queryset: Any) -> Any:
    """The question or dimension named in the address (any framework version: its content is public).

    Absent: ``None``. Not an id, or an id of nothing: a 404, never a server error.
    """
    value = request.GET.get(name)
    if value is None:
        return None
    if not _ID.fullmatch(value):
        raise Http404
    found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise Http404
    return found


def _plan_url(museum_id: int, action: Action | None = None) -> str:
    url = reverse("assessment:plan", args=[museum_id])
    return f"{url}#action-{action.pk}" if action is not None else url


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, museum_id: int) -> HttpResponse:
    """A new action: empty, or prefilled from ``?question=<id>`` or ``?dimension=<id>``."""
    membership = get_membership(request.user, museum_id, min_role=Role.EDITOR)
    if request.method == "POST":
        # The posted form says what it came from: a question removed meanwhile is reported on the
        # form (with what was typed), not a 404 that would lose it.
        question, dimension = None, None
        posted_dimension = request.POST.get("dimension", "")
        if posted_dimension and _ID.fullmatch(posted_dimension):
            # A dimension of another framework version is a choice the form offers only when asked.
            dimension = (
                Dimension.objects.select_related("recommendation").filter(pk=int(posted_dimension)).first()
            )
        posted_question = request.POST.get("question", "")
        if posted_question and _ID.fullmatch(posted_question):
            question = (
                Question.objects.select_related("dimension__recommendation")
                .filter(pk=int(posted_question))
                .first()
            )
        extra = question.dimension if question is not None else dimension
        form = ActionForm(request.POST, members=member_choices(museum_id), dimensions=_dimensions(extra))
        if form.is_valid():
            try:
                action = plan.action_create(
                    museum=membership.museum, user=request.user, data=form.action_input()
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Added to the plan: “%(title)s”.") % {"title": action.title})
                return saved_redirect(request, _plan_url(museum_id, action))
        return _render_form(request, membership, form, question=question, status=400)
    question = _source(request, "question", Question.objects.select_related("dimension__recommendation"))
    dimension = _source(request, "dimension", Dimension.objects.select_related("recommendation"))
    draft = plan.action_prefill(museum_id=museum_id, question=question, dimension=dimension)
    form = ActionForm(
        initial={
            "title": draft.title,
            "description": draft.description,
            "dimension": str(draft.dimension.pk) if draft.dimension else "",
            "due_date": draft.due_date,
            "question": draft.question.pk if draft.question else None,
            "version": 0,
        },
        members=member_choices(museum_id),
        dimensions=_dimensions(draft.dimension),
    )
    return _render_form(request, membership, form, question=draft.question)


def _render_form(
    request: HttpRequest,
    membership: Membership,
    form: ActionForm,
    *,
    action: Action | None = None,
    question: Question | None = None,
    conflict: plan.ActionConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessment/action_form.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "form": form,
            "action": action,
            "question": question,
            "conflict": conflict,
            "editable": membership.can_edit,
            "history": plan.action_history(action) if action is not None else [],
            "overdue": action is not None and action.is_overdue(timezone.localdate()),
        },
        status=status,
    )


ACTIONS = Action.objects.select_related("dimension__recommendation", "question", "owner", "updated_by")


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, museum_id: int, action_id: int) -> HttpResponse:
    """An action with its history: read by every member, saved by editors and leads."""
    min_role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    action, membership = get_museum_object(
        request.user, ACTIONS, museum_id=museum_id, pk=action_id, min_role=min_role
    )
    members = member_choices(museum_id, action.owner)
    dimensions = _dimensions(action.dimension)
    if request.method == "GET":
        form = ActionForm(initial=ActionForm.initial_for(action), members=members, dimensions=dimensions)
        return _render_form(request, membership, form, action=action, question=action.question)
    form = ActionForm(request.POST, members=members, dimensions=dimensions)
    if not form.is_valid():
        return _render_form(request, membership, form, action=action, question=action.question, status=400)
    try:
        saved = plan.action_update(
            action=action,
            user=request.user,
            data=form.action_input(question_id=action.question_id),
            seen_version=form.cleaned_data["version"],
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _render_form(request, membership, form, action=action, question=action.question, status=400)
    if saved.conflict is not None:
        current = saved.conflict.current
        # The form keeps this person's values; saving it again replaces the colleague's, knowingly.
        form.take_version(current.version)
        messages.warning(
            request,
            _(
                "%(person)s changed this action while you were working: nothing of yours was saved yet. "
                "Their changes are listed below, your version is in the form: save again to keep yours."
            )
            % {"person": display_name(current.updated_by, capfirst=True)},
        )
        return _render_form(
            request,
            membership,
            form,
            action=current,
            question=action.question,
            conflict=saved.conflict,
            status=409,
        )
    if saved.changed:
        messages.success(request, _("Saved: “%(title)s”.") % {"title": saved.action.title})
    else:
        messages.info(request, _("Nothing had changed; nothing to save."))
    return saved_redirect(request, _plan_url(museum_id, saved.action))


def _export_rows(request: HttpRequest, museum_id: int) -> Any:
    form, _query = _filters(request)
    return plan.plan_actions(museum_id, form.filters())


@login_required
@require_safe
def plan_export(request: HttpRequest, museum_id: int, file_format: str = "csv") -> StreamingHttpResponse:
    """The plan (with the page's filters) as CSV or XLSX: one row per action."""
    membership = get_membership(request.user, museum_id)
    today = timezone.localdate()
    return exports.download(
        file_format,
        exports.plan_file_name(membership.museum, today),
        exports.column_names(exports.PLAN_HEADER),
        exports.plan_rows(_export_rows(request, museum_id), today=today),
    )


@login_required
@require_safe
def plan_calendar(request: HttpRequest, museum_id: int) -> HttpResponse:
    """The plan's due dates (with the page's filters) as an iCalendar file, for Outlook or Google Calendar."""
    membership = get_membership(request.user, museum_id)
    # One absolute address for the file, each action's made from it (no reverse() per action).
    base = request.build_absolute_uri(reverse("assessment:action_edit", args=[museum_id, 0])).removesuffix(
        "0/"
    )
    body = plan.plan_calendar(
        _export_rows(request, museum_id).filter(due_date__isnull=False),
        name=_("Action plan of %(museum)s") % {"museum": membership.museum.name},
        url_of=lambda action: f"{base}{action.pk}/",
        domain=settings.CALENDAR_UID_DOMAIN,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = exports.plan_file_name(membership.museum, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response
