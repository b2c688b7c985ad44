"""What one part of a live session asks of another, without importing it.

The parts of ``cadenza.live`` (``room``, ``schedule``, ``attendance``, ``providers``) are
independent of each other (the layers contract in pyproject.toml). Where the work of one part
has a consequence in another, the part that acts calls a hook here and the glue hands over the
part that knows (``use_session_hooks`` in ``LiveConfig.ready``), as the room hands
``cadenza.realtime`` its event log:

- ``room_opened``: a host opened the room; everyone taking part hears "starting now"
  (schedule's reminders);
- ``presence``: the room's sockets came, went or are still alive; attendance keeps one
  presence interval per socket;
- ``room_closed``: the room ended; the open presence intervals are closed and attendance is
  counted (attendance);
- ``breakouts_recalled``: breakout rooms closed; their own video meetings are ended in the
  background (providers, through ``cadenza.live.tasks``), called after commit;
- ``video_recordings``: the recordings the session's video service kept (providers), for the
  replay.

Each hook runs in the caller's transaction, as the direct call it replaces did. Using a hook
before startup registered them is a programming error, never a silent no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession


class RoomOpened(Protocol):
    def __call__(self, *, session: LiveSession, opened_by: User | None) -> object: ...


class RoomClosed(Protocol):
    def __call__(self, *, session: LiveSession, at: datetime) -> object: ...


class RoomPresence(Protocol):
    """One presence record per socket: opened on connect, closed on disconnect, kept alive by
    the server process's heartbeat."""

    def joined(
        self, *, session: LiveSession, user: User, connection_id: str, at: datetime
    ) -> object: ...

    def left(self, *, connection_id: str, at: datetime) -> object: ...

    def alive(self, *, connection_ids: Sequence[str], at: datetime) -> int: ...


class BreakoutsRecalled(Protocol):
    def __call__(self, session_id: int, breakout_ids: list[int]) -> object: ...


class RecordingLink(Protocol):
    """A recording as the replay lists it."""

    @property
    def title(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def duration_seconds(self) -> float | None: ...


class VideoRecordings(Protocol):
    def __call__(self, session: LiveSession) -> Sequence[RecordingLink]:
        """The video service's recordings of ``session``; raises when it cannot say."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionHooks:
    """What the parts of a live session are handed at startup."""

    room_opened: RoomOpened
    room_closed: RoomClosed
    presence: RoomPresence
    breakouts_recalled: BreakoutsRecalled
    video_recordings: VideoRecordings


_hooks: SessionHooks | None = None


def use_session_hooks(hooks: SessionHooks) -> None:
    """Register the hooks (once, at startup)."""
    global _hooks
    _hooks = hooks


def session_hooks() -> SessionHooks:
    """The registered hooks."""
    if _hooks is None:
        raise RuntimeError("No live-session hooks registered (use_session_hooks at startup).")
    return _hooks
