"""The room's sockets on a private Redis, through the real ASGI application (Origin, cookie,
consumer, hub, the channel layer the project configures): a handshake while Redis is away is
accepted and the person's group works once it is back (a host's removal closes the socket at
once), and a room with a capacity lets a newcomer in when the people "in it" were a dead
server's ghosts.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import redis
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from pytest_django.fixtures import Settings

from cadenza.live.models import LiveSession
from cadenza.live.room.actions.moderation import person_group
from cadenza.live.room.events import Person
from cadenza.realtime.connection import RoomConnection
from cadenza.realtime.hub import RoomHub, get_hub
from tests.live.conftest import Classroom, Room, room_clients
from tests.live.redis_settings import settings_with_redis
from tests.private_redis import PrivateRedis

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 15.0


@pytest_asyncio.fixture
async def room_on_redis(
    settings: Settings, private_redis_server: PrivateRedis
) -> AsyncIterator[Room]:
    """Room clients against this process's hub and channel layer on the private Redis."""
    configured = settings_with_redis(private_redis_server.url)
    settings.REDIS_URL = private_redis_server.url
    settings.LIVE_HUB_PREFIX = f"sockets-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = configured.CHANNEL_LAYERS
    settings.LIVE_PRESENCE_LEASE_SECONDS = 1.0
    settings.LIVE_PRESENCE_INTERVAL = 0.05
    settings.LIVE_SWEEP_SECONDS = 60.0  # so that only the person's group can close a socket
    settings.LIVE_FLUSH_SECONDS = 0.01
    async with room_clients() as opened:
        yield opened


async def test_a_handshake_while_redis_is_away_is_let_in_and_a_removal_reaches_it_once_back(
    classroom: Classroom, room_on_redis: Room, private_redis_server: PrivateRedis
) -> None:
    ada, _replay = await room_on_redis.join(classroom.ada, classroom.session)
    private_redis_server.stop()

    bob, replay = await room_on_redis.join(classroom.bob, classroom.session)
    assert [frame["type"] for frame in replay] == ["room.snapshot"]

    private_redis_server.start()
    # The person's group, lost with Redis's data, is joined again: a removal's message closes
    # Bob's socket through it (the sweep would take a minute).
    layer = get_channel_layer()
    assert layer is not None
    group = person_group(classroom.bob.pk)
    members = redis.Redis.from_url(private_redis_server.url)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    try:
        while not members.zcard(f"{layer.prefix}:group:{group}"):
            assert loop.time() < deadline, "Bob's group was not joined again"
            await asyncio.sleep(0.05)
    finally:
        members.close()
    await layer.group_send(
        group, {"type": "live.person.revoked", "session_id": classroom.session.pk}
    )
    closed = await bob.expect("websocket.close")
    assert closed["code"] == 4403
    await ada.send({"type": "ping"})  # Ada's socket rode the outage out
    assert await ada.expect("pong") == {"type": "pong"}


def _set_capacity(session: LiveSession, capacity: int) -> None:
    LiveSession.objects.filter(pk=session.pk).update(capacity=capacity)


async def test_a_full_room_of_a_dead_servers_ghosts_lets_a_newcomer_in(
    classroom: Classroom, room_on_redis: Room, settings: Settings
) -> None:
    await database_sync_to_async(_set_capacity)(classroom.session, 2)
    other_server = RoomHub(
        redis_url=settings.REDIS_URL, prefix=settings.LIVE_HUB_PREFIX, lease_seconds=1.0
    )
    for person in (classroom.bob, classroom.carl):
        await other_server.arrive(
            RoomConnection(
                session_id=classroom.session.pk,
                person=Person(user_id=person.pk, name=person.display_name),
                is_moderator=False,
                queue_size=8,
            )
        )
    assert await get_hub().present(classroom.session.pk, listed=5) == (
        2,
        sorted([classroom.bob.pk, classroom.carl.pk]),
    )
    await other_server.close()  # killed: nobody departs, its lease runs out

    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        ada = await room_on_redis.client(classroom.ada, classroom.session)
        accepted, code = await ada.connect()
        if accepted:
            break
        assert code == 4429
        assert loop.time() < deadline, "the ghosts kept the room full"
        await asyncio.sleep(0.2)
    frames = await ada.hello(0)
    assert [(f["type"], f["present_count"]) for f in frames] == [("room.snapshot", 1)]
