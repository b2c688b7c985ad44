"""Jitsi Meet: the room token (Jitsi's token authentication) and the IFrame API options."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import jwt
import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from cadenza.live.models import SessionFormat, VideoProvider
from cadenza.live.providers import JoinDetails, ProviderNotConfigured, provider_for
from cadenza.live.providers.jitsi import JitsiProvider
from tests.live.fixtures_providers import Room, make_room

pytestmark = pytest.mark.django_db

SECRET = "a-long-shared-app-secret-of-the-clinic"
JITSI = {"jitsi_domain": "meet.example.org", "jitsi_app_id": "cadenza", "jitsi_app_secret": SECRET}


def _room(
    *,
    format: SessionFormat = SessionFormat.CLASS,
    starts_at: datetime | None = None,
    minutes: int = 60,
) -> Room:
    return make_room(
        provider=VideoProvider.JITSI,
        settings=dict(JITSI),
        format=format,
        starts_at=starts_at,
        minutes=minutes,
    )


def _muted(details: JoinDetails) -> tuple[object, object]:
    overrides = details.embed["configOverwrite"]
    assert isinstance(overrides, dict)
    return overrides["startWithAudioMuted"], overrides["startWithVideoMuted"]


def _token(room: Room, *, host: bool) -> str:
    user = room.host if host else room.learner
    details = provider_for(room.session).join_details(
        session=room.session, user=user, is_host=host, display_name=user.name
    )
    return details.token


def test_host_token_carries_exactly_the_claims_jitsi_expects() -> None:
    room = _room()
    session = room.session
    token = _token(room, host=True)

    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="cadenza")
    assert claims == {
        "aud": "cadenza",
        "iss": "cadenza",
        "sub": "meet.example.org",
        "room": session.provider_room,
        "nbf": int((session.starts_at - timedelta(minutes=11)).timestamp()),
        "exp": int((session.ends_at + timedelta(minutes=30)).timestamp()),
        "context": {
            "user": {
                "id": str(room.host.pk),
                "name": "Hana Host",
                "email": room.host.email,
                "moderator": "true",
            }
        },
    }


def test_learner_token_is_never_moderator() -> None:
    room = _room()
    claims = jwt.decode(_token(room, host=False), SECRET, algorithms=["HS256"], audience="cadenza")
    assert claims["context"] == {
        "user": {
            "id": str(room.learner.pk),
            "name": "Lea Learner",
            "email": room.learner.email,
            "moderator": "false",
        }
    }


def test_token_opens_only_the_server_made_room_never_every_room() -> None:
    room = _room()
    claims = jwt.decode(_token(room, host=True), SECRET, algorithms=["HS256"], audience="cadenza")
    assert claims["room"] == room.session.provider_room
    assert claims["room"].startswith(f"cadenza-{room.org.slug}-")
    assert claims["room"] != "*"


def test_token_expires_half_an_hour_after_the_session_not_days_later() -> None:
    room = _room(minutes=90)
    claims = jwt.decode(_token(room, host=False), SECRET, algorithms=["HS256"], audience="cadenza")
    assert claims["exp"] - claims["nbf"] == (11 + 90 + 30) * 60


def test_token_signed_with_another_secret_fails_verification() -> None:
    token = _token(_room(), host=True)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token, "another-secret-of-at-least-32-bytes", algorithms=["HS256"], audience="cadenza"
        )


def test_token_of_an_ended_session_is_refused_as_expired() -> None:
    long_ago = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    token = _token(_room(starts_at=long_ago, minutes=60), host=False)
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="cadenza")


def test_token_before_the_lobby_opens_is_not_yet_valid() -> None:
    tomorrow = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    token = _token(_room(starts_at=tomorrow), host=True)
    with pytest.raises(jwt.ImmatureSignatureError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="cadenza")


def test_audience_can_be_jitsi_where_the_server_is_configured_so(
    settings: Settings,
) -> None:
    settings.CADENZA_JITSI_AUDIENCE = "jitsi"
    claims = jwt.decode(_token(_room(), host=True), SECRET, algorithms=["HS256"], audience="jitsi")
    assert (claims["aud"], claims["iss"]) == ("jitsi", "cadenza")


def test_page_gets_the_iframe_api_options_with_the_token() -> None:
    room = _room()
    details = provider_for(room.session).join_details(
        session=room.session, user=room.learner, is_host=False, display_name="Lea Learner"
    )
    assert details.as_json() == {
        "kind": "jitsi",
        "is_moderator": False,
        "script_url": "https://meet.example.org/external_api.js",
        "domain": "meet.example.org",
        "embed": {
            "roomName": room.session.provider_room,
            "jwt": details.token,
            "userInfo": {"displayName": "Lea Learner", "email": room.learner.email},
            "configOverwrite": {
                "prejoinPageEnabled": True,
                "prejoinConfig": {"enabled": True},
                "startWithAudioMuted": False,
                "startWithVideoMuted": False,
                "subject": "Sepsis & shock: Q&A",
            },
        },
    }
    assert json.loads(json.dumps(details.as_json())) == details.as_json()


def test_webinar_audience_starts_muted_and_hosts_do_not() -> None:
    room = _room(format=SessionFormat.WEBINAR)
    provider = provider_for(room.session)
    audience = provider.join_details(
        session=room.session, user=room.learner, is_host=False, display_name="Lea"
    )
    stage = provider.join_details(
        session=room.session, user=room.host, is_host=True, display_name="Hana"
    )
    assert _muted(audience) == (True, True)
    assert _muted(stage) == (False, False)
    assert (audience.is_moderator, stage.is_moderator) == (False, True)


def test_jitsi_without_credentials_is_refused_with_a_clear_message() -> None:
    room = make_room(
        provider=VideoProvider.JITSI,
        settings={"jitsi_domain": "meet.example.org", "jitsi_app_id": "cadenza"},
    )
    with pytest.raises(ProviderNotConfigured, match="app ID and app secret"):
        provider_for(room.session)


def test_domain_is_used_in_lower_case() -> None:
    room = make_room(
        provider=VideoProvider.JITSI, settings={**JITSI, "jitsi_domain": "Meet.Example.ORG"}
    )
    provider = provider_for(room.session)
    assert isinstance(provider, JitsiProvider)
    assert provider.script_url() == "https://meet.example.org/external_api.js"
