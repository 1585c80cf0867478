"""Pages of one assessment: the questionnaire by area, history, targets, review, submit, results, exports.

Each view: access check (``access.py``), form, a call to ``answers.py``, redirect; reads come from
``scores.py`` and ``results.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timezone import localdate, localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment import benchmarks, exports, plan, results, scores, scoring
from assessment.access import get_membership, get_museum_object
from assessment.answers import (
    Conflict,
    ai_stance_record,
    answers_save,
    questions_not_carried,
    targets_save,
)
from assessment.answers import (
    assessment_copy_previous as copy_previous_answers,
)
from assessment.answers import (
    assessment_discard as discard_assessment,
)
from assessment.answers import (
    assessment_start as start_assessment,
)
from assessment.answers import (
    assessment_submit as submit_assessment,
)
from assessment.errors import ServiceError
from assessment.forms import AiStanceForm, AreaAnswersForm, StartAssessmentForm, TargetsForm
from assessment.models import AiStance, Answer, Assessment, Membership, Role, target_date_default
from assessment.register import RegisterNote, register_read
from nemo.suppression import MIN_GROUP
from recommendations.content import LevelDescriptor, area_by_number, exemptions_of, framework_content
from recommendations.models import DutyExemption, FrameworkVersion, Question, Recommendation

ASSESSMENTS = Assessment.objects.select_related(
    "museum", "framework", "started_by", "submitted_by", "uses_ai_said_by", "copied_from"
)

# static/js/questionnaire.js sends its saves with this header. A confirmed save then answers with
# where to go next (JSON) instead of a redirect: the script must know that the server has the answers
# before it forgets its copy in the browser, and a redirect it followed would use up the page's
# "answers saved" message.
SCRIPT_SAVE_HEADER = "X-Questionnaire-Save"


def _get_assessment(
    request: HttpRequest, museum_id: int, assessment_id: int, min_role: str
) -> tuple[Assessment, Membership]:
    return get_museum_object(
        request.user, ASSESSMENTS, museum_id=museum_id, pk=assessment_id, min_role=min_role
    )


def _render(
    request: HttpRequest,
    template: str,
    assessment: Assessment,
    membership: Membership,
    area_tabs: Iterable[Recommendation],
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """An assessment page: every one shows the museum, the assessment and its area tabs."""
    return render(
        request,
        template,
        {
            "museum": assessment.museum,
            "membership": membership,
            "assessment": assessment,
            "assessment_areas": area_tabs,
            **context,
        },
        status=status,
    )


ASSESSMENTS_PER_PAGE = 20
CHANGES_PER_PAGE = 25


def page_of(request: HttpRequest, items: Any, per_page: int) -> tuple[Page, list[int | str]]:
    """The page asked for with ``?page=N`` (the last one if N is too high, the first if it is no number),
    and the page numbers to link to, with "…" for the ones left out."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return page, list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@dataclass(frozen=True)
class AssessmentRow:
    """An assessment as a museum's list shows it."""

    assessment: Assessment
    progress: scoring.Progress


def assessment_rows(assessments: Iterable[Assessment]) -> list[AssessmentRow]:
    """Each assessment with its progress, from its stored counts: one query for the number of
    questions of each framework version, however many assessments."""
    assessments = list(assessments)
    framework_ids = {assessment.framework_id for assessment in assessments}
    totals: dict[int, int] = (
        dict(
            Question.objects.filter(dimension__recommendation__framework_id__in=framework_ids)
            # No ordering: the model's default ordering would otherwise split the groups.
            .order_by()
            .values_list("dimension__recommendation__framework_id")
            .annotate(count=Count("pk"))
        )
        if framework_ids
        else {}
    )
    rows = []
    for assessment in assessments:
        total = totals.get(assessment.framework_id, 0)
        # The stored count of applicable questions leaves out those marked not applicable.
        progress = scoring.Progress(
            answered=assessment.answered_count,
            not_applicable=total - assessment.applicable_count,
            total=total,
        )
        rows.append(AssessmentRow(assessment, progress))
    return rows


@login_required
def assessment_list(request: HttpRequest, museum_id: int) -> HttpResponse:
    membership = get_membership(request.user, museum_id)
    page, page_numbers = page_of(request, Assessment.objects.for_museum(museum_id), ASSESSMENTS_PER_PAGE)
    return render(
        request,
        "assessment/assessment_list.html",
        {
            "membership": membership,
            "museum": membership.museum,
            "rows": assessment_rows(page.object_list),
            "page_obj": page,
            "page_numbers": page_numbers,
        },
    )


def continue_url(assessment: Assessment, scored: scores.ScoredAssessment) -> str:
    """Where to carry on answering: the first area with a question left unanswered, else the review."""
    for area, area_result in zip(scored.framework.recommendations.all(), scored.result.areas, strict=True):
        if area_result.progress.unanswered:
            return reverse("assessment:area", args=[assessment.museum_id, assessment.pk, area.number])
    return reverse("assessment:assessment_detail", args=[assessment.museum_id, assessment.pk])


def copy_source(draft: Assessment, scored: scores.ScoredAssessment) -> Assessment | None:
    """The submitted assessment whose answers may still be copied into this draft: only while
    nobody has answered anything in it (one query, and none once it has answers)."""
    if not draft.is_draft or scored.values:
        return None
    return Assessment.objects.for_museum(draft.museum_id).latest_submitted()


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, museum_id: int) -> HttpResponse:
    membership = get_membership(request.user, museum_id, min_role=Role.EDITOR)
    draft = Assessment.objects.for_museum(museum_id).open_draft()
    if draft is not None:
        scored = scores.scored(draft)
        previous = copy_source(draft, scored)
        if previous is not None:
            # An empty draft (perhaps a colleague's): re-assessing may still begin from the last answers.
            return render(
                request,
                "assessment/assessment_start.html",
                {"membership": membership, "museum": membership.museum, "draft": draft, "previous": previous},
            )
        messages.info(request, _("Your museum already has an assessment in progress: here it is."))
        return redirect(continue_url(draft, scored))
    previous = Assessment.objects.for_museum(museum_id).latest_submitted()
    form = StartAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = start_assessment(
                museum=membership.museum, user=request.user, copy_previous=form.cleaned_data["copy_previous"]
            )
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("assessment:assessment_list", museum_id=museum_id)
        messages.success(request, _("Your assessment has started. Answers are saved when you press “Save”."))
        return redirect("assessment:area", museum_id=museum_id, assessment_id=assessment.pk, number=1)
    return render(
        request,
        "assessment/assessment_start.html",
        {"membership": membership, "museum": membership.museum, "form": form, "previous": previous},
    )


@login_required
@require_POST
def assessment_copy_previous(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """Copy the last submitted answers into a draft nobody has answered yet."""
    assessment, _membership = _get_assessment(request, museum_id, assessment_id, Role.EDITOR)
    try:
        source = copy_previous_answers(assessment=assessment, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("assessment:assessment_detail", museum_id=museum_id, assessment_id=assessment_id)
    messages.success(
        request,
        _("The answers of the assessment submitted on %(date)s are copied here: review and update them.")
        % {"date": date_format(localtime(source.submitted_at), "DATE_FORMAT")},
    )
    return redirect("assessment:area", museum_id=museum_id, assessment_id=assessment_id, number=1)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_discard(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """GET asks the lead to confirm (the answers and their history are deleted); POST discards."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.LEAD)
    if not assessment.is_draft:
        messages.error(
            request, _("A submitted assessment cannot be discarded: it stays as your museum's record.")
        )
        return redirect("assessment:assessment_detail", museum_id=museum_id, assessment_id=assessment_id)
    if request.method == "GET":
        return _confirmation(request, "assessment/assessment_discard.html", assessment, membership)
    try:
        discard_assessment(assessment=assessment)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("assessment:assessment_detail", museum_id=museum_id, assessment_id=assessment_id)
    messages.success(
        request,
        _("The assessment started on %(date)s is discarded, with its answers and their history.")
        % {"date": date_format(localtime(assessment.created_at), "DATE_FORMAT")},
    )
    return redirect("assessment:museum_home", museum_id=museum_id)


@dataclass
class QuestionRow:
    """Everything the questionnaire shows for one question."""

    question: Question
    answer: Answer | None
    value: str
    reason: str
    note: str
    version: object
    errors: list[str]
    history_count: int
    history_url: str
    conflict: Conflict | None
    exemption: str = ""  # the reason chosen when the duty does not apply
    exemptions: list[DutyExemption] = field(default_factory=list)
    coming: bool = False  # a legal duty not in force yet
    no_ai: bool = False  # a duty about AI in use, at a museum that recorded it uses none
    register_note: RegisterNote | None = None  # what the museum's AI register says here

    @property
    def exemption_text(self) -> str:
        """The chosen reason in words (for the read-only questionnaire)."""
        return next((e.text for e in self.exemptions if e.slug == self.exemption), "")

    @property
    def descriptors(self) -> list[LevelDescriptor]:
        return self.question.descriptors

    @property
    def options(self) -> list[tuple[LevelDescriptor, bool]]:
        """Each level with whether it is the chosen one."""
        return [(descriptor, str(descriptor.level) == self.value) for descriptor in self.descriptors]


def _question_rows(
    form: AreaAnswersForm,
    assessment: Assessment,
    area: Recommendation,
    given: dict[int, Answer],
    conflicts: dict[int, Conflict],
    history_counts: dict[int, int],
) -> list[tuple[Any, list[QuestionRow]]]:
    today = localdate()
    # What the register says under the questions it informs (two queries, whatever its size).
    ai_register = register_read(assessment.museum_id, today=today)
    # One reverse() for the page, not one per question.
    history_url = reverse(
        "assessment:answer_history", args=[assessment.museum_id, assessment.pk, 0]
    ).removesuffix("/0/history/")
    sections = []
    for dimension in area.dimensions.all():
        rows = []
        for question in dimension.questions.all():
            prefix = f"q{question.pk}"
            keys = ("value", "exemption", "reason", "note", "version")
            errors = [
                str(e)
                for key in keys
                if f"{prefix}-{key}" in form.fields
                for e in form[f"{prefix}-{key}"].errors
            ]
            exemptions = exemptions_of(question) if question.legal_duty else []
            rows.append(
                QuestionRow(
                    question=question,
                    answer=given.get(question.pk),
                    value=str(form[f"{prefix}-value"].value() or ""),
                    reason=form[f"{prefix}-reason"].value() or "",
                    note=form[f"{prefix}-note"].value() or "",
                    version=form[f"{prefix}-version"].value(),
                    errors=errors,
                    history_count=history_counts.get(question.pk, 0),
                    history_url=f"{history_url}/{question.pk}/history/",
                    conflict=conflicts.get(question.pk),
                    exemption=(form[f"{prefix}-exemption"].value() or "") if exemptions else "",
                    exemptions=exemptions,
                    coming=question.is_coming_duty(today),
                    no_ai=question.only_if_ai_in_use and assessment.uses_ai is False,
                    register_note=ai_register.note_for(question.slug) if ai_register else None,
                )
            )
        sections.append((dimension, rows))
    return sections


@login_required
@require_http_methods(["GET", "POST"])
def assessment_area(request: HttpRequest, museum_id: int, assessment_id: int, number: int) -> HttpResponse:
    """One recommendation area of the questionnaire: read by everyone, saved by editors."""
    min_role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    assessment, membership = _get_assessment(request, museum_id, assessment_id, min_role)
    framework = framework_content(assessment.framework)
    area = area_by_number(framework, number)
    if area is None:
        raise Http404
    questions = [q for dimension in area.dimensions.all() for q in dimension.questions.all()]
    conflicts: dict[int, Conflict] = {}
    status = 200
    if request.method == "POST":
        # A posted form carries its own values and versions: the stored answers are read after saving.
        form = AreaAnswersForm(request.POST, questions=questions, answers={})
        if not assessment.is_draft:
            messages.error(request, _("This assessment is submitted and can no longer be changed."))
            return redirect(
                "assessment:area", museum_id=museum_id, assessment_id=assessment_id, number=number
            )
        if form.is_valid():
            try:
                saved = answers_save(assessment=assessment, user=request.user, inputs=form.inputs())
            except ServiceError as error:
                messages.error(request, str(error))
                return redirect(
                    "assessment:area", museum_id=museum_id, assessment_id=assessment_id, number=number
                )
            if not saved.conflicts:
                messages.success(
                    request,
                    ngettext("%(count)d answer saved.", "%(count)d answers saved.", saved.saved)
                    % {"count": saved.saved}
                    if saved.saved
                    else _("Nothing had changed; nothing to save."),
                )
                return _after_save(request, assessment, framework, number)
            for conflict in saved.conflicts:
                conflicts[conflict.submitted.question_id] = conflict
                form.accept_current_version(conflict.submitted.question_id, conflict.current.version)
            conflict_message = ngettext(
                "A colleague changed %(count)d of these answers while you were working.",
                "A colleague changed %(count)d of these answers while you were working.",
                len(saved.conflicts),
            ) % {"count": len(saved.conflicts)}
            messages.warning(
                request,
                conflict_message
                + " "
                + _("Your version is kept in the form next to theirs: choose, then save again.")
                + " "
                + ngettext(
                    "%(count)d other answer was saved.", "%(count)d other answers were saved.", saved.saved
                )
                % {"count": saved.saved},
            )
            status = 409
        else:
            messages.error(
                request, _("Nothing was saved yet: please correct the answers marked below, then save again.")
            )
            status = 400
    scored = scores.scored(assessment)
    result = scored.result
    # This area's answers, with who gave them.
    given = assessment.answers.filter(question__in=questions).by_question()
    if request.method != "POST":
        form = AreaAnswersForm(None, questions=questions, answers=given)
    history_counts = dict(
        Answer.history.filter(assessment_id=assessment.pk, question_id__in=[q.pk for q in questions])
        .values_list("question_id")
        .annotate(count=Count("history_id"))
    )
    areas = list(framework.recommendations.all())
    area_url = reverse("assessment:area", args=[museum_id, assessment_id, number])
    return _render(
        request,
        "assessment/area.html",
        assessment,
        membership,
        areas,
        status=status,
        framework=framework,
        area=area,
        areas_with_progress=list(zip(areas, [r.progress for r in result.areas], strict=True)),
        overall_progress=result.progress,
        sections=_question_rows(form, assessment, area, given, conflicts, history_counts),
        form=form,
        editable=assessment.is_draft and membership.can_edit,
        next_area=areas[areas.index(area) + 1] if area != areas[-1] else None,
        area_url=area_url,
        login_again_url=f"{reverse('login')}?{urlencode({'next': area_url})}",
        # Each question's "Add to plan": the plan is the museum's, so also from a submitted assessment.
        can_plan=membership.can_edit,
        plan_new_url=reverse("assessment:action_create", args=[museum_id]),
    )


def _after_save(
    request: HttpRequest, assessment: Assessment, framework: FrameworkVersion, number: int
) -> HttpResponse:
    """Where a confirmed save leads: this area, the next one, or the review."""
    museum_id, assessment_id = assessment.museum_id, assessment.pk
    url = reverse("assessment:area", args=[museum_id, assessment_id, number])
    if request.POST.get("then") == "next":
        numbers = [area.number for area in framework.recommendations.all()]
        later = [n for n in numbers if n > number]
        url = (
            reverse("assessment:area", args=[museum_id, assessment_id, later[0]])
            if later
            else reverse("assessment:assessment_detail", args=[museum_id, assessment_id])
        )
    if request.headers.get(SCRIPT_SAVE_HEADER):
        return JsonResponse({"saved": True, "location": url})
    return redirect(url)


@login_required
@require_safe
def answer_history(
    request: HttpRequest, museum_id: int, assessment_id: int, question_id: int
) -> HttpResponse:
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    question = (
        Question.objects.select_related("dimension__recommendation")
        .filter(pk=question_id, dimension__recommendation__framework_id=assessment.framework_id)
        .first()
    )
    if question is None:
        raise Http404
    history = (
        Answer.history.filter(assessment_id=assessment.pk, question_id=question.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    page, page_numbers = page_of(request, history, CHANGES_PER_PAGE)
    changes = []
    if page.paginator.count:
        # The page's changes, newest first, and the one before the oldest of them: its "answer before".
        records = list(history[page.start_index() - 1 : page.end_index() + 1])
        on_page = page.end_index() - page.start_index() + 1
        changes = [
            {"record": record, "before": records[index + 1] if index + 1 < len(records) else None}
            for index, record in enumerate(records[:on_page])
        ]
    areas = Recommendation.objects.filter(framework_id=assessment.framework_id).order_by("number")
    return _render(
        request,
        "assessment/answer_history.html",
        assessment,
        membership,
        areas,
        question=question,
        changes=changes,
        page_obj=page,
        page_numbers=page_numbers,
    )


@dataclass(frozen=True)
class TargetRow:
    """A dimension on the targets page: its result, its fields, and the plan's actions serving it."""

    dimension: Any
    result: Any
    field: Any
    shown: Any
    date_field: Any
    date_shown: Any
    actions: plan.ActionCounts


@login_required
@require_http_methods(["GET", "POST"])
def assessment_targets(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """A target level per dimension, each by a date (12 months after submission unless chosen), with the
    plan's open and done actions for it."""
    min_role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    assessment, membership = _get_assessment(request, museum_id, assessment_id, min_role)
    scored = scores.scored(assessment)
    framework, result = scored.framework, scored.result
    stored = {
        dimension_id: (level, target_date)
        for dimension_id, level, target_date in assessment.targets.values_list(
            "dimension_id", "level", "target_date"
        )
    }
    dimensions = [d for area in framework.recommendations.all() for d in area.dimensions.all()]
    form = TargetsForm(
        request.POST if request.method == "POST" else None,
        dimensions=dimensions,
        initial_levels={dimension_id: level for dimension_id, (level, _date) in stored.items()},
        initial_dates={dimension_id: day for dimension_id, (_level, day) in stored.items()},
        level_names=[level.name for level in framework.levels.all()],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conflicts = targets_save(
                    assessment=assessment, user=request.user, changes=form.changes(), dates=form.dates()
                )
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                titles = {d.pk: d.title for d in dimensions}
                for dimension_id, theirs in conflicts.levels.items():
                    messages.warning(
                        request,
                        _(
                            "A colleague changed the target for “%(dimension)s” while you were working; "
                            "theirs is kept: %(target)s."
                        )
                        % {
                            "dimension": titles[dimension_id],
                            "target": _("none") if theirs is None else theirs,
                        },
                    )
                for dimension_id, their_date in conflicts.dates.items():
                    messages.warning(
                        request,
                        _(
                            "A colleague changed the target date for “%(dimension)s” while you were working; "
                            "theirs is kept: %(date)s."
                        )
                        % {
                            "dimension": titles[dimension_id],
                            "date": _("12 months after submission")
                            if their_date is None
                            else date_format(their_date, "DATE_FORMAT"),
                        },
                    )
                messages.success(request, _("Targets saved."))
            return redirect("assessment:targets", museum_id=museum_id, assessment_id=assessment_id)
        messages.error(request, _("Nothing was saved yet: please correct the targets marked below."))
        status = 400
    counts = plan.action_counts_by_dimension(museum_id)
    rows = [
        TargetRow(
            dimension=d,
            result=result.dimension(d.pk),
            field=form[f"d{d.pk}"],
            shown=form[f"d{d.pk}-shown"],
            date_field=form[f"d{d.pk}-date"],
            date_shown=form[f"d{d.pk}-date-shown"],
            actions=counts.get(d.slug, plan.ActionCounts()),
        )
        for d in dimensions
    ]
    return _render(
        request,
        "assessment/targets.html",
        assessment,
        membership,
        framework.recommendations.all(),
        status=status,
        rows=rows,
        form=form,
        editable=assessment.is_draft and membership.can_edit,
        default_date=target_date_default(assessment),
        can_plan=membership.can_edit,
    )


@login_required
@require_safe
def assessment_detail(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """Review: progress per area and the questions still unanswered, with links; the lead submits here."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    stance_form = AiStanceForm(
        initial={"stance": assessment.ai_stance, "reasons": assessment.ai_stance_reasons}
    )
    return _review_page(request, assessment, membership, stance_form)


def _review_page(
    request: HttpRequest,
    assessment: Assessment,
    membership: Membership,
    stance_form: AiStanceForm,
    status: int = 200,
) -> HttpResponse:
    scored = scores.scored(assessment)
    framework, values, result = scored.framework, scored.values, scored.result
    areas = []
    for area, area_result in zip(framework.recommendations.all(), result.areas, strict=True):
        unanswered = [
            question
            for dimension in area.dimensions.all()
            for question in dimension.questions.all()
            if question.pk not in values or not values[question.pk].is_answered
        ]
        areas.append({"area": area, "progress": area_result.progress, "unanswered": unanswered})
    return _render(
        request,
        "assessment/assessment_detail.html",
        assessment,
        membership,
        framework.recommendations.all(),
        status=status,
        areas=areas,
        progress=result.progress,
        stance_form=stance_form,
        not_carried=[q for q in questions_not_carried(assessment) if q.pk not in values],
    )


@login_required
@require_POST
def assessment_ai_use(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """Record the museum's stance on AI: the duties about AI in use, the words and priorities follow it.

    A refused form shows the review page again with what was typed (the reasons are not lost).
    """
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.EDITOR)
    form = AiStanceForm(request.POST)
    if not form.is_valid():
        return _review_page(request, assessment, membership, form, status=400)
    stance = form.cleaned_data["stance"]
    try:
        ai_stance_record(
            assessment=assessment, user=request.user, stance=stance, reasons=form.cleaned_data["reasons"]
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Recorded: your museum uses AI, or is not sure. Every legal duty applies.")
            if stance == AiStance.USING
            else _(
                "Recorded: your museum uses no AI today. The legal duties about AI in use raise no flag; "
                "change this answer as soon as that changes."
            ),
        )
    return redirect("assessment:assessment_detail", museum_id=museum_id, assessment_id=assessment_id)


def _confirmation(
    request: HttpRequest, template: str, assessment: Assessment, membership: Membership
) -> HttpResponse:
    """A page that asks the lead to confirm a step that cannot be undone, with the progress so far."""
    scored = scores.scored(assessment)
    return _render(
        request,
        template,
        assessment,
        membership,
        scored.framework.recommendations.all(),
        progress=scored.result.progress,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_submit(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """GET asks the lead to confirm (submitting cannot be undone); POST submits."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.LEAD)
    if request.method == "GET":
        if not assessment.is_draft:
            return redirect("assessment:results", museum_id=museum_id, assessment_id=assessment_id)
        return _confirmation(request, "assessment/assessment_submit.html", assessment, membership)
    try:
        submit_assessment(assessment=assessment, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The assessment is submitted. It is now read-only; start a new one to re-assess.")
        )
        return redirect("assessment:results", museum_id=museum_id, assessment_id=assessment_id)
    return redirect("assessment:assessment_detail", museum_id=museum_id, assessment_id=assessment_id)


@login_required
@require_safe
def assessment_results(request: HttpRequest, museum_id: int, assessment_id: int) -> HttpResponse:
    """The results dashboard: final once submitted, a live preview while a draft."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    board = results.dashboard(assessment)
    # Submitted scores only: a draft changed and reloaded could probe where others stand.
    like_yours = (
        benchmarks.museums_like(membership.museum, results.benchmark_items(board))
        if assessment.is_submitted
        else None
    )
    chart_labels = {
        "current": _("Current"),
        "target": _("Target"),
        "previous": _("Previous assessment"),
        "median": _("Median level (%(group)s)") % {"group": like_yours.radar_label if like_yours else ""},
        "radar": _("Score per dimension (0–4)"),
        "trend": _("Area scores over time (0–4)"),
    }
    chart_data = results.dashboard_chart_data(board)
    chart_data["radar"]["median"] = like_yours.radar_median if like_yours else None
    return _render(
        request,
        "assessment/results.html",
        assessment,
        membership,
        board.framework.recommendations.all(),
        board=board,
        like_yours=like_yours,
        min_group=MIN_GROUP,
        chart_data={**chart_data, "text": chart_labels},
    )


@login_required
@require_safe
def export_answers(
    request: HttpRequest, museum_id: int, assessment_id: int, file_format: str = "csv"
) -> StreamingHttpResponse:
    """One row per question; the same rows NEMO exports, for this assessment only (CSV or XLSX)."""
    assessment, _membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    rows = exports.long_rows(Assessment.objects.filter(pk=assessment.pk), include_unanswered=True)
    return exports.download(
        file_format,
        exports.assessment_file_name(assessment, "answers"),
        exports.column_names(exports.LONG_HEADER),
        rows,
    )


@login_required
@require_safe
def export_scores(
    request: HttpRequest, museum_id: int, assessment_id: int, file_format: str = "csv"
) -> StreamingHttpResponse:
    assessment, _membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    scored = scores.scored(assessment)
    rows = exports.assessment_score_rows(scored.framework, scored.result)
    return exports.download(
        file_format,
        exports.assessment_file_name(assessment, "scores"),
        exports.column_names(exports.SCORE_HEADER),
        rows,
    )
