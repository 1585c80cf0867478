from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from assessment.models import Answer, Invitation, Membership, Museum
from assessment.services import AnswerInput


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown to your colleagues next to the answers you give."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
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

    def clean(self):
        cleaned = super().clean()
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email or username")
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class MuseumForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )

    class Meta:
        model = Museum
        fields = ["name", "country", "city", "museum_type", "size_band", "website"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        labels = {"email": _("Colleague's email")}
        help_texts = {
            "role": _("Editors answer questions; viewers read everything and change nothing."),
        }


class RoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


NOT_APPLICABLE = "na"


class StartAssessmentForm(forms.Form):
    copy_previous = forms.BooleanField(
        label=_("Start from the answers of the last submitted assessment"),
        required=False,
        initial=True,
        help_text=_("You can change every answer; the earlier assessment stays as it was."),
    )


class AreaAnswersForm(forms.Form):
    """One recommendation area: per question a level or N/A, a reason, a note and the version seen."""

    def __init__(self, *args, questions, answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        level_choices = [(str(level), str(level)) for level in range(5)] + [
            (NOT_APPLICABLE, _("Not applicable"))
        ]
        for question in questions:
            answer = answers.get(question.pk)
            prefix = f"q{question.pk}"
            self.fields[f"{prefix}-value"] = forms.ChoiceField(
                choices=level_choices,
                required=False,
                error_messages={"invalid_choice": _("Choose a level from 0 to 4, or “Not applicable”.")},
            )
            self.fields[f"{prefix}-reason"] = forms.CharField(
                max_length=Answer._meta.get_field("not_applicable_reason").max_length, required=False
            )
            self.fields[f"{prefix}-note"] = forms.CharField(
                max_length=Answer._meta.get_field("note").max_length, required=False, widget=forms.Textarea
            )
            self.fields[f"{prefix}-version"] = forms.IntegerField(
                min_value=0,
                widget=forms.HiddenInput,
                error_messages={
                    "required": _("This page was incomplete. Reload it and answer again."),
                    "invalid": _("This page was incomplete. Reload it and answer again."),
                    "min_value": _("This page was incomplete. Reload it and answer again."),
                },
            )
            if answer is not None:
                self.initial[f"{prefix}-value"] = (
                    NOT_APPLICABLE
                    if answer.not_applicable
                    else ("" if answer.level is None else str(answer.level))
                )
                self.initial[f"{prefix}-reason"] = answer.not_applicable_reason
                self.initial[f"{prefix}-note"] = answer.note
            self.initial[f"{prefix}-version"] = answer.version if answer else 0

    def inputs(self) -> list[AnswerInput]:
        """The cleaned answers, one per question of the area."""
        items = []
        for question in self.questions:
            prefix = f"q{question.pk}"
            value = self.cleaned_data[f"{prefix}-value"]
            items.append(
                AnswerInput(
                    question_id=question.pk,
                    level=int(value) if value not in ("", NOT_APPLICABLE) else None,
                    not_applicable=value == NOT_APPLICABLE,
                    not_applicable_reason=self.cleaned_data[f"{prefix}-reason"].strip(),
                    note=self.cleaned_data[f"{prefix}-note"].strip(),
                    seen_version=self.cleaned_data[f"{prefix}-version"],
                )
            )
        return items

    def accept_current_version(self, question_id: int, version: int) -> None:
        """After a conflict, the next save of this page deliberately replaces the colleague's answer."""
        data = self.data.copy()
        data[f"q{question_id}-version"] = str(version)
        self.data = data


class TargetsForm(forms.Form):
    """A target level per dimension, with the level the page showed (to detect a colleague's change)."""

    def __init__(self, *args, dimensions, initial_levels: dict[int, int | None], level_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        levels = [(str(level), str(level)) for level in range(5)]
        named = [(str(level), f"{level} · {name}") for level, name in enumerate(level_names)] or levels
        for dimension in dimensions:
            self.fields[f"d{dimension.pk}"] = forms.TypedChoiceField(
                label=dimension.title,
                choices=[("", _("No target yet")), *named],
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": _("Choose a target level from 0 to 4.")},
            )
            self.fields[f"d{dimension.pk}-shown"] = forms.TypedChoiceField(
                choices=[("", ""), *levels],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.HiddenInput,
                error_messages={"invalid_choice": _("This page was incomplete. Reload it and try again.")},
            )
            level = initial_levels.get(dimension.pk)
            shown = "" if level is None else str(level)
            self.initial[f"d{dimension.pk}"] = shown
            self.initial[f"d{dimension.pk}-shown"] = shown

    def changes(self) -> dict[int, tuple[int | None, int | None]]:
        """Per dimension: (the target the page showed, the target chosen); ``None`` is no target."""
        return {
            dimension.pk: (self.cleaned_data[f"d{dimension.pk}-shown"], self.cleaned_data[f"d{dimension.pk}"])
            for dimension in self.dimensions
        }
