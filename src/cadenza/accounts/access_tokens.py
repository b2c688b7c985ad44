"""Personal access tokens: made, found by their secret, used and revoked.

The secret is ``cdz_`` and 43 random URL-safe characters (256 bits), shown once when it is
made; the database keeps its SHA-256 digest and its first 12 characters (``prefix``). A token
is found by the digest of what a client sends, so a stolen database gives no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cadenza.accounts.models import PersonalAccessToken, TokenScope, User

SECRET_START = "cdz_"  # noqa: S105 (the marker every secret starts with, not a secret)
PREFIX_LENGTH = 12
LAST_USED_PRECISION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token (a script may call many times)."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_access_token(
    *, user: User, name: str, scope: TokenScope
) -> tuple[PersonalAccessToken, str]:
    """Make a token for ``user``; returns it and its secret (the only time it is known)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the token a name, to tell it apart later."]})
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = PersonalAccessToken(
        user=user,
        name=name,
        scope=TokenScope(scope),
        prefix=secret[:PREFIX_LENGTH],
        digest=_digest(secret),
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


def active_token_for_secret(secret: str) -> PersonalAccessToken | None:
    """The live token whose secret this is, with its active person; else ``None``."""
    if not secret.startswith(SECRET_START):
        return None
    return (
        PersonalAccessToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def access_tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    """A person's tokens, newest first, revoked ones included (they show as revoked)."""
    return PersonalAccessToken.objects.filter(user=user)


def access_token_of(*, user: User, token_id: int) -> PersonalAccessToken:
    """One of ``user``'s own tokens; 404 for another person's or a missing one."""
    token = PersonalAccessToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token
