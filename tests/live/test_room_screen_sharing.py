"""Learners share their screen only when the session lets them (built-in video).

The setting is the session's (``learners_may_share_screen``, off by default), set on the
session's form and by a host in the room (``screen_sharing.allow`` / ``screen_sharing.forbid``,
each a numbered ``live.screen_sharing.changed`` event for everyone). The server relays no
learner's session description that carries a screen (``carries_screen``) while it is not
allowed; hosts always may share."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import LiveSession, RoomEvent
from cadenza.live.room.actions.numbering import RoomForbidden, RoomRefusal
from cadenza.live.room.actions.state import set_learner_screen_sharing
from cadenza.live.sessions.video_signalling import carries_screen, sent_streams
from tests.live.conftest import Classroom, Room, build_classroom, ctx_of

CAMERA = "cam-stream"
SCREEN = "screen-stream"


def _section(kind: str, direction: str, stream: str | None, mid: int) -> str:
    msid = f"a=msid:{stream or '-'} track-{mid}\r\n"
    return (
        f"m={kind} 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:{mid}\r\n"
        f"a={direction}\r\n{msid}"
    )


def description(*sections: tuple[str, str, str | None]) -> str:
    """A session description with one media section per (kind, direction, stream id)."""
    head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"
    body = "".join(_section(kind, d, stream, mid) for mid, (kind, d, stream) in enumerate(sections))
    data = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:9\r\n"
    return head + body + data


CAMERA_ONLY = description(("audio", "sendrecv", CAMERA), ("video", "sendrecv", CAMERA))
CAMERA_AND_SCREEN = description(
    ("audio", "sendrecv", CAMERA), ("video", "sendrecv", CAMERA), ("video", "sendonly", SCREEN)
)
MICROPHONE_AND_SCREEN = description(("audio", "sendrecv", CAMERA), ("video", "sendrecv", SCREEN))
SCREEN_ONLY = description(("audio", "recvonly", None), ("video", "sendrecv", SCREEN))
RECEIVING_ONLY = description(("audio", "recvonly", None), ("video", "recvonly", None))
SCREEN_STOPPED = description(
    ("audio", "sendrecv", CAMERA), ("video", "sendrecv", CAMERA), ("video", "recvonly", None)
)


# What a description sends


def test_sent_streams_names_each_sending_stream_with_its_kinds() -> None:
    assert sent_streams(CAMERA_AND_SCREEN) == {CAMERA: {"audio", "video"}, SCREEN: {"video"}}
    assert sent_streams(RECEIVING_ONLY) == {}
    assert sent_streams(SCREEN_STOPPED) == {CAMERA: {"audio", "video"}}


@pytest.mark.parametrize(
    ("sdp", "screen"),
    [
        (CAMERA_ONLY, False),
        (RECEIVING_ONLY, False),
        (SCREEN_STOPPED, False),
        (CAMERA_AND_SCREEN, True),
        (MICROPHONE_AND_SCREEN, True),
        (SCREEN_ONLY, True),
    ],
    ids=[
        "camera",
        "receiving only",
        "screen stopped",
        "camera and screen",
        "microphone and screen",
        "screen only",
    ],
)
def test_a_screen_is_a_second_stream_or_video_without_its_microphone(
    sdp: str, screen: bool
) -> None:
    assert carries_screen(sdp) is screen


# The setting, by action


@pytest.mark.django_db
def test_the_setting_is_off_by_default_and_a_host_turns_it_on_and_off() -> None:
    school = build_classroom()
    assert school.session.learners_may_share_screen is False
    host = ctx_of(school.host, school.org)
    allowed = set_learner_screen_sharing(
        ctx=host, session=school.session, allowed=True, client_event_id="s1"
    )
    assert (allowed.seq, allowed.type) == (1, "live.screen_sharing.changed")
    assert allowed.frame == (
        '{"type":"live.screen_sharing.changed","seq":1,"allowed":true,'
        f'"by":{{"user_id":{school.host.pk},"name":"Ines"}}}}'
    )
    assert LiveSession.objects.get(pk=school.session.pk).learners_may_share_screen is True
    with pytest.raises(RoomRefusal, match=r"^Learners may already share their screen\.$"):
        set_learner_screen_sharing(ctx=host, session=school.session, allowed=True)
    set_learner_screen_sharing(ctx=host, session=school.session, allowed=False)
    assert LiveSession.objects.get(pk=school.session.pk).learners_may_share_screen is False


@pytest.mark.django_db
def test_a_learner_cannot_change_the_setting_and_nothing_changes() -> None:
    school = build_classroom()
    with pytest.raises(RoomForbidden):
        set_learner_screen_sharing(
            ctx=ctx_of(school.ada, school.org), session=school.session, allowed=True
        )
    assert LiveSession.objects.get(pk=school.session.pk).learners_may_share_screen is False
    assert RoomEvent.objects.filter(session=school.session).count() == 0


# Over the socket


def _allowed(session: LiveSession) -> bool:
    return LiveSession.objects.get(pk=session.pk).learners_may_share_screen


async def _offer(client: Any, to: int, sdp: str) -> None:
    await client.send({"type": "live.rtc.offer", "to": to, "sdp": sdp})


REFUSED = {
    "type": "error",
    "detail": "The hosts have not allowed learners to share their screen.",
}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_learner_s_screen_is_relayed_only_while_the_hosts_allow_it(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)

    # Not allowed (the default): Ada's camera goes through, her screen does not.
    await _offer(ada, classroom.bob.pk, CAMERA_ONLY)
    assert (await bob.events("live.rtc.offer"))["sdp"] == CAMERA_ONLY
    for sdp in (CAMERA_AND_SCREEN, SCREEN_ONLY):
        await _offer(ada, classroom.bob.pk, sdp)
        assert await ada.events("error") == REFUSED
    await ada.send({"type": "live.rtc.answer", "to": classroom.host.pk, "sdp": SCREEN_ONLY})
    assert await ada.events("error") == REFUSED
    assert await bob.nothing_more(0.2)
    assert await host.nothing_more(0.1)
    # A learner cannot allow it, and nothing changes.
    refused = await ada.write("screen_sharing.allow")
    assert refused["detail"] == "Only the session's hosts may do this."
    assert await database_sync_to_async(_allowed)(classroom.session) is False

    # A host's screen always goes through.
    await _offer(host, classroom.bob.pk, CAMERA_AND_SCREEN)
    assert (await bob.events("live.rtc.offer"))["from"] == classroom.host.pk

    # Allowed: everyone hears of it, and Ada's screen reaches Bob.
    assert (await host.write("screen_sharing.allow"))["seq"] == 1
    for client in (ada, bob, host):
        changed = await client.events("live.screen_sharing.changed")
        assert (changed["seq"], changed["allowed"]) == (1, True)
    await _offer(ada, classroom.bob.pk, CAMERA_AND_SCREEN)
    assert (await bob.events("live.rtc.offer"))["sdp"] == CAMERA_AND_SCREEN

    # Forbidden again: her next description with the screen is refused.
    assert (await host.write("screen_sharing.forbid"))["seq"] == 2
    assert (await bob.events("live.screen_sharing.changed"))["allowed"] is False
    await _offer(ada, classroom.bob.pk, CAMERA_AND_SCREEN)
    assert await ada.events("error") == REFUSED
    assert await bob.nothing_more(0.2)
    assert await database_sync_to_async(_allowed)(classroom.session) is False
