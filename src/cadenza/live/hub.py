"""The room hub: one per server process, one subscription per room with local participants.

DESIGN section 4, "The room's broadcast path". After commit an action publishes ONE message
per event (``publish_event``): the sequence number, the audience and the frame, encoded once.
With ``REDIS_URL`` set the message goes to the room's Redis pub/sub channel, so every process
with participants in the room receives it; otherwise it is handed to this process's hub
thread-safely. The hub receives each message once per process, checks the room's sequence (a
gap is filled by one database read for the whole process), and puts the same text in the
small bounded queue of each local connection allowed to see it. A connection whose queue
overflows is marked behind: its queue is emptied and it resyncs from the database by its last
number, so a slow reader never blocks the room or grows memory without bound.

Message on the wire: ``"<seq>\\n<audience JSON>\\n<frame>"``; ``seq`` 0 is an ephemeral frame
(presence, typing) that is relayed without a sequence check.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Sequence
from typing import Any

import redis
import redis.asyncio as aioredis
from channels.db import database_sync_to_async
from django.conf import settings

from cadenza.live.events import AudienceMember, may_see
from cadenza.live.selectors.room import events_between, room_last_seq

log = logging.getLogger(__name__)

QUEUE_SIZE = 256
"""Frames buffered per connection before it is marked behind and resyncs from the database."""

RESYNC = -1
"""The queue item that tells a connection's writer it fell behind."""

_CATCH_UP = -2

REDIS_OPTIONS: dict[str, Any] = {
    "socket_timeout": 10.0,
    "socket_connect_timeout": 5.0,
    "socket_keepalive": True,
    "health_check_interval": 15,
}
"""Explicit Redis client settings for the hub and the publisher, not redis-py's defaults (8.x
reads with a 5 s socket timeout). The subscriber waits with its own short read timeout, so the
socket timeout only bounds commands; the health check pings a connection idle for 15 s before
it is used (and the subscription every 15 s), so a dropped connection is noticed and rebuilt."""


def hub_prefix() -> str:
    """The key prefix of the room channels (distinct per install or test run)."""
    return str(
        getattr(settings, "LIVE_HUB_PREFIX", "") or os.environ.get("LIVE_HUB_PREFIX", "cadenza")
    )


def room_channel(prefix: str, session_id: int) -> str:
    return f"{prefix}:live-room:{session_id}"


def wire_message(*, seq: int, audience: Sequence[AudienceMember], frame: str) -> str:
    return f"{seq}\n{json.dumps(list(audience), separators=(',', ':'))}\n{frame}"


class RoomConnection:
    """One socket's place in a room: what it may see, and its bounded queue of frames.

    The hub calls ``offer``; the socket's writer takes ``(seq, frame)`` items from ``queue``
    (``seq`` 0 for ephemeral frames, ``RESYNC`` after an overflow) and records ``sent_seq``.
    """

    def __init__(
        self, *, session_id: int, user_id: int, is_moderator: bool, queue_size: int
    ) -> None:
        self.session_id = session_id
        self.user_id = user_id
        self.is_moderator = is_moderator
        self.queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue(maxsize=queue_size)
        self.behind = False
        self.sent_seq = 0
        self.overflows = 0

    def offer(self, seq: int, frame: str) -> None:
        if self.behind:
            return
        try:
            self.queue.put_nowait((seq, frame))
        except asyncio.QueueFull:
            self.behind = True
            self.overflows += 1
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait((RESYNC, ""))


class _Room:
    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self.connections: set[RoomConnection] = set()
        self.people: dict[int, int] = {}
        self.last_seq = 0
        self.inbox: asyncio.Queue[tuple[int, Sequence[AudienceMember], str]] = asyncio.Queue()
        self.ready = asyncio.Event()
        self.task: asyncio.Task[None] | None = None


class RoomHub:
    """The process's room hub. Create through ``get_hub``; tests may build their own."""

    def __init__(self, *, redis_url: str = "", prefix: str = "", queue_size: int = QUEUE_SIZE):
        self.redis_url = redis_url
        self.prefix = prefix or hub_prefix()
        self.queue_size = queue_size
        self.loop: asyncio.AbstractEventLoop | None = None
        self.gap_reads = 0
        self._rooms: dict[int, _Room] = {}
        self._redis: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._subscribed: dict[str, asyncio.Event] = {}
        self._sub_lock: asyncio.Lock | None = None
        self._recovering = False

    # Connections

    async def join(self, *, session_id: int, user_id: int, is_moderator: bool) -> RoomConnection:
        """Register a socket in a room; the room is subscribed on its first local socket."""
        self.loop = asyncio.get_running_loop()
        room = self._rooms.get(session_id)
        if room is None:
            room = _Room(session_id)
            self._rooms[session_id] = room
            room.task = asyncio.create_task(self._run_room(room))
            try:
                await self._open(room)
            except BaseException:
                self._rooms.pop(session_id, None)
                room.task.cancel()
                raise
        else:
            await room.ready.wait()
        connection = RoomConnection(
            session_id=session_id,
            user_id=user_id,
            is_moderator=is_moderator,
            queue_size=self.queue_size,
        )
        room.connections.add(connection)
        return connection

    async def leave(self, connection: RoomConnection) -> None:
        """Unregister a socket; the room is unsubscribed when its last local socket leaves."""
        room = self._rooms.get(connection.session_id)
        if room is None:
            return
        room.connections.discard(connection)
        if room.connections:
            return
        self._rooms.pop(connection.session_id, None)
        if room.task is not None:
            room.task.cancel()
        if self._pubsub is not None:
            channel = room_channel(self.prefix, connection.session_id)
            async with self._lock():
                if connection.session_id not in self._rooms:
                    self._subscribed.pop(channel, None)
                    with contextlib.suppress(Exception):
                        await self._pubsub.unsubscribe(channel)

    async def arrive(self, connection: RoomConnection) -> tuple[bool, int]:
        """Count a person in: (whether this is their first socket in the room, people present)."""
        return await self._count(connection, +1)

    async def depart(self, connection: RoomConnection) -> tuple[bool, int]:
        """Count a person out: (whether this was their last socket in the room, people present)."""
        return await self._count(connection, -1)

    async def present(self, session_id: int) -> list[int]:
        """The people present in the room now (user ids, ascending): one per person, however
        many tabs, on every server (the Redis hash) or in this process."""
        if self.redis_url:
            key = f"{self.prefix}:live-presence:{session_id}"
            raw = await self._client().hkeys(key)
            return sorted(int(user_id) for user_id in raw)
        room = self._rooms.get(session_id)
        return sorted(room.people) if room is not None else []

    def local_connections(self, session_id: int) -> int:
        room = self._rooms.get(session_id)
        return len(room.connections) if room is not None else 0

    # Publishing

    async def broadcast_ephemeral(
        self, *, session_id: int, frame: str, audience: Sequence[AudienceMember] = ()
    ) -> None:
        """Relay a frame that is not stored (presence, typing) to everyone in the room."""
        text = wire_message(seq=0, audience=audience, frame=frame)
        if self.redis_url:
            await self._client().publish(room_channel(self.prefix, session_id), text)
        else:
            self.receive(session_id, text)

    def deliver_threadsafe(self, session_id: int, text: str) -> None:
        """Hand a published message to this hub from any thread (the in-process mode)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self.receive, session_id, text)

    def receive(self, session_id: int, text: str) -> None:
        """One published message, received once by this process (on the hub's loop)."""
        room = self._rooms.get(session_id)
        if room is None:
            return
        head, audience, frame = text.split("\n", 2)
        room.inbox.put_nowait((int(head), json.loads(audience), frame))

    async def close(self) -> None:
        for room in list(self._rooms.values()):
            if room.task is not None:
                room.task.cancel()
        self._rooms.clear()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
        self._pubsub = self._redis = self._reader = None

    # Internals

    def _lock(self) -> asyncio.Lock:
        if self._sub_lock is None:
            self._sub_lock = asyncio.Lock()
        return self._sub_lock

    def _client(self) -> aioredis.Redis:
        if self._redis is None:
            self._redis = aioredis.Redis.from_url(self.redis_url, **REDIS_OPTIONS)
        return self._redis

    async def _open(self, room: _Room) -> None:
        """Subscribe (when on Redis), then read the room's number: an event committed after
        that read is published after the subscription and reaches this hub; one committed
        before it is in the database, where a joining socket's replay reads it."""
        if self.redis_url:
            channel = room_channel(self.prefix, room.session_id)
            confirmed = asyncio.Event()
            async with self._lock():
                self._subscribed[channel] = confirmed
                if self._pubsub is None:
                    self._pubsub = self._client().pubsub()
                await self._pubsub.subscribe(channel)
                if self._reader is None or self._reader.done():
                    self._reader = asyncio.create_task(self._read())
            await asyncio.wait_for(confirmed.wait(), timeout=5)
        room.last_seq = await database_sync_to_async(room_last_seq)(room.session_id)
        room.ready.set()

    async def _read(self) -> None:
        backoff = 0.2
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("room hub: Redis unavailable, retrying", exc_info=True)
                self._recovering = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.2
            if self._recovering:
                self._recovering = False
                for room in self._rooms.values():
                    room.inbox.put_nowait((_CATCH_UP, (), ""))
            if message is None:
                continue
            try:
                self._handle(message)
            except Exception:
                log.exception("room hub: unreadable pub/sub message %r", message)

    def _handle(self, message: dict[str, Any]) -> None:
        """One pub/sub message: a subscription confirmed, or a room's message (anything else,
        such as a health check's pong, is ignored)."""
        if message["type"] not in ("subscribe", "message"):
            return
        channel = message["channel"].decode()
        if message["type"] == "subscribe":
            confirmed = self._subscribed.get(channel)
            if confirmed is not None:
                confirmed.set()
        else:
            session_id = int(channel.rsplit(":", 1)[1])
            self.receive(session_id, message["data"].decode())

    async def _run_room(self, room: _Room) -> None:
        await room.ready.wait()
        while True:
            seq, audience, frame = await room.inbox.get()
            try:
                if seq == 0:
                    self._fan_out(room, 0, audience, frame)
                elif seq == _CATCH_UP:
                    last = await database_sync_to_async(room_last_seq)(room.session_id)
                    if last > room.last_seq:
                        await self._fill(room, last)
                elif seq > room.last_seq:
                    if seq > room.last_seq + 1:
                        await self._fill(room, seq - 1)
                    self._fan_out(room, seq, audience, frame)
                    room.last_seq = seq
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("room hub: delivery failed in session %s", room.session_id)

    async def _fill(self, room: _Room, last: int) -> None:
        """One database read for the whole process fills a gap in the room's sequence."""
        self.gap_reads += 1
        rows = await database_sync_to_async(events_between)(
            session_id=room.session_id, first=room.last_seq + 1, last=last
        )
        for seq, audience, frame in rows:
            self._fan_out(room, seq, audience, frame)
        room.last_seq = max(room.last_seq, last)

    @staticmethod
    def _fan_out(room: _Room, seq: int, audience: Sequence[AudienceMember], frame: str) -> None:
        for connection in room.connections:
            if may_see(audience, user_id=connection.user_id, is_moderator=connection.is_moderator):
                connection.offer(seq, frame)

    async def _count(self, connection: RoomConnection, delta: int) -> tuple[bool, int]:
        user = str(connection.user_id)
        if self.redis_url:
            key = f"{self.prefix}:live-presence:{connection.session_id}"
            client = self._client()
            sockets = int(await client.hincrby(key, user, delta))
            if sockets <= 0:
                await client.hdel(key, user)
            await client.expire(key, 24 * 3600)
            count = int(await client.hlen(key))
        else:
            room = self._rooms.get(connection.session_id)
            people = room.people if room is not None else {}
            sockets = people.get(connection.user_id, 0) + delta
            if sockets <= 0:
                people.pop(connection.user_id, None)
            else:
                people[connection.user_id] = sockets
            count = len(people)
        changed = sockets == 1 if delta > 0 else sockets <= 0
        return changed, count


_hub: RoomHub | None = None


def get_hub() -> RoomHub:
    """This process's hub (made on first use, bound to the event loop that serves sockets)."""
    global _hub
    if _hub is None:
        _hub = RoomHub(redis_url=settings.REDIS_URL)
    return _hub


async def reset_hub() -> None:
    """Close this process's hub (tests, and a server shutting down)."""
    global _hub
    hub, _hub = _hub, None
    if hub is not None:
        await hub.close()


_sync_clients: dict[str, redis.Redis] = {}


def publish_event(
    *, session_id: int, seq: int, audience: Sequence[AudienceMember], frame: str
) -> None:
    """Publish one committed event to every process's hub (called after commit, any thread).

    A failure is logged, never raised: the event is stored, and hubs fill the gap from the
    database at the room's next event (or when Redis comes back).
    """
    text = wire_message(seq=seq, audience=audience, frame=frame)
    url = settings.REDIS_URL
    if not url:
        if _hub is not None:
            _hub.deliver_threadsafe(session_id, text)
        return
    try:
        client = _sync_clients.get(url)
        if client is None:
            client = _sync_clients[url] = redis.Redis.from_url(url, **REDIS_OPTIONS)
        client.publish(room_channel(hub_prefix(), session_id), text)
    except redis.RedisError:
        log.warning("room hub: could not publish event %s of session %s", seq, session_id)
