"""Reads the REST API needs beside the pages' own: a course's sessions as its outline lists
them, hosts loaded for a list in one query, and who is in a room as the database knows it.

The pages get these facts elsewhere (the outline's template tags, the room hub's ephemeral
presence); an HTTP client has neither, so they are read here with the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Prefetch, prefetch_related_objects

from cadenza.courses.models import Course, UnitKind
from cadenza.courses.selectors import visible_units
from cadenza.live.attendance.selectors.attendance import open_interval_end
from cadenza.live.models import LiveSession, LiveSessionHost, PresenceInterval
from cadenza.orgs.selectors import OrgContext, scoped


def load_hosts(sessions: Sequence[LiveSession]) -> None:
    """Load each session's series and host rows (with their people, in the order named) in
    two queries, whatever the number of sessions: ``session.hosts.all()`` then reads none."""
    rows = LiveSessionHost.objects.select_related("user").order_by("id")
    prefetch_related_objects(list(sessions), "series", Prefetch("hosts", queryset=rows))


def course_sessions(ctx: OrgContext, course: Course) -> list[LiveSession]:
    """Every session (cancelled ones included) of the course's live-session units that the
    person may open: the rule of the course outline (``visible_units``: staff all, learners
    the published ones), soonest first, with hosts and series loaded."""
    units = visible_units(ctx, course).filter(kind=UnitKind.LIVE_SESSION).values("pk")
    sessions = list(
        scoped(LiveSession.objects.filter(unit__in=units), ctx.org)
        .select_related("course")
        .order_by("starts_at", "id")
    )
    load_hosts(sessions)
    return sessions


def present_in_room(session: LiveSession, *, now: datetime) -> list[int]:
    """The people (user ids, ascending) with a connection open in the room at ``now`` that
    still sends heartbeats: the database's view of presence, for a client reading the room
    over HTTP in a process whose room hub does not hold the room's sockets."""
    intervals = PresenceInterval.objects.filter(session=session, left_at__isnull=True)
    return sorted({i.user_id for i in intervals if open_interval_end(i, now) == now})
