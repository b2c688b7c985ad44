"""People: one account per person across every organization on the install."""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from cadenza.lib.compiled_query import CompiledQuery


def validate_time_zone(value: str) -> None:
    """Only real IANA zone names are stored, so every page can show times in them."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/Paris).")


class AccountManager(UserManager["User"]):
    """Django's ``UserManager``; ``get(pk=...)`` runs a query compiled once per process.

    Every signed-in page reads its person this way (Django's ``ModelBackend.get_user``), so
    the same ``SELECT ... WHERE id = %s`` is not built and compiled on every request
    (cadenza.lib.compiled_query, decision 0017). Same row, same ``DoesNotExist``; any other
    ``get`` is Django's.
    """

    def get(self, *args: Any, **kwargs: Any) -> User:
        if args or kwargs.keys() != {"pk"} or type(kwargs["pk"]) is not int:
            return super().get(*args, **kwargs)
        user = _USER_BY_ID.first(pk=kwargs["pk"])
        if user is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return user


class User(AbstractUser):
    """A person. Signs in by e-mail; the username is kept equal to the e-mail address.

    The profile lives on the row itself (display name, time zone, locale): every page needs
    it, so a second table would cost a join on every request.
    """

    email = models.EmailField("email address", unique=True)
    # Kept equal to ``email``, so its rule is the e-mail address's: Django's own username
    # field allows only letters, digits and @.+-_ in 150 characters, which refused real
    # addresses such as o'brien@example.ie (and failed their profile updates).
    username = models.CharField(
        "username",
        max_length=254,
        unique=True,
        help_text="Always the e-mail address: people sign in by e-mail.",
        error_messages={"unique": "A person with this e-mail address already exists."},
    )
    display_name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    locale = models.CharField(max_length=16, default="en")

    objects: ClassVar[AccountManager] = AccountManager()

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


_USER_BY_ID = CompiledQuery(User, lambda pk: User._base_manager.filter(pk=pk).order_by()[:1])


class TokenScope(models.TextChoices):
    """What a personal access token may do: read only, or read and write."""

    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class PersonalAccessToken(models.Model):
    """A secret a person's script uses on the API (``Authorization: Bearer <token>``).

    Only the SHA-256 digest of the secret is stored (it is random and long, so a fast hash
    is enough); ``prefix`` is its first characters, shown so a person can tell tokens apart.
    A token acts with its person's own permissions; ``scope`` can only narrow them.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
