"""The session's video through the API (the main room's and one's own breakout room's join
details, from the lobby on) and attaching the recording by address (hosts, after the end)."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from cadenza.live.models import LiveSession, VideoProvider
from cadenza.live.room.actions.moderation import remove_participant
from cadenza.orgs.selectors import access_org
from tests.api.conftest import api_as
from tests.live.fixtures_attendance import Live, build_live
from tests.live.fixtures_providers import JITSI, JITSI_SECRET, make_room, start_two_breakouts

pytestmark = pytest.mark.django_db


def _claims(body: dict[str, object]) -> dict[str, object]:
    embed = body["embed"]
    assert isinstance(embed, dict)
    decoded: dict[str, object] = jwt.decode(
        embed["jwt"],
        JITSI_SECRET,
        algorithms=["HS256"],
        audience="cadenza",
        options={"verify_nbf": False},  # valid from the session's start (here, later)
    )
    return decoded


def test_a_learner_gets_the_main_rooms_and_their_own_breakout_rooms_video() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    breakouts = start_two_breakouts(room)
    base = f"/orgs/{room.org.slug}/live-sessions/{room.session.pk}/video"
    main = api_as(room.learner).get(base)
    assert (main.status_code, main.json()["kind"], main.json()["is_moderator"]) == (
        200,
        "jitsi",
        False,
    )
    assert _claims(main.json())["room"] == room.session.provider_room
    own = api_as(room.learner).get(f"{base}/breakouts/{breakouts.triage.pk}")
    assert own.status_code == 200
    assert _claims(own.json())["room"] == breakouts.triage.provider_room
    other = api_as(room.learner).get(f"{base}/breakouts/{breakouts.fluids.pk}")
    assert (other.status_code, breakouts.fluids.provider_room in other.content.decode()) == (
        404,
        False,
    )


def test_before_the_lobby_only_hosts_get_the_video() -> None:
    room = make_room(
        provider=VideoProvider.JITSI,
        settings=JITSI,
        starts_at=(timezone.now() + timedelta(hours=2)).replace(microsecond=0),
    )
    start_two_breakouts(room)
    path = f"/orgs/{room.org.slug}/live-sessions/{room.session.pk}/video"
    refused = api_as(room.learner).get(path)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "The room is not open: come back when the lobby opens."}
    host = api_as(room.host).get(path)
    assert (host.status_code, host.json()["is_moderator"]) == (200, True)
    assert _claims(host.json())["context"]["user"]["moderator"] == "true"  # type: ignore[index]


def test_a_provider_that_is_not_set_up_is_503_with_the_reason() -> None:
    room = make_room(provider=VideoProvider.JITSI)
    start_two_breakouts(room)
    response = api_as(room.learner).get(
        f"/orgs/{room.org.slug}/live-sessions/{room.session.pk}/video"
    )
    assert response.status_code == 503
    assert list(response.json()) == ["detail"]


@pytest.fixture
def live() -> Live:
    return build_live()


def _recording(session: LiveSession) -> tuple[str | None, str, float | None]:
    session.refresh_from_db()
    return (session.recording_file.name, session.recording_url, session.recording_duration_seconds)


def test_a_host_attaches_and_removes_the_recording_by_address(live: Live) -> None:
    path = f"/orgs/{live.org.slug}/live-sessions/{live.session.pk}/recording"
    attached = api_as(live.host).put(
        path, {"url": "https://media.example.org/sim.mp4", "duration_seconds": 3000}
    )
    assert (attached.status_code, attached.json()) == (
        200,
        {"url": "https://media.example.org/sim.mp4", "has_file": False, "duration_seconds": 3000.0},
    )
    replay = api_as(live.ada).get(f"/orgs/{live.org.slug}/live-sessions/{live.session.pk}/replay")
    assert [r["url"] for r in replay.json()["recordings"]] == ["https://media.example.org/sim.mp4"]
    removed = api_as(live.host).delete(path)
    assert (removed.status_code, removed.json()["url"]) == (200, "")
    again = api_as(live.host).delete(path)
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "This session has no recording to remove."},
    )


def test_a_learner_cannot_attach_a_recording_and_a_bad_address_is_422(live: Live) -> None:
    path = f"/orgs/{live.org.slug}/live-sessions/{live.session.pk}/recording"
    refused = api_as(live.ada).put(path, {"url": "https://media.example.org/sim.mp4"})
    assert refused.status_code == 403
    assert _recording(live.session) == ("", "", None)
    bad = api_as(live.host).put(path, {"url": "javascript:alert(1)"})
    assert (bad.status_code, list(bad.json()["errors"])) == (422, ["url"])
    assert _recording(live.session) == ("", "", None)


def test_a_removed_learner_gets_no_video_details() -> None:
    room = make_room(provider=VideoProvider.JITSI, settings=JITSI)
    start_two_breakouts(room)
    remove_participant(
        ctx=access_org(user=room.host, slug=room.org.slug),
        session=room.session,
        user_id=room.learner.pk,
    )
    response = api_as(room.learner).get(
        f"/orgs/{room.org.slug}/live-sessions/{room.session.pk}/video"
    )
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "You were removed from this session."},
    )
