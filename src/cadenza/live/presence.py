"""Who is in a live room now: ephemeral presence, never the record (attendance is).

One count per person however many tabs, on every server: a Redis hash per room (person ->
open sockets) when ``REDIS_URL`` is set, a dictionary of this process otherwise. Each change
is ONE Redis round trip (a small Lua script increments, removes a person at zero, renews the
key's expiry and answers the room's size): at a mass disconnect, four round trips per socket
exhausted the client's pool (docs/performance.md).

Presence frames are coalesced per room by ``PresenceBatch``: the joins and leaves of one
interval go out as one ``live.presence`` frame, not one frame per join to everyone present
(quadratic while a big room fills).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import redis.asyncio as aioredis

from cadenza.live.events import Person

PRESENCE_TTL_SECONDS = 24 * 3600
"""A room's presence hash outlives any session; it expires if every server died at once."""

_CHANGE = """
local sockets = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if sockets <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {sockets, redis.call('HLEN', KEYS[1])}
"""


class PresenceCounter:
    """Counts sockets per person per room: on Redis when a client is given, else locally."""

    def __init__(self, *, client: aioredis.Redis | None, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._local: dict[int, dict[int, int]] = {}
        self._script: Any = client.register_script(_CHANGE) if client is not None else None

    def key(self, session_id: int) -> str:
        return f"{self.prefix}:live-presence:{session_id}"

    async def change(self, *, session_id: int, user_id: int, delta: int) -> tuple[bool, int]:
        """Add (``delta`` 1) or remove (-1) one socket of a person: answers whether the person
        arrived (first socket) or left (last socket), and how many people are present."""
        if self._script is not None:
            sockets, people = await self._script(
                keys=[self.key(session_id)], args=[user_id, delta, PRESENCE_TTL_SECONDS]
            )
            sockets, people = int(sockets), int(people)
        else:
            room = self._local.setdefault(session_id, {})
            sockets = room.get(user_id, 0) + delta
            if sockets <= 0:
                room.pop(user_id, None)
            else:
                room[user_id] = sockets
            people = len(room)
            if not room:
                self._local.pop(session_id, None)
        changed = sockets == 1 if delta > 0 else sockets <= 0
        return changed, people

    async def count(self, session_id: int) -> int:
        if self.client is not None:
            return int(await self.client.hlen(self.key(session_id)))
        return len(self._local.get(session_id, {}))

    async def includes(self, session_id: int, user_id: int) -> bool:
        """Whether the person has a socket in the room already (another tab, a reconnect)."""
        if self.client is not None:
            return bool(await self.client.hexists(self.key(session_id), str(user_id)))
        return user_id in self._local.get(session_id, {})

    async def summary(self, session_id: int, *, listed: int) -> tuple[int, list[int]]:
        """How many people are present, and up to ``listed`` of their ids (ascending)."""
        if self.client is not None:
            key = self.key(session_id)
            count = int(await self.client.hlen(key))
            if count <= listed:
                ids = [int(user_id) for user_id in await self.client.hkeys(key)]
            else:
                ids = []
                cursor = 0
                while len(ids) < listed:
                    cursor, page = await self.client.hscan(key, cursor, count=listed)
                    ids.extend(int(user_id) for user_id in page)
                    if cursor == 0:
                        break
            return count, sorted(ids)[:listed]
        room = self._local.get(session_id, {})
        return len(room), sorted(room)[:listed]


@dataclass
class PresenceBatch:
    """The presence changes of one room waiting for the next ``live.presence`` frame.

    A person's latest change wins, except that a person who arrived and left within one
    interval is not announced at all (nobody saw them); one who left and came back is
    announced as joined, so the video mesh makes new peer connections.
    """

    changes: dict[int, tuple[Person, Literal["joined", "left"]]] = field(default_factory=dict)

    def note(self, person: Person, state: Literal["joined", "left"]) -> None:
        earlier = self.changes.get(person.user_id)
        if earlier is not None and earlier[1] == "joined" and state == "left":
            del self.changes[person.user_id]
        else:
            self.changes[person.user_id] = (person, state)

    def take(self) -> tuple[tuple[Person, ...], tuple[Person, ...]]:
        """The people who joined and who left (each by name), and an empty batch."""
        changes, self.changes = self.changes, {}
        ordered = sorted(changes.values(), key=lambda change: (change[0].name, change[0].user_id))
        joined = tuple(person for person, state in ordered if state == "joined")
        left = tuple(person for person, state in ordered if state == "left")
        return joined, left
