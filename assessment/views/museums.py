"""Pages of a museum and its team: home, details, members and invitations; the site's home page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.limits import rate_limited
from accounts.services import email_is_confirmed
from assessment import scores, sector
from assessment import team as team_service
from assessment.access import get_membership, get_museum_object
from assessment.display import display_name
from assessment.errors import ServiceError
from assessment.forms import InvitationForm, MuseumDeleteForm, MuseumForm, RoleForm
from assessment.models import Assessment, Invitation, Membership, Museum, Role
from assessment.team import current_membership, forget_current_museum, remember_current_museum
from assessment.views.assessments import assessment_rows, continue_url, copy_source

# The museum's home lists its newest assessments; the assessment list pages through them all.
HOME_ASSESSMENTS = 5


def home(request: HttpRequest) -> HttpResponse:
    """Landing page for visitors; members go straight to the museum they work in."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    membership = current_membership(request)
    if membership is not None:
        return redirect("assessment:museum_home", museum_id=membership.museum_id)
    return redirect("assessment:museum_list")


@login_required
def museum_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/museum_list.html",
        {"memberships": list(Membership.objects.for_user(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def museum_create(request: HttpRequest) -> HttpResponse:
    form = MuseumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        museum = team_service.museum_create(user=request.user, **form.cleaned_data)
        remember_current_museum(request, museum.pk)
        messages.success(
            request,
            _("%(museum)s is created and you are its lead. Invite your colleagues next.")
            % {"museum": museum},
        )
        return redirect("assessment:museum_home", museum_id=museum.pk)
    return render(request, "assessment/museum_form.html", {"form": form, "creating": True})


@login_required
def museum_home(request: HttpRequest, museum_id: int) -> HttpResponse:
    membership = get_membership(request.user, museum_id)
    remember_current_museum(request, museum_id)
    newest = list(Assessment.objects.for_museum(museum_id)[: HOME_ASSESSMENTS + 1])
    context = {
        "membership": membership,
        "museum": membership.museum,
        "rows": assessment_rows(newest[:HOME_ASSESSMENTS]),
        "more_assessments": len(newest) > HOME_ASSESSMENTS,
        "has_assessments": bool(newest),
    }
    draft = Assessment.objects.for_museum(museum_id).open_draft()
    if draft is not None:
        scored = scores.scored(draft)
        context.update(
            draft=draft,
            draft_progress=scored.result.progress,
            continue_url=continue_url(draft, scored),
            previous=copy_source(draft, scored) if membership.can_edit else None,
        )
    return render(request, "assessment/museum_home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def museum_edit(request: HttpRequest, museum_id: int) -> HttpResponse:
    membership = get_membership(request.user, museum_id, min_role=Role.LEAD)
    form = MuseumForm(request.POST if request.method == "POST" else None, instance=membership.museum)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Its country, type, size or choice to be counted may have changed: the sector figures follow.
        sector.refresh([museum_id])
        messages.success(request, _("The museum's details are saved."))
        return redirect("assessment:museum_home", museum_id=museum_id)
    return render(
        request, "assessment/museum_form.html", {"form": form, "museum": membership.museum, "creating": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def museum_delete(request: HttpRequest, museum_id: int) -> HttpResponse:
    """GET says what goes and asks for the museum's name; POST with the right name deletes it all."""
    membership = get_membership(request.user, museum_id, min_role=Role.LEAD)
    museum = membership.museum
    form = MuseumDeleteForm(request.POST if request.method == "POST" else None, museum=museum)
    if request.method == "POST":
        if form.is_valid():
            name = museum.name
            team_service.museum_delete(museum=museum)
            forget_current_museum(request, museum_id)
            messages.success(request, _("%(museum)s is deleted, with everything in it.") % {"museum": name})
            return redirect("assessment:museum_list")
        status = 400
    else:
        status = 200
    return render(
        request,
        "assessment/museum_delete.html",
        {"museum": museum, "form": form, "contents": team_service.museum_contents(museum)},
        status=status,
    )


@login_required
@require_POST
def museum_switch(request: HttpRequest, museum_id: int) -> HttpResponse:
    membership = get_membership(request.user, museum_id)
    remember_current_museum(request, museum_id)
    messages.info(request, _("You are now working in %(museum)s.") % {"museum": membership.museum})
    return redirect("assessment:museum_home", museum_id=museum_id)


def _render_team(
    request: HttpRequest,
    membership: Membership,
    invitation_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    museum = Museum.objects.with_team().get(pk=membership.museum_id)
    return render(
        request,
        "assessment/team.html",
        {
            "membership": membership,
            "museum": museum,
            "invitation_form": invitation_form or InvitationForm(),
            "role_choices": Role.choices,
        },
        status=status,
    )


@login_required
def team(request: HttpRequest, museum_id: int) -> HttpResponse:
    return _render_team(request, get_membership(request.user, museum_id))


@login_required
@require_POST
def invitation_create(request: HttpRequest, museum_id: int) -> HttpResponse:
    membership = get_membership(request.user, museum_id, min_role=Role.LEAD)
    form = InvitationForm(request.POST)
    if form.is_valid() and rate_limited(request, "invitation", user=request.user):
        form.add_error(
            None,
            _(
                "You have sent many invitations in a short time. Wait a while (at most an hour) "
                "before you send more; nothing was sent this time."
            ),
        )
        return _render_team(request, membership, invitation_form=form, status=429)
    if form.is_valid():
        accept_url = request.build_absolute_uri(reverse("assessment:invitation_accept", args=["TOKEN"]))
        try:
            invitation = team_service.invitation_send(
                museum=membership.museum,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
                accept_url_template=accept_url.replace("TOKEN", "{token}"),
            )
        except ServiceError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _(
                    "An invitation is on its way to %(email)s. "
                    "The link works once and expires in %(days)s days."
                )
                % {"email": invitation.email, "days": settings.INVITATION_MAX_AGE.days},
            )
            return redirect("assessment:team", museum_id=museum_id)
    return _render_team(request, membership, invitation_form=form, status=400)


def _member_for_lead(request: HttpRequest, museum_id: int, membership_id: int) -> Membership:
    """A membership of the museum, for its lead to change."""
    target, _lead = get_museum_object(
        request.user,
        Membership.objects.select_related("user", "museum"),
        museum_id=museum_id,
        pk=membership_id,
        min_role=Role.LEAD,
    )
    return target


@login_required
@require_POST
def membership_role(request: HttpRequest, museum_id: int, membership_id: int) -> HttpResponse:
    target = _member_for_lead(request, museum_id, membership_id)
    form = RoleForm(request.POST, instance=Membership(role=target.role))
    if not form.is_valid():
        messages.error(request, _("Choose lead, editor or viewer."))
    else:
        try:
            team_service.membership_change_role(membership=target, role=form.cleaned_data["role"])
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": display_name(target.user), "role": target.get_role_display()},
            )
    return redirect("assessment:team", museum_id=museum_id)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, museum_id: int, membership_id: int) -> HttpResponse:
    """GET asks for confirmation; POST removes (nobody loses access by a slip of the mouse)."""
    target = _member_for_lead(request, museum_id, membership_id)
    if request.method == "GET":
        return render(
            request,
            "assessment/membership_remove.html",
            {"museum": target.museum, "target": target},
        )
    try:
        team_service.membership_remove(membership=target)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("assessment:team", museum_id=museum_id)
    messages.success(
        request, _("%(person)s no longer has access to this museum.") % {"person": display_name(target.user)}
    )
    if target.user_id == request.user.pk:
        return redirect("home")
    return redirect("assessment:team", museum_id=museum_id)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, museum_id: int, invitation_id: int) -> HttpResponse:
    invitation, _lead = get_museum_object(
        request.user, Invitation.objects.all(), museum_id=museum_id, pk=invitation_id, min_role=Role.LEAD
    )
    try:
        team_service.invitation_withdraw(invitation=invitation)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("assessment:team", museum_id=museum_id)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone logged in may open a link; the service checks it is theirs."""
    if request.method == "POST":
        try:
            membership = team_service.invitation_accept(token=token, user=request.user)
        except ServiceError as error:
            return render(request, "assessment/invitation_accept.html", {"error": str(error)}, status=400)
        remember_current_museum(request, membership.museum_id)
        messages.success(
            request,
            _("Welcome to %(museum)s. Your role: %(role)s.")
            % {"museum": membership.museum, "role": membership.get_role_display()},
        )
        return redirect("assessment:museum_home", museum_id=membership.museum_id)
    try:
        invitation = team_service.invitation_from_token(token)
    except ServiceError as error:
        return render(request, "assessment/invitation_accept.html", {"error": str(error)}, status=400)
    assert request.user.is_authenticated  # login_required: never an anonymous user here
    if invitation.email.lower() != (request.user.email or "").lower():
        # Say so now, rather than after the person clicks "Join"; show nothing of the museum.
        return render(
            request,
            "assessment/invitation_accept.html",
            {"wrong_account": True, "invited_email": invitation.email},
            status=403,
        )
    return render(
        request,
        "assessment/invitation_accept.html",
        # Joining needs a confirmed address: the page explains, and offers the link again.
        {"invitation": invitation, "needs_confirmation": not email_is_confirmed(request.user)},
    )
