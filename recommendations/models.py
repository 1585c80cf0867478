"""The NEMO framework as data: versions, recommendations (areas), dimensions, questions.

The source of truth for a release is ``recommendations/framework.yaml``, loaded
by ``manage.py load_framework``. Each framework version owns its own rows, so a
new version never changes the questions of an assessment started on an old one.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from recommendations.content import LevelDescriptor

MATURITY_LEVELS = range(5)

# A citation of NEMO's English document: it stays English in every language, as the quote does.
POLICY_ATTRIBUTION = (
    "NEMO – Network of European Museum Organisations, Policy recommendations addressing "
    "artificial intelligence and museums (20 March 2024)"
)


class FrameworkVersionQuerySet(models.QuerySet["FrameworkVersion"]):
    def current(self) -> FrameworkVersion | None:
        """The version new assessments start on: the one marked current, else the newest."""
        return self.order_by("-is_current", "-date", "-pk").first()


class FrameworkVersion(models.Model):
    slug = models.SlugField(_("slug"), max_length=100)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("New assessments start on the current version.")
    )
    # Moved on whenever anything in this version changes (recommendations/content.py), so that
    # every app server's cached copy of the content knows it is out of date.
    content_changed_at = models.DateTimeField(_("content last changed"), default=timezone.now, editable=False)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_slug_version_unique"),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class MaturityLevel(models.Model):
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(4)])
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["framework", "level"]
        verbose_name = _("maturity level")
        verbose_name_plural = _("maturity scale")
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="maturity_level_unique"),
            models.CheckConstraint(condition=models.Q(level__lte=4), name="maturity_level_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.level} – {self.name}"


class PolicyPassage(models.Model):
    """A verbatim excerpt from one of NEMO's two documents, with its attribution."""

    class Source(models.TextChoices):
        RECOMMENDATIONS = "recommendations", _("NEMO policy recommendations (20 March 2024)")
        CONFERENCE = "conference", _("NEMO conference summary (Brussels, 20 March 2024)")

    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="passages")
    slug = models.SlugField(_("slug"), max_length=100)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    attribution = models.CharField(_("attribution"), max_length=400)
    text = models.TextField(_("text"), help_text=_("Verbatim from the source document; never paraphrase."))
    # NEMO published in English: the quote stays English; this is museumai's unofficial translation of
    # it, per language (empty in English).
    translation = models.TextField(_("unofficial translation"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("policy passage")
        verbose_name_plural = _("policy passages")
        constraints = [models.UniqueConstraint(fields=["framework", "slug"], name="passage_slug_unique")]

    def __str__(self) -> str:
        return self.slug

    @property
    def opening(self) -> str:
        """The first words, as a link text that says which quote it leads to."""
        words = self.text.split()
        return " ".join(words[:8]) + ("…" if len(words) > 8 else "")

    @property
    def short_source(self) -> str:
        if self.source == self.Source.RECOMMENDATIONS:
            return str(_("NEMO recommendations"))
        return str(_("NEMO conference summary"))


class Recommendation(models.Model):
    """One of NEMO's three recommendations: an area of the questionnaire."""

    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    policy_text = models.TextField(_("policy text"), help_text=_("The recommendation verbatim."))
    policy_translation = models.TextField(_("unofficial translation of the policy text"), blank=True)
    passages = models.ManyToManyField(PolicyPassage, blank=True, related_name="recommendations")

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("recommendation (area)")
        verbose_name_plural = _("recommendations (areas)")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="recommendation_number_unique"),
            models.UniqueConstraint(fields=["framework", "slug"], name="recommendation_slug_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def attribution(self) -> str:
        return POLICY_ATTRIBUTION


class Dimension(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="dimensions")
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    position = models.PositiveIntegerField(_("position"), default=0)
    foundation = models.BooleanField(
        _("foundation"),
        default=False,
        help_text=_(
            "Needed whatever the museum decides about AI (governance, skills, data, security, policy "
            "engagement): a museum that decided not to use AI gets its priorities from these."
        ),
    )

    class Meta:
        ordering = ["recommendation", "position"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "slug"], name="dimension_slug_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="dimension_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(_("slug"), max_length=100)
    text = models.TextField(_("question"))
    why = models.TextField(_("why it matters"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    legal_duty = models.BooleanField(_("touches a legal duty"), default=False)
    legal_reference = models.CharField(_("legal reference"), max_length=400, blank=True)
    level_0 = models.TextField(_("level 0 descriptor"))
    level_1 = models.TextField(_("level 1 descriptor"))
    level_2 = models.TextField(_("level 2 descriptor"))
    level_3 = models.TextField(_("level 3 descriptor"))
    level_4 = models.TextField(_("level 4 descriptor"))
    guidance = models.TextField(_("how to move up"))
    passages = models.ManyToManyField(PolicyPassage, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    duty_applies_from = models.DateField(
        _("duty applies from"),
        null=True,
        blank=True,
        help_text=_(
            "For a legal duty not yet in force: the date it starts to apply. Until then it is shown as a "
            "coming duty, never flagged."
        ),
    )
    only_if_ai_in_use = models.BooleanField(
        _("only if the museum uses AI"),
        default=False,
        help_text=_("The duty concerns AI in use: a museum that records that it uses no AI gets no flag."),
    )
    presumes_ai_in_use = models.BooleanField(
        _("presumes AI in use"),
        default=False,
        help_text=_(
            "The question is about AI the museum already uses: never proposed as a priority to a museum "
            "that uses none."
        ),
    )
    revised = models.BooleanField(
        _("revised in this version"),
        default=False,
        help_text=_(
            "Same slug as in the previous version but a different meaning: answers are not copied forward."
        ),
    )

    # Not columns: set on the cached framework content only (recommendations/content.py).
    descriptors: list[LevelDescriptor]
    passage_list: list[PolicyPassage]
    exemption_list: list[DutyExemption]

    class Meta:
        ordering = ["dimension", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "slug"], name="question_slug_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="question_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(legal_duty=False) | ~models.Q(legal_reference=""),
                name="legal_duty_has_reference",
            ),
            models.CheckConstraint(
                condition=models.Q(legal_duty=True)
                | models.Q(duty_applies_from__isnull=True, only_if_ai_in_use=False),
                name="duty_fields_only_on_legal_duties",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def is_coming_duty(self, today: datetime.date) -> bool:
        """A legal duty whose date has not come yet (scoring.QuestionSpec decides the same way)."""
        return self.legal_duty and self.duty_applies_from is not None and self.duty_applies_from > today

    @property
    def level_descriptors(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"level_{level}")) for level in MATURITY_LEVELS]


class DutyExemption(models.Model):
    """A reason a museum may give that a legal duty does not apply to it ("we offer no chatbot").

    Answering with one is a recorded statement, not "not applicable": it raises no flag and shows as
    such on the dashboard and in exports. The slug is what an answer stores, so a reason keeps its
    meaning from one framework version to the next.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="exemptions")
    slug = models.SlugField(_("slug"), max_length=100)
    text = models.CharField(_("reason"), max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("reason a duty does not apply")
        verbose_name_plural = _("reasons a duty does not apply")
        constraints = [models.UniqueConstraint(fields=["question", "slug"], name="exemption_slug_unique")]

    def __str__(self) -> str:
        return self.text
