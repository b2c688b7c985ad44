"""Presence is a lease per server process (DESIGN section 4, "Faults"), on a private Redis.

Two hubs on one Redis stand for two server processes. A process that dies without a word
(``kill -9``) stops renewing its lease, and its people stop counting within the lease (they
once stayed "present" for ever: 295 counted for 195 open sockets); a Redis restart that lost
everything is followed by each process telling its people again (it once undercounted, 184
for 200); while Redis is away, joining and leaving never fail. And a wave of 500 joins and
leaves at once goes through the blocking pools without an error (it once failed 37-40
departures with ``MaxConnectionsError``).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
import redis

from cadenza.live.room.events import Person
from cadenza.realtime.connection import RoomConnection
from cadenza.realtime.hub import RoomHub
from cadenza.realtime.presence import PresenceCounter
from cadenza.realtime.redis_pool import async_client, outage
from tests.live.redis_settings import channel_layer_for, settings_with_redis
from tests.private_redis import PrivateRedis

SESSION = 41
LEASE_SECONDS = 1.0
WAIT_SECONDS = 15.0
ADA, BOB, CLEO = (
    Person(user_id=1, name="Ada"),
    Person(user_id=2, name="Bob"),
    Person(user_id=3, name="Cleo"),
)


@pytest_asyncio.fixture
async def processes(private_redis_server: PrivateRedis) -> AsyncIterator[list[RoomHub]]:
    """Two server processes' hubs on one Redis (one install: one prefix)."""
    prefix = f"leases-{uuid.uuid4().hex[:8]}"
    hubs = [
        RoomHub(redis_url=private_redis_server.url, prefix=prefix, lease_seconds=LEASE_SECONDS)
        for _ in range(2)
    ]
    yield hubs
    for hub in hubs:
        with contextlib.suppress(Exception):
            await hub.close()


def _socket(person: Person) -> RoomConnection:
    return RoomConnection(session_id=SESSION, person=person, is_moderator=False, queue_size=8)


async def _eventually(read: Callable[[], Awaitable[Any]], expected: Any) -> None:
    """Wait (WAIT_SECONDS at most) until ``read()`` answers ``expected``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while (answer := await read()) != expected:
        assert loop.time() < deadline, f"still {answer!r}, not {expected!r}"
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_a_dead_processs_people_stop_counting_and_those_present_elsewhere_stay(
    processes: list[RoomHub],
) -> None:
    one, two = processes
    assert await one.arrive(_socket(ADA))
    assert await two.arrive(_socket(BOB))
    assert not await two.arrive(_socket(ADA))  # Ada's second tab, on the other server
    assert await one.present(SESSION, listed=10) == (2, [1, 2])

    await two.close()  # it dies: no departure is ever counted, its lease is not renewed

    await _eventually(lambda: one.present(SESSION, listed=10), (1, [1]))
    assert await one.presence_counter().includes(SESSION, 1)
    assert not await one.presence_counter().includes(SESSION, 2)


@pytest.mark.asyncio
async def test_a_person_on_two_servers_leaves_once_their_last_socket_closes(
    processes: list[RoomHub],
) -> None:
    one, two = processes
    first, second = _socket(CLEO), _socket(CLEO)
    assert await one.arrive(first)
    assert not await two.arrive(second)
    assert not await one.depart(first)  # still here through the other server
    assert await one.present(SESSION, listed=10) == (1, [3])
    assert await two.depart(second)
    assert await one.present(SESSION, listed=10) == (0, [])


@pytest.mark.asyncio
async def test_after_a_redis_restart_each_process_tells_its_people_again(
    processes: list[RoomHub], private_redis_server: PrivateRedis
) -> None:
    one, two = processes
    await one.arrive(_socket(ADA))
    await two.arrive(_socket(BOB))
    private_redis_server.restart()  # everything Redis held is lost
    await _eventually(lambda: one.present(SESSION, listed=10), (2, [1, 2]))
    await _eventually(lambda: two.present(SESSION, listed=10), (2, [1, 2]))


@pytest.mark.asyncio
async def test_joining_and_leaving_while_redis_is_away_never_fails_and_is_told_later(
    processes: list[RoomHub], private_redis_server: PrivateRedis
) -> None:
    one, two = processes
    leaving = _socket(BOB)
    await one.arrive(leaving)
    await two.arrive(_socket(ADA))
    private_redis_server.stop()

    assert await one.arrive(_socket(CLEO))
    assert await one.depart(leaving)
    # What this process knows, meanwhile (the other server's Ada is out of its sight).
    assert await one.present(SESSION, listed=10) == (1, [3])

    private_redis_server.start()
    await _eventually(lambda: two.present(SESSION, listed=10), (2, [1, 3]))


@pytest.mark.asyncio
async def test_a_wave_of_500_joins_and_leaves_goes_through_without_an_error(
    processes: list[RoomHub], private_redis_server: PrivateRedis
) -> None:
    hub = processes[0]
    layer = channel_layer_for(private_redis_server.url)
    outages = outage.count
    sockets = [_socket(Person(user_id=n, name=f"P{n}")) for n in range(1, 501)]
    channels = [await layer.new_channel() for _ in sockets]
    try:
        # As 500 consumers do: join the person's group, count in, tell the room (typing).
        await asyncio.gather(
            *(
                layer.group_add(f"person-{s.user_id}", c)
                for s, c in zip(sockets, channels, strict=True)
            ),
            *(hub.arrive(s) for s in sockets),
            *(hub.broadcast_ephemeral(session_id=SESSION, frame="{}") for _ in sockets),
        )
        assert (await hub.present(SESSION, listed=0))[0] == 500
        assert await _group_members(private_redis_server, layer) == 500

        # ... and all leave at once.
        await asyncio.gather(
            *(
                layer.group_discard(f"person-{s.user_id}", c)
                for s, c in zip(sockets, channels, strict=True)
            ),
            *(hub.depart(s) for s in sockets),
        )
        assert await hub.present(SESSION, listed=0) == (0, [])
        assert await _group_members(private_redis_server, layer) == 0
        assert outage.count == outages  # not one command failed
        assert layer.memberships == {}
    finally:
        await layer.close_pools()


async def _group_members(server: PrivateRedis, layer: Any) -> int:
    client = redis.Redis.from_url(server.url)
    try:
        keys = client.keys(f"{layer.prefix}:group:person-*")
        return sum(int(client.zcard(key)) for key in keys)
    finally:
        client.close()


def test_huey_takes_its_redis_connections_from_a_blocking_pool() -> None:
    huey = settings_with_redis("redis://127.0.0.1:1/0").HUEY
    assert huey["huey_class"] == "huey.RedisHuey"
    assert isinstance(huey["connection_pool"], redis.BlockingConnectionPool)
    assert (huey["connection_pool"].max_connections, huey["connection_pool"].timeout) == (50, 20)


@pytest.mark.asyncio
async def test_a_dead_processs_people_are_told_as_left_once_and_not_those_present_elsewhere(
    private_redis_server: PrivateRedis,
) -> None:
    prefix = f"gone-{uuid.uuid4().hex[:8]}"
    told: list[tuple[int, list[Person]]] = []
    clients = [async_client(private_redis_server.url) for _ in range(2)]
    survivor = PresenceCounter(
        client=clients[0],
        prefix=prefix,
        lease_seconds=LEASE_SECONDS,
        gone=lambda session_id, people: told.append((session_id, people)),
    )
    dead = PresenceCounter(client=clients[1], prefix=prefix, lease_seconds=LEASE_SECONDS)
    try:
        await survivor.change(session_id=SESSION, person=ADA, delta=1)
        await dead.change(session_id=SESSION, person=BOB, delta=1)
        await dead.change(session_id=SESSION, person=ADA, delta=1)  # Ada's other tab
        # The dead process never renews its lease again; the survivor's keeper runs.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while not told:
            assert loop.time() < deadline, "the dead process's people were not told as left"
            await survivor.keep_once()
            await asyncio.sleep(0.05)
        await survivor.keep_once()
        assert told == [(SESSION, [BOB])]
        assert await survivor.summary(SESSION, listed=10) == (1, [1])
    finally:
        for client in clients:
            await client.aclose()
