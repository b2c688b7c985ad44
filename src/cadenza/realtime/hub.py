"""The room hub: one per server process, one subscription per room with local participants.

DESIGN section 4, "The room's broadcast path". After commit an action publishes ONE message
per event (``publish_event``): the sequence number, the audience and the frame, encoded once.
With ``REDIS_URL`` set the message goes to the room's Redis pub/sub channel, so every process
with participants in the room receives it; otherwise it is handed to this process's hub
thread-safely. The hub receives each message once per process, checks the room's sequence (a
gap is filled by one database read for the whole process), and offers the same frame, built
once, to each local connection allowed to see it: written to the socket at once when its
writer is idle, else put in the connection's small bounded queue (``connection``). A
connection whose queue overflows is marked behind: its queue is emptied and it resyncs from
the database by its last number, so a slow reader never blocks the room or grows memory
without bound.

The wire format is in ``wire``, publishing in ``publish``; a socket's queue and the fan-out in
``connection``; one room's inbox, sequence check, gap fill and runs in ``room_runs``. This
module keeps the bookkeeping, and what is per process rather than per socket: which rooms have
sockets here and their subscriptions (``subscriber``), presence (``presence``: counted per
person under this process's lease, announced as one coalesced frame per room per
``presence_interval``, ``presence_batch``) and the sweep (``sweep``: every few seconds one
admission check per room, every ~25 s one heartbeat write for all of the process's sockets and
a ping to each). What it reads from the domain (the room's numbered events, who is admitted,
the presence frame) it is handed (``rooms``): the transport imports no domain app.

Redis may go away (restart) at any moment: the hub's rooms keep their sockets, an ephemeral
frame that cannot be sent is dropped (a presence frame is kept for the next one), and when the
subscriber is back each room reads what it missed from the database by number and presence is
told to Redis again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Literal

import redis.asyncio as aioredis
from django.conf import settings

from cadenza.realtime.audience import AudienceMember, Person
from cadenza.realtime.connection import QUEUE_SIZE, RoomConnection
from cadenza.realtime.database import in_database_thread
from cadenza.realtime.presence import PresenceCounter
from cadenza.realtime.presence_batch import PresenceFrames
from cadenza.realtime.publish import receive_locally_with
from cadenza.realtime.redis_pool import REDIS_ERRORS, async_client, outage
from cadenza.realtime.room_runs import LocalRoom, deliver_runs
from cadenza.realtime.rooms import Rooms, registered_rooms
from cadenza.realtime.subscriber import RoomSubscriber
from cadenza.realtime.sweep import sweep_forever
from cadenza.realtime.wire import hub_prefix, room_channel, wire_message


class RoomHub:
    """The process's room hub. Create through ``get_hub``; tests may build their own.

    What is not given is read from the settings when the hub is made (``REDIS_URL``,
    ``LIVE_HUB_PREFIX``, ``LIVE_PRESENCE_INTERVAL``, ``LIVE_SWEEP_SECONDS``,
    ``LIVE_FLUSH_SECONDS``, ``LIVE_PRESENCE_LEASE_SECONDS``), and ``rooms`` is the domain's
    implementation registered at startup (``cadenza.realtime.rooms``)."""

    def __init__(
        self,
        *,
        redis_url: str | None = None,
        prefix: str = "",
        queue_size: int = QUEUE_SIZE,
        presence_interval: float | None = None,
        sweep_seconds: float | None = None,
        flush_window: float | None = None,
        lease_seconds: float | None = None,
        rooms: Rooms | None = None,
    ):
        self.redis_url = settings.REDIS_URL if redis_url is None else redis_url
        self.prefix = prefix or hub_prefix()
        self.queue_size = queue_size
        self.presence_interval = _setting(presence_interval, "LIVE_PRESENCE_INTERVAL")
        """Seconds between two presence frames of one room from this process (the first
        change after a quiet interval goes out at once)."""
        self.sweep_seconds = _setting(sweep_seconds, "LIVE_SWEEP_SECONDS")
        """Seconds between two admission sweeps of this process's sockets."""
        self.flush_window = _setting(flush_window, "LIVE_FLUSH_SECONDS")
        """Seconds between two runs of a room's frames: what arrives meanwhile goes out
        together, one write per socket (0: every message at once)."""
        self.lease_seconds = _setting(lease_seconds, "LIVE_PRESENCE_LEASE_SECONDS")
        """A dead process's people stop counting within this many seconds."""
        self.rooms = rooms or registered_rooms()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.gap_reads = 0
        self._rooms: dict[int, LocalRoom] = {}
        self._redis: aioredis.Redis | None = None
        self._presence: PresenceCounter | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._subscriber: RoomSubscriber | None = None

    # Connections

    async def join(
        self,
        *,
        session_id: int,
        person: Person,
        is_moderator: bool,
        connection_id: str = "",
        on_revoked: Callable[[], None] | None = None,
    ) -> RoomConnection:
        """Register a socket in a room; the room is subscribed on its first local socket.
        ``on_revoked`` is called (on the hub's loop) when the sweep finds the person may no
        longer be in the room."""
        self.loop = asyncio.get_running_loop()
        self._start_sweeping()
        room = self._rooms.get(session_id)
        if room is None:
            presence = PresenceFrames(
                session_id=session_id,
                interval=self.presence_interval,
                count=self.presence_counter().count,
                encode=self.rooms.presence_frame,
                send=lambda session, frame: self.broadcast_ephemeral(
                    session_id=session, frame=frame
                ),
            )
            room = LocalRoom(session_id, presence)
            self._rooms[session_id] = room
            room.task = asyncio.create_task(
                deliver_runs(
                    room,
                    events=self.rooms.log,
                    flush_window=lambda: self.flush_window,
                    gap_read=self._gap_read,
                )
            )
            presence.start()
            try:
                await self._open(room)
            except BaseException:
                self._rooms.pop(session_id, None)
                room.task.cancel()
                if presence.task is not None:
                    presence.task.cancel()
                raise
        else:
            await room.ready.wait()
        connection = RoomConnection(
            session_id=session_id,
            person=person,
            is_moderator=is_moderator,
            queue_size=self.queue_size,
            connection_id=connection_id,
            on_revoked=on_revoked,
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
        room.stop()
        # The last local socket's departure is still waiting in the batch: say it now, for
        # the other processes' sockets (nobody is left here to hear it).
        with contextlib.suppress(Exception):
            await room.presence.say()
        if self._subscriber is not None:
            await self._subscriber.unsubscribe(
                connection.session_id, unless=lambda: connection.session_id in self._rooms
            )

    async def arrive(self, connection: RoomConnection) -> bool:
        """Count a person in: whether this is their first socket in the room (on any server).
        A first socket is announced in the room's next presence frame. Never fails on Redis."""
        return await self._count(connection, "joined")

    async def depart(self, connection: RoomConnection) -> bool:
        """Count a person out: whether this was their last socket in the room (on any server).
        A last socket is announced in the room's next presence frame. Never fails on Redis."""
        return await self._count(connection, "left")

    async def present(self, session_id: int, *, listed: int) -> tuple[int, list[int]]:
        """How many people are in the room now (one per person however many tabs, on every
        server) and up to ``listed`` of their user ids, ascending."""
        return await self.presence_counter().summary(session_id, listed=listed)

    def local_rooms(self) -> dict[int, list[RoomConnection]]:
        """The rooms with sockets in this process, and those sockets (for the sweep)."""
        return {
            session_id: list(room.connections)
            for session_id, room in self._rooms.items()
            if room.connections
        }

    def local_connections(self, session_id: int) -> int:
        room = self._rooms.get(session_id)
        return len(room.connections) if room is not None else 0

    # Publishing

    async def broadcast_ephemeral(
        self, *, session_id: int, frame: str, audience: Sequence[AudienceMember] = ()
    ) -> bool:
        """Relay a frame that is not stored (presence, typing) to everyone in the room;
        answers False (the frame is dropped) while Redis is away or this process is not yet
        subscribed again after it came back (nobody would hear the frame then)."""
        text = wire_message(seq=0, audience=audience, frame=frame)
        if not self.redis_url:
            self.receive(session_id, text)
            return True
        if self._subscriber is not None and self._subscriber.away:
            return False
        try:
            await self._client().publish(room_channel(self.prefix, session_id), text)
        except REDIS_ERRORS as error:
            outage.lost("room hub", error)
            return False
        return True

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
        if room is not None:
            room.receive(text)

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        for room in list(self._rooms.values()):
            room.stop()
        self._rooms.clear()
        if self._subscriber is not None:
            await self._subscriber.close()
        if self._presence is not None:
            await self._presence.close()
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
        self._subscriber = self._redis = self._presence = None

    # Internals

    def _client(self) -> aioredis.Redis:
        if self._redis is None:
            self._redis = async_client(self.redis_url)
        return self._redis

    def presence_counter(self) -> PresenceCounter:
        """This process's presence (its lease kept from the first use, on the hub's loop)."""
        if self._presence is None:
            client = self._client() if self.redis_url else None
            self._presence = PresenceCounter(
                client=client,
                prefix=self.prefix,
                lease_seconds=self.lease_seconds,
                gone=self._left_with_dead_process,
            )
            self._presence.start()
        return self._presence

    def _start_sweeping(self) -> None:
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.create_task(sweep_forever(self, every=self.sweep_seconds))

    async def _open(self, room: LocalRoom) -> None:
        """Subscribe (when on Redis), then read the room's number: an event committed after
        that read is published after the subscription and reaches this hub; one committed
        before it is in the database, where a joining socket's replay reads it."""
        if self.redis_url:
            if self._subscriber is None:
                self._subscriber = RoomSubscriber(
                    client=self._client(),
                    prefix=self.prefix,
                    receive=self.receive,
                    recovered=self._recovered,
                )
            await self._subscriber.subscribe(room.session_id)
        room.last_seq = await in_database_thread(self.rooms.log.last_number)(room.session_id)
        room.ready.set()

    def _recovered(self) -> None:
        """Redis is back after an outage: every room reads what it missed meanwhile, presence
        is told to Redis again, and the presence frames kept meanwhile go out."""
        if self._presence is not None:
            self._presence.renew_soon()
        for room in self._rooms.values():
            room.catch_up()
            room.presence.retry()

    def _left_with_dead_process(self, session_id: int, people: list[Person]) -> None:
        """People whose server died and who are not here through another: they left."""
        room = self._rooms.get(session_id)
        if room is not None:
            for person in people:
                room.presence.note(person, "left")

    def _gap_read(self) -> None:
        self.gap_reads += 1

    async def _count(self, connection: RoomConnection, state: Literal["joined", "left"]) -> bool:
        changed = await self.presence_counter().change(
            session_id=connection.session_id,
            person=connection.person,
            delta=1 if state == "joined" else -1,
        )
        room = self._rooms.get(connection.session_id)
        if changed and room is not None:
            room.presence.note(connection.person, state)
        return changed


def _setting(given: float | None, name: str) -> float:
    return float(getattr(settings, name)) if given is None else given


_hub: RoomHub | None = None


def get_hub() -> RoomHub:
    """This process's hub (made on first use, bound to the event loop that serves sockets,
    with its figures from the settings); in the in-process mode, ``publish_event`` hands it
    what actions publish."""
    global _hub
    if _hub is None:
        _hub = RoomHub()
        receive_locally_with(_hub.deliver_threadsafe)
    return _hub


async def reset_hub() -> None:
    """Close this process's hub (tests, and a server shutting down)."""
    global _hub
    hub, _hub = _hub, None
    receive_locally_with(None)
    if hub is not None:
        await hub.close()
