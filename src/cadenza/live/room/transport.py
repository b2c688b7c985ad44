"""What the live room hands the real-time transport (``cadenza.realtime.rooms``): its log of
numbered events (``RoomEvent``, by the session's ``last_seq``), its admission rule for the
sweep with the attendance heartbeat, and its presence frame (``live.presence``).

Registered once at startup (``LiveConfig.ready``); the hub calls each method in a database
thread, once per room and process: the same reads as when the hub imported them itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cadenza.live.room.events import Person, PresenceChanged
from cadenza.live.room.selectors.room import events_between, room_last_seq
from cadenza.live.sessions.admission import admitted_people
from cadenza.live.sessions.hooks import session_hooks
from cadenza.realtime.rooms import Delivery, Rooms


class RoomEventLog:
    """A session's numbered room events (``RoomEvent``)."""

    def last_number(self, session_id: int) -> int:
        return room_last_seq(session_id)

    def between(self, *, session_id: int, first: int, last: int) -> Sequence[Delivery]:
        return events_between(session_id=session_id, first=first, last=last)


class RoomAdmission:
    """Who may stay in a session's room (``admitted_people``), and the attendance heartbeat
    of the sockets still there."""

    def admitted(self, *, session_id: int, user_ids: set[int]) -> set[int]:
        return admitted_people(session_id=session_id, user_ids=user_ids)

    def heartbeat(self, *, connection_ids: list[str], at: datetime) -> int:
        return session_hooks().presence.alive(connection_ids=connection_ids, at=at)


def presence_frame(*, joined: tuple[Person, ...], left: tuple[Person, ...], count: int) -> str:
    """The room's ``live.presence`` frame."""
    return PresenceChanged(joined=joined, left=left, count=count).encode()


LIVE_ROOMS = Rooms(log=RoomEventLog(), admission=RoomAdmission(), presence_frame=presence_frame)
