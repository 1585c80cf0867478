"""Accounts: sign up, log in with an email or username (the backend in accounts/backends.py), reset a
password, and confirm an email address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import AccountDeleteForm, AccountLanguagePasswordResetForm, LoginForm, SignupForm
from accounts.limits import rate_limited
from accounts.personal_data import account_delete as delete_account
from accounts.personal_data import museums_left_without_members, museums_needing_a_new_lead, personal_data
from accounts.services import (
    email_confirm,
    email_confirmation_check,
    email_confirmation_send,
    email_confirmation_token,
    email_is_confirmed,
    user_create,
)
from assessment.errors import ServiceError
from assessment.models import Invitation
from assessment.team import invitation_from_token


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The ``next`` parameter if it points back into this site, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def invitation_in_next(request: HttpRequest) -> Invitation | None:
    """The invitation a ``next`` URL leads to, if it is one and still valid (nothing is accepted here)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    try:
        match = resolve(urlsplit(candidate).path)
    except Resolver404:
        return None
    if match.view_name != "assessment:invitation_accept":
        return None
    try:
        return invitation_from_token(match.kwargs["token"])
    except ServiceError:
        return None


def questionnaire_in_next(request: HttpRequest) -> bool:
    """Whether a ``next`` URL leads back to an area of the questionnaire (after a session ended there)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    try:
        return resolve(urlsplit(candidate).path).view_name == "assessment:area"
    except Resolver404:
        return False


class LoginView(auth_views.LoginView):
    """Django's login, with email-friendly labels and a word about where ``next`` leads."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "invitation": invitation_in_next(self.request),
            "returning_to_questionnaire": questionnaire_in_next(self.request),
        }


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    invitation = invitation_in_next(request)
    form = SignupForm(
        request.POST if request.method == "POST" else None,
        initial={"email": invitation.email} if invitation else None,
    )
    if request.method == "POST" and form.is_valid():
        # Counted only for a form that would create an account: typos cost nothing.
        if rate_limited(request, "signup"):
            form.add_error(
                None,
                _(
                    "Too many accounts were created from your network in the last hour. "
                    "Try again later; nothing was saved."
                ),
            )
            return _render_signup(request, form, invitation, status=429)
        user = user_create(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="accounts.backends.EmailOrUsernameBackend")
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.first_name})
        next_url = safe_next_url(request, fallback="")
        try:
            email_confirmation_send(user=user, confirm_url=_confirm_url(request, user, next_url))
        except ServiceError as error:
            messages.warning(request, str(error))
        else:
            messages.info(
                request,
                _(
                    "We sent a link to %(email)s: open it to confirm that the address is yours "
                    "(you need that to join a museum you are invited to)."
                )
                % {"email": user.email},
            )
        return redirect(next_url or "home")
    return _render_signup(request, form, invitation)


def _render_signup(
    request: HttpRequest, form: SignupForm, invitation: Invitation | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": safe_next_url(request, ""), "invitation": invitation},
        status=status,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per address (in any letter case) and per client IP."""

    form_class = AccountLanguagePasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if rate_limited(self.request, "password_reset", email=form.cleaned_data["email"]):
            form.add_error(
                None,
                _(
                    "Too many password reset links were asked for this address, or from your network, "
                    "in the last hour. Look for the links already sent (check your spam folder too), "
                    "or try again in an hour."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset form; a reset link opened proves the address as a confirmation link does."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        email_confirm(user=form.user)
        return response


def _confirm_url(request: HttpRequest, user: User, next_url: str) -> str:
    url = reverse("email_confirmation_link", args=[email_confirmation_token(user)])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return request.build_absolute_uri(url)


def _logged_in_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required: never an anonymous user here
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def email_confirmation(request: HttpRequest) -> HttpResponse:
    """Whether your address is confirmed; POST mails the link again (rate-limited)."""
    user = _logged_in_user(request)
    next_url = safe_next_url(request, "")
    confirmed = email_is_confirmed(user)
    if request.method == "POST":
        if confirmed:
            messages.info(request, _("%(email)s is already confirmed.") % {"email": user.email})
        elif rate_limited(request, "email_confirmation", user=user):
            messages.error(
                request,
                _(
                    "We have sent you several links in the last hour already. Look for them in your inbox "
                    "and spam folder, or ask again in an hour."
                ),
            )
            return _render_email_confirmation(request, user, confirmed, next_url, status=429)
        else:
            try:
                email_confirmation_send(user=user, confirm_url=_confirm_url(request, user, next_url))
            except ServiceError as error:
                messages.error(request, str(error))
                return _render_email_confirmation(request, user, confirmed, next_url, status=503)
            messages.success(
                request,
                _(
                    "A new link is on its way to %(email)s. It can take a few minutes; "
                    "look in your spam folder too."
                )
                % {"email": user.email},
            )
        url = reverse("email_confirmation")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    return _render_email_confirmation(request, user, confirmed, next_url)


def _render_email_confirmation(
    request: HttpRequest, user: User, confirmed: bool, next_url: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "registration/email_confirmation.html",
        {"confirmed": confirmed, "next": next_url, "invitation": invitation_in_next(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_confirmation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail: GET shows a button (mail scanners open links), POST confirms."""
    user = _logged_in_user(request)
    try:
        email_confirmation_check(token=token, user=user)
    except ServiceError as error:
        return render(
            request,
            "registration/email_confirm.html",
            {"error": str(error), "next": safe_next_url(request, "")},
            status=400,
        )
    if request.method == "POST":
        email_confirm(user=user)
        messages.success(request, _("Thank you: %(email)s is confirmed.") % {"email": user.email})
        return redirect(safe_next_url(request, fallback="home"))
    return render(request, "registration/email_confirm.html", {"next": safe_next_url(request, "")})


@login_required
@require_GET
def personal_data_page(request: HttpRequest) -> HttpResponse:
    """What the app holds about you, with the download and the way to delete your account."""
    return render(request, "registration/personal_data.html")


@login_required
@require_GET
def personal_data_download(request: HttpRequest) -> HttpResponse:
    user = _logged_in_user(request)
    response = JsonResponse(
        personal_data(user), encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    filename = f"museumai-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """GET asks for the password; POST deletes the account, logs out and goes home."""
    user = _logged_in_user(request)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        if form.is_valid():
            try:
                delete_account(user=user)
            except ServiceError as error:
                form.add_error(None, str(error))
                return _render_account_delete(request, form, status=409)
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. The answers you gave stay with your museums' assessments, "
                    "marked as given by a former member."
                ),
            )
            return redirect("home")
        return _render_account_delete(request, form, status=400)
    return _render_account_delete(request, form)


def _render_account_delete(request: HttpRequest, form: AccountDeleteForm, status: int = 200) -> HttpResponse:
    user = _logged_in_user(request)
    return render(
        request,
        "registration/account_delete.html",
        {
            "form": form,
            "blocked": museums_needing_a_new_lead(user),
            "sole_memberships": museums_left_without_members(user),
        },
        status=status,
    )
