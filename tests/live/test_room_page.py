"""The session page (``live_room``): one URL from scheduling to replay, per stage and role.

Before the lobby: agenda, start in the viewer's zone, countdown and calendar file; from the
lobby on: the pre-join check and the room with the join details embedded; hosts get the
console (and the room before the lobby); after the session: the replay. Another
organization's session and a session of a course one is not enrolled in answer 404.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.live.models import (
    LiveSession,
    SessionFormat,
    SessionStatus,
    VideoProvider,
)
from cadenza.live.room.actions.chat import post_chat_message
from cadenza.live.room.actions.moderation import remove_participant
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import access_org
from tests.factories import enrol, make_course, make_module, make_org, make_user

pytestmark = pytest.mark.django_db


@dataclass
class School:
    org: Organization
    host: User
    learner: User
    outsider: User
    """A learner of the organization who is not enrolled in the course."""
    session: LiveSession


def school(
    *,
    starts_in: timedelta,
    minutes: int = 60,
    provider: VideoProvider = VideoProvider.BUILTIN,
    format: SessionFormat = SessionFormat.CLASS,
    slug: str = "harbour",
) -> School:
    org = make_org(slug=slug, name=f"{slug.title()} Hospital")
    host = make_user(org, Role.INSTRUCTOR, email=f"ines@{slug}.example", display_name="Ines")
    learner = make_user(
        org, email=f"ada@{slug}.example", display_name="Ada", time_zone="Europe/Paris"
    )
    outsider = make_user(org, email=f"carl@{slug}.example", display_name="Carl")
    course = make_course(org, title="Sepsis basics", slug="sepsis")
    starts = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    scheduled = schedule_live_session(
        module=make_module(course, "Week 1"),
        title="Sepsis simulation",
        agenda="Bring your **checklist**.",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        hosts=[host],
        format=format,
        created_by=host,
        provider=provider,
    )
    publish_course(course=course)
    enrol(course, learner)
    return School(org, host, learner, outsider, scheduled.sessions[0])


def page(user: User | None, session: LiveSession) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("live_room", args=[session.org.slug, session.pk]))


def embedded(response: Any, element_id: str) -> Any:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found is not None, f"no #{element_id} on the page"
    return json.loads(found.group(1))


def paris(moment: datetime) -> str:
    local = timezone.localtime(moment, timezone=zoneinfo.ZoneInfo("Europe/Paris"))
    return f"{local:%-d %b %Y, %H:%M} (Europe/Paris)"


def test_learner_before_the_lobby_sees_agenda_time_in_her_zone_countdown_and_calendar_file() -> (
    None
):
    room = school(starts_in=timedelta(hours=3))
    response = page(room.learner, room.session)
    html = response.content.decode()
    assert response.status_code == 200
    assert paris(room.session.starts_at) in html
    assert "<strong>checklist</strong>" in html
    assert 'data-countdown="' + room.session.starts_at.isoformat() + '"' in html
    assert reverse("live_session_ics", args=["harbour", room.session.pk]) in html
    assert 'id="room-config"' not in html
    assert 'id="prejoin"' not in html
    assert "live/room_countdown.js" in html


def test_learner_in_the_lobby_gets_the_prejoin_check_and_the_room_with_join_details() -> None:
    room = school(starts_in=timedelta(minutes=5))
    response = page(room.learner, room.session)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="prejoin"' in html
    assert 'id="room"' in html
    assert 'id="host-console"' not in html
    assert "live/room.js" in html
    config = embedded(response, "room-config")
    assert config == {
        "session_id": room.session.pk,
        "socket_path": f"/ws/live/{room.session.pk}/",
        "me": {"user_id": room.learner.pk, "name": "Ada"},
        "time_zone": "Europe/Paris",
        "is_host": False,
        "hosts": [{"user_id": room.host.pk, "name": "Ines"}],
        "people": [],
        "format": "class",
        "private_chat": "hosts",
        "starts_at": room.session.starts_at.isoformat(),
        "ends_at": room.session.ends_at.isoformat(),
        "lobby_opens_at": (room.session.starts_at - timedelta(minutes=10)).isoformat(),
        "attendance_url": "",
        "page_url": f"/o/harbour/live/{room.session.pk}/",
        "away_seconds": 60.0,
    }
    assert embedded(response, "join-details") == {
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


def test_host_enters_the_room_and_console_before_the_lobby_opens() -> None:
    room = school(starts_in=timedelta(hours=3))
    response = page(room.host, room.session)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="host-console"' in html
    assert reverse("live_attendance", args=["harbour", room.session.pk]) in html
    config = embedded(response, "room-config")
    assert config["is_host"] is True
    assert config["people"] == [{"user_id": room.learner.pk, "name": "Ada"}]
    assert config["attendance_url"] == f"/o/harbour/live/{room.session.pk}/attendance/"
    assert embedded(response, "join-details")["is_moderator"] is True


def test_learner_in_a_webinar_is_told_the_stage_sends_and_she_watches() -> None:
    room = school(starts_in=timedelta(minutes=1), format=SessionFormat.WEBINAR)
    media = embedded(page(room.learner, room.session), "join-details")["media"]
    assert media == {
        "publish_video": False,
        "publish_audio": False,
        "video_participant_limit": 6,
        "stage_only": True,
        "modes": ["none"],
    }


def test_session_without_video_embeds_no_video_details() -> None:
    room = school(starts_in=timedelta(minutes=1), provider=VideoProvider.NONE)
    assert embedded(page(room.learner, room.session), "join-details") == {
        "kind": "none",
        "is_moderator": False,
    }


def test_learner_enters_before_the_lobby_once_a_host_has_opened_the_room() -> None:
    room = school(starts_in=timedelta(hours=2))
    LiveSession.objects.filter(pk=room.session.pk).update(opened_at=timezone.now())
    html = page(room.learner, room.session).content.decode()
    assert 'id="prejoin"' in html


def test_after_the_session_the_page_is_the_replay_with_the_chat_transcript() -> None:
    room = school(starts_in=timedelta(minutes=-30), minutes=60)
    post_chat_message(
        ctx=access_org(user=room.learner, slug="harbour"),
        session=room.session,
        body="See you next week",
        client_event_id="c1",
    )
    LiveSession.objects.filter(pk=room.session.pk).update(closed_at=timezone.now())
    response = page(room.learner, room.session)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sepsis simulation: replay" in html
    assert "See you next week" in html
    assert 'id="room-config"' not in html
    assert 'id="chat-heading"' in html


def test_host_sees_attendance_on_the_replay() -> None:
    room = school(starts_in=timedelta(hours=-2), minutes=60)
    html = page(room.host, room.session).content.decode()
    assert 'id="attendance-heading"' in html


def test_a_cancelled_session_says_so_and_opens_no_room() -> None:
    room = school(starts_in=timedelta(minutes=2))
    LiveSession.objects.filter(pk=room.session.pk).update(status=SessionStatus.CANCELLED)
    html = page(room.learner, room.session).content.decode()
    assert "This session was cancelled." in html
    assert 'id="room-config"' not in html


def test_learner_not_enrolled_is_told_so_instead_of_404() -> None:
    room = school(starts_in=timedelta(minutes=2))
    response = page(room.outsider, room.session)
    assert response.status_code == 403
    assert "You are not enrolled in" in response.content.decode()


def test_another_organizations_session_is_404_even_for_its_url_under_my_organization() -> None:
    mine = school(starts_in=timedelta(minutes=2))
    theirs = school(starts_in=timedelta(minutes=2), slug="elsewhere")
    client = Client()
    client.force_login(mine.host)
    response = client.get(reverse("live_room", args=["harbour", theirs.session.pk]))
    assert response.status_code == 404
    response = client.get(reverse("live_room", args=["elsewhere", theirs.session.pk]))
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_log_in() -> None:
    room = school(starts_in=timedelta(minutes=2))
    response = page(None, room.session)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_learner_may_not_start_the_video_meeting() -> None:
    room = school(starts_in=timedelta(minutes=2))
    client = Client()
    client.force_login(room.learner)
    url = reverse("live_room_video_start", args=["harbour", room.session.pk])
    assert client.post(url).status_code == 403


def test_host_starting_a_built_in_video_meeting_lands_back_on_the_page() -> None:
    room = school(starts_in=timedelta(minutes=2))
    client = Client()
    client.force_login(room.host)
    response = client.post(reverse("live_room_video_start", args=["harbour", room.session.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/o/harbour/live/{room.session.pk}/"


def test_a_removed_learner_is_told_so_instead_of_getting_a_room_that_never_joins() -> None:
    room = school(starts_in=timedelta(minutes=-5))
    ctx = access_org(user=room.host, slug=room.org.slug)
    remove_participant(ctx=ctx, session=room.session, user_id=room.learner.pk)
    response = page(room.learner, room.session)
    html = response.content.decode()
    assert response.status_code == 403
    assert "A host removed you from this session." in html
    assert 'id="room-config"' not in html
    assert "live/room.js" not in html
    assert page(room.host, room.session).status_code == 200
