"""Each breakout room has its own Jitsi room and BigBlueButton meeting: its own token (a
learner's opens their breakout room only), its own signed create, join and end calls."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlencode

import jwt
import pytest

from cadenza.live.models import VideoProvider
from cadenza.live.providers import ProviderError, provider_for
from cadenza.live.providers.base import breakout_room_name
from cadenza.live.providers.breakouts import end_breakout_videos
from tests.live.fixtures_providers import (
    BBB,
    BBB_SECRET,
    CHECKSUM_ERROR,
    CREATE_REPLY,
    END_REPLY,
    JITSI,
    JITSI_SECRET,
    NOT_FOUND,
    FakeServer,
    Room,
    make_room,
    start_two_breakouts,
)

pytestmark = pytest.mark.django_db


def _signed(call: str, params: list[tuple[str, str]]) -> str:
    """The URL the BigBlueButton documentation prescribes, computed independently."""
    query = urlencode(params)
    digest = hashlib.sha1(f"{call}{query}{BBB_SECRET}".encode(), usedforsecurity=False).hexdigest()
    return f"https://bbb.example.org/bigbluebutton/api/{call}?{query}&checksum={digest}"


def _claims(token: str) -> dict[str, object]:
    decoded: dict[str, object] = jwt.decode(
        token, JITSI_SECRET, algorithms=["HS256"], audience="cadenza"
    )
    return decoded


def test_learner_breakout_token_opens_only_their_breakout_room() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI, minutes=90)
    breakouts = start_two_breakouts(room)
    session = room.session
    details = provider_for(session).breakout_join_details(
        session=session,
        breakout=breakouts.triage,
        user=room.learner,
        is_host=False,
        display_name="Lea Learner",
    )
    triage_room = breakouts.triage.provider_room
    assert triage_room.startswith(f"{session.provider_room}-breakout-")
    assert _claims(details.token) == {
        "aud": "cadenza",
        "iss": "cadenza",
        "sub": "meet.example.org",
        "room": triage_room,
        "nbf": int((session.starts_at - timedelta(minutes=11)).timestamp()),
        "exp": int((session.ends_at + timedelta(minutes=30)).timestamp()),
        "context": {
            "user": {
                "id": str(room.learner.pk),
                "name": "Lea Learner",
                "email": room.learner.email,
                "moderator": "false",
            }
        },
    }
    assert details.as_json() == {
        "kind": "jitsi",
        "is_moderator": False,
        "script_url": "https://meet.example.org/external_api.js",
        "domain": "meet.example.org",
        "embed": {
            "roomName": triage_room,
            "jwt": details.token,
            "userInfo": {"displayName": "Lea Learner", "email": room.learner.email},
            "configOverwrite": {
                "prejoinPageEnabled": True,
                "prejoinConfig": {"enabled": True},
                "startWithAudioMuted": False,
                "startWithVideoMuted": False,
                "subject": "Sepsis & shock: Q&A - Triage",
            },
        },
        "breakout_id": breakouts.triage.pk,
    }


def test_host_gets_a_moderator_token_for_any_breakout_room_and_each_room_its_own_name() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    breakouts = start_two_breakouts(room)
    provider = provider_for(room.session)
    rooms = []
    for breakout in (breakouts.triage, breakouts.fluids):
        details = provider.breakout_join_details(
            session=room.session,
            breakout=breakout,
            user=room.host,
            is_host=True,
            display_name="Hana Host",
        )
        claims = _claims(details.token)
        assert claims["context"] == {
            "user": {
                "id": str(room.host.pk),
                "name": "Hana Host",
                "email": room.host.email,
                "moderator": "true",
            }
        }
        assert details.is_moderator is True
        rooms.append(claims["room"])
    assert rooms == [breakouts.triage.provider_room, breakouts.fluids.provider_room]
    assert len({*rooms, room.session.provider_room}) == 3


def test_a_breakout_room_of_another_session_has_no_video_room_here() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    other = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    theirs = start_two_breakouts(other).triage
    with pytest.raises(ProviderError, match=r"This breakout room has no video room\."):
        provider_for(room.session).breakout_join_details(
            session=room.session, breakout=theirs, user=room.host, is_host=True, display_name="H"
        )
    with pytest.raises(ProviderError):
        breakout_room_name(session=room.session, breakout=theirs)


def _bbb_room() -> Room:
    return make_room(provider=VideoProvider.BIGBLUEBUTTON, settings=BBB, capacity=40)


def test_each_breakout_room_gets_its_own_bigbluebutton_meeting_named_after_it() -> None:
    room = _bbb_room()
    breakouts = start_two_breakouts(room)
    server = FakeServer(CREATE_REPLY, CREATE_REPLY)
    page = "https://learn.example.org/o/clinic/live/7/"
    provider = provider_for(room.session, page_url=page, fetch=server)
    for breakout in (breakouts.triage, breakouts.fluids):
        provider.start_breakout(session=room.session, breakout=breakout)

    def create(name: str, meeting_id: str, breakout_id: int) -> str:
        return _signed(
            "create",
            [
                ("name", f"Sepsis & shock: Q&A - {name}"),
                ("meetingID", meeting_id),
                ("record", "false"),
                ("maxParticipants", "40"),
                ("logoutURL", page),
                ("meta_bbb-origin", "Cadenza"),
                ("meta_cadenza-org", str(room.org.pk)),
                ("meta_cadenza-session", str(room.session.pk)),
                ("meta_cadenza-breakout", str(breakout_id)),
            ],
        )

    assert server.urls == [
        create("Triage", breakouts.triage.provider_room, breakouts.triage.pk),
        create("Fluids", breakouts.fluids.provider_room, breakouts.fluids.pk),
    ]
    assert "name=Sepsis+%26+shock%3A+Q%26A+-+Triage&" in server.urls[0]


def test_breakout_join_links_go_to_the_breakout_meeting_with_the_main_rooms_roles() -> None:
    room = _bbb_room()
    breakouts = start_two_breakouts(room)
    provider = provider_for(room.session)
    learner = provider.breakout_join_details(
        session=room.session,
        breakout=breakouts.triage,
        user=room.learner,
        is_host=False,
        display_name="Lea Learner",
    )
    host = provider.breakout_join_details(
        session=room.session,
        breakout=breakouts.fluids,
        user=room.host,
        is_host=True,
        display_name="Hana Host",
    )
    assert learner.as_json() == {
        "kind": "bigbluebutton",
        "is_moderator": False,
        "join_url": _signed(
            "join",
            [
                ("fullName", "Lea Learner"),
                ("meetingID", breakouts.triage.provider_room),
                ("role", "VIEWER"),
                ("userID", str(room.learner.pk)),
                ("redirect", "true"),
            ],
        ),
        "breakout_id": breakouts.triage.pk,
    }
    assert host.join_url == _signed(
        "join",
        [
            ("fullName", "Hana Host"),
            ("meetingID", breakouts.fluids.provider_room),
            ("role", "MODERATOR"),
            ("userID", str(room.host.pk)),
            ("redirect", "true"),
        ],
    )


def test_recall_ends_every_breakout_meeting_even_one_that_is_gone_already() -> None:
    room = _bbb_room()
    breakouts = start_two_breakouts(room)
    server = FakeServer(END_REPLY, NOT_FOUND)
    problems = end_breakout_videos(
        session=room.session,
        breakout_ids=[breakouts.fluids.pk, breakouts.triage.pk],
        fetch=server,
    )
    assert problems == []
    assert server.urls == [
        _signed("end", [("meetingID", breakouts.triage.provider_room)]),
        _signed("end", [("meetingID", breakouts.fluids.provider_room)]),
    ]


def test_a_refused_end_is_reported_and_the_other_rooms_still_end() -> None:
    room = _bbb_room()
    breakouts = start_two_breakouts(room)
    server = FakeServer(CHECKSUM_ERROR, END_REPLY)
    problems = end_breakout_videos(
        session=room.session,
        breakout_ids=[breakouts.triage.pk, breakouts.fluids.pk],
        fetch=server,
    )
    assert problems == [
        "Triage: BigBlueButton refused end: Checksums do not match (checksumError)."
    ]
    assert len(server.urls) == 2


def test_jitsi_and_built_in_video_have_no_breakout_meeting_to_end() -> None:
    for provider, settings in ((VideoProvider.JITSI, JITSI), (VideoProvider.BUILTIN, {})):
        room = make_room(provider=provider, settings=dict(settings))
        breakouts = start_two_breakouts(room)
        server = FakeServer()
        assert (
            end_breakout_videos(
                session=room.session, breakout_ids=[breakouts.triage.pk], fetch=server
            )
            == []
        )
        assert server.urls == []
