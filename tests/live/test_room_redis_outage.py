"""A Redis outage costs a delay, never a socket (DESIGN section 4, "Faults").

Against a private Redis that the tests stop and start: the channel layer the project
configures keeps a socket's receiver waiting through a Redis restart instead of raising into
Channels' dispatch (which ended the consumer and closed the socket: 184 of 200 sockets in a
3 s restart), never fails ``group_add`` in a handshake, and re-joins the per-person groups a
restarted Redis lost, so a host's removal reaches the person's sockets again. The room hub's
subscription is made even while Redis is away, and messages flow once it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
import redis

from cadenza.realtime.redis_pool import async_client
from cadenza.realtime.subscriber import RoomSubscriber
from cadenza.realtime.wire import room_channel
from tests.live.redis_settings import channel_layer_for
from tests.private_redis import PrivateRedis

pytestmark = pytest.mark.asyncio

WAIT_SECONDS = 15.0


@pytest_asyncio.fixture
async def layer(private_redis_server: PrivateRedis) -> AsyncIterator[Any]:
    layer = channel_layer_for(private_redis_server.url)
    yield layer
    with contextlib.suppress(Exception):
        await layer.close_pools()


async def _eventually(step: Callable[[], Any], done: Callable[[], bool]) -> None:
    """Repeat ``step`` (a coroutine function) until ``done``, for WAIT_SECONDS at most."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not done():
        assert loop.time() < deadline, "not within the wait"
        await step()
        await asyncio.sleep(0.05)


async def _nothing() -> None:
    return None


REVOKED = {"type": "live.person.revoked", "session_id": 3}


async def _revoked_through(layer: Any, group: str, receiving: asyncio.Task[Any]) -> Any:
    """Send a removal's message to ``group`` until the receiver gets it; what it got."""

    async def revoke() -> None:
        await layer.group_send(group, REVOKED)

    await _eventually(revoke, receiving.done)
    return receiving.result()


async def test_a_receiver_rides_out_a_redis_restart_and_its_person_group_is_joined_again(
    layer: Any, private_redis_server: PrivateRedis
) -> None:
    channel = await layer.new_channel()
    await layer.group_add("person-7", channel)
    receiving = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0.3)  # the receiver is waiting on Redis

    private_redis_server.restart()  # Redis forgets every group

    assert await _revoked_through(layer, "person-7", receiving) == REVOKED


async def test_joining_a_group_while_redis_is_away_neither_fails_nor_is_forgotten(
    layer: Any, private_redis_server: PrivateRedis
) -> None:
    channel = await layer.new_channel()
    receiving = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0.3)
    private_redis_server.stop()

    await layer.group_add("person-8", channel)  # a handshake while Redis is away

    private_redis_server.start()

    assert await _revoked_through(layer, "person-8", receiving) == REVOKED


async def test_a_message_sent_while_redis_is_away_is_dropped_without_an_error(
    layer: Any, private_redis_server: PrivateRedis
) -> None:
    channel = await layer.new_channel()
    await layer.group_add("person-9", channel)
    private_redis_server.stop()
    await layer.group_send("person-9", {"type": "live.person.frame", "session_id": 1, "text": "{}"})
    await layer.group_discard("person-9", channel)
    assert layer.memberships == {}


class _Heard:
    def __init__(self) -> None:
        self.messages: list[tuple[int, str]] = []
        self.recoveries = 0

    def receive(self, session_id: int, text: str) -> None:
        self.messages.append((session_id, text))

    def recovered(self) -> None:
        self.recoveries += 1


@pytest_asyncio.fixture
async def subscriber(
    private_redis_server: PrivateRedis,
) -> AsyncIterator[tuple[RoomSubscriber, _Heard]]:
    heard = _Heard()
    client = async_client(private_redis_server.url)
    subscriber = RoomSubscriber(
        client=client, prefix="outage", receive=heard.receive, recovered=heard.recovered
    )
    yield subscriber, heard
    await subscriber.close()
    await client.aclose()


def _publish(server: PrivateRedis, session_id: int, text: str) -> Callable[[], Any]:
    async def publish() -> None:
        client = redis.Redis.from_url(server.url)
        try:
            client.publish(room_channel("outage", session_id), text)
        finally:
            client.close()

    return publish


async def test_a_room_subscribed_while_redis_is_away_hears_its_messages_once_it_is_back(
    subscriber: tuple[RoomSubscriber, _Heard], private_redis_server: PrivateRedis
) -> None:
    room, heard = subscriber
    private_redis_server.stop()
    await room.subscribe(5)  # a first socket's handshake while Redis is away
    private_redis_server.start()
    await _eventually(
        _publish(private_redis_server, 5, "0\n[]\nhello"), lambda: bool(heard.messages)
    )
    assert heard.messages[0] == (5, "0\n[]\nhello")
    await _eventually(_nothing, lambda: heard.recoveries >= 1)


async def test_after_a_redis_restart_the_room_hears_again_and_the_hub_is_told_to_catch_up(
    subscriber: tuple[RoomSubscriber, _Heard], private_redis_server: PrivateRedis
) -> None:
    room, heard = subscriber
    await room.subscribe(6)
    private_redis_server.restart()
    await _eventually(
        _publish(private_redis_server, 6, "4\n[]\nback"), lambda: bool(heard.messages)
    )
    assert heard.messages[0] == (6, "4\n[]\nback")
    await _eventually(_nothing, lambda: heard.recoveries >= 1)


async def test_a_room_left_while_redis_is_away_is_not_heard_once_it_is_back(
    subscriber: tuple[RoomSubscriber, _Heard], private_redis_server: PrivateRedis
) -> None:
    room, heard = subscriber
    await room.subscribe(5)
    await room.subscribe(6)
    private_redis_server.stop()
    await room.unsubscribe(6, unless=lambda: False)  # its last socket left meanwhile
    private_redis_server.start()

    async def publish_to_both() -> None:
        # In this order on one connection: were room 6 heard, it would be heard first.
        client = redis.Redis.from_url(private_redis_server.url)
        try:
            client.publish(room_channel("outage", 6), "0\n[]\nsix")
            client.publish(room_channel("outage", 5), "0\n[]\nfive")
        finally:
            client.close()

    # Room 5 is heard again; room 6, subscribed again for a moment by redis-py's own
    # reconnection, soon not at all.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        heard.messages.clear()
        await _eventually(publish_to_both, lambda: any(s == 5 for s, _text in heard.messages))
        if {session_id for session_id, _text in heard.messages} == {5}:
            break
        assert loop.time() < deadline, "room 6 is still heard"
