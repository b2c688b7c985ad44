"""The signed-in person's own profile: ``/me``."""

from __future__ import annotations

import zoneinfo
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from cadenza.accounts.actions import update_profile
from cadenza.accounts.models import User
from cadenza.api.bodies import CleanLine, PatchBody, unset
from cadenza.api.common import ERRORS, signed_in

router = Router(tags=["profile"])


class ProfileOut(Schema):
    id: int
    email: str
    display_name: str
    name: str
    time_zone: str
    locale: str


_KNOWN_ZONES = frozenset(zoneinfo.available_timezones())
_ZONES = sorted(_KNOWN_ZONES)


def _known_zone(name: str) -> str:
    if name not in _KNOWN_ZONES:
        raise PydanticCustomError(
            "time_zone",
            "{name} is not a known time zone (for example Europe/Paris).",
            {"name": repr(name)},
        )
    return name


TimeZone = Annotated[
    str, AfterValidator(_known_zone), WithJsonSchema({"type": "string", "enum": _ZONES})
]
"""An IANA zone name, as ``accounts.models.validate_time_zone`` accepts."""

LOCALES = ("en", "fr", "de", "es")
"""The languages the site offers (``settings.LANGUAGES``; a test keeps the two equal)."""


def _offered_locale(code: str) -> str:
    if code not in LOCALES:
        raise PydanticCustomError(
            "locale", "{code} is not a language this site offers.", {"code": repr(code)}
        )
    return code


Locale = Annotated[
    str, AfterValidator(_offered_locale), WithJsonSchema({"type": "string", "enum": LOCALES})
]


class ProfilePatch(PatchBody):
    """Only the fields sent change; an empty ``display_name`` shows the e-mail address."""

    display_name: CleanLine = unset(max_length=150)
    time_zone: TimeZone = unset(description="An IANA name, e.g. Europe/Paris.")
    locale: Locale = unset()


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
    """Change my name, time zone or language (an unknown one is a 422)."""
    user = signed_in(request)
    current = {
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "locale": user.locale,
    }
    user = update_profile(user=user, **(current | payload.changes()))
    return _profile(user)
