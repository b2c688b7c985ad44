"""Organizations (tenants) and the memberships that give people a role in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from cadenza.accounts.models import validate_time_zone

accent_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Use a colour like #1f6feb (a # and six hex digits)."
)


class Organization(models.Model):
    """One site on the install: a hospital, a university, a company. Owns everything in it."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    logo = models.ImageField(upload_to="org-logos/", blank=True)
    accent_colour = models.CharField(
        max_length=7, default="#1f6feb", validators=[accent_colour_validator]
    )
    allow_self_join = models.BooleanField(
        default=False, help_text="Anyone with an account may join as a learner."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a person may do in one organization; ordered from most to least power."""

    ADMIN = "admin", "Organization admin"
    INSTRUCTOR = "instructor", "Instructor"
    TA = "ta", "Teaching assistant"
    LEARNER = "learner", "Learner"


class Membership(models.Model):
    """A person's role in one organization. One row per (organization, person)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.LEARNER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "user"], name="one_membership_per_org"),
        ]
        ordering = ["org", "user"]

    def __str__(self) -> str:
        return f"{self.user} in {self.org} as {self.role}"


class Removal(models.Model):
    """A person an admin took out of an organization: they may not join it again by
    themselves (even when it allows self-join) until an admin invites or adds them again,
    which deletes this row."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="removals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_removals"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "user"], name="one_removal_per_org"),
        ]
        ordering = ["org", "-removed_at"]

    def __str__(self) -> str:
        return f"{self.user} removed from {self.org}"
