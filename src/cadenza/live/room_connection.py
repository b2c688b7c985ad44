"""One socket's place in a live room: what it may see and its bounded queue of frames.

The room hub offers each frame once per process to every local connection allowed to see it.
When the socket's writer is waiting on an empty queue and the server takes finished frames
(``cadenza.lib.websocket_frames``), the frame, built once for all sockets, is written to the
socket at once: no queue, no task switch, no per-socket encoding. Otherwise it goes into the
connection's queue and the writer sends it. A queue that overflows marks its connection behind
instead of growing: the writer resyncs from the database by its last number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from cadenza.lib.websocket_frames import FrameWriter, OutgoingFrame
from cadenza.live.events import Person

QUEUE_SIZE = 256
"""Frames buffered per connection before it is marked behind and resyncs from the database."""

RESYNC = -1
"""The queue item that tells a connection's writer it fell behind."""


class RoomConnection:
    """One socket's place in a room: what it may see, and its bounded queue of frames.

    The hub calls ``offer``; the socket's writer takes ``(seq, frame)`` items from ``queue``
    (``seq`` 0 for ephemeral frames, ``RESYNC`` after an overflow) and records ``sent_seq``.
    The writer sets ``idle`` while it waits on the empty queue; ``write_now`` is the server's
    writer of finished frames, when it has one.
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
        self.queue: asyncio.Queue[tuple[int, OutgoingFrame]] = asyncio.Queue(maxsize=queue_size)
        self.write_now: FrameWriter | None = None
        self.idle = False
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

    def offer(self, seq: int, frame: OutgoingFrame) -> None:
        if self.behind:
            return
        if self.idle and self.write_now is not None and self.queue.empty():
            if seq and seq <= self.sent_seq:
                return
            if self.write_now(frame.wire()):
                if seq:
                    self.sent_seq = seq
                return
            # The socket cannot take it now (a slow reader, or closing): the writer waits.
        try:
            self.queue.put_nowait((seq, frame))
        except asyncio.QueueFull:
            self.behind = True
            self.overflows += 1
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait((RESYNC, _NOTHING))


_NOTHING = OutgoingFrame("")
