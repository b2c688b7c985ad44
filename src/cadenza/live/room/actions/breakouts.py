"""Breakout rooms: started (planned rooms, rooms made by hand, or a random split of the people
present), a countdown, a message to all rooms, and the recall that closes them."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cadenza.live.models import (
    BreakoutAssignment,
    BreakoutRoom,
    LiveSession,
    LiveSessionHost,
    PresenceInterval,
    RoomEvent,
    VideoProvider,
)
from cadenza.live.room.actions.numbering import RoomRefusal, append_event, begin_room_write
from cadenza.live.room.events import (
    BreakoutsClosed,
    BreakoutsCountdown,
    BreakoutsMessage,
    BreakoutsStarted,
)
from cadenza.live.room.selectors.room import breakout_views, iso, open_breakouts, person
from cadenza.live.sessions.hooks import session_hooks
from cadenza.orgs.models import Membership
from cadenza.orgs.policy import Permission, roles_with
from cadenza.orgs.selectors import OrgContext

MAX_ROOMS = 50
MAX_MINUTES = 240


@dataclass(frozen=True, slots=True)
class BreakoutPlan:
    """One room made by hand: its name and the people in it."""

    name: str
    member_ids: Sequence[int] = field(default_factory=tuple)


@transaction.atomic
def start_breakouts(
    *,
    ctx: OrgContext,
    session: LiveSession,
    client_event_id: str,
    rooms: Sequence[BreakoutPlan] = (),
    count: int | None = None,
    minutes: int | None = None,
    at: datetime | None = None,
) -> RoomEvent:
    """A host splits the room: into ``rooms`` made by hand, into ``count`` rooms at random
    among the people present (hosts stay in the main room), or, with neither, into the rooms
    planned before the session. ``minutes`` sets the countdown."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    if open_breakouts(room):
        raise RoomRefusal("Breakout rooms are already running; recall everyone first.")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise RoomRefusal(f"A countdown is 1 to {MAX_MINUTES} minutes.")
    BreakoutAssignment.objects.filter(session=room, room__closed_at__isnull=False).delete()
    now = at or timezone.now()
    ends_at = now + timedelta(minutes=minutes) if minutes is not None else None
    if rooms:
        made = _rooms_by_hand(room, rooms)
    elif count is not None:
        made = _rooms_at_random(room, count)
    else:
        made = list(
            BreakoutRoom.objects.filter(
                session=room, opened_at__isnull=True, closed_at__isnull=True
            )
        )
        if not made:
            raise RoomRefusal("No breakout rooms are planned; make some or split at random.")
    for breakout in made:
        breakout.opened_at = now
        breakout.ends_at = ends_at
    BreakoutRoom.objects.bulk_update(made, ["opened_at", "ends_at"])
    return append_event(
        session=room,
        event=BreakoutsStarted(
            rooms=breakout_views(made), ends_at=iso(ends_at) if ends_at else None
        ),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )


def _new_room(session: LiveSession, name: str, position: int) -> BreakoutRoom:
    return BreakoutRoom.objects.create(
        org_id=session.org_id,
        session=session,
        name=name,
        position=position,
        provider_room=f"{session.provider_room}-breakout-{uuid.uuid4().hex[:10]}",
    )


def _rooms_by_hand(session: LiveSession, plans: Sequence[BreakoutPlan]) -> list[BreakoutRoom]:
    if len(plans) > MAX_ROOMS:
        raise RoomRefusal(f"At most {MAX_ROOMS} breakout rooms.")
    everyone = [user_id for plan in plans for user_id in plan.member_ids]
    if len(everyone) != len(set(everyone)):
        raise RoomRefusal("A person can be in only one breakout room.")
    members = set(
        Membership.objects.filter(org_id=session.org_id, user_id__in=everyone).values_list(
            "user_id", flat=True
        )
    )
    if members != set(everyone):
        raise RoomRefusal("Every member of a breakout room must be a participant.")
    made = []
    for position, plan in enumerate(plans):
        name = plan.name.strip()
        if not name or len(name) > 100:
            raise RoomRefusal("Each breakout room needs a name of 1 to 100 characters.")
        breakout = _new_room(session, name, position)
        BreakoutAssignment.objects.bulk_create(
            BreakoutAssignment(org_id=session.org_id, session=session, room=breakout, user_id=u)
            for u in plan.member_ids
        )
        made.append(breakout)
    return made


def _rooms_at_random(session: LiveSession, count: int) -> list[BreakoutRoom]:
    if not 1 <= count <= MAX_ROOMS:
        raise RoomRefusal(f"Split into 1 to {MAX_ROOMS} breakout rooms.")
    hosts = set(LiveSessionHost.objects.filter(session=session).values_list("user_id", flat=True))
    hosts |= set(
        Membership.objects.filter(
            org_id=session.org_id, role__in=roles_with(Permission.MANAGE_ORGANIZATION)
        ).values_list("user_id", flat=True)
    )
    present = sorted(
        set(
            PresenceInterval.objects.filter(session=session, left_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
        - hosts
    )
    if not present:
        raise RoomRefusal("Nobody is present to split into breakout rooms.")
    random.SystemRandom().shuffle(present)
    made = [_new_room(session, f"Room {n + 1}", n) for n in range(count)]
    BreakoutAssignment.objects.bulk_create(
        BreakoutAssignment(
            org_id=session.org_id, session=session, room=made[i % count], user_id=user_id
        )
        for i, user_id in enumerate(present)
    )
    return made


@transaction.atomic
def message_all_breakouts(
    *,
    ctx: OrgContext,
    session: LiveSession,
    body: str,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """A host's message to every breakout room at once."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    text = body.strip()
    if not text or len(text) > 2000:
        raise RoomRefusal("A message to all rooms has 1 to 2000 characters.")
    if not open_breakouts(room):
        raise RoomRefusal("No breakout rooms are running.")
    return append_event(
        session=room,
        event=BreakoutsMessage(body=text, by=person(ctx.user)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=at,
    )


@transaction.atomic
def set_breakout_countdown(
    *,
    ctx: OrgContext,
    session: LiveSession,
    seconds: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """A host starts (or resets) the countdown to the end of the breakout rooms."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    if not 1 <= seconds <= MAX_MINUTES * 60:
        raise RoomRefusal(f"A countdown is 1 second to {MAX_MINUTES} minutes.")
    running = open_breakouts(room)
    if not running:
        raise RoomRefusal("No breakout rooms are running.")
    now = at or timezone.now()
    ends_at = now + timedelta(seconds=seconds)
    BreakoutRoom.objects.filter(pk__in=[r.pk for r in running]).update(ends_at=ends_at)
    return append_event(
        session=room,
        event=BreakoutsCountdown(ends_at=iso(ends_at), seconds=seconds),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )


@transaction.atomic
def close_breakouts(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str, at: datetime | None = None
) -> RoomEvent:
    """A host recalls everyone to the main room; the rooms' chat stays on record."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    running = open_breakouts(room)
    if not running:
        raise RoomRefusal("No breakout rooms are running.")
    now = at or timezone.now()
    ids = [r.pk for r in running]
    BreakoutRoom.objects.filter(pk__in=ids).update(closed_at=now)
    if room.provider == VideoProvider.BIGBLUEBUTTON:
        recalled = session_hooks().breakouts_recalled
        transaction.on_commit(lambda: recalled(room.pk, ids), robust=True)
    return append_event(
        session=room,
        event=BreakoutsClosed(breakout_ids=tuple(r.pk for r in running)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )
