from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment import services
from assessment.forms import LoginForm, SignupForm
from assessment.models import Invitation


def safe_next_url(request, fallback: str) -> str:
    """The ``next`` parameter if it points back into this site, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def invitation_in_next(request) -> Invitation | None:
    """The invitation a ``next`` URL leads to, if it is one and still valid (nothing is accepted here)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    try:
        match = resolve(urlsplit(candidate).path)
    except Resolver404:
        return None
    if match.view_name != "assessment:invitation_accept":
        return None
    try:
        return services.invitation_from_token(match.kwargs["token"])
    except services.ServiceError:
        return None


class LoginView(auth_views.LoginView):
    """Django's login, with email-friendly labels and a word about the invitation being followed."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": invitation_in_next(self.request)}


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    invitation = invitation_in_next(request)
    form = SignupForm(
        request.POST if request.method == "POST" else None,
        initial={"email": invitation.email} if invitation else None,
    )
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="assessment.backends.EmailOrUsernameBackend")
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.first_name})
        return redirect(safe_next_url(request, fallback="home"))
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": safe_next_url(request, ""), "invitation": invitation},
    )
