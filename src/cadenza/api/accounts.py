"""The signed-in person's own profile: ``/me``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from cadenza.accounts.actions import update_profile
from cadenza.accounts.models import User
from cadenza.api.common import ERRORS, signed_in

router = Router(tags=["profile"])


class ProfileOut(Schema):
    id: int
    email: str
    display_name: str
    name: str
    time_zone: str
    locale: str


class ProfilePatch(Schema):
    """Only the fields sent change."""

    display_name: str | None = None
    time_zone: str | None = None
    locale: str | None = None


def _profile(user: User) -> ProfileOut:
    return ProfileOut(
        id=user.pk,
        email=user.email,
        display_name=user.display_name,
        name=user.name,
        time_zone=user.time_zone,
        locale=user.locale,
    )


@router.get("/me", response={200: ProfileOut, **ERRORS})
def get_profile(request: HttpRequest) -> ProfileOut:
    """My name, time zone (an IANA name) and language."""
    return _profile(signed_in(request))


@router.patch("/me", response={200: ProfileOut, **ERRORS})
def patch_profile(request: HttpRequest, payload: ProfilePatch) -> ProfileOut:
    """Change my name, time zone or language; an unknown zone or language is a 422."""
    user = signed_in(request)
    user = update_profile(
        user=user,
        display_name=user.display_name if payload.display_name is None else payload.display_name,
        time_zone=payload.time_zone or user.time_zone,
        locale=payload.locale or user.locale,
    )
    return _profile(user)
