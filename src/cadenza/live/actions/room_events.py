"""Appending a durable room event: the next number, the stored frame, the publish after commit.

Every room write goes through ``begin_room_write`` (checks the writer, then locks the
session row; answers a retry with the event it already wrote) and ``append_event`` (numbers
and stores the event, and publishes it to the room hub once the transaction commits).
Refusals are ``RoomRefusal`` (the room's state forbids it) or ``RoomForbidden`` (the person
may not); the consumer turns both into an error frame, and the transaction leaves nothing
behind.

Every room action takes an optional ``at`` (default: now) that dates its rows, its numbered
events and its learning-record statements: a past session rebuilt from outside (the demo's
briefing, an import) keeps the minute things happened. Clients never choose it:
``room_commands`` passes none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject
from cadenza.live.events import AudienceMember, RoomFrame
from cadenza.live.hub_wire import publish_event
from cadenza.live.models import LiveSession, ParticipantRestriction, RoomEvent
from cadenza.live.selectors.room import is_moderator, is_restricted
from cadenza.orgs.selectors import OrgContext

MAX_CLIENT_EVENT_ID = 64


class RoomRefusal(ValueError):
    """The room's state does not allow this write (chat locked, poll closed ...)."""


class RoomForbidden(PermissionDenied):
    """The person may not do this in the room (a learner opening a poll ...)."""


def session_object(session: LiveSession) -> LearningObject:
    """The live session as the object of an xAPI statement."""
    return LearningObject(
        type="live_session",
        id=str(session.pk),
        iri=f"urn:cadenza:{session.org.slug}:live-session:{session.pk}",
        name=session.title,
    )


def lock_room(session: LiveSession) -> LiveSession:
    """The session row, locked until the transaction ends: writers of one room take turns,
    so numbers are handed out without a gap and state checks see the latest state."""
    return LiveSession.objects.select_for_update().select_related("org").get(pk=session.pk)


def check_room_write(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str, moderator_only: bool = False
) -> tuple[bool, RoomEvent | None]:
    """The checks of a room write that need no lock, made before taking it: answers whether
    the writer moderates the room and, for a retry of a write already stored under
    ``client_event_id``, that event (the caller returns it and changes nothing). Removed
    people are refused; a learner may not do a moderator's write.

    Kept outside the lock on purpose: the session's row lock serializes every write of the
    room, so each round trip under it limits the whole room's write rate (and under load a
    thread waits for the interpreter lock after each one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("room writes run inside the action's transaction")
    if len(client_event_id) > MAX_CLIENT_EVENT_ID:
        raise RoomRefusal(f"client_event_id is longer than {MAX_CLIENT_EVENT_ID} characters.")
    prior = _prior(session, ctx.user, client_event_id)
    if prior is not None:
        return False, prior
    moderator = is_moderator(ctx, session)
    if moderator_only and not moderator:
        raise RoomForbidden("Only the session's hosts may do this.")
    if not moderator and is_restricted(session, ctx.user, ParticipantRestriction.Kind.REMOVED):
        raise RoomForbidden("You were removed from this session.")
    return moderator, None


def lock_room_for_write(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str, moderator: bool
) -> tuple[LiveSession, RoomEvent | None]:
    """Take the room's lock for a write checked by ``check_room_write``. A retry whose
    original committed while this one waited for the lock gets that original; a learner's
    write to a closed room is refused (the locked row is the latest state)."""
    room = lock_room(session)
    prior = _prior(room, ctx.user, client_event_id)
    if prior is not None:
        return room, prior
    if not moderator and room.closed_at is not None:
        raise RoomRefusal("The session has ended.")
    return room, None


def begin_room_write(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str, moderator_only: bool = False
) -> tuple[LiveSession, RoomEvent | None]:
    """Check the writer, then lock the room (``check_room_write`` and
    ``lock_room_for_write``). Returns the locked session and, for a retry of a write already
    stored under ``client_event_id``, that event (the caller returns it and changes
    nothing). Removed people, and learners in a closed room, are refused."""
    moderator, prior = check_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=moderator_only
    )
    if prior is not None:
        return session, prior
    return lock_room_for_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator=moderator
    )


def _prior(session: LiveSession, actor: User, client_event_id: str) -> RoomEvent | None:
    if not client_event_id:
        return None
    return RoomEvent.objects.filter(
        session=session, actor=actor, client_event_id=client_event_id
    ).first()


def append_event(
    *,
    session: LiveSession,
    event: RoomFrame,
    actor: User | None,
    client_event_id: str = "",
    audience: Sequence[AudienceMember] = (),
    at: datetime | None = None,
) -> RoomEvent:
    """Store ``event`` as the session's next numbered event and publish it after commit.

    Must run inside the action's transaction; the session row is (re)locked here so the
    number is the one after the last committed event. ``audience`` empty: everyone.
    ``at`` dates the stored event (default: now), for actions replaying a past session.
    """
    if not event.durable:
        raise TypeError(f"{event.type} is ephemeral and is never stored")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside the action's transaction")
    last = (
        LiveSession.objects.select_for_update()
        .filter(pk=session.pk)
        .values_list("last_seq", flat=True)
        .get()
    )
    seq = last + 1
    LiveSession.objects.filter(pk=session.pk).update(last_seq=seq)
    session.last_seq = seq
    frame = event.encode(seq=seq)
    members = list(audience)
    row = RoomEvent.objects.create(
        org_id=session.org_id,
        session=session,
        seq=seq,
        type=event.type,
        actor=actor,
        client_event_id=client_event_id,
        audience=members,
        frame=frame,
        created_at=at or timezone.now(),
    )
    transaction.on_commit(
        partial(publish_event, session_id=session.pk, seq=seq, audience=members, frame=frame),
        robust=True,
    )
    return row
