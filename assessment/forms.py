"""Forms of museums, teams, the questionnaire (answers by area, targets) and the action plan."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.language import supported
from accounts.validators import validate_single_line
from assessment.answers import AnswerInput
from assessment.models import (
    Action,
    ActionStatus,
    AiStance,
    AiSystem,
    Answer,
    Assessment,
    DutyStatus,
    Invitation,
    Membership,
    Museum,
    SystemDuty,
)
from assessment.plan import OPEN, ActionInput, PlanFilters, filters_for_owner
from recommendations.content import exemptions_of
from recommendations.models import Dimension, Question, Recommendation


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
        fields = ["name", "country", "city", "museum_type", "size_band", "website", "in_sector_figures"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        validate_single_line(name)
        return name


def _comparable_name(name: str) -> str:
    """A museum's name as the deletion form compares it: ends trimmed, capitals and Unicode forms alike."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


class MuseumDeleteForm(forms.Form):
    """Deleting a museum asks for its name, typed: a click alone, or a stray Enter, is not enough.

    Capital letters do not count (a phone's keyboard capitalises on its own); every other letter,
    space and punctuation mark does, and spaces at either end are dropped.
    """

    name = forms.CharField(
        label=_("The museum's name"),
        max_length=300,
        help_text=_(
            "Type it as shown above. Capital letters do not matter; every other letter, space and "
            "punctuation mark does."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, museum: Museum, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.museum = museum

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if _comparable_name(name) != _comparable_name(self.museum.name):
            raise ValidationError(
                _(
                    "This is not the museum's name, so nothing was deleted. "
                    "Check it against the name shown above."
                )
            )
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


class IsoDateInput(forms.DateInput):
    """A browser's date picker: its value is always ``YYYY-MM-DD``, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# A plan's dates lie within a working life, not in the year 9999 a slipped key gives.
PLAUSIBLE_YEARS = range(2000, 2101)


def validate_plausible_date(value: datetime.date | None) -> None:
    if value is not None and value.year not in PLAUSIBLE_YEARS:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": PLAUSIBLE_YEARS[0], "last": PLAUSIBLE_YEARS[-1]}
        )


class HiddenIsoDateInput(forms.DateInput):
    """A date the page showed, sent back as it was (ISO, so that a change of language cannot misread it)."""

    input_type = "hidden"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TargetsForm(forms.Form):
    """A target level and an optional date per dimension, with the values the page showed (to detect a
    colleague's change)."""

    def __init__(
        self,
        *args: Any,
        dimensions: list[Dimension],
        initial_levels: Mapping[int, int | None],
        initial_dates: Mapping[int, datetime.date | None] | None = None,
        level_names: Sequence[str] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        initial_dates = initial_dates or {}
        levels = [(str(level), str(level)) for level in range(5)]
        named = [(str(level), f"{level} · {name}") for level, name in enumerate(level_names)] or levels
        incomplete = _("This page was incomplete. Reload it and try again.")
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
                error_messages={"invalid_choice": incomplete},
            )
            self.fields[f"d{dimension.pk}-date"] = forms.DateField(
                label=_("Target date for %(dimension)s") % {"dimension": dimension.title},
                required=False,
                widget=IsoDateInput(attrs={"class": "form-control form-control-sm w-auto"}),
                error_messages={"invalid": _("Enter a date, for example 2027-06-30.")},
                validators=[validate_plausible_date],
            )
            self.fields[f"d{dimension.pk}-date-shown"] = forms.DateField(
                required=False, widget=HiddenIsoDateInput, error_messages={"invalid": incomplete}
            )
            level = initial_levels.get(dimension.pk)
            shown = "" if level is None else str(level)
            self.initial[f"d{dimension.pk}"] = shown
            self.initial[f"d{dimension.pk}-shown"] = shown
            self.initial[f"d{dimension.pk}-date"] = initial_dates.get(dimension.pk)
            self.initial[f"d{dimension.pk}-date-shown"] = initial_dates.get(dimension.pk)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for dimension in self.dimensions:
            key = f"d{dimension.pk}"
            chosen_date = cleaned.get(f"{key}-date")
            # A date is the horizon of a target level: a new date needs a level (an unchanged one goes
            # with the level when that is cleared).
            if (
                chosen_date is not None
                and chosen_date != cleaned.get(f"{key}-date-shown")
                and key in cleaned
                and cleaned[key] is None
            ):
                self.add_error(
                    f"{key}-date", _("Choose a target level for this dimension to give the target a date.")
                )
        return cleaned

    def changes(self) -> dict[int, tuple[int | None, int | None]]:
        """Per dimension: (the target the page showed, the target chosen); ``None`` is no target."""
        return {
            dimension.pk: (self.cleaned_data[f"d{dimension.pk}-shown"], self.cleaned_data[f"d{dimension.pk}"])
            for dimension in self.dimensions
        }

    def dates(self) -> dict[int, tuple[datetime.date | None, datetime.date | None]]:
        """Per dimension: (the target date the page showed, the date chosen); ``None``: the default."""
        return {
            dimension.pk: (
                self.cleaned_data[f"d{dimension.pk}-date-shown"],
                self.cleaned_data[f"d{dimension.pk}-date"],
            )
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
    reasons = MultilineTextField(
        label=_("Your reasons (optional)"),
        help_text=_("Only for a decision not to use AI: what you weighed, and when you will look again."),
        required=False,
        max_length=Assessment._meta.get_field("ai_stance_reasons").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanFilterForm(forms.Form):
    """The plan page's filters, read from its address (a GET form that works without JavaScript).

    A value that is no filter (a stale owner, a typo in the address) is reported on its field and
    ignored: the rest of the filters still apply.
    """

    owner = forms.CharField(label=_("Owner"), required=False, max_length=210)
    area = forms.IntegerField(label=_("Area"), required=False, min_value=1, max_value=99)
    dimension = forms.SlugField(label=_("Dimension"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (OPEN, _("Planned or in progress")), *ActionStatus.choices],
    )

    def clean_owner(self) -> dict[str, Any]:
        token = self.cleaned_data["owner"]
        if not token:
            return {}
        try:
            return filters_for_owner(token)
        except ValueError:
            raise ValidationError(_("This owner is not in the plan."), code="invalid") from None

    def filters(self) -> PlanFilters:
        """The filters that are valid; none for a form without data."""
        if not self.is_bound:
            return PlanFilters()
        self.is_valid()
        cleaned = self.cleaned_data
        return PlanFilters(
            **cleaned.get("owner", {}),
            area=cleaned.get("area"),
            dimension=cleaned.get("dimension") or "",
            status=cleaned.get("status") or "",
        )


# Ids in hidden fields: digits, at most 18 of them (as museumai/converters.py takes them in URLs).
MAX_ID = 10**18 - 1


def dimension_choices(areas: Iterable[Recommendation], extra: Dimension | None = None) -> list[Any]:
    """Dimensions by area (``<optgroup>``s) for a select, and ``extra`` (one of an earlier framework
    version, the action's own) at the end when it is not among them."""
    choices: list[Any] = [("", _("None"))]
    known: set[int] = set()
    for area in areas:
        dimensions = list(area.dimensions.all())
        known.update(d.pk for d in dimensions)
        choices.append(
            (
                _("Area %(number)s: %(title)s") % {"number": area.number, "title": area.title},
                [(str(d.pk), d.title) for d in dimensions],
            )
        )
    if extra is not None and extra.pk not in known:
        choices.append(
            (str(extra.pk), _("%(dimension)s (earlier framework version)") % {"dimension": extra.title})
        )
    return choices


PAGE_OUT_OF_DATE = _("This page was incomplete. Reload it and try again.")


class VersionField(forms.IntegerField):
    """The version a page was built on, hidden: a save based on an older one is a conflict."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            min_value=0,
            max_value=2**31 - 1,
            widget=forms.HiddenInput,
            error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), PAGE_OUT_OF_DATE),
            **kwargs,
        )


class VersionedForm(forms.Form):
    """A form saved over a stored row with a ``version``: after a conflict it takes the colleague's version,
    keeping this person's values, so that saving again replaces theirs knowingly."""

    version = VersionField()

    def take_version(self, version: int) -> None:
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["version"] = str(version)
        self.data = data


class ActionForm(VersionedForm):
    """An action of the plan: what, for which dimension, who, by when, and how far it is.

    The owner is a member of the museum or someone else whose name is typed in (a volunteer, a
    supplier, a partner museum). ``version`` is the one the page was built on (a stale save is a
    conflict); ``question`` the question a new action came from.
    """

    SOMEONE_ELSE = "other"

    title = forms.CharField(
        label=_("What is to be done"),
        max_length=Action._meta.get_field("title").max_length,
        validators=[validate_single_line],
        help_text=_("A short step someone can start on, for example “Write a half-page rule on AI tools”."),
        error_messages={"required": _("Say in a few words what is to be done.")},
    )
    description = MultilineTextField(
        label=_("Description"),
        required=False,
        max_length=Action._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    dimension = forms.TypedChoiceField(
        label=_("Dimension it serves"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the dimensions listed.")},
    )
    owner = forms.ChoiceField(
        label=_("Owner"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the members listed, or “Someone else”.")},
    )
    owner_name = forms.CharField(
        label=_("If someone else: their name"),
        required=False,
        max_length=Action._meta.get_field("owner_name").max_length,
        validators=[validate_single_line],
        help_text=_("A volunteer, a supplier, a partner museum: anyone who is not in the team here."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=IsoDateInput,
        validators=[validate_plausible_date],
        error_messages={"invalid": _("Enter a date, for example 2027-06-30.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    status_note = MultilineTextField(
        label=_("Note on the status"),
        required=False,
        max_length=Action._meta.get_field("status_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where it stands, what it waits for, or why it was dropped."),
    )
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=IsoDateInput,
        validators=[validate_plausible_date],
        help_text=_(
            "Only for a done action: today unless you give another date. Reopening it clears the date."
        ),
        error_messages={"invalid": _("Enter a date, for example 2027-06-30.")},
    )
    question = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("This page was incomplete. Reload it and try again."),
            "min_value": _("This page was incomplete. Reload it and try again."),
            "max_value": _("This page was incomplete. Reload it and try again."),
        },
    )

    def __init__(
        self,
        *args: Any,
        members: Iterable[tuple[int, str]],
        dimensions: list[Any],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [
            ("", _("Nobody yet")),
            *((str(user_id), name) for user_id, name in members),
            (self.SOMEONE_ELSE, _("Someone else (type their name below)")),
        ]
        dimension_field = self.fields["dimension"]
        assert isinstance(dimension_field, forms.ChoiceField)
        dimension_field.choices = dimensions

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        """The form's values for a stored action."""
        return {
            "title": action.title,
            "description": action.description,
            "dimension": "" if action.dimension_id is None else str(action.dimension_id),
            "owner": str(action.owner_id)
            if action.owner_id
            else (cls.SOMEONE_ELSE if action.owner_name else ""),
            "owner_name": action.owner_name,
            "due_date": action.due_date,
            "status": action.status,
            "status_note": action.status_note,
            "done_on": action.done_on,
            "question": action.question_id,
            "version": action.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner, name = cleaned.get("owner"), (cleaned.get("owner_name") or "").strip()
        if owner == self.SOMEONE_ELSE and "owner_name" in cleaned and not name:
            self.add_error(
                "owner_name", _("Type the name of the person or organisation who owns this action.")
            )
        elif owner and owner != self.SOMEONE_ELSE and name:
            self.add_error(
                "owner_name", _("You chose a member as the owner: clear this name, or choose “Someone else”.")
            )
        elif not owner and name:
            # Saving would keep the name as the owner while the page said "Nobody yet": ask instead.
            self.add_error(
                "owner_name", _("You chose “Nobody yet”: clear this name, or choose “Someone else”.")
            )
        done_on = cleaned.get("done_on")
        if cleaned.get("status") == ActionStatus.DONE and done_on and done_on > timezone.localdate():
            self.add_error("done_on", _("An action cannot be done on a day still to come."))
        return cleaned

    def action_input(self, *, question_id: int | None = None) -> ActionInput:
        """The cleaned values for ``plan.action_create`` or ``plan.action_update``.

        ``question_id``: the question an edited action came from (a new one's comes with the form).
        """
        data = self.cleaned_data
        owner = data["owner"]
        return ActionInput(
            title=data["title"],
            description=data["description"],
            owner_id=int(owner) if owner and owner != self.SOMEONE_ELSE else None,
            owner_name=data["owner_name"] if owner == self.SOMEONE_ELSE else "",
            due_date=data["due_date"],
            status=data["status"],
            status_note=data["status_note"],
            done_on=data["done_on"],
            dimension_id=data["dimension"],
            question_id=question_id if question_id is not None else data.get("question"),
        )


# --- The AI register ---------------------------------------------------------------------------


class AiSystemForm(VersionedForm):
    """A system of the register: what it is, who supplies it, what it is used for, who looks after it."""

    name = forms.CharField(
        label=_("Name"),
        max_length=AiSystem._meta.get_field("name").max_length,
        validators=[validate_single_line],
        help_text=_("The name staff know it by, for example “Ask the museum chatbot”."),
        error_messages={"required": _("Give the system a name.")},
    )
    supplier = forms.CharField(
        label=_("Supplier"),
        required=False,
        max_length=AiSystem._meta.get_field("supplier").max_length,
        validators=[validate_single_line],
        help_text=_("The company or organisation it comes from. Leave empty if the museum built it."),
    )
    use = forms.ChoiceField(
        label=_("What it is used for"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the system is used for, or “Other”."),
            "invalid_choice": _("Choose one of the uses listed."),
        },
    )
    purpose = MultilineTextField(
        label=_("What it does, in your words"),
        required=False,
        max_length=AiSystem._meta.get_field("purpose").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.TypedChoiceField(
        label=_("Owner"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The member who looks after this system and its duties."),
        error_messages={"invalid_choice": _("Choose one of the members listed.")},
    )
    started_on = forms.DateField(
        label=_("In use since"),
        required=False,
        widget=IsoDateInput,
        validators=[validate_plausible_date],
        error_messages={"invalid": _("Enter a date, for example 2027-06-30.")},
    )
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=IsoDateInput,
        validators=[validate_plausible_date],
        help_text=_("When the museum will look at this system and its duties again."),
        error_messages={"invalid": _("Enter a date, for example 2027-06-30.")},
    )
    notes = MultilineTextField(
        label=_("Notes"),
        required=False,
        max_length=AiSystem._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = MultilineTextField(
        label=_("Evidence and links"),
        required=False,
        max_length=AiSystem._meta.get_field("evidence").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contracts, the supplier's documentation, decisions: one link or reference per line."),
    )

    def __init__(
        self, *args: Any, uses: Iterable[tuple[str, str]], members: Iterable[tuple[int, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        use_field = self.fields["use"]
        assert isinstance(use_field, forms.ChoiceField)
        use_field.choices = list(uses)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [("", _("Nobody yet")), *((str(user_id), name) for user_id, name in members)]

    @staticmethod
    def initial_for(system: AiSystem) -> dict[str, Any]:
        return {
            "name": system.name,
            "supplier": system.supplier,
            "use": system.use,
            "purpose": system.purpose,
            "owner": "" if system.owner_id is None else str(system.owner_id),
            "started_on": system.started_on,
            "next_review_on": system.next_review_on,
            "notes": system.notes,
            "evidence": system.evidence,
            "version": system.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started = cleaned.get("started_on")
        if started and started > timezone.localdate():
            self.add_error("started_on", _("A system cannot have been in use since a day still to come."))
        return cleaned


# A choice that excludes the others: "nobody" meets the system, "none" of the areas.
EXCLUSIVE_CHOICES = frozenset({"nobody", "none"})


class TriageForm(VersionedForm):
    """The triage questions a system is asked now: yes or no, one choice, or several.

    A question left unanswered stays open (the triage says what is still to ask). For a question with
    several choices, ticking none is an answer ("none of these") once the question was on the page,
    which its hidden ``<slug>__shown`` field says, unless the question offers a choice for "nobody":
    then that choice is the answer, and it cannot be ticked with another.
    """

    def __init__(self, *args: Any, questions: Iterable[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        yes_no = [("yes", _("Yes")), ("no", _("No"))]
        for question in self.questions:
            choices = [(choice.slug, choice.label) for choice in question.choices]
            field: forms.Field
            if question.type == "yes-no":
                field = forms.ChoiceField(choices=yes_no, widget=forms.RadioSelect, required=False)
            elif question.type == "choice":
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
            else:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
                self.fields[f"{question.slug}__shown"] = forms.BooleanField(
                    required=False, widget=forms.HiddenInput, initial=True
                )
            field.label = question.text
            field.help_text = question.help
            field.error_messages["invalid_choice"] = _("Choose one of the answers listed.")
            self.fields[question.slug] = field

    @staticmethod
    def initial_for(answers: Mapping[str, Any], version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version}
        for slug, value in answers.items():
            if isinstance(value, bool):
                initial[slug] = "yes" if value else "no"
            elif isinstance(value, list | tuple):
                initial[slug] = list(value)
            else:
                initial[slug] = value
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            ticked = set(cleaned.get(question.slug) or ()) if question.type == "many" else set()
            exclusive = ticked & EXCLUSIVE_CHOICES
            if exclusive and len(ticked) > 1:
                label = next(choice.label for choice in question.choices if choice.slug in exclusive)
                self.add_error(
                    question.slug,
                    _("“%(choice)s” cannot be ticked with another answer: untick one of them.")
                    % {"choice": label},
                )
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The answers as the rules take them; ``None`` for a question left unanswered."""
        given: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.slug)
            if question.type == "yes-no":
                given[question.slug] = {"yes": True, "no": False}.get(value or "")
            elif question.type == "choice":
                given[question.slug] = value or None
            elif value or (
                self.cleaned_data.get(f"{question.slug}__shown")
                and not any(choice.slug in EXCLUSIVE_CHOICES for choice in question.choices)
            ):
                given[question.slug] = tuple(value or ())
            else:
                given[question.slug] = None
        return given


class DutyStatusForm(VersionedForm):
    """Where the museum stands on one duty of a system, with a note and the evidence."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=DutyStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the statuses listed.")},
    )
    note = MultilineTextField(
        label=_("Note"),
        required=False,
        max_length=SystemDuty._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, or why the duty does not apply."),
    )
    evidence = MultilineTextField(
        label=_("Evidence"),
        required=False,
        max_length=SystemDuty._meta.get_field("evidence").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where it can be checked: a link, a document, a screenshot's name."),
    )

    @staticmethod
    def initial_for(record: SystemDuty | None) -> dict[str, Any]:
        """The form's values for a duty's stored status, or for one nobody has set (not started)."""
        if record is None:
            return {"status": DutyStatus.NOT_STARTED, "note": "", "evidence": "", "version": 0}
        return {
            "status": record.status,
            "note": record.note,
            "evidence": record.evidence,
            "version": record.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status, note = cleaned.get("status"), (cleaned.get("note") or "").strip()
        if status == DutyStatus.DOES_NOT_APPLY and not note:
            self.add_error("note", _("Say why this duty does not apply to this system."))
        elif status == DutyStatus.DONE and not note and not (cleaned.get("evidence") or "").strip():
            # A duty marked done is what an inspector or a new colleague will ask about: say how.
            self.add_error("note", _("Say what was done, or give the evidence below."))
        return cleaned
