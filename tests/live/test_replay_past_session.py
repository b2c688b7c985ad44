"""A past session written with its own moments (room actions take ``at``: the demo's
briefing, an import) shows them on its replay: rows, numbered events and statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.live.models import ChatMessage, RoomEvent, RoomQuestion
from cadenza.live.room.actions.chat import post_chat_message
from cadenza.live.room.actions.questions import ask_question
from cadenza.live.room.actions.state import close_room
from cadenza.orgs.models import Role
from cadenza.orgs.selectors import OrgContext
from tests.factories import PASSWORD
from tests.live.fixtures_attendance import Live, build_live

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> Live:
    return build_live()


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def url(live: Live) -> str:
    return reverse("live_replay", kwargs={"org_slug": live.org.slug, "session_id": live.session.pk})


def test_a_past_session_written_with_its_own_moments_shows_them_on_the_replay(live: Live) -> None:
    start = datetime(2025, 3, 19, 15, 0, tzinfo=UTC)
    live.session.starts_at, live.session.ends_at = start, start + timedelta(hours=1)
    live.session.save()
    ada = OrgContext(org=live.org, user=live.ada, role=Role.LEARNER)
    host = OrgContext(org=live.org, user=live.host, role=Role.INSTRUCTOR)
    post_chat_message(
        ctx=ada,
        session=live.session,
        body="Morning from the ICU",
        client_event_id="c-1",
        at=start + timedelta(minutes=4),
    )
    ask_question(
        ctx=ada,
        session=live.session,
        body="Lactate at 2 h?",
        client_event_id="q-1",
        at=start + timedelta(minutes=25),
    )
    close_room(ctx=host, session=live.session, at=start + timedelta(hours=1))
    live.ada.time_zone = "America/Chicago"
    live.ada.save()

    page = client_for(live.ada).get(url(live)).content.decode()

    events = RoomEvent.objects.filter(session=live.session).order_by("seq")
    assert [(e.type, e.created_at - start) for e in events] == [
        ("live.chat.posted", timedelta(minutes=4)),
        ("live.question.asked", timedelta(minutes=25)),
        ("live.room.closed", timedelta(hours=1)),
    ]
    assert ChatMessage.objects.get().created_at == start + timedelta(minutes=4)
    assert RoomQuestion.objects.get().created_at == start + timedelta(minutes=25)
    commented = Statement.objects.filter(actor=live.ada, object_type="live_session")
    assert sorted(commented.values_list("verb", "timestamp")) == [
        (Verb.COMMENTED.value, start + timedelta(minutes=4)),
        (Verb.COMMENTED.value, start + timedelta(minutes=25)),
    ]
    assert '<span class="muted">19 Mar 2025, 10:04 (America/Chicago)</span>' in page
