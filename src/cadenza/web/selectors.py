"""Reads that compose several domains for one page: the learner's dashboard.

``web`` is the top layer, so it may read both ``learning`` (progress) and ``live`` (the
schedule), which sit in different layers and must not import each other upwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cadenza.learning.selectors.progress import DashboardEntry
from cadenza.learning.selectors.progress import dashboard as progress_dashboard
from cadenza.live.models import LiveSession
from cadenza.live.schedule.selectors import join_path, upcoming_sessions
from cadenza.orgs.selectors import OrgContext

UPCOMING_LIMIT = 10
_SESSION_FIELDS = (
    *("org_id", "course_id", "unit_id", "title", "starts_at", "ends_at"),
    *("opened_at", "closed_at"),
    *("course__org_id", "course__slug", "course__title"),
)
"""What the dashboard shows of a session and its course, and what ``join_path`` reads;
whether the room is open or was ended early (the badge)."""


@dataclass(frozen=True, slots=True)
class UpcomingSession:
    """A live session on the dashboard: where to join it, whether it is under way (by the
    clock), whether its room is open now ("Live now") or was ended early by a host ("Ended ·
    Replay")."""

    session: LiveSession
    join_path: str
    is_host: bool
    under_way: bool
    seconds_until_start: int
    room_open: bool = False
    ended: bool = False

    @property
    def starts_in(self) -> str:
        """The countdown as the server sees it ("in 2 days 3 h", "in 12 min", "now"); the
        page's script keeps it current, but this text is the truth without it."""
        return countdown_text(0 if self.under_way else self.seconds_until_start)


def countdown_text(seconds: int) -> str:
    """Seconds before a start as a short phrase, to the minute (rounded up)."""
    minutes = -(-max(0, seconds) // 60)
    if minutes == 0:
        return "now"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [f"{days} day{'s' if days > 1 else ''}"] + ([f"{hours} h"] if hours else [])
    elif hours:
        parts = [f"{hours} h"] + ([f"{mins} min"] if mins else [])
    else:
        parts = [f"{mins} min"]
    return "in " + " ".join(parts)


@dataclass(frozen=True, slots=True)
class DashboardPage:
    """The dashboard: my courses with progress, and my next live sessions soonest first."""

    entries: list[DashboardEntry]
    upcoming: list[UpcomingSession]


def dashboard_page(ctx: OrgContext, *, now: datetime) -> DashboardPage:
    """The person's dashboard in ``ctx.org`` at ``now``.

    A fixed number of queries whatever the number of units or sessions: the progress
    dashboard's, plus two for the sessions (one when there is none).
    """
    entries = progress_dashboard(ctx)
    upcoming = []
    sessions = upcoming_sessions(ctx, now=now, limit=UPCOMING_LIMIT, fields=_SESSION_FIELDS)
    for session in sessions:
        # Every session here is scoped to ctx.org: reuse it rather than load it per session.
        session.org = ctx.org
        upcoming.append(
            UpcomingSession(
                session=session,
                join_path=join_path(session),
                is_host=bool(getattr(session, "is_host", False)),
                under_way=session.starts_at <= now < session.ends_at,
                seconds_until_start=max(0, int((session.starts_at - now).total_seconds())),
                room_open=session.opened_at is not None and session.closed_at is None,
                ended=session.closed_at is not None,
            )
        )
    return DashboardPage(entries=entries, upcoming=upcoming)
