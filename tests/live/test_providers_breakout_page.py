"""The room page's request for a breakout room's video: a learner gets their own room's join
details and nothing about the others (404); a host any open room's; BigBlueButton's breakout
meeting is created before anyone is sent to it."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadenza.live.models import BreakoutRoom, VideoProvider
from cadenza.live.providers import ProviderUnavailable, bigbluebutton_api, registry
from tests.live.fixtures_providers import (
    BBB,
    CREATE_REPLY,
    JITSI,
    JITSI_SECRET,
    FakeServer,
    Room,
    make_room,
    start_two_breakouts,
)

pytestmark = pytest.mark.django_db


def _get(room: Room, user: Any, breakout: object) -> Any:
    client = Client()
    client.force_login(user)
    url = reverse("live_breakout_video", args=[room.org.slug, room.session.pk])
    return client.get(url, {"breakout": str(breakout)})


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """BigBlueButton's server, faked: every call answers the documented create reply."""
    server = FakeServer(*[CREATE_REPLY] * 5)
    monkeypatch.setattr(registry, "urllib_fetch", server)
    monkeypatch.setattr(bigbluebutton_api, "urllib_fetch", server)
    return server


def test_the_address_is_the_session_page_and_video_breakout() -> None:
    """room_video.js builds it from the page's ``page_url``; this keeps the two in step."""
    page = reverse("live_room", args=["clinic", 7])
    assert reverse("live_breakout_video", args=["clinic", 7]) == f"{page}video/breakout/"


def test_learner_gets_the_join_details_of_their_own_breakout_room() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    breakouts = start_two_breakouts(room)
    response = _get(room, room.learner, breakouts.triage.pk)
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["is_moderator"], body["breakout_id"]) == (
        "jitsi",
        False,
        breakouts.triage.pk,
    )
    assert body["embed"]["roomName"] == breakouts.triage.provider_room
    claims = jwt.decode(
        body["embed"]["jwt"], JITSI_SECRET, algorithms=["HS256"], audience="cadenza"
    )
    assert (claims["room"], claims["context"]["user"]["moderator"]) == (
        breakouts.triage.provider_room,
        "false",
    )


def test_learner_asking_for_another_breakout_room_gets_404_and_no_details() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    breakouts = start_two_breakouts(room)
    response = _get(room, room.learner, breakouts.fluids.pk)
    assert response.status_code == 404
    assert response.json() == {"detail": "No such breakout room for you."}
    assert breakouts.fluids.provider_room not in response.content.decode()


def test_a_closed_breakout_room_or_one_of_another_session_is_404() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    breakouts = start_two_breakouts(room)
    other = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    theirs = start_two_breakouts(other).triage
    assert _get(room, room.host, theirs.pk).status_code == 404
    BreakoutRoom.objects.filter(pk=breakouts.triage.pk).update(closed_at=timezone.now())
    assert _get(room, room.learner, breakouts.triage.pk).status_code == 404
    assert _get(room, room.host, breakouts.triage.pk).status_code == 404


def test_host_may_join_any_breakout_room_as_moderator() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    breakouts = start_two_breakouts(room)
    for breakout in (breakouts.triage, breakouts.fluids):
        body = _get(room, room.host, breakout.pk).json()
        claims = jwt.decode(
            body["embed"]["jwt"], JITSI_SECRET, algorithms=["HS256"], audience="cadenza"
        )
        assert (claims["room"], claims["context"]["user"]["moderator"], body["is_moderator"]) == (
            breakout.provider_room,
            "true",
            True,
        )


@pytest.mark.parametrize("breakout", ["", "abc", "-1", "1e3", "٣", "9" * 30])
def test_a_missing_or_malformed_breakout_number_is_400(breakout: str) -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    start_two_breakouts(room)
    response = _get(room, room.learner, breakout)
    assert response.status_code == 400
    assert response.json() == {"detail": "Say which breakout room: ?breakout=<its number>."}


def test_bigbluebutton_breakout_meeting_is_created_then_the_learner_sent_to_it(
    no_network: FakeServer,
) -> None:
    room = make_room(provider=VideoProvider.BIGBLUEBUTTON, settings=BBB)
    breakouts = start_two_breakouts(room)
    body = _get(room, room.learner, breakouts.triage.pk).json()
    assert [url.split("?")[0] for url in no_network.urls] == [
        "https://bbb.example.org/bigbluebutton/api/create"
    ]
    assert f"meetingID={breakouts.triage.provider_room}&" in no_network.urls[0]
    assert body["breakout_id"] == breakouts.triage.pk
    assert f"meetingID={breakouts.triage.provider_room}&role=VIEWER&" in body["join_url"]


def test_bigbluebutton_is_not_asked_anything_for_someone_elses_breakout_room(
    no_network: FakeServer,
) -> None:
    room = make_room(provider=VideoProvider.BIGBLUEBUTTON, settings=BBB)
    breakouts = start_two_breakouts(room)
    assert _get(room, room.learner, breakouts.fluids.pk).status_code == 404
    assert no_network.urls == []


def test_bigbluebutton_not_answering_is_503_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(url: str) -> bytes:
        raise ProviderUnavailable("BigBlueButton did not answer (timed out).")

    monkeypatch.setattr(registry, "urllib_fetch", down)
    room = make_room(provider=VideoProvider.BIGBLUEBUTTON, settings=BBB)
    breakouts = start_two_breakouts(room)
    response = _get(room, room.learner, breakouts.triage.pk)
    assert response.status_code == 503
    assert response.json() == {"detail": "BigBlueButton did not answer (timed out)."}


def test_built_in_video_keeps_its_details_in_a_breakout_room() -> None:
    room = make_room(provider=VideoProvider.BUILTIN, settings={})
    breakouts = start_two_breakouts(room)
    body = _get(room, room.learner, breakouts.triage.pk).json()
    assert (body["kind"], body["breakout_id"], body["ice_servers"]) == (
        "builtin",
        breakouts.triage.pk,
        [],
    )
