"""Opening the room tells everyone it is starting; closing it counts attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadenza.live.attendance.actions.attendance import join_room
from cadenza.live.models import Attendance
from cadenza.live.room.actions.state import close_room, open_room
from cadenza.live.schedule.actions.scheduling import move_occurrence
from cadenza.notifications.models import Notification, OutboxEmail
from tests.live.conftest import Classroom, build_classroom, ctx_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> Classroom:
    return build_classroom()


def test_opening_the_room_tells_the_learners_once_and_not_the_host(school: Classroom) -> None:
    ctx = ctx_of(school.host, school.org)
    open_room(ctx=ctx, session=school.session, client_event_id="open-1")
    close_room(ctx=ctx, session=school.session, client_event_id="close-1")
    open_room(ctx=ctx, session=school.session, client_event_id="open-2")

    notices = Notification.objects.filter(title="Starting now: Sepsis simulation")
    assert sorted(notices.values_list("user__email", flat=True)) == [
        "ada@example.org",
        "bob@example.org",
    ]
    queued = OutboxEmail.objects.filter(subject__startswith="Starting now")
    assert sorted(queued.values_list("to", flat=True)) == ["ada@example.org", "bob@example.org"]


def test_closing_the_room_counts_who_attended(school: Classroom) -> None:
    ended = timezone.now().replace(microsecond=0) - timedelta(minutes=30)
    session = move_occurrence(
        session=school.session,
        starts_at=ended - timedelta(hours=1),
        ends_at=ended,
        by=school.host,
    )
    join_room(session=session, user=school.ada, connection_id="ada-1", at=session.starts_at)
    join_room(
        session=session,
        user=school.bob,
        connection_id="bob-1",
        at=session.ends_at - timedelta(minutes=10),
    )
    ctx = ctx_of(school.host, school.org)
    open_room(ctx=ctx, session=session, client_event_id="open-1")
    close_room(ctx=ctx, session=session, client_event_id="close-1")

    rows = {
        row.user.email: (row.attended, row.seconds_present)
        for row in Attendance.objects.filter(session=session).select_related("user")
    }
    assert rows == {"ada@example.org": (True, 3600), "bob@example.org": (False, 600)}
