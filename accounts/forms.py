from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.language import account_language
from accounts.validators import validate_single_line


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown to your colleagues next to the answers you give."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_single_line],
    )
    email = forms.EmailField(
        label=_("Email"),
        # The address is also the username, which holds at most 150 characters.
        max_length=150,
        help_text=_("You log in with this address. Invitations are sent to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. A passphrase of a few words is easy to remember and hard to guess; "
            "password managers are welcome."
        ),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        user_model = get_user_model()
        if (
            user_model.objects.filter(email__iexact=email).exists()
            or user_model.objects.filter(username__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _(
                    "An account with this email already exists. "
                    "Log in, or reset your password if you forgot it."
                )
            )
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        elif password1:
            user_model = get_user_model()
            candidate = user_model(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form (fields ``username`` and ``password``), labelled for email addresses."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's text says both fields may be case-sensitive; here only the password is.
        "invalid_login": _(
            "The email (or username) and password do not match an account. "
            "The email may be typed in any letter case; the password must be exact."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email or username")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        # Django sets the field's max_length after building it, which limits the browser only; the
        # server refuses a longer name too (axes would store it in a 255-character column).
        max_length = self.username_field.max_length or 254  # Django's own fallback
        self.fields["username"].validators.append(MaxLengthValidator(max_length))


class AccountLanguagePasswordResetForm(PasswordResetForm):
    """Django's reset form; each account's mail is in the language chosen on that account.

    An account that never chose one gets the language of the page the reset was asked from.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        language = account_language(context["user"]) or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password: an unattended, logged-in computer is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password. Nothing was deleted."))
        return password
