"""Reads about people's accounts: their personal access tokens.

A token's secret is ``cdz_`` and 43 random URL-safe characters (256 bits), shown once when it
is made (``actions.create_access_token``); the database keeps its SHA-256 digest and its
first 12 characters (``prefix``). A token is found by the digest of what a client sends, so a
stolen database gives no usable token.
"""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404

from cadenza.accounts.models import PersonalAccessToken, User

SECRET_START = "cdz_"  # noqa: S105 (the marker every secret starts with, not a secret)
PREFIX_LENGTH = 12


def token_digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (it is random and long, so no slow hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def active_token_for_secret(secret: str) -> PersonalAccessToken | None:
    """The live token whose secret this is, with its active person; else ``None``."""
    if not secret.startswith(SECRET_START):
        return None
    return (
        PersonalAccessToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
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
