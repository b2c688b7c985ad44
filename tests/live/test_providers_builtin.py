"""Built-in peer-to-peer video: ICE servers from the settings and who may send what."""

from __future__ import annotations

import pytest

from cadenza.live.models import SessionFormat, VideoProvider
from cadenza.live.providers import provider_for
from cadenza.live.providers.builtin import parse_ice_urls
from tests.live.fixtures_providers import make_room

pytestmark = pytest.mark.django_db


def test_without_settings_there_are_no_ice_servers_and_a_class_may_use_video() -> None:
    room = make_room(provider=VideoProvider.BUILTIN)
    details = provider_for(room.session).join_details(
        session=room.session, user=room.learner, is_host=False, display_name="Lea"
    )
    assert details.as_json() == {
        "kind": "builtin",
        "is_moderator": False,
        "ice_servers": [],
        "media": {
            "publish_video": True,
            "publish_audio": True,
            "video_participant_limit": 6,
            "stage_only": False,
            "modes": ["video", "audio", "none"],
        },
        "signalling_types": ["live.rtc.offer", "live.rtc.answer", "live.rtc.ice"],
    }


def test_stun_and_turn_lines_become_ice_servers_with_the_turn_credentials() -> None:
    room = make_room(
        provider=VideoProvider.BUILTIN,
        settings={
            "stun_urls": "stun:stun.example.org:3478\nturn:turn.example.org:3478?transport=udp\n"
            "turns:turn.example.org:5349",
            "turn_username": "cadenza",
            "turn_credential": "s3cret",
        },
    )
    details = provider_for(room.session).join_details(
        session=room.session, user=room.host, is_host=True, display_name="Hana"
    )
    assert details.as_json()["ice_servers"] == [
        {"urls": ["stun:stun.example.org:3478"]},
        {
            "urls": ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"],
            "username": "cadenza",
            "credential": "s3cret",
        },
    ]


def test_a_class_uses_video_up_to_six_people_and_audio_above() -> None:
    room = make_room(provider=VideoProvider.BUILTIN)
    media = (
        provider_for(room.session)
        .join_details(session=room.session, user=room.learner, is_host=False, display_name="Lea")
        .media
    )
    assert media is not None
    assert [media.mode_for(participants=n) for n in (2, 6, 7, 30)] == [
        "video",
        "video",
        "audio",
        "audio",
    ]


def test_in_a_webinar_only_the_stage_sends_and_the_audience_watches() -> None:
    room = make_room(provider=VideoProvider.BUILTIN, format=SessionFormat.WEBINAR)
    provider = provider_for(room.session)
    stage = provider.join_details(
        session=room.session, user=room.host, is_host=True, display_name="H"
    )
    audience = provider.join_details(
        session=room.session, user=room.learner, is_host=False, display_name="L"
    )
    assert stage.media is not None
    assert audience.media is not None
    assert (stage.media.mode_for(participants=3), audience.media.mode_for(participants=3)) == (
        "video",
        "none",
    )
    assert audience.media.as_json() == {
        "publish_video": False,
        "publish_audio": False,
        "video_participant_limit": 6,
        "stage_only": True,
        "modes": ["none"],
    }


def test_a_session_without_video_needs_nothing_to_join() -> None:
    room = make_room(provider=VideoProvider.NONE)
    provider = provider_for(room.session)
    details = provider.join_details(
        session=room.session, user=room.host, is_host=True, display_name="Hana"
    )
    assert details.as_json() == {"kind": "none", "is_moderator": True}
    assert provider.recordings(session=room.session) == []


def test_ice_url_lines_are_sorted_into_stun_turn_and_refused() -> None:
    parsed = parse_ice_urls(
        " stun:stun.l.example.org:19302 \n\nturn:[2001:db8::1]:3478\nhttps://stun.example.org\n"
        "stun:stun.example.org?transport=udp\nturn:host name"
    )
    assert (parsed.stun, parsed.turn, parsed.invalid) == (
        ("stun:stun.l.example.org:19302",),
        ("turn:[2001:db8::1]:3478",),
        ("https://stun.example.org", "stun:stun.example.org?transport=udp", "turn:host name"),
    )
