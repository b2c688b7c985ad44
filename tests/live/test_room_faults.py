"""Faults injected into a running room (DESIGN section 4, "Faults"; issue 13, "Done means").

Two real server processes and a private Redis. People on both servers chat; Redis is
restarted mid-session (its data lost, as a restart without persistence loses it) while they
go on writing, and a newcomer's tab opens while it is away; then one server is killed with
SIGKILL. What must hold:

- every socket of the surviving server stays open throughout;
- every participant, those of the killed server reconnecting to the survivor with their last
  number, ends with every acknowledged event exactly once and in order;
- presence counts the people really present within 5 s of the kill (the killed server's
  people who did not come back stop counting; those who came back count once);
- no handshake answers 500, whether Redis is away or a server just died.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cadenza.realtime.presence import PresenceCounter
from cadenza.realtime.redis_pool import async_client
from tests.live.two_servers import (
    Participant,
    Server,
    seed,
    server_env,
    start_servers,
    stop_servers,
)
from tests.private_redis import PrivateRedis, private_redis

pytestmark = pytest.mark.asyncio

SEED = """
import json
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from tests.factories import enrol, make_user
from tests.live.conftest import build_classroom, session_cookie
room = build_classroom()
people = {"ada": room.ada, "bob": room.bob, "ines": room.host, "alma": room.admin}
for name in ("cleo", "dan", "eve"):
    people[name] = make_user(room.org, email=f"{name}@example.org", display_name=name.title())
    enrol(room.session.course, people[name])
print(json.dumps({
    "session": room.session.pk,
    "cookies": {name: session_cookie(user) for name, user in people.items()},
    "ids": {name: user.pk for name, user in people.items()},
}))
"""

OUTAGE_SECONDS = 2.0
LEASE_SECONDS = "2"
WAIT_SECONDS = 10.0
"""The servers' presence lease: a dead server's people stop counting within it."""


@pytest.fixture
def room_on_two_servers(
    tmp_path: Path,
) -> Iterator[tuple[dict[str, Any], list[Server], PrivateRedis]]:
    with private_redis() as redis_server:
        yield from _two_servers(tmp_path, redis_server)


def _two_servers(
    tmp_path: Path, redis_server: PrivateRedis
) -> Iterator[tuple[dict[str, Any], list[Server], PrivateRedis]]:
    env = server_env(
        tmp_path,
        redis_server.url,
        CADENZA_LIVE_PRESENCE_LEASE_SECONDS=LEASE_SECONDS,
        CADENZA_LIVE_PRESENCE_INTERVAL="0.2",
    )
    data = seed(env, SEED)
    data["prefix"] = env["LIVE_HUB_PREFIX"]
    servers = start_servers(env, 2, tmp_path)
    try:
        yield data, servers, redis_server
    finally:
        stop_servers(servers)


async def _counted_in_redis(url: str, data: dict[str, Any], expected: int) -> bool:
    """Whether Redis counts ``expected`` people in the room within WAIT_SECONDS."""
    client = async_client(url)
    counter = PresenceCounter(client=client, prefix=data["prefix"])
    counter.stale = False  # this reader holds nobody
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while await counter.count(data["session"]) != expected:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True
    finally:
        await client.aclose()


def _has_received(person: Participant, seq: int) -> Callable[[], bool]:
    return lambda: seq in person.durable_seqs()


async def test_a_room_survives_a_redis_restart_and_a_killed_server(
    room_on_two_servers: tuple[dict[str, Any], list[Server], PrivateRedis],
) -> None:
    data, servers, redis_server = room_on_two_servers
    survivor, doomed = servers
    people = {
        name: Participant(name, cookie, data["session"]) for name, cookie in data["cookies"].items()
    }
    on_survivor = [people[name] for name in ("ada", "bob", "ines")]
    on_doomed = [people[name] for name in ("cleo", "dan", "eve")]
    acked: list[int] = []

    async def everyone_posts(group: list[Participant], round_: str) -> None:
        for person in group:
            acked.append(await person.post(f"{person.name}: {round_}"))

    try:
        for person in on_survivor:
            await person.open(survivor.port)
        for person in on_doomed:
            await person.open(doomed.port)
        await everyone_posts(on_survivor + on_doomed, "before")

        # Redis restarts, its data lost, after OUTAGE_SECONDS away (the measured fault was a
        # 3 s restart); people go on writing meanwhile, and a newcomer's tab (Alma's) opens
        # on the survivor.
        redis_server.stop()
        stopped_at = time.monotonic()
        await everyone_posts([people["ada"], people["cleo"]], "while Redis is away")
        alma = people["alma"]
        await alma.open(survivor.port)
        await everyone_posts([people["bob"], people["dan"]], "while Redis is away")
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
        redis_server.start()
        await everyone_posts(on_survivor + on_doomed, "after Redis came back")
        on_survivor.append(alma)
        # Both servers tell the restarted Redis who is with them: all seven are counted.
        assert await _counted_in_redis(redis_server.url, data, 7)

        # The doomed server dies. Cleo and Dan come back on the survivor with their last
        # number; Eve does not come back.
        doomed.kill()
        killed_at = time.monotonic()
        for person in on_doomed:
            await asyncio.wait_for(person.closed.wait(), 10)
        for name in ("cleo", "dan"):
            await people[name].open(survivor.port)
        present = [*on_survivor, people["cleo"], people["dan"]]
        await everyone_posts(present, "after the kill")

        # Presence: the six people present, Eve not, within 5 s of the kill.
        ada = people["ada"]
        counted = False
        while time.monotonic() - killed_at < 5 and not counted:
            frames = ada.presence_frames()
            left = {p["user_id"] for f in frames for p in f["left"]}
            counted = bool(frames) and frames[-1]["count"] == 6 and data["ids"]["eve"] in left
            if not counted:
                await asyncio.sleep(0.1)
        assert counted, f"presence after the kill: {ada.presence_frames()[-3:]}"

        # Everyone (Eve up to the kill) has every acknowledged event since they came, once and in
        # order.
        last = max(acked)
        assert sorted(acked) == list(range(1, last + 1))
        for person in present:
            await person.wait_for(_has_received(person, last))
            first = person.snapshot_seq() + 1  # Alma came in with a snapshot
            assert person.durable_seqs() == list(range(first, last + 1)), person.name
        eve = people["eve"].durable_seqs()
        assert eve == list(range(1, len(eve) + 1))

        # Not one socket of the survivor closed.
        assert [p.name for p in on_survivor if p.closed.is_set()] == []
    finally:
        for person in people.values():
            await person.close()
    logs = "\n".join(stop_servers(servers))
    assert "Traceback" not in logs
