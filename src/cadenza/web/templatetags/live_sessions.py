"""Live sessions inside learning's pages: the sessions of a live-session unit, with links.

``learning`` sits below ``live`` and must not import it, so the course outline and the unit
page get their live data here, in the top layer (``{% load live_sessions %}``). The callers
have already authorized the units (``access_unit`` / the outline's visible units); the tags
read only sessions of those units (the query reads the course's live-session units' sessions
and keeps those of the units given), scoped to the viewer's organization, in one query, and
none at all when no live-session unit is on the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils import timezone

from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.lib.compiled_query import CompiledQuery
from cadenza.live.models import LiveSession, SessionStatus
from cadenza.live.schedule.selectors import join_path
from cadenza.orgs.selectors import OrgContext, scoped

register = template.Library()


@dataclass(frozen=True, slots=True)
class SessionLink:
    """One session of a live-session unit as a learner page lists it: its times, whether it
    is over or cancelled, whether its room is open now (the "Live now" badge: opened by a
    host and not ended, not merely within its scheduled hours), and where to go (the room to
    join, or the replay once it ended)."""

    session: LiveSession
    cancelled: bool
    ended: bool
    under_way: bool
    href: str
    room_open: bool = False


_LINK_FIELDS = (
    *("org_id", "course_id", "unit_id", "title"),
    *("starts_at", "ends_at", "status", "opened_at", "closed_at"),
)
"""What the links and the pages' templates read of a session: a session has some thirty
columns, and loading only these halves the cost of the outline's live-sessions query."""


_COURSE_SESSIONS = CompiledQuery(
    LiveSession,
    lambda org_id, course_id: (
        scoped(
            LiveSession.objects.filter(unit__course_id=course_id, unit__kind=UnitKind.LIVE_SESSION),
            org_id,
        )
        .only(*_LINK_FIELDS)
        .order_by("starts_at", "id")
    ),
)


def _links(
    ctx: OrgContext, course: Course, unit_ids: Iterable[int]
) -> dict[int, list[SessionLink]]:
    ids = list(unit_ids)
    found: dict[int, list[SessionLink]] = {unit_id: [] for unit_id in ids}
    if not ids:
        return found
    now = timezone.now()
    # The sessions of the course's live-session units, kept for the units on the page:
    # one query whose SQL does not change with the units (compiled once per process).
    for session in _COURSE_SESSIONS.all(org_id=ctx.org.pk, course_id=course.pk):
        if session.unit_id not in found:
            continue
        session.org = ctx.org
        session.course = course
        ended = session.closed_at is not None or now >= session.ends_at
        href = (
            reverse("live_replay", kwargs={"org_slug": ctx.org.slug, "session_id": session.pk})
            if ended
            else join_path(session)
        )
        found[session.unit_id].append(
            SessionLink(
                session=session,
                cancelled=session.status == SessionStatus.CANCELLED,
                ended=ended,
                under_way=session.starts_at <= now < session.ends_at,
                href=href,
                room_open=session.opened_at is not None and not ended,
            )
        )
    return found


@register.simple_tag
def live_sessions_of_units(
    ctx: OrgContext, course: Course, units: Iterable[Unit]
) -> dict[int, list[SessionLink]]:
    """``{% live_sessions_of_units ctx course units as live %}``: the sessions of the
    live-session units among ``units`` (already authorized), by unit id."""
    return _links(ctx, course, (u.pk for u in units if u.kind == UnitKind.LIVE_SESSION))


@register.simple_tag
def live_sessions_of_outline(
    ctx: OrgContext, course: Course, modules: Iterable[object]
) -> dict[int, list[SessionLink]]:
    """``{% live_sessions_of_outline ctx course outline.modules as live %}``: the same for
    every unit of a course outline (``ModuleOutline`` entries with ``UnitState``s)."""
    units = [state.unit for entry in modules for state in getattr(entry, "units", [])]
    return live_sessions_of_units(ctx, course, units)


@register.simple_tag
def live_sessions_of_unit(ctx: OrgContext, course: Course, unit: Unit) -> list[SessionLink]:
    """``{% live_sessions_of_unit ctx course unit as sessions %}``: one unit's sessions."""
    return live_sessions_of_units(ctx, course, [unit]).get(unit.pk, [])


@register.filter
def sessions_for(links: dict[int, list[SessionLink]], unit_id: int) -> list[SessionLink]:
    """``{{ live|sessions_for:unit.pk }}``: one unit's sessions (empty when it has none)."""
    return links.get(unit_id, []) if links else []
