"""The presence changes of one room waiting for its next presence frame, and their sending
(``PresenceFrames``).

Each server process's hub coalesces the joins and leaves of one interval into one frame per
room, not one frame per join to everyone present (quadratic while a big room fills). A frame
that could not go out (Redis away) is put back, so it goes out with the next one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from cadenza.realtime.audience import Person
from cadenza.realtime.rooms import PresenceFrame

log = logging.getLogger(__name__)


@dataclass
class PresenceBatch:
    """The presence changes of one room waiting for the next presence frame.

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

    def put_back(self, joined: tuple[Person, ...], left: tuple[Person, ...]) -> None:
        """Keep the changes of a frame that did not go out for the next one (a change noted
        since is newer and wins)."""
        for person in joined:
            self.changes.setdefault(person.user_id, (person, "joined"))
        for person in left:
            self.changes.setdefault(person.user_id, (person, "left"))


class PresenceFrames:
    """One room's presence frames from this process: the changes noted meanwhile go out
    together, the first after a quiet interval at once, then at most one frame per
    ``interval``. ``count`` answers how many people are in the room; ``encode`` makes the
    frame (the domain's, ``rooms.PresenceFrame``); ``send`` relays a frame and answers False
    when it could not (the changes are then kept for the next frame)."""

    def __init__(
        self,
        *,
        session_id: int,
        interval: float,
        count: Callable[[int], Awaitable[int]],
        encode: PresenceFrame,
        send: Callable[[int, str], Awaitable[bool]],
    ) -> None:
        self.session_id = session_id
        self.interval = interval
        self.batch = PresenceBatch()
        self._count = count
        self._encode = encode
        self._send = send
        self._pending = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._announce())

    def note(self, person: Person, state: Literal["joined", "left"]) -> None:
        self.batch.note(person, state)
        self._pending.set()

    def retry(self) -> None:
        """Send what was kept (Redis is back)."""
        if self.batch.changes:
            self._pending.set()

    async def _announce(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time() - self.interval
        while True:
            await self._pending.wait()
            wait = last + self.interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._pending.clear()
            last = loop.time()
            try:
                await self.say()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("room presence: not announced in session %s", self.session_id)

    async def say(self) -> None:
        """Send the room's presence frame now, if anything changed."""
        if not self.batch.changes:
            return
        count = await self._count(self.session_id)
        joined, left = self.batch.take()
        frame = self._encode(joined=joined, left=left, count=count)
        if not await self._send(self.session_id, frame):
            self.batch.put_back(joined, left)
