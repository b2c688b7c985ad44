"""Writes to people's accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cadenza.accounts.models import User


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively; store them lower-case and trimmed."""
    return email.strip().lower()


@transaction.atomic
def create_user(
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    time_zone: str = "UTC",
    locale: str = "en",
) -> User:
    """Create an account. ``password=None`` makes an account that must set its password by
    the reset link (used when an instructor enrols someone who has no account yet)."""
    email = normalise_email(email)
    user = User(
        email=email,
        username=email,
        display_name=display_name.strip(),
        time_zone=time_zone,
        locale=locale,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def update_profile(*, user: User, display_name: str, time_zone: str, locale: str) -> User:
    """Change how a person is named and where their times are shown.

    Raises ``ValidationError`` (nothing saved) for an unknown time zone or language.
    """
    if locale not in dict(settings.LANGUAGES):
        raise ValidationError({"locale": f"{locale!r} is not a language this site offers."})
    user.display_name = display_name.strip()
    user.time_zone = time_zone
    user.locale = locale
    user.full_clean()
    user.save(update_fields=["display_name", "time_zone", "locale"])
    return user
