"""One socket's place in a live room: what it may see and its bounded queue of frames.

The room hub offers each frame once per process to every local connection allowed to see it;
the socket's writer sends from the connection's queue. A queue that overflows marks its
connection behind instead of growing: the writer resyncs from the database by its last number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from cadenza.live.events import Person

QUEUE_SIZE = 256
"""Frames buffered per connection before it is marked behind and resyncs from the database."""

RESYNC = -1
"""The queue item that tells a connection's writer it fell behind."""


class RoomConnection:
    """One socket's place in a room: what it may see, and its bounded queue of frames.

    The hub calls ``offer``; the socket's writer takes ``(seq, frame)`` items from ``queue``
    (``seq`` 0 for ephemeral frames, ``RESYNC`` after an overflow) and records ``sent_seq``.
    """

    def __init__(
        self,
        *,
        session_id: int,
        person: Person,
        is_moderator: bool,
        queue_size: int,
        connection_id: str = "",
        on_revoked: Callable[[], None] | None = None,
    ) -> None:
        self.session_id = session_id
        self.person = person
        self.user_id = person.user_id
        self.is_moderator = is_moderator
        self.connection_id = connection_id
        """The socket's presence interval (attendance), kept alive by the sweep's heartbeat."""
        self.on_revoked = on_revoked
        self.queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue(maxsize=queue_size)
        self.behind = False
        self.revoked = False
        self.sent_seq = 0
        self.overflows = 0

    def revoke(self) -> None:
        """The person may no longer be in the room (found by the sweep): close the socket."""
        if self.revoked:
            return
        self.revoked = True
        if self.on_revoked is not None:
            self.on_revoked()

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
