"""One room inside the process's hub: its local sockets, and the runs it delivers to them.

The hub (``hub``) keeps the bookkeeping: which rooms have sockets here, their subscriptions,
presence and publishing. Each such room has one ``LocalRoom`` and one task running
``deliver_runs``: the messages published for the room arrive in its inbox once per process;
their numbers are checked against the room's last one (a gap is filled by one database read
for the whole process, ``EventLog.between``); what arrived together goes out as one run, one
write per socket (``connection.offer_to_room``), and runs are at least the hub's flush window
apart. After a Redis outage the room is told to catch up: it reads from the database what was
committed meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from cadenza.realtime.connection import RoomConnection, offer_to_room
from cadenza.realtime.database import in_database_thread
from cadenza.realtime.presence_batch import PresenceFrames
from cadenza.realtime.rooms import Delivery, EventLog

log = logging.getLogger(__name__)

_CATCH_UP = -2
"""The inbox item that makes a room read what it missed while Redis was away."""


class LocalRoom:
    """A room with sockets in this process."""

    def __init__(self, session_id: int, presence: PresenceFrames) -> None:
        self.session_id = session_id
        self.connections: set[RoomConnection] = set()
        self.last_seq = 0
        self.presence = presence
        self.inbox: asyncio.Queue[Delivery] = asyncio.Queue()
        self.ready = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def receive(self, text: str) -> None:
        """One published message (the wire's text: number, audience, frame)."""
        head, audience, frame = text.split("\n", 2)
        self.inbox.put_nowait((int(head), json.loads(audience), frame))

    def catch_up(self) -> None:
        """Read what was committed while Redis was away, in order with what arrives next."""
        self.inbox.put_nowait((_CATCH_UP, (), ""))

    def stop(self) -> None:
        """Stop delivering and announcing presence (the room's last local socket left)."""
        for task in (self.task, self.presence.task):
            if task is not None:
                task.cancel()


async def deliver_runs(
    room: LocalRoom,
    *,
    events: EventLog,
    flush_window: Callable[[], float],
    gap_read: Callable[[], None],
) -> None:
    """Deliver the room's messages: what arrived together goes out as one run, one write
    per socket, and runs are at least ``flush_window()`` seconds apart. ``gap_read`` is
    called for each database read that fills a gap."""
    await room.ready.wait()
    loop = asyncio.get_running_loop()
    flushed = loop.time() - flush_window()
    while True:
        arrived = [await room.inbox.get()]
        # At most one run per window: a message after a quiet spell goes out at once,
        # one that follows another closely waits for the rest of the window.
        wait = flushed + flush_window() - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        while not room.inbox.empty():
            arrived.append(room.inbox.get_nowait())
        run: list[Delivery] = []
        try:
            for seq, audience, frame in arrived:
                if seq == 0:
                    run.append((0, audience, frame))
                elif seq == _CATCH_UP:
                    last = await in_database_thread(events.last_number)(room.session_id)
                    if last > room.last_seq:
                        gap_read()
                        run += await _missing(room, last, events)
                elif seq > room.last_seq:
                    if seq > room.last_seq + 1:
                        gap_read()
                        run += await _missing(room, seq - 1, events)
                    run.append((seq, audience, frame))
                    room.last_seq = seq
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("room hub: a gap not filled in session %s", room.session_id)
        try:
            offer_to_room(room.connections, run)
        except Exception:
            log.exception("room hub: delivery failed in session %s", room.session_id)
        flushed = loop.time()


async def _missing(room: LocalRoom, last: int, events: EventLog) -> list[Delivery]:
    """One database read for the whole process fills a gap in the room's sequence."""
    rows = await in_database_thread(events.between)(
        session_id=room.session_id, first=room.last_seq + 1, last=last
    )
    room.last_seq = max(room.last_seq, last)
    return list(rows)
