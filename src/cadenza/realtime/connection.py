"""One socket's place in a live room: what it may see and its bounded queue of frames.

The room hub offers each frame once per process to every local connection allowed to see it.
When the socket's writer is waiting on an empty queue and the server takes finished frames
(``cadenza.realtime.websocket_frames``), the frame, built once for all sockets, is written to the
socket at once: no queue, no task switch, no per-socket encoding. Otherwise it goes into the
connection's queue and the writer sends it. A queue that overflows marks its connection behind
instead of growing: the writer resyncs from the database by its last number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from cadenza.realtime.audience import Person, may_see
from cadenza.realtime.rooms import Delivery
from cadenza.realtime.websocket_frames import FrameWriter, OutgoingFrame

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
        """One frame (``seq`` 0: not numbered); see ``offer_run``."""
        self.offer_run(FrameRun([(seq, frame)]))

    def offer_run(self, run: FrameRun) -> None:
        """Frames in order: written to the socket in one piece when its writer waits on an
        empty queue and the server takes finished frames, else queued for the writer. Frames
        numbered at or below what the socket was sent already (a replay raced them) are left
        out."""
        if self.behind:
            return
        if self.idle and self.write_now is not None and self.queue.empty():
            fresh = run.after(self.sent_seq)
            if fresh is None:
                return
            if self.write_now(fresh.wire()):
                if fresh.last_seq:
                    self.sent_seq = fresh.last_seq
                return
            # The socket cannot take it now (a slow reader, or closing): the writer waits.
        for seq, frame in run.frames:
            if not self._enqueue(seq, frame):
                return

    def _enqueue(self, seq: int, frame: OutgoingFrame) -> bool:
        try:
            self.queue.put_nowait((seq, frame))
        except asyncio.QueueFull:
            self.behind = True
            self.overflows += 1
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait((RESYNC, _NOTHING))
            return False
        return True


class FrameRun:
    """Frames that reached the hub together, in order, for the sockets that see them all:
    their finished websocket frames are joined once, so each socket gets one write."""

    __slots__ = ("_wire", "first_seq", "frames", "last_seq")

    def __init__(self, frames: list[tuple[int, OutgoingFrame]]) -> None:
        self.frames = frames
        numbered = [seq for seq, _frame in frames if seq]
        self.first_seq = numbered[0] if numbered else 0
        self.last_seq = numbered[-1] if numbered else 0
        self._wire: bytes | None = None

    def wire(self) -> bytes:
        if self._wire is None:
            if len(self.frames) == 1:
                self._wire = self.frames[0][1].wire()
            else:
                self._wire = b"".join(frame.wire() for _seq, frame in self.frames)
        return self._wire

    def after(self, sent_seq: int) -> FrameRun | None:
        """The frames a socket that was sent up to ``sent_seq`` still needs (None: none)."""
        if not self.first_seq or self.first_seq > sent_seq:
            return self
        fresh = [(seq, frame) for seq, frame in self.frames if not seq or seq > sent_seq]
        return FrameRun(fresh) if fresh else None


_NOTHING = OutgoingFrame("")


def offer_to_room(connections: Iterable[RoomConnection], run: list[Delivery]) -> None:
    """Offer frames to every socket allowed to see them. Each frame is built once, here, for
    all sockets (``OutgoingFrame``); frames for everyone are joined once into a run that each
    socket gets in one write."""
    if not run:
        return
    frames = [(seq, audience, OutgoingFrame(text)) for seq, audience, text in run]
    if not any(audience for _seq, audience, _frame in frames):
        shared = FrameRun([(seq, frame) for seq, _audience, frame in frames])
        for connection in connections:
            connection.offer_run(shared)
        return
    for connection in connections:
        user_id, moderator = connection.user_id, connection.is_moderator
        visible = [
            (seq, frame)
            for seq, audience, frame in frames
            if may_see(audience, user_id=user_id, is_moderator=moderator)
        ]
        if visible:
            connection.offer_run(FrameRun(visible))
