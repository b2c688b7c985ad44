"""What the hub is handed by the domain app whose rooms it carries (the live room first; forum
threads and the notification bell next): small interfaces, so the transport imports no domain
app.

- ``EventLog``: the room's numbered events, to read from: the last number, and the events
  between two numbers (the hub's gap fill and its catch-up after a Redis outage);
- ``Admission``: who of some people may still be in a room (the sweep's check), and the
  heartbeat that keeps the room's open presence intervals alive;
- ``PresenceFrame``: the frame that says who came and went.

Each method is synchronous and runs in a database thread (``in_database_thread``), once per
room and process, never per socket. The app registers its implementation at startup
(``use_rooms`` in its ``AppConfig.ready``); a hub made before that, or in a test, may be handed
one directly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cadenza.realtime.audience import AudienceMember, Person

Delivery = tuple[int, Sequence[AudienceMember], str]
"""One frame for a room: its number (0: not numbered), who may see it (empty: everyone) and
its text."""


class EventLog(Protocol):
    def last_number(self, session_id: int) -> int:
        """The room's last event number (0: none yet)."""
        ...

    def between(self, *, session_id: int, first: int, last: int) -> Sequence[Delivery]:
        """Events ``first``..``last`` of the room with their audience, in order."""
        ...


class Admission(Protocol):
    def admitted(self, *, session_id: int, user_ids: set[int]) -> Collection[int]:
        """Which of ``user_ids`` may still be in the room."""
        ...

    def heartbeat(self, *, connection_ids: list[str], at: datetime) -> object:
        """Keep the presence intervals of these sockets alive until ``at``."""
        ...


class PresenceFrame(Protocol):
    def __call__(self, *, joined: tuple[Person, ...], left: tuple[Person, ...], count: int) -> str:
        """The encoded frame announcing who joined and left, and how many are present."""
        ...


@dataclass(frozen=True, slots=True)
class Rooms:
    """What a domain app hands the hub for its rooms."""

    log: EventLog
    admission: Admission
    presence_frame: PresenceFrame


_rooms: Rooms | None = None


def use_rooms(rooms: Rooms) -> None:
    """Register the rooms' implementation (once, at startup)."""
    global _rooms
    _rooms = rooms


def registered_rooms() -> Rooms:
    """The registered implementation; a hub cannot run without one."""
    if _rooms is None:
        raise RuntimeError("No rooms registered with cadenza.realtime (use_rooms at startup).")
    return _rooms
