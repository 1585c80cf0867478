"""Forms of museums, teams and the questionnaire (answers by area, targets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.language import supported
from accounts.validators import validate_single_line
from assessment.answers import AnswerInput
from assessment.models import AiStance, Answer, Assessment, Invitation, Membership, Museum
from recommendations.content import exemptions_of
from recommendations.models import Dimension, Question


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

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        validate_single_line(name)
        return name


class InvitationForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The inviter's language unless they choose another for this colleague.
        self.fields["language"].initial = get_language_code()
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or get_language_code()

    class Meta:
        model = Invitation
        fields = ["email", "role", "language"]
        labels = {"email": _("Colleague's email"), "language": _("Language of the invitation email")}
        help_texts = {
            "role": _("Editors answer questions; viewers read everything and change nothing."),
        }


class RoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


def get_language_code() -> str:
    """The active language if the site offers it, else English."""
    language = get_language()
    return language if supported(language) else "en"


NOT_APPLICABLE = "na"
DUTY_DOES_NOT_APPLY = "exempt"


class StartAssessmentForm(forms.Form):
    copy_previous = forms.BooleanField(
        label=_("Start from the answers of the last submitted assessment"),
        required=False,
        initial=True,
        help_text=_("You can change every answer; the earlier assessment stays as it was."),
    )


class MultilineTextField(forms.CharField):
    """Text from a textarea, with its line breaks counted as the browser counts them.

    A textarea's ``maxlength`` counts a line break as one character, but the browser sends it
    as CRLF: a note the browser accepted at the limit would otherwise be refused here. Line
    breaks are stored as LF, so the limit means the same on both sides.
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


class AreaAnswersForm(forms.Form):
    """One recommendation area: per question a level or N/A, a reason, a note and the version seen."""

    def __init__(self, *args: Any, questions: list[Question], answers: Mapping[int, Answer], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        level_choices = [(str(level), str(level)) for level in range(5)] + [
            (NOT_APPLICABLE, _("Not applicable"))
        ]
        for question in questions:
            answer = answers.get(question.pk)
            prefix = f"q{question.pk}"
            exemptions = exemptions_of(question) if question.legal_duty else []
            self.fields[f"{prefix}-value"] = forms.ChoiceField(
                choices=level_choices
                + ([(DUTY_DOES_NOT_APPLY, _("This duty does not apply to us"))] if exemptions else []),
                required=False,
                error_messages={"invalid_choice": _("Choose a level from 0 to 4, or “Not applicable”.")},
            )
            if exemptions:
                self.fields[f"{prefix}-exemption"] = forms.ChoiceField(
                    choices=[("", _("Choose the reason")), *((e.slug, e.text) for e in exemptions)],
                    required=False,
                    error_messages={"invalid_choice": _("Choose one of the reasons listed.")},
                )
            self.fields[f"{prefix}-reason"] = forms.CharField(
                max_length=Answer._meta.get_field("not_applicable_reason").max_length, required=False
            )
            self.fields[f"{prefix}-note"] = MultilineTextField(
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
                    else DUTY_DOES_NOT_APPLY
                    if answer.duty_exemption and exemptions
                    else ("" if answer.level is None else str(answer.level))
                )
                if exemptions:
                    self.initial[f"{prefix}-exemption"] = answer.duty_exemption
                self.initial[f"{prefix}-reason"] = answer.not_applicable_reason
                self.initial[f"{prefix}-note"] = answer.note
            self.initial[f"{prefix}-version"] = answer.version if answer else 0

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            prefix = f"q{question.pk}"
            if cleaned.get(f"{prefix}-value") == DUTY_DOES_NOT_APPLY and not cleaned.get(
                f"{prefix}-exemption"
            ):
                self.add_error(
                    f"{prefix}-exemption",
                    _("Choose the reason this duty does not apply to your museum, or choose a level."),
                )
        return cleaned

    def inputs(self) -> list[AnswerInput]:
        """The cleaned answers, one per question of the area."""
        items = []
        for question in self.questions:
            prefix = f"q{question.pk}"
            value = self.cleaned_data[f"{prefix}-value"]
            items.append(
                AnswerInput(
                    question_id=question.pk,
                    level=int(value) if value not in ("", NOT_APPLICABLE, DUTY_DOES_NOT_APPLY) else None,
                    not_applicable=value == NOT_APPLICABLE,
                    not_applicable_reason=self.cleaned_data[f"{prefix}-reason"].strip(),
                    note=self.cleaned_data[f"{prefix}-note"].strip(),
                    seen_version=self.cleaned_data[f"{prefix}-version"],
                    duty_exemption=(
                        self.cleaned_data.get(f"{prefix}-exemption") or ""
                        if value == DUTY_DOES_NOT_APPLY
                        else ""
                    ),
                )
            )
        return items

    def accept_current_version(self, question_id: int, version: int) -> None:
        """After a conflict, the next save of this page deliberately replaces the colleague's answer."""
        # Posted data is a QueryDict, whose copy() is mutable (a dict's copy is a dict).
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[f"q{question_id}-version"] = str(version)
        self.data = data


class TargetsForm(forms.Form):
    """A target level per dimension, with the level the page showed (to detect a colleague's change)."""

    def __init__(
        self,
        *args: Any,
        dimensions: list[Dimension],
        initial_levels: Mapping[int, int | None],
        level_names: Sequence[str] = (),
        **kwargs: Any,
    ):
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


class AiStanceForm(forms.Form):
    """The museum's stance on AI, recorded once for the whole assessment: it says whether AI is in use."""

    stance = forms.ChoiceField(
        label=_("Where does your museum stand on AI today?"),
        choices=AiStance.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose one of the three answers.")},
    )
    reasons = forms.CharField(
        label=_("Your reasons (optional)"),
        help_text=_("Only for a decision not to use AI: what you weighed, and when you will look again."),
        required=False,
        max_length=Assessment._meta.get_field("ai_stance_reasons").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
