"""Who is in a live room now: ephemeral presence, never the record (attendance is).

One count per person however many tabs, on every server. Each server process knows its own
sockets exactly (``_local``); with ``REDIS_URL`` set it also holds a **lease** in Redis and
writes what it knows there, and a room's presence is the union over the processes whose lease
is alive:

- ``{prefix}:live-lease:{process}``: the process's lease, a key with a short expiry
  (``lease_seconds``, ``LIVE_PRESENCE_LEASE_SECONDS``: 5 by default) renewed every third of
  it by the process's keeper task;
- ``{prefix}:live-present:{session}:{process}``: the process's people in a room (user id ->
  name), written with absolute values, so a write repeated or re-sent is harmless;
- ``{prefix}:live-present:{session}:processes``: the processes that have people in the room.

A server that dies (``kill -9``) stops renewing: its people stop counting when its lease
expires, within ``lease_seconds``, and the next keeper of another process in the room takes
its list (atomically, one taker) and announces those people as left unless they are present
through another process. Counting expiry per room key instead, renewed at every change, once
kept a killed server's people "present" for ever (295 counted for 195 open sockets), and a
room with a capacity would have turned newcomers away.

Redis may restart and forget everything: the keeper finds its lease gone and re-announces all
of the process's rooms from ``_local`` (``stale``). While Redis is away, a change is kept
locally and told later, and counts fall back to what this process knows: presence never fails
a handshake. The process's writes go through one lock, one round trip at a time, so a
re-announcement and a change never overtake each other (and a wave of 500 departures uses one
connection, not 500).

Presence frames are coalesced per room by ``PresenceBatch`` (``presence_batch``).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from django.conf import settings

from cadenza.realtime.audience import Person
from cadenza.realtime.presence_batch import PresenceBatch
from cadenza.realtime.presence_scripts import CHANGE, LEFT_WITH_DEAD_PROCESSES, PEOPLE, RENEW
from cadenza.realtime.redis_pool import REDIS_ERRORS, outage

__all__ = ["PresenceBatch", "PresenceCounter"]

ROOM_KEYS_TTL_SECONDS = 24 * 3600
CLOSE_SECONDS = 5.0
"""How long close() waits for the lease keeper to end once cancelled."""
"""A room's keys outlive any session; they expire if every server died at once."""

Gone = Callable[[int, list[Person]], None]
"""Told which people of a room left with a dead process: (session id, people)."""


class PresenceCounter:
    """Counts people per room: this process's sockets, and the live processes' leases on
    Redis when a client is given."""

    def __init__(
        self,
        *,
        client: aioredis.Redis | None,
        prefix: str,
        lease_seconds: float | None = None,
        gone: Gone | None = None,
        process: str = "",
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.process = process or uuid.uuid4().hex[:16]
        self.lease_seconds = float(
            settings.LIVE_PRESENCE_LEASE_SECONDS if lease_seconds is None else lease_seconds
        )
        """Seconds a dead process's people still count (default: the setting)."""
        self.gone = gone
        self._local: dict[int, dict[int, tuple[int, str]]] = {}
        """Per room: user id -> (this process's sockets, name)."""
        self._lock = asyncio.Lock()
        self.stale = True
        """Redis has not been told everything this process holds (at start, after an
        outage): the next write under the lock renews the lease and re-announces."""
        self._renew_now = asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None
        self._change: Any = client.register_script(CHANGE) if client else None
        self._list_people: Any = client.register_script(PEOPLE) if client else None
        self._renew_lease: Any = client.register_script(RENEW) if client else None
        self._take_dead: Any = client.register_script(LEFT_WITH_DEAD_PROCESSES) if client else None

    # Keys

    def lease_key(self, process: str) -> str:
        return f"{self.prefix}:live-lease:{process}"

    def room_base(self, session_id: int) -> str:
        return f"{self.prefix}:live-present:{session_id}:"

    def _room_args(self, session_id: int) -> tuple[list[str], list[Any]]:
        base = self.room_base(session_id)
        return [base + "processes"], [base, self.lease_key("")]

    # Changes

    async def change(self, *, session_id: int, person: Person, delta: int) -> bool:
        """Add (``delta`` 1) or remove (-1) one socket of a person: answers whether the person
        arrived (their first socket on any server) or left (their last one)."""
        async with self._lock:
            room = self._local.setdefault(session_id, {})
            before = room.get(person.user_id, (0, person.name))[0]
            sockets = max(before + delta, 0)
            if sockets:
                room[person.user_id] = (sockets, person.name)
            else:
                room.pop(person.user_id, None)
                if not room:
                    self._local.pop(session_id, None)
            here_changed = (before == 0) != (sockets == 0)
            if self.client is None or not here_changed:
                return here_changed
            elsewhere = await self._tell(session_id, person, sockets)
            return not elsewhere

    async def _tell(self, session_id: int, person: Person, sockets: int) -> bool:
        """Write one person's presence in this process to Redis (under the lock): answers
        whether the person has sockets on another live process. Not tried while Redis is
        known to be away (a command could wait seconds for it, holding the lock): the keeper
        tells Redis everything once it is back."""
        if self.stale and outage.ongoing:
            return False
        try:
            if self.stale:
                await self._renew()
                await self._announce()
            keys, args = self._room_args(session_id)
            here = "1" if sockets else "0"
            args += [self.process, person.user_id, here, person.name, ROOM_KEYS_TTL_SECONDS]
            return bool(await self._change(keys=keys, args=args))
        except REDIS_ERRORS as error:
            self._lose(error)
            return False

    def _lose(self, error: BaseException) -> None:
        self.stale = True
        outage.lost("room presence", error)

    # Reading

    async def count(self, session_id: int) -> int:
        return (await self._people(session_id, listed=0))[0]

    async def includes(self, session_id: int, user_id: int) -> bool:
        """Whether the person has a socket in the room already (another tab, a reconnect)."""
        return (await self._people(session_id, listed=0, user_id=user_id))[1]

    async def summary(self, session_id: int, *, listed: int) -> tuple[int, list[int]]:
        """How many people are present, and up to ``listed`` of their ids, ascending (any
        ``listed`` of them when there are more)."""
        count, _found, ids = await self._people(session_id, listed=listed)
        return count, ids

    async def _people(
        self, session_id: int, *, listed: int, user_id: int | None = None
    ) -> tuple[int, bool, list[int]]:
        """(count, whether ``user_id`` is present, the first ``listed`` ids) over the live
        processes; merged with this process's own people while Redis has not been told them
        (``stale``); this process's alone without Redis or while it is away."""
        local = self._local.get(session_id, {})
        if self.client is not None and not (self.stale and outage.ongoing):
            keys, args = self._room_args(session_id)
            merge = self.stale and bool(local)
            wanted = -1 if merge else listed
            try:
                answer = await self._list_people(
                    keys=keys, args=[*args, wanted, "" if user_id is None else user_id]
                )
            except REDIS_ERRORS as error:
                self._lose(error)
            else:
                count, found = int(answer[0]), bool(answer[1])
                ids = sorted(int(i) for i in answer[2:])
                if merge:
                    everyone = set(ids) | set(local)
                    count, ids = len(everyone), sorted(everyone)
                found = found or user_id in local
                return count, found, ids[: max(listed, 0)]
        ids = sorted(local)
        return len(local), user_id in local, ids[: max(listed, 0)]

    # The lease

    def start(self) -> None:
        """Keep this process's lease (on the running loop) until ``close``."""
        if self.client is not None and (self._keeper is None or self._keeper.done()):
            self._keeper = asyncio.create_task(self._keep())

    def renew_soon(self) -> None:
        """Renew now rather than at the next interval (Redis is back)."""
        self.stale = True
        self._renew_now.set()

    async def close(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            # Bounded: a task that missed its cancel must not hold a shutdown for ever.
            await asyncio.wait({self._keeper}, timeout=CLOSE_SECONDS)
            if self._keeper.done() and not self._keeper.cancelled():
                self._keeper.exception()  # retrieved: it ended, which is all close() asks
            self._keeper = None

    async def _keep(self) -> None:
        while True:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel that
            # arrives as its timeout fires, and this loop then outlived close() (a test's
            # teardown hung on it under load).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.lease_seconds / 3):
                    await self._renew_now.wait()
            self._renew_now.clear()
            await self.keep_once()

    async def keep_once(self) -> None:
        """Renew the lease (re-announcing everything when Redis lost it), then take the lists
        of the dead processes of this process's rooms and tell who left with them."""
        try:
            if not await self._renew() or self.stale:
                async with self._lock:
                    await self._announce()
            for session_id in list(self._local):
                keys, args = self._room_args(session_id)
                left = await self._take_dead(keys=keys, args=args)
                people = [
                    Person(user_id=int(user), name=name.decode())
                    for user, name in zip(left[::2], left[1::2], strict=True)
                ]
                if people and self.gone is not None:
                    self.gone(session_id, people)
        except REDIS_ERRORS as error:
            self._lose(error)

    async def _renew(self) -> bool:
        """Renew the lease; answers whether it was still there (not: a new process, Redis
        restarted, or this process stalled past its lease and was taken for dead)."""
        ttl = int(self.lease_seconds * 1000)
        return bool(await self._renew_lease(keys=[self.lease_key(self.process)], args=[ttl]))

    async def _announce(self) -> None:
        """Tell Redis every room's people of this process again (under the lock)."""
        assert self.client is not None
        async with self.client.pipeline(transaction=False) as pipe:
            for session_id, room in self._local.items():
                base = self.room_base(session_id)
                mine = base + self.process
                pipe.delete(mine)
                pipe.hset(mine, mapping={user: name for user, (_n, name) in room.items()})
                pipe.expire(mine, ROOM_KEYS_TTL_SECONDS)
                pipe.sadd(base + "processes", self.process)
                pipe.expire(base + "processes", ROOM_KEYS_TTL_SECONDS)
            await pipe.execute()
        if self.stale and outage.ongoing:
            outage.back("room presence")
        self.stale = False
