"""Opening and closing the live room, locking its chat, letting learners share their screen."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cadenza.live.models import LiveSession, RoomEvent
from cadenza.live.room.actions.numbering import RoomRefusal, append_event, begin_room_write
from cadenza.live.room.events import (
    ChatLocked,
    ChatUnlocked,
    RoomClosed,
    RoomOpened,
    ScreenSharingChanged,
)
from cadenza.live.room.selectors.room import iso, person
from cadenza.live.sessions.hooks import session_hooks
from cadenza.orgs.selectors import OrgContext


@transaction.atomic
def open_room(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str = "", at: datetime | None = None
) -> RoomEvent:
    """A host opens the room; everyone taking part is told "starting now" (once per session,
    in the app and by e-mail, through the outbox); reopening a closed room clears its end."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    if room.opened_at is not None and room.closed_at is None:
        raise RoomRefusal("The room is already open.")
    now = at or timezone.now()
    room.opened_at = room.opened_at or now
    room.closed_at = None
    room.save(update_fields=["opened_at", "closed_at", "updated_at"])
    session_hooks().room_opened(session=room, opened_by=ctx.user)
    return append_event(
        session=room,
        event=RoomOpened(at=iso(now)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )


@transaction.atomic
def close_room(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str = "", at: datetime | None = None
) -> RoomEvent:
    """A host ends the session: participants can no longer write; everything stays. Open
    presence intervals are closed and attendance is counted, so hosts see it at once."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    if room.closed_at is not None:
        raise RoomRefusal("The room is already closed.")
    now = at or timezone.now()
    room.closed_at = now
    room.save(update_fields=["closed_at", "updated_at"])
    session_hooks().room_closed(session=room, at=now)
    return append_event(
        session=room,
        event=RoomClosed(at=iso(now)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )


@transaction.atomic
def set_chat_locked(
    *,
    ctx: OrgContext,
    session: LiveSession,
    locked: bool,
    client_event_id: str = "",
    at: datetime | None = None,
) -> RoomEvent:
    """A host locks chat (only hosts may post) or unlocks it."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    if room.chat_locked == locked:
        raise RoomRefusal("Chat is already locked." if locked else "Chat is not locked.")
    room.chat_locked = locked
    room.save(update_fields=["chat_locked", "updated_at"])
    by = person(ctx.user)
    return append_event(
        session=room,
        event=ChatLocked(by=by) if locked else ChatUnlocked(by=by),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=at,
    )


@transaction.atomic
def set_learner_screen_sharing(
    *,
    ctx: OrgContext,
    session: LiveSession,
    allowed: bool,
    client_event_id: str = "",
    at: datetime | None = None,
) -> RoomEvent:
    """A host lets learners share their screen in the built-in video, or stops them (a share
    in progress stops: every page applies ``live.screen_sharing.changed``, and the server
    relays no learner's screen from then on, ``sessions.video_signalling.carries_screen``)."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    if room.learners_may_share_screen == allowed:
        raise RoomRefusal(
            "Learners may already share their screen."
            if allowed
            else "Learners may not share their screen already."
        )
    room.learners_may_share_screen = allowed
    room.save(update_fields=["learners_may_share_screen", "updated_at"])
    return append_event(
        session=room,
        event=ScreenSharingChanged(allowed=allowed, by=person(ctx.user)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=at,
    )
