"""Personal access tokens on the API: the ``Authorization: Bearer`` check, and ``/tokens``.

A token acts as its person, with the same policy as their session: ``TokenAuth`` sets
``request.user`` to the person, and every endpoint authorizes through ``access_*`` as usual.
A read-only token is refused (403) on anything but GET, HEAD and OPTIONS; an unknown or
revoked token answers 401. Tokens are managed with the session (the profile's page or these
endpoints) or with a password (``POST /tokens/password``, throttled like the log-in page);
a token cannot make or revoke tokens, so a leaked one cannot outlive its revocation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from cadenza.accounts.actions import (
    create_access_token,
    normalise_email,
    note_token_use,
    revoke_access_token,
)
from cadenza.accounts.login_throttle import is_locked_out, lockout_message
from cadenza.accounts.models import PersonalAccessToken, TokenScope, User
from cadenza.accounts.selectors import access_tokens_of, active_token_for_secret
from cadenza.api.bodies import Body, Name
from cadenza.api.common import ERRORS, ErrorOut, signed_in

router = Router(tags=["tokens"])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cdz_...``: a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> PersonalAccessToken | None:
        found = active_token_for_secret(token)
        if found is None:
            return None
        if found.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied("This token is read-only: make a read-write token to write.")
        note_token_use(found)
        request.user = found.user
        return found


def _by_session(request: HttpRequest) -> User:
    """Token management is for the person's session, not for a token."""
    if isinstance(getattr(request, "auth", None), PersonalAccessToken):
        raise PermissionDenied("Tokens are made and revoked with a session, not with a token.")
    return signed_in(request)


class TokenOut(Schema):
    """A token as listed: never its secret."""

    id: int
    name: str
    scope: TokenScope
    prefix: str = Field(description="The secret's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret, shown this once: keep it somewhere safe.")


class TokenIn(Body):
    name: Name = Field(max_length=100)
    scope: TokenScope = TokenScope.READ


class TokenByPasswordIn(TokenIn):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=4096)


def _out(token: PersonalAccessToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "scope": TokenScope(token.scope),
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    """My personal access tokens, newest first (revoked ones show ``revoked_at``)."""
    return [TokenOut(**_out(t)) for t in access_tokens_of(_by_session(request))]


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Make a token (with a session). The answer holds the secret, shown only this once."""
    token, secret = create_access_token(
        user=_by_session(request), name=payload.name, scope=payload.scope
    )
    return Status(201, TokenCreatedOut(**_out(token), token=secret))


@router.post(
    "/tokens/password",
    auth=None,
    response={201: TokenCreatedOut, 401: ErrorOut, 429: ErrorOut, **ERRORS},
)
def create_token_by_password(
    request: HttpRequest, payload: TokenByPasswordIn
) -> Status[TokenCreatedOut] | Status[ErrorOut]:
    """Make a token with an e-mail address and password, for a script with no browser.

    Throttled like the log-in page: after too many failures for the account or from the
    address, 429 until the cool-off has passed (even with the right password).
    """
    user = authenticate(request, username=normalise_email(payload.email), password=payload.password)
    if not isinstance(user, User):
        if is_locked_out(request):
            return Status(429, ErrorOut(detail=lockout_message()))
        return Status(401, ErrorOut(detail="Wrong e-mail address or password."))
    token, secret = create_access_token(user=user, name=payload.name, scope=payload.scope)
    return Status(201, TokenCreatedOut(**_out(token), token=secret))


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of my tokens at once (404 for anyone else's)."""
    revoke_access_token(user=_by_session(request), token_id=token_id)
    return Status(204, None)
