"""Reads that compose several domains for one page: the learning part of the home (my
courses, my next live sessions) and the page of all my upcoming sessions.

``web`` is the top layer, so it may read both ``learning`` (progress) and ``live`` (the
schedule), which sit in different layers and must not import each other upwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.urls import reverse

from cadenza.learning.selectors.progress import DashboardEntry
from cadenza.learning.selectors.progress import dashboard as progress_dashboard
from cadenza.live.models import LiveSession
from cadenza.live.schedule.selectors import join_path, upcoming_sessions_query
from cadenza.live.sessions.stage import ROOM, stage_of
from cadenza.orgs.selectors import OrgContext

NEXT_SESSIONS = 3
"""How many upcoming sessions the home lists; the rest are on the page of all sessions."""
SESSIONS_PER_PAGE = 20
SESSION_FIELDS = (
    *("org_id", "course_id", "unit_id", "title", "starts_at", "ends_at"),
    *("status", "lobby_minutes", "opened_at", "closed_at"),
    *("course__org_id", "course__slug", "course__title"),
)
"""What the home shows of a session and its course, and what ``join_path`` reads; when its
lobby opens and whether the room is open or was ended early (the badge)."""


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
    lobby_open: bool = False
    """The Join button shows only now: the lobby opened (``lobby_minutes`` before the start)
    or a host opened the room early, and the session is not over."""
    calendar_path: str = ""
    """The session's ``.ics`` file ("Add to calendar"), offered until the lobby opens."""

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
    """The learning part of the home: my courses with progress, and my next live sessions
    soonest first (``more_sessions``: there are more than these, on the page of all)."""

    entries: list[DashboardEntry]
    upcoming: list[UpcomingSession]
    more_sessions: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.entries and not self.upcoming


def dashboard_page(ctx: OrgContext, *, now: datetime, hosting: bool = True) -> DashboardPage:
    """The person's courses and next ``NEXT_SESSIONS`` sessions in ``ctx.org`` at ``now``;
    ``hosting=False`` leaves out the sessions they host (the teaching part lists them).

    A fixed number of queries whatever the number of units or sessions: the progress
    dashboard's, plus one for the sessions (one more is read to know whether there are more).
    """
    entries = progress_dashboard(ctx)
    sessions = upcoming_sessions_query(ctx, now=now, hosting=hosting, fields=SESSION_FIELDS)
    upcoming = upcoming_items(ctx, sessions[: NEXT_SESSIONS + 1], now=now)
    return DashboardPage(
        entries=entries,
        upcoming=upcoming[:NEXT_SESSIONS],
        more_sessions=len(upcoming) > NEXT_SESSIONS,
    )


@dataclass(frozen=True, slots=True)
class SessionsPage:
    """One page of all my upcoming sessions: its items, and the paginator's page (number,
    count, neighbours)."""

    items: list[UpcomingSession]
    page: Page[LiveSession]


def all_sessions_page(ctx: OrgContext, *, now: datetime, number: str | int | None) -> SessionsPage:
    """One page (``SESSIONS_PER_PAGE``, soonest first) of every upcoming session the person
    hosts or may join in ``ctx.org``; a page number out of range gives the last page. Two
    queries: the count and the page (none for the page when the count is 0)."""
    sessions = upcoming_sessions_query(ctx, now=now, fields=SESSION_FIELDS)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(number)
    return SessionsPage(items=upcoming_items(ctx, page.object_list, now=now), page=page)


def upcoming_items(
    ctx: OrgContext, sessions: Iterable[LiveSession], *, now: datetime
) -> list[UpcomingSession]:
    """Sessions of ``ctx.org`` (``is_host`` annotated) as the home shows them. No query."""
    items = []
    for session in sessions:
        # Every session here is scoped to ctx.org: reuse it rather than load it per session.
        session.org = ctx.org
        ended = session.closed_at is not None
        lobby_open = not ended and stage_of(session, now=now, host=False).name == ROOM
        items.append(
            UpcomingSession(
                session=session,
                join_path=join_path(session),
                is_host=bool(getattr(session, "is_host", False)),
                under_way=session.starts_at <= now < session.ends_at,
                seconds_until_start=max(0, int((session.starts_at - now).total_seconds())),
                room_open=session.opened_at is not None and not ended,
                ended=ended,
                lobby_open=lobby_open,
                calendar_path=reverse(
                    "live_session_ics",
                    kwargs={"org_slug": ctx.org.slug, "session_id": session.pk},
                ),
            )
        )
    return items
