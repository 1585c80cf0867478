"""Museums, their teams, and their assessments with answers, targets and stored scores.

Simple reads are documented QuerySet methods here (``Assessment.objects.for_museum(id).latest_submitted()``);
writes go through ``team.py`` and ``answers.py``; scores are stored by ``scores.py``.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from assessment.display import answer_text
from museumai.languages import language_choices

if TYPE_CHECKING:
    from recommendations.models import Recommendation


class MuseumType(models.TextChoices):
    ART = "art", _("Art")
    HISTORY = "history", _("History")
    SCIENCE_TECHNOLOGY = "science_technology", _("Science and technology")
    NATURAL_HISTORY = "natural_history", _("Natural history")
    ARCHAEOLOGY = "archaeology", _("Archaeology")
    ETHNOGRAPHY = "ethnography", _("Ethnography and world cultures")
    MULTIDISCIPLINARY = "multidisciplinary", _("Multidisciplinary")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    """Staff headcount bands, after the EU's micro/small/medium/large enterprise bands."""

    MICRO = "micro", _("1–9 staff")
    SMALL = "small", _("10–49 staff")
    MEDIUM = "medium", _("50–249 staff")
    LARGE = "large", _("250 staff or more")


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


# What each role may do includes everything the roles below it may do.
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.LEAD: 3}


class MuseumQuerySet(models.QuerySet["Museum"]):
    def with_team(self) -> MuseumQuerySet:
        """Members (with their users) and pending invitations, prefetched: three queries in all."""
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__first_name", "user__email"
                ),
            ),
            models.Prefetch(
                "invitations", queryset=Invitation.objects.pending().select_related("invited_by")
            ),
        )


class Museum(models.Model):
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    museum_type = models.CharField(_("museum type"), max_length=32, choices=MuseumType.choices)
    size_band = models.CharField(
        _("size (staff headcount)"),
        max_length=16,
        choices=SizeBand.choices,
        help_text=_("Count everyone who works for the museum, paid or volunteer, part-time as one."),
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Counted anonymously by default; the lead can take the museum out of every sector figure and
    # benchmark (assessment/sector.py drops its summary rows at once).
    in_sector_figures = models.BooleanField(
        _("count this museum in NEMO's anonymous sector figures and benchmarks"),
        default=True,
        help_text=_(
            "Figures only ever show groups of at least 5 museums, never a museum's name. "
            "If you untick this, your results are left out of them from now on, and out of the "
            "public open data from its next release; you can still compare yourself with other "
            "museums."
        ),
    )

    objects = MuseumQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("museum")
        verbose_name_plural = _("museums")

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user) -> MembershipQuerySet:
        """The museums a user belongs to, with the museum loaded."""
        return self.filter(user=user).select_related("museum").order_by("museum__name")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    museum = models.ForeignKey(
        Museum, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("museum")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["museum__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "museum"], name="one_membership_per_user_and_museum"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.museum} ({self.get_role_display()})"

    def has_role(self, minimum: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]

    @property
    def can_edit(self) -> bool:
        return self.has_role(Role.EDITOR)

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Not yet accepted and not yet expired."""
        oldest_valid = timezone.now() - settings.INVITATION_MAX_AGE
        return self.filter(accepted_at__isnull=True, created_at__gte=oldest_valid)


class Invitation(models.Model):
    museum = models.ForeignKey(
        Museum, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("museum")
    )
    email = models.EmailField(_("email"))
    # The inviter chooses it for each invitation: the colleague may not read the inviter's language.
    language = models.CharField(
        _("language of the invitation"), max_length=10, choices=language_choices, default="en"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=[(Role.EDITOR, Role.EDITOR.label), (Role.VIEWER, Role.VIEWER.label)]
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(Lower("email"), name="invitation_email_lower")]

    def __str__(self) -> str:
        return f"{self.email} → {self.museum} ({self.get_role_display()})"

    @property
    def expires_at(self):
        return self.created_at + settings.INVITATION_MAX_AGE


class AiStance(models.TextChoices):
    """Where the museum stands on AI: deciding not to use it is a stance, not a failure."""

    USING = "using", _("We use AI, or are not sure")
    EXPLORING = "exploring", _("We are exploring AI: none in use yet")
    NOT_BY_DECISION = "not_by_decision", _("We have decided not to use AI for now")

    @classmethod
    def uses_ai(cls, stance: str) -> bool | None:
        """What the stance says about AI in use today (``None``: not said), which duties depend on."""
        return None if not stance else stance == cls.USING

    @classmethod
    def foundations_only(cls, stance: str) -> bool:
        """A museum that decided not to use AI takes its priorities from the foundations only."""
        return stance == cls.NOT_BY_DECISION


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_museum(self, museum_id: int) -> AssessmentQuerySet:
        """A museum's assessments, newest first, with the people and framework named on lists."""
        return (
            self.filter(museum_id=museum_id)
            .select_related("framework", "started_by", "submitted_by")
            .order_by("-created_at", "-pk")
        )

    def submitted(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.SUBMITTED)

    def open_draft(self) -> Assessment | None:
        """The assessment in progress (a museum has at most one)."""
        return self.filter(status=AssessmentStatus.DRAFT).first()

    def latest_submitted(self) -> Assessment | None:
        return self.submitted().order_by("-submitted_at", "-pk").first()

    def submitted_before(self, assessment: Assessment) -> AssessmentQuerySet:
        """The same museum's submitted assessments before this one, oldest first."""
        earlier = self.filter(museum_id=assessment.museum_id).submitted().exclude(pk=assessment.pk)
        if assessment.submitted_at:
            earlier = earlier.filter(submitted_at__lt=assessment.submitted_at)
        return earlier.order_by("submitted_at", "pk")

    def submitted_after(self, assessment: Assessment) -> AssessmentQuerySet:
        """The same museum's submitted assessments after this one (all of them, for a draft)."""
        later = self.filter(museum_id=assessment.museum_id).submitted().exclude(pk=assessment.pk)
        if assessment.submitted_at:
            later = later.filter(submitted_at__gt=assessment.submitted_at)
        return later

    def with_area_scores(self, areas: Iterable[Recommendation]) -> AssessmentQuerySet:
        """Museum and framework joined, and each given area's stored score as ``area_<number>_score``.

        Areas are matched on their slug, so assessments on every framework
        version line up under the current version's areas (sortable in admin).
        """
        queryset = self.select_related("museum", "framework")
        for area in areas:
            stored = AreaScore.objects.filter(assessment=models.OuterRef("pk"), area__slug=area.slug)
            queryset = queryset.annotate(
                **{area_score_field(area): models.Subquery(stored.values("score")[:1])}
            )
        return queryset


def area_score_field(area: Recommendation) -> str:
    """The annotation ``with_area_scores`` gives an area's score, and the wide export's column."""
    return f"area_{area.number}_score"


class Assessment(models.Model):
    """One self-assessment of one museum on one framework version."""

    museum = models.ForeignKey(
        Museum, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("museum")
    )
    framework = models.ForeignKey(
        "recommendations.FrameworkVersion",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework version"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # Scores and levels as last computed by assessment/scoring.py (stored by assessment/scores.py),
    # so that admin can sort and filter and NEMO can aggregate in SQL without a second formula.
    overall_score = models.FloatField(_("overall score"), null=True, blank=True, editable=False)
    overall_level = models.PositiveSmallIntegerField(
        _("overall level"), null=True, blank=True, editable=False
    )
    answered_count = models.PositiveIntegerField(_("answered"), default=0, editable=False)
    applicable_count = models.PositiveIntegerField(_("applicable"), default=0, editable=False)
    compliance_flags = models.TextField(
        _("compliance flags"),
        blank=True,
        editable=False,
        help_text=_(
            "Legal references of legal-duty questions answered 0 or 1, one per line: duties in force and "
            "applying to the museum on the day of the last save or submission."
        ),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answers copied from"),
    )
    # Recorded once for the whole assessment: a museum that uses no AI gets no flag for the duties
    # that concern AI in use (Question.only_if_ai_in_use). None: not said yet, so those duties apply.
    uses_ai = models.BooleanField(_("uses AI"), null=True, blank=True)
    uses_ai_said_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("AI use recorded by"),
    )
    uses_ai_said_at = models.DateTimeField(_("AI use recorded"), null=True, blank=True)
    # The stance sets ``uses_ai`` (AiStance.uses_ai); it changes the results' words and priorities,
    # never the score.
    ai_stance = models.CharField(_("stance on AI"), max_length=20, choices=AiStance.choices, blank=True)
    ai_stance_reasons = models.TextField(_("reasons for the stance"), max_length=2000, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["museum"],
                condition=models.Q(status="draft"),
                name="one_open_draft_per_museum",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False),
                name="submitted_assessment_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["museum", "status", "-created_at"], name="assessment_museum_status"),
            # The sector overview looks up each museum's latest submitted assessment.
            models.Index(fields=["museum", "status", "-submitted_at"], name="assessment_latest_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.museum} – {self.created_at:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


class AnswerQuerySet(models.QuerySet["Answer"]):
    def by_question(self) -> dict[int, Answer]:
        """These answers keyed by question id, with who gave each (one query)."""
        return {answer.question_id: answer for answer in self.select_related("answered_by")}


class Answer(models.Model):
    """A museum's answer to one question: a level 0–4, or not applicable, plus a note.

    ``version`` grows by one with every saved change, so that a save based on
    an out-of-date page is detected instead of silently overwriting a
    colleague's answer.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("recommendations.Question", on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.CharField(_("why not applicable"), max_length=1000, blank=True)
    # The slug of the question's reason (recommendations.DutyExemption) when the museum states that a
    # legal duty does not apply to it. Not a level and not N/A: a statement that raises no flag.
    duty_exemption = models.SlugField(_("duty does not apply because"), max_length=100, blank=True)
    note = models.TextField(_("note or evidence"), max_length=5000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=0, level__lte=4),
                name="answer_level_0_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(not_applicable=False) | models.Q(level__isnull=True),
                name="answer_level_or_not_applicable",
            ),
            models.CheckConstraint(
                condition=models.Q(duty_exemption="") | models.Q(level__isnull=True, not_applicable=False),
                name="answer_level_or_duty_exemption",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {answer_text(self)}"


class DimensionTarget(models.Model):
    """The level a museum aims for in a dimension by its next assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey("recommendations.Dimension", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("target level"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    # Empty: the default horizon, TARGET_HORIZON_MONTHS after submission (``target_date_default``).
    target_date = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        verbose_name = _("dimension target")
        verbose_name_plural = _("dimension targets")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="one_target_per_dimension"),
            models.CheckConstraint(condition=models.Q(level__lte=4), name="target_level_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id} → {self.level}"


class AreaScore(models.Model):
    """An area's score in an assessment, as computed by scoring.py."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="area_scores")
    area = models.ForeignKey("recommendations.Recommendation", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"), null=True)
    level = models.PositiveSmallIntegerField(_("level reached"), null=True)

    class Meta:
        verbose_name = _("area score")
        verbose_name_plural = _("area scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="one_score_per_area")]

    def __str__(self) -> str:
        return f"{self.assessment_id} area {self.area_id}: {self.score}"


class DimensionScore(models.Model):
    """A dimension's score, target and gap in an assessment, as computed by scoring.py."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="dimension_scores")
    dimension = models.ForeignKey("recommendations.Dimension", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"), null=True)
    level = models.PositiveSmallIntegerField(_("level reached"), null=True)
    target = models.PositiveSmallIntegerField(_("target"), null=True)
    gap = models.FloatField(_("gap"), null=True)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="one_score_per_dimension")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.dimension_id}: {self.score}"


# A target is for the next twelve months unless the museum says otherwise (Digital Culture Compass).
TARGET_HORIZON_MONTHS = 12


def target_date_default(assessment: Assessment) -> datetime.date:
    """A target's date when none was chosen: twelve months after submission (after today for a draft)."""
    start = timezone.localdate(assessment.submitted_at) if assessment.submitted_at else timezone.localdate()
    return add_months(start, TARGET_HORIZON_MONTHS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day some months later; the 31st becomes the month's last day (29 Feb → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# The order the plan lists statuses in: what is moving first, what is finished last.
ACTION_STATUS_ORDER = (
    ActionStatus.IN_PROGRESS,
    ActionStatus.PLANNED,
    ActionStatus.DONE,
    ActionStatus.DROPPED,
)
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet["Action"]):
    def for_museum(self, museum_id: int) -> ActionQuerySet:
        """A museum's plan with what its pages name: the dimension and its area, the question, the owner."""
        return self.filter(museum_id=museum_id).select_related(
            "dimension__recommendation", "question", "owner"
        )

    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_ACTION_STATUSES)


class Action(models.Model):
    """One step of a museum's action plan: one living plan per museum, carried across assessments.

    An action serves a dimension (and often a question) of the framework version it was planned on;
    a later version's results find it again by the dimension's slug.
    """

    museum = models.ForeignKey(
        Museum, on_delete=models.CASCADE, related_name="actions", verbose_name=_("museum")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    dimension = models.ForeignKey(
        "recommendations.Dimension",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimension"),
    )
    question = models.ForeignKey(
        "recommendations.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    # A member of the museum, or a name typed in (a volunteer, a supplier, a partner museum).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (name)"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_note = models.TextField(_("note on the status"), max_length=2000, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    # Raised on every change: a save based on an older version is a conflict, never a silent overwrite.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done") | models.Q(done_on__isnull=True),
                name="action_done_on_only_when_done",
            ),
        ]
        indexes = [models.Index(fields=["museum", "status", "due_date"], name="action_museum_status_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


# --- The museum's AI register -------------------------------------------------------------------


class AiSystemQuerySet(models.QuerySet["AiSystem"]):
    def for_museum(self, museum_id: int) -> AiSystemQuerySet:
        """A museum's register by name, with each system's owner and last editor."""
        return (
            self.filter(museum_id=museum_id)
            .select_related("owner", "updated_by")
            .order_by(Lower("name"), "pk")
        )


class AiSystem(models.Model):
    """One AI system a museum uses or offers, as its register records it.

    What the system is for is one of the uses in ``recommendations/register-rules.yaml``; the
    triage's answers are kept by question slug (``answers``), and what follows from them (role,
    class, duties) is worked out on each read by ``register_rules.triage``, so that a change of the
    rules or of the date shows at once.
    """

    museum = models.ForeignKey(
        Museum, on_delete=models.CASCADE, related_name="ai_systems", verbose_name=_("museum")
    )
    name = models.CharField(_("name"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    use = models.SlugField(_("use"), max_length=60)
    purpose = models.TextField(_("what it does"), max_length=2000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    started_on = models.DateField(_("in use since"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    evidence = models.TextField(_("evidence and links"), max_length=2000, blank=True)
    # The triage's answers by question slug: true/false, a choice's slug, or a list of slugs.
    answers = models.JSONField(_("triage answers"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    # Raised on every change: a save based on an older version is a conflict, never a silent overwrite.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = AiSystemQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("AI system")
        verbose_name_plural = _("AI systems")
        indexes = [models.Index(fields=["museum", "use"], name="aisystem_museum_use")]

    def __str__(self) -> str:
        return self.name


class DutyStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DOES_NOT_APPLY = "does_not_apply", _("Does not apply")


# A duty is settled when it is done or the museum has said why it does not apply.
SETTLED_DUTY_STATUSES = (DutyStatus.DONE, DutyStatus.DOES_NOT_APPLY)


class SystemDuty(models.Model):
    """Where the museum stands on one duty of one system: a row exists once someone has said so.

    The duty is named by its slug in the register rules; a duty the triage no longer lists keeps its
    row (and its history), unseen, in case the answers change back.
    """

    system = models.ForeignKey(
        AiSystem, on_delete=models.CASCADE, related_name="duty_statuses", verbose_name=_("AI system")
    )
    duty = models.SlugField(_("duty"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=DutyStatus.choices, default=DutyStatus.NOT_STARTED
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "duty"]
        verbose_name = _("duty of an AI system")
        verbose_name_plural = _("duties of AI systems")
        constraints = [
            models.UniqueConstraint(fields=["system", "duty"], name="one_status_per_system_and_duty"),
            models.CheckConstraint(
                condition=models.Q(status__in=["not_started", "in_progress", "done", "does_not_apply"]),
                name="system_duty_status_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} – {self.duty}"

    @property
    def settled(self) -> bool:
        return self.status in SETTLED_DUTY_STATUSES


# The sector summary (kept by assessment/sector.py). SQL aggregates columns far faster than rows,
# so each summary row carries its figures in numbered columns: ``level_<n>`` and ``score_<n>`` for
# the area or dimension given slot n, ``answer_<n>`` for the question given slot n. All are small
# integers (scores in hundredths), so that a row stays narrow and a scan of 100,000 rows fast.
SECTOR_ITEM_SLOTS = 32
SECTOR_QUESTION_SLOTS = 96
SECTOR_SCORE_SCALE = 100  # score_<n> holds the score × 100, rounded


class SectorSlot(models.Model):
    """Which numbered summary column holds an area, a dimension or a question, by slug.

    Slots are given once and never moved, so framework versions that share a slug share a column
    and a new version needs no rebuild.
    """

    kind = models.CharField(max_length=16)  # "area", "dimension" or "question"
    slug = models.SlugField(max_length=100)
    number = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="one_slot_per_item"),
            models.UniqueConstraint(fields=["kind", "number"], name="one_item_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.slug} → {self.number}"


class SectorResult(models.Model):
    """One museum's latest submitted assessment in one year, flattened for NEMO's aggregates.

    ``latest`` marks the museum's latest submitted assessment of all (where the sector stands
    now); the other rows give the trend per year. Museums that opted out have no rows.
    """

    museum = models.ForeignKey(Museum, on_delete=models.CASCADE, related_name="+")
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="sector_result")
    year = models.PositiveSmallIntegerField()
    latest = models.BooleanField()
    country = models.CharField(max_length=2)
    museum_type = models.CharField(max_length=32)
    size_band = models.CharField(max_length=16)
    ai_stance = models.CharField(max_length=20, blank=True)
    uses_ai = models.BooleanField(null=True)
    framework_version = models.CharField(max_length=20)
    overall_score = models.FloatField(null=True)
    overall_level = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["museum", "year"], name="one_sector_result_per_museum_and_year")
        ]
        indexes = [
            models.Index(fields=["latest", "country"], name="sector_latest_country"),
            models.Index(fields=["latest", "museum_type"], name="sector_latest_type"),
            models.Index(fields=["latest", "size_band"], name="sector_latest_size"),
        ]

    def __str__(self) -> str:
        return f"{self.museum_id} {self.year}"


for _slot in range(1, SECTOR_ITEM_SLOTS + 1):
    SectorResult.add_to_class(f"level_{_slot}", models.PositiveSmallIntegerField(null=True))
for _slot in range(1, SECTOR_ITEM_SLOTS + 1):
    SectorResult.add_to_class(f"score_{_slot}", models.PositiveSmallIntegerField(null=True))
for _slot in range(1, SECTOR_QUESTION_SLOTS + 1):
    # The answer: a level 0-4, or one of sector.ANSWER_* (N/A, "does not apply", unanswered);
    # empty where the assessment's framework version has no such question.
    SectorResult.add_to_class(f"answer_{_slot}", models.SmallIntegerField(null=True))


class OpenDataRelease(models.Model):
    """A release of the public open data: computed once, then served as it is (nemo/open_data.py).

    A figure cited in a policy paper stays the figure of its release. A new release comes out only
    when at least 5 museums changed since the last one (or, with none changed, the law, the
    questionnaire or the year did), so that two releases never differ by fewer than 5 museums.
    """

    day = models.DateField(unique=True)
    schema_version = models.CharField(max_length=20)
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    # What the summary held when it was computed, to tell how many museums changed since.
    summary_newest = models.BigIntegerField(default=0)  # the newest SectorResult id
    museums_counted = models.PositiveIntegerField(default=0)
    checked_on = models.DateField()  # the last day it was checked whether a new release was due

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Open data of {self.day.isoformat()} (schema {self.schema_version})"
