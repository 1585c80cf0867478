from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessment import exports, selectors, services
from assessment.access import get_membership, get_museum_object
from assessment.forms import AreaAnswersForm, StartAssessmentForm, TargetsForm
from assessment.models import Answer, Assessment, Membership, Role
from recommendations.framework_data import LevelDescriptor, framework_with_content, level_descriptors
from recommendations.models import FrameworkVersion, Question, Recommendation

ASSESSMENTS = Assessment.objects.select_related("museum", "framework", "started_by", "submitted_by")


def _get_assessment(
    request, museum_id: int, assessment_id: int, min_role: str
) -> tuple[Assessment, Membership]:
    return get_museum_object(
        request.user, ASSESSMENTS, museum_id=museum_id, pk=assessment_id, min_role=min_role
    )


def _render(
    request, template: str, assessment: Assessment, membership: Membership, area_tabs, status=200, **context
):
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


def _area(framework: FrameworkVersion, number: int) -> Recommendation:
    for recommendation in framework.recommendations.all():
        if recommendation.number == number:
            return recommendation
    raise Http404


@login_required
def assessment_list(request, museum_id: int):
    membership = get_membership(request.user, museum_id)
    assessments = Assessment.objects.for_museum(museum_id)
    return render(
        request,
        "assessment/assessment_list.html",
        {"membership": membership, "museum": membership.museum, "assessments": assessments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request, museum_id: int):
    membership = get_membership(request.user, museum_id, min_role=Role.EDITOR)
    draft = selectors.open_draft(museum_id)
    if draft is not None:
        messages.info(request, _("Your museum already has an assessment in progress: here it is."))
        return redirect("assessment:area", museum_id=museum_id, assessment_id=draft.pk, number=1)
    previous = selectors.last_submitted(museum_id)
    form = StartAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                museum=membership.museum, user=request.user, copy_previous=form.cleaned_data["copy_previous"]
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect("assessment:assessment_list", museum_id=museum_id)
        messages.success(request, _("Your assessment has started. Answers are saved when you press “Save”."))
        return redirect("assessment:area", museum_id=museum_id, assessment_id=assessment.pk, number=1)
    return render(
        request,
        "assessment/assessment_start.html",
        {"membership": membership, "museum": membership.museum, "form": form, "previous": previous},
    )


@dataclass
class QuestionRow:
    """Everything the questionnaire shows for one question."""

    question: Question
    descriptors: list[LevelDescriptor]
    answer: Answer | None
    value: str
    reason: str
    note: str
    version: object
    errors: list[str]
    history_count: int
    conflict: services.Conflict | None


def _question_rows(form, framework, area, answers, conflicts, history_counts) -> list[tuple]:
    sections = []
    for dimension in area.dimensions.all():
        rows = []
        for question in dimension.questions.all():
            prefix = f"q{question.pk}"
            errors = [
                str(e)
                for key in ("value", "reason", "note", "version")
                for e in form[f"{prefix}-{key}"].errors
            ]
            rows.append(
                QuestionRow(
                    question=question,
                    descriptors=level_descriptors(framework, question),
                    answer=answers.get(question.pk),
                    value=str(form[f"{prefix}-value"].value() or ""),
                    reason=form[f"{prefix}-reason"].value() or "",
                    note=form[f"{prefix}-note"].value() or "",
                    version=form[f"{prefix}-version"].value(),
                    errors=errors,
                    history_count=history_counts.get(question.pk, 0),
                    conflict=conflicts.get(question.pk),
                )
            )
        sections.append((dimension, rows))
    return sections


@login_required
@require_http_methods(["GET", "POST"])
def assessment_area(request, museum_id: int, assessment_id: int, number: int):
    """One recommendation area of the questionnaire: read by everyone, saved by editors."""
    min_role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    assessment, membership = _get_assessment(request, museum_id, assessment_id, min_role)
    framework = framework_with_content(assessment.framework_id)
    area = _area(framework, number)
    questions = [q for dimension in area.dimensions.all() for q in dimension.questions.all()]
    answers = selectors.answers_by_question(assessment)
    form = AreaAnswersForm(
        request.POST if request.method == "POST" else None, questions=questions, answers=answers
    )
    conflicts: dict[int, services.Conflict] = {}
    status = 200
    if request.method == "POST":
        if not assessment.is_draft:
            messages.error(request, _("This assessment is submitted and can no longer be changed."))
            return redirect(
                "assessment:area", museum_id=museum_id, assessment_id=assessment_id, number=number
            )
        if form.is_valid():
            try:
                result = services.answers_save(assessment=assessment, user=request.user, inputs=form.inputs())
            except services.ServiceError as error:
                messages.error(request, str(error))
                return redirect(
                    "assessment:area", museum_id=museum_id, assessment_id=assessment_id, number=number
                )
            if not result.conflicts:
                messages.success(
                    request,
                    ngettext("%(count)d answer saved.", "%(count)d answers saved.", result.saved)
                    % {"count": result.saved}
                    if result.saved
                    else _("Nothing had changed; nothing to save."),
                )
                return _redirect_after_save(request, assessment, framework, number)
            answers = selectors.answers_by_question(assessment)
            for conflict in result.conflicts:
                conflicts[conflict.submitted.question_id] = conflict
                form.accept_current_version(conflict.submitted.question_id, conflict.current.version)
            conflict_message = ngettext(
                "A colleague changed %(count)d of these answers while you were working.",
                "A colleague changed %(count)d of these answers while you were working.",
                len(result.conflicts),
            ) % {"count": len(result.conflicts)}
            messages.warning(
                request,
                conflict_message
                + " "
                + _("Your version is kept in the form next to theirs: choose, then save again.")
                + " "
                + ngettext(
                    "%(count)d other answer was saved.", "%(count)d other answers were saved.", result.saved
                )
                % {"count": result.saved},
            )
            status = 409
        else:
            messages.error(
                request, _("Nothing was saved yet: please correct the answers marked below, then save again.")
            )
            status = 400
    result = selectors.assessment_result(assessment, framework, answers)
    history_counts = dict(
        Answer.history.filter(assessment_id=assessment.pk, question_id__in=[q.pk for q in questions])
        .values_list("question_id")
        .annotate(count=Count("history_id"))
    )
    areas = list(framework.recommendations.all())
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
        sections=_question_rows(form, framework, area, answers, conflicts, history_counts),
        form=form,
        editable=assessment.is_draft and membership.can_edit,
        next_area=areas[areas.index(area) + 1] if area != areas[-1] else None,
    )


def _redirect_after_save(request, assessment: Assessment, framework: FrameworkVersion, number: int):
    args = {"museum_id": assessment.museum_id, "assessment_id": assessment.pk}
    if request.POST.get("then") == "next":
        numbers = [area.number for area in framework.recommendations.all()]
        later = [n for n in numbers if n > number]
        if later:
            return redirect("assessment:area", number=later[0], **args)
        return redirect("assessment:assessment_detail", **args)
    return redirect("assessment:area", number=number, **args)


@login_required
@require_safe
def answer_history(request, museum_id: int, assessment_id: int, question_id: int):
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    question = (
        Question.objects.select_related("dimension__recommendation")
        .filter(pk=question_id, dimension__recommendation__framework_id=assessment.framework_id)
        .first()
    )
    if question is None:
        raise Http404
    records = list(
        Answer.history.filter(assessment_id=assessment.pk, question_id=question.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = []
    previous = None
    for record in records:
        changes.append({"record": record, "before": previous})
        previous = record
    changes.reverse()
    areas = Recommendation.objects.filter(framework_id=assessment.framework_id).order_by("number")
    return _render(
        request,
        "assessment/answer_history.html",
        assessment,
        membership,
        areas,
        question=question,
        changes=changes,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_targets(request, museum_id: int, assessment_id: int):
    min_role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    assessment, membership = _get_assessment(request, museum_id, assessment_id, min_role)
    scored = selectors.scored_assessment(assessment)
    framework, result = scored.framework, scored.result
    stored = dict(assessment.targets.values_list("dimension_id", "level"))
    dimensions = [d for area in framework.recommendations.all() for d in area.dimensions.all()]
    form = TargetsForm(
        request.POST if request.method == "POST" else None,
        dimensions=dimensions,
        initial_levels=stored,
        level_names=[level.name for level in framework.levels.all()],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conflicts = services.targets_save(
                    assessment=assessment, user=request.user, changes=form.changes()
                )
            except services.ServiceError as error:
                messages.error(request, str(error))
            else:
                titles = {d.pk: d.title for d in dimensions}
                for dimension_id, theirs in conflicts.items():
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
                messages.success(request, _("Targets saved."))
            return redirect("assessment:targets", museum_id=museum_id, assessment_id=assessment_id)
        messages.error(request, _("Nothing was saved yet: please correct the targets marked below."))
        status = 400
    rows = [(d, result.dimension(d.pk), form[f"d{d.pk}"], form[f"d{d.pk}-shown"]) for d in dimensions]
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
    )


@login_required
@require_safe
def assessment_detail(request, museum_id: int, assessment_id: int):
    """Review: progress per area and the questions still unanswered, with links; the lead submits here."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    scored = selectors.scored_assessment(assessment)
    framework, answers, result = scored.framework, scored.answers, scored.result
    areas = []
    for area, area_result in zip(framework.recommendations.all(), result.areas, strict=True):
        unanswered = [
            question
            for dimension in area.dimensions.all()
            for question in dimension.questions.all()
            if question.pk not in answers or not answers[question.pk].is_answered
        ]
        areas.append({"area": area, "progress": area_result.progress, "unanswered": unanswered})
    return _render(
        request,
        "assessment/assessment_detail.html",
        assessment,
        membership,
        framework.recommendations.all(),
        areas=areas,
        progress=result.progress,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_submit(request, museum_id: int, assessment_id: int):
    """GET asks the lead to confirm (submitting cannot be undone); POST submits."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.LEAD)
    if request.method == "GET":
        if not assessment.is_draft:
            return redirect("assessment:results", museum_id=museum_id, assessment_id=assessment_id)
        scored = selectors.scored_assessment(assessment)
        return _render(
            request,
            "assessment/assessment_submit.html",
            assessment,
            membership,
            scored.framework.recommendations.all(),
            progress=scored.result.progress,
        )
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The assessment is submitted. It is now read-only; start a new one to re-assess.")
        )
        return redirect("assessment:results", museum_id=museum_id, assessment_id=assessment_id)
    return redirect("assessment:assessment_detail", museum_id=museum_id, assessment_id=assessment_id)


@login_required
@require_safe
def assessment_results(request, museum_id: int, assessment_id: int):
    """The results dashboard: final once submitted, a live preview while a draft."""
    assessment, membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    board = selectors.dashboard(assessment)
    chart_labels = {
        "current": _("Current"),
        "target": _("Target"),
        "previous": _("Previous assessment"),
        "radar": _("Score per dimension (0–4)"),
        "trend": _("Area scores over time (0–4)"),
    }
    return _render(
        request,
        "assessment/results.html",
        assessment,
        membership,
        board.framework.recommendations.all(),
        board=board,
        chart_data={**selectors.dashboard_chart_data(board), "text": chart_labels},
    )


@login_required
@require_safe
def export_answers(request, museum_id: int, assessment_id: int):
    """One row per question; the same rows NEMO exports, for this assessment only."""
    assessment, _membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    rows = exports.long_rows(Assessment.objects.filter(pk=assessment.pk), include_unanswered=True)
    return exports.csv_response(exports.assessment_filename(assessment, "answers"), exports.LONG_HEADER, rows)


@login_required
@require_safe
def export_scores(request, museum_id: int, assessment_id: int):
    assessment, _membership = _get_assessment(request, museum_id, assessment_id, Role.VIEWER)
    scored = selectors.scored_assessment(assessment)
    rows = exports.assessment_score_rows(scored.framework, scored.result)
    return exports.csv_response(exports.assessment_filename(assessment, "scores"), exports.SCORE_HEADER, rows)
