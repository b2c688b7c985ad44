"""People: one account per person across every organization on the install."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    """Only real IANA zone names are stored, so every page can show times in them."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/Paris).")


class User(AbstractUser):
    """A person. Signs in by e-mail; the username is kept equal to the e-mail address.

    The profile lives on the row itself (display name, time zone, locale): every page needs
    it, so a second table would cost a join on every request.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    locale = models.CharField(max_length=16, default="en")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name shown to others: the display name, else the e-mail's local part."""
        return self.display_name or self.email.split("@", 1)[0]
