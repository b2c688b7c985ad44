"""Appending a durable room event: the next number, the stored frame, the publish after commit.

Every room write goes through ``begin_room_write`` (checks the writer, then locks the
session row; answers a retry with the event it already wrote) and ``append_event`` (numbers
and stores the event, and publishes it to the room hub once the transaction commits). Chat,
the room's busiest write, skips the separate lock: ``number_next_event`` takes the lock, the
number and the state chat needs in one statement (``room_chat``).

The session row's lock is held from the moment the number is taken to the commit, and every
writer of the room, in every server process, waits for it: that is what makes the numbers
commit in order, without a gap. So the statements under it are few (docs/performance.md,
"The room's write path"): each one is a database round trip and, in a busy server process, a
wait for the interpreter lock.
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
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject
from cadenza.lib.errors import DomainError
from cadenza.live.models import LiveSession, ParticipantRestriction, RoomEvent
from cadenza.live.room.events import AudienceMember, RoomFrame
from cadenza.live.room.events.commands import MAX_CLIENT_EVENT_ID
from cadenza.live.sessions.access import is_moderator, is_restricted
from cadenza.orgs.selectors import OrgContext
from cadenza.realtime.publish import publish_event


class RoomRefusal(DomainError):
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


@dataclass(frozen=True, slots=True)
class NumberedEvent:
    """The room's next number, taken with the state a write checks under the lock."""

    seq: int
    closed: bool
    chat_locked: bool


def number_next_event(session: LiveSession) -> NumberedEvent:
    """Take the room's next event number in one statement, which also locks the session row
    until the transaction ends (an ``UPDATE ... RETURNING``; SQLite has it since 3.35). A
    write refused after this rolls back, and the number with it."""
    table = connection.ops.quote_name(LiveSession._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s "  # noqa: S608 - our table
            "RETURNING last_seq, closed_at, chat_locked",
            [session.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise LiveSession.DoesNotExist(f"live session {session.pk} is gone")
    seq, closed_at, chat_locked = row
    session.last_seq = int(seq)
    return NumberedEvent(seq=int(seq), closed=closed_at is not None, chat_locked=bool(chat_locked))


def lock_room(session: LiveSession) -> LiveSession:
    """The session row, locked until the transaction ends: writers of one room take turns,
    so numbers are handed out without a gap and state checks see the latest state."""
    return LiveSession.objects.select_for_update().select_related("org").get(pk=session.pk)


def check_room_write(
    *,
    ctx: OrgContext,
    session: LiveSession,
    client_event_id: str,
    moderator_only: bool = False,
    admitted_as_moderator: bool | None = None,
) -> tuple[bool, RoomEvent | None]:
    """The checks of a room write that need no lock, made before taking it: answers whether
    the writer moderates the room and, for a retry of a write already stored under
    ``client_event_id``, that event (the caller returns it and changes nothing). Removed
    people are refused; a learner may not do a moderator's write.

    Kept outside the lock on purpose: the session's row lock serializes every write of the
    room, so each round trip under it limits the whole room's write rate (and under load a
    thread waits for the interpreter lock after each one).

    ``admitted_as_moderator``: the caller admitted the writer to the room a moment ago
    (``admit_to_room``, which refuses removed people) and says whether they moderate it; the
    two checks are not repeated."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("room writes run inside the action's transaction")
    if len(client_event_id) > MAX_CLIENT_EVENT_ID:
        raise RoomRefusal(f"client_event_id is longer than {MAX_CLIENT_EVENT_ID} characters.")
    prior = stored_retry(session, ctx.user, client_event_id)
    if prior is not None:
        return False, prior
    if admitted_as_moderator is not None:
        moderator = admitted_as_moderator
    else:
        moderator = is_moderator(ctx, session)
        if not moderator and is_restricted(session, ctx.user, ParticipantRestriction.Kind.REMOVED):
            raise RoomForbidden("You were removed from this session.")
    if moderator_only and not moderator:
        raise RoomForbidden("Only the session's hosts may do this.")
    return moderator, None


def lock_room_for_write(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str, moderator: bool
) -> tuple[LiveSession, RoomEvent | None]:
    """Take the room's lock for a write checked by ``check_room_write``. A retry whose
    original committed while this one waited for the lock gets that original; a learner's
    write to a closed room is refused (the locked row is the latest state)."""
    room = lock_room(session)
    prior = stored_retry(room, ctx.user, client_event_id)
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


def stored_retry(session: LiveSession, actor: User, client_event_id: str) -> RoomEvent | None:
    """The event ``actor`` already wrote under ``client_event_id``, if any."""
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
    numbered: NumberedEvent | None = None,
) -> RoomEvent:
    """Store ``event`` as the session's next numbered event and publish it after commit.

    Must run inside the action's transaction; the number is taken here (the session row
    stays locked to the commit, so it is the one after the last committed event) unless the
    caller took it already (``numbered``). ``audience`` empty: everyone. ``at`` dates the
    stored event (default: now), for actions replaying a past session.
    """
    if not event.durable:
        raise TypeError(f"{event.type} is ephemeral and is never stored")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside the action's transaction")
    if numbered is None:
        numbered = number_next_event(session)
    seq = numbered.seq
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
