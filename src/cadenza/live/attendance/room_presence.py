"""What attendance does when the room reports (``cadenza.live.sessions.hooks``): it keeps one
presence interval per socket, and counts attendance when the room ends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cadenza.accounts.models import User
from cadenza.live.attendance.actions.attendance import (
    close_open_intervals,
    compute_attendance,
    join_room,
    leave_room,
    note_presence_heartbeat,
)
from cadenza.live.models import LiveSession


class PresenceIntervals:
    """The room's presence, kept as ``PresenceInterval`` rows (``RoomPresence``)."""

    def joined(
        self, *, session: LiveSession, user: User, connection_id: str, at: datetime
    ) -> object:
        return join_room(session=session, user=user, connection_id=connection_id, at=at)

    def left(self, *, connection_id: str, at: datetime) -> object:
        return leave_room(connection_id=connection_id, at=at)

    def alive(self, *, connection_ids: Sequence[str], at: datetime) -> int:
        return note_presence_heartbeat(connection_ids=connection_ids, at=at)


def count_attendance_at_close(*, session: LiveSession, at: datetime) -> None:
    """The room ended at ``at``: close the presence intervals still open and count
    everyone's attendance, so hosts see it at once."""
    close_open_intervals(session=session, at=at)
    compute_attendance(session=session, now=at)
