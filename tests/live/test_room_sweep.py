"""Who may stay and who may come in: the process's sweep closes the sockets of people who lost
access (whoever took it away), the heartbeat keeps presence alive for all sockets in one write,
learners wait for the lobby, a full room refuses newcomers, and presence frames are coalesced."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone
from pytest_django.fixtures import Settings

from cadenza.courses.actions import withdraw_learner
from cadenza.courses.models import Enrolment
from cadenza.live.models import LiveSession, PresenceInterval
from cadenza.orgs.actions import remove_member
from cadenza.orgs.models import Membership
from cadenza.realtime import hub as hub_module
from cadenza.realtime.sweep import sweep
from tests.live.conftest import Classroom, Room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _withdraw_ada(classroom: Classroom) -> None:
    enrolment = Enrolment.objects.get(course=classroom.session.course, user=classroom.ada)
    withdraw_learner(enrolment=enrolment)


def _remove_ada_from_the_organization(classroom: Classroom) -> None:
    membership = Membership.objects.get(org=classroom.org, user=classroom.ada)
    remove_member(org=classroom.org, membership_id=membership.pk, removed_by=classroom.admin)


@pytest.mark.parametrize(
    "revoke", [_withdraw_ada, _remove_ada_from_the_organization], ids=["unenrolled", "removed"]
)
async def test_the_sweep_closes_every_socket_of_someone_who_lost_access_and_only_theirs(
    classroom: Classroom, room: Room, revoke: Callable[[Classroom], None]
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    second_tab, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    await database_sync_to_async(revoke)(classroom)
    for tab in (ada, second_tab):
        assert await tab.events("websocket.close", within=3) == {
            "type": "websocket.close",
            "code": 4403,
        }
    for tab in (ada, second_tab):
        await tab.close()  # the browser's side of the closing handshake
    assert (await bob.write("chat.post", body="still here"))["seq"] == 1
    assert (await bob.events("live.chat.posted"))["body"] == "still here"
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 1


async def test_a_sweep_reports_nobody_when_everyone_is_still_admitted(
    classroom: Classroom, room: Room
) -> None:
    await room.join(classroom.ada, classroom.session)
    await room.join(classroom.host, classroom.session)
    assert await sweep(hub_module.get_hub(), heartbeat=False) == 0


def _last_seen(classroom: Classroom) -> list[tuple[str, object]]:
    return list(
        PresenceInterval.objects.filter(session=classroom.session)
        .order_by("user__email")
        .values_list("user__email", "last_seen_at")
    )


async def test_one_heartbeat_keeps_all_presence_intervals_alive_and_pings_each_socket(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    beat = timezone.now().replace(microsecond=0) + timedelta(seconds=30)
    assert await sweep(hub_module.get_hub(), heartbeat=True, now=beat) == 0
    seen = await database_sync_to_async(_last_seen)(classroom)
    assert seen == [("ada@example.org", beat), ("bob@example.org", beat)]
    for client in (ada, bob):
        assert await client.events("ping") == {"type": "ping"}


def _move_start(session: LiveSession, *, minutes_from_now: int, lobby: int) -> None:
    starts = timezone.now() + timedelta(minutes=minutes_from_now)
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=1), lobby_minutes=lobby
    )


async def test_learners_wait_for_the_lobby_while_hosts_may_prepare_the_room(
    classroom: Classroom, room: Room
) -> None:
    await database_sync_to_async(_move_start)(classroom.session, minutes_from_now=30, lobby=10)
    early = await room.client(classroom.ada, classroom.session)
    assert await early.connect() == (False, 4403)
    host, _ = await room.join(classroom.host, classroom.session)
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 1
    assert (await host.write("room.open"))["seq"] == 1
    await room.join(classroom.ada, classroom.session)
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 2


async def test_learners_come_in_once_the_lobby_is_open(classroom: Classroom, room: Room) -> None:
    await database_sync_to_async(_move_start)(classroom.session, minutes_from_now=9, lobby=10)
    ada = await room.client(classroom.ada, classroom.session)
    assert await ada.connect() == (True, None)


def _set_capacity(session: LiveSession, capacity: int) -> None:
    LiveSession.objects.filter(pk=session.pk).update(capacity=capacity)


async def test_a_full_room_refuses_a_newcomer_but_not_a_second_tab_or_a_host(
    classroom: Classroom, room: Room
) -> None:
    await database_sync_to_async(_set_capacity)(classroom.session, 1)
    await room.join(classroom.ada, classroom.session)
    bob = await room.client(classroom.bob, classroom.session)
    assert await bob.connect() == (False, 4429)
    await room.join(classroom.ada, classroom.session)
    await room.join(classroom.host, classroom.session)
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 3
    assert (
        await database_sync_to_async(PresenceInterval.objects.filter(user=classroom.bob).count)()
        == 0
    )


async def test_joins_within_one_interval_are_announced_in_one_presence_frame(
    classroom: Classroom, room: Room, settings: Settings
) -> None:
    settings.LIVE_PRESENCE_INTERVAL = 2.0
    await hub_module.reset_hub()
    host, _ = await room.join(classroom.host, classroom.session)
    host.ignore = set()
    assert await host.events("live.presence") == {
        "type": "live.presence",
        "joined": [{"user_id": classroom.host.pk, "name": "Ines"}],
        "left": [],
        "count": 1,
    }
    ada, _ = await room.join(classroom.ada, classroom.session)
    await room.join(classroom.bob, classroom.session)
    await ada.close()
    await room.join(classroom.admin, classroom.session)
    assert await host.events("live.presence", within=5) == {
        "type": "live.presence",
        "joined": [
            {"user_id": classroom.admin.pk, "name": "Alma"},
            {"user_id": classroom.bob.pk, "name": "Bob"},
        ],
        "left": [],
        "count": 3,
    }
