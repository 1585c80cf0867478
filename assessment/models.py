from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
