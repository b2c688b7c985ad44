"""Writes to people's accounts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cadenza.accounts.links import log_in_link, site_link
from cadenza.accounts.models import PersonalAccessToken, TokenScope, User
from cadenza.accounts.outgoing_email import queue_email
from cadenza.accounts.selectors import (
    PREFIX_LENGTH,
    SECRET_START,
    access_token_of,
    token_digest,
)


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
def sign_up(
    *,
    email: str,
    password: str,
    display_name: str = "",
    time_zone: str = "UTC",
) -> User | None:
    """Someone signs up with ``email``; what they see next is the same whether or not the
    address has an account (accounts cannot be discovered through this page).

    A new address gets its account (not signed in yet) and a welcome e-mail with the log-in
    link. An address that has an account already is left as it is, and its owner is told by
    e-mail that someone tried to sign up with it (at most one such e-mail a day). Returns the
    new account, or ``None`` when there was one already.
    """
    email = normalise_email(email)
    existing = User.objects.filter(email=email).first()
    context = {"email": email, "log_in": log_in_link()}
    if existing is not None:
        context["reset"] = site_link(reverse("password_reset"))
        queue_email(
            to=email,
            subject="Someone tried to sign up to Cadenza with your address",
            body=render_to_string("accounts/signup_taken_email.txt", context),
            dedupe_key=f"signup-taken:{existing.pk}:{timezone.now().date().isoformat()}",
        )
        return None
    user = create_user(
        email=email, password=password, display_name=display_name, time_zone=time_zone
    )
    queue_email(
        to=email,
        subject="Welcome to Cadenza",
        body=render_to_string("accounts/signup_welcome_email.txt", context),
        dedupe_key=f"signup-welcome:{user.pk}",
    )
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


LAST_USED_PRECISION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token (a script may call many times)."""


@transaction.atomic
def create_access_token(
    *, user: User, name: str, scope: TokenScope
) -> tuple[PersonalAccessToken, str]:
    """Make a personal access token for ``user``; returns it and its secret, which is known
    only now (the database keeps its digest: ``selectors``)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the token a name, to tell it apart later."]})
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = PersonalAccessToken(
        user=user,
        name=name,
        scope=TokenScope(scope),
        prefix=secret[:PREFIX_LENGTH],
        digest=token_digest(secret),
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def revoke_access_token(*, user: User, token_id: int) -> PersonalAccessToken:
    """Revoke one of ``user``'s tokens (404 for anyone else's); revoking twice is a no-op."""
    token = access_token_of(user=user, token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def note_token_use(token: PersonalAccessToken) -> None:
    """Record when a token was last used (at most once a minute per token)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
