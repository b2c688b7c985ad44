"""Which stage of its life a live session is in for a person: before the lobby, the room,
over (the replay), cancelled. The page and the room socket ask the same question here, so a
learner's socket cannot come in before the lobby opens any more than their page can."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cadenza.live.models import LiveSession, SessionStatus


def is_over(session: LiveSession, *, now: datetime) -> bool:
    """The session has ended: its room was closed, or its end time has passed."""
    return session.closed_at is not None or now >= session.ends_at


BEFORE = "before"
"""The lobby is not open yet: agenda, start time, countdown, calendar file."""
ROOM = "room"
"""The lobby is open (or a host is preparing): the pre-join check and the room."""
OVER = "over"
"""The session has ended: the replay."""
CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Stage:
    """Which part of the session page to show, and when the lobby opens."""

    name: str
    lobby_opens_at: datetime


def stage_of(session: LiveSession, *, now: datetime, host: bool) -> Stage:
    """The page's stage at ``now``. Hosts may enter the room before the lobby opens (to
    prepare polls and open the room); learners wait for the lobby or a host opening it."""
    lobby = session.starts_at - timedelta(minutes=session.lobby_minutes)
    if session.status == SessionStatus.CANCELLED:
        return Stage(CANCELLED, lobby)
    if is_over(session, now=now):
        return Stage(OVER, lobby)
    if host or now >= lobby or session.opened_at is not None:
        return Stage(ROOM, lobby)
    return Stage(BEFORE, lobby)


def learners_may_enter(session: LiveSession, *, now: datetime) -> bool:
    """Whether a learner's socket may join the room at ``now``: not before the lobby opens
    (unless a host opened the room early) and never for a cancelled session. After the end
    a reconnecting page is let in: it finds the room closed and turns into the replay."""
    return stage_of(session, now=now, host=False).name in (ROOM, OVER)
