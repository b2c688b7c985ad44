"""Chat in the live room: posting (to everyone, privately, or inside a breakout room) and
deleting a message."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import record
from cadenza.activity.verbs import Verb
from cadenza.live.models import (
    BreakoutAssignment,
    BreakoutRoom,
    ChatMessage,
    LiveSession,
    ParticipantRestriction,
    PrivateChat,
    RoomEvent,
)
from cadenza.live.room.actions.numbering import (
    RoomForbidden,
    RoomRefusal,
    append_event,
    begin_room_write,
    check_room_write,
    number_next_event,
    session_object,
    stored_retry,
)
from cadenza.live.room.events import ChatDeleted
from cadenza.live.room.selectors.room import breakout_of, chat_posted
from cadenza.live.sessions.access import is_moderator, is_restricted
from cadenza.orgs.models import Membership, Role
from cadenza.orgs.selectors import OrgContext

MAX_CHAT_LENGTH = 2000


def post_chat_message(
    *,
    ctx: OrgContext,
    session: LiveSession,
    body: str,
    client_event_id: str,
    recipient_id: int | None = None,
    breakout_id: int | None = None,
    at: datetime | None = None,
    admitted_as_moderator: bool | None = None,
) -> RoomEvent:
    """Post a chat message (see ``_post``); a retry gets the message it already posted.
    ``admitted_as_moderator``: see ``check_room_write`` (the room socket passes it).

    The retry check runs before the room's lock, not under it (chat keeps the lock short): a
    retry whose original commits in between fails on the unique client id of room events,
    rolls back whole, and is answered with that original here."""
    try:
        return _post(
            ctx=ctx,
            session=session,
            body=body,
            client_event_id=client_event_id,
            recipient_id=recipient_id,
            breakout_id=breakout_id,
            at=at,
            admitted_as_moderator=admitted_as_moderator,
        )
    except IntegrityError:
        prior = stored_retry(session, ctx.user, client_event_id)
        if prior is None:
            raise
        return prior


@transaction.atomic
def _post(
    *,
    ctx: OrgContext,
    session: LiveSession,
    body: str,
    client_event_id: str,
    recipient_id: int | None,
    breakout_id: int | None,
    at: datetime | None,
    admitted_as_moderator: bool | None,
) -> RoomEvent:
    """Post a chat message.

    To everyone by default. With ``recipient_id``, privately as the session's policy allows
    (off; to hosts only; on). A learner in a running breakout room posts to that room (its
    members and the hosts see it); a host may post into a room with ``breakout_id``. Locked
    chat and muted people are refused, hosts excepted.
    """
    moderator, prior = check_room_write(
        ctx=ctx,
        session=session,
        client_event_id=client_event_id,
        admitted_as_moderator=admitted_as_moderator,
    )
    if prior is not None:
        return prior
    text = body.strip()
    if not text:
        raise RoomRefusal("A chat message cannot be empty.")
    if len(text) > MAX_CHAT_LENGTH:
        raise RoomRefusal(f"A chat message has at most {MAX_CHAT_LENGTH} characters.")
    if not moderator and is_restricted(session, ctx.user, ParticipantRestriction.Kind.MUTED):
        raise RoomForbidden("You are muted in this session's chat.")

    recipient: User | None = None
    breakout: BreakoutRoom | None = None
    if recipient_id is not None:
        recipient = _private_recipient(ctx, session, recipient_id=recipient_id, moderator=moderator)
    elif breakout_id is not None:
        if not moderator:
            raise RoomForbidden("Only hosts choose a breakout room; yours is chosen for you.")
        breakout = BreakoutRoom.objects.filter(
            session=session, pk=breakout_id, opened_at__isnull=False, closed_at__isnull=True
        ).first()
        if breakout is None:
            raise RoomRefusal("No such breakout room is open.")
    elif not moderator:
        breakout = breakout_of(session, ctx.user.pk)
    members = None
    if breakout is not None:
        members = BreakoutAssignment.objects.filter(room=breakout).values_list("user_id", flat=True)
    audience = ChatMessage.audience(
        author_id=ctx.user.pk,
        recipient_id=recipient.pk if recipient is not None else None,
        breakout_members=members,
    )

    # The learning record first, keyed by the client's id, so that the room's lock (taken
    # next with the number, and held to the commit) covers only the two numbered rows.
    now = at or timezone.now()
    key = client_event_id or uuid.uuid4().hex
    record(
        org=session.org,
        actor=ctx.user,
        verb=Verb.COMMENTED,
        obj=session_object(session),
        event_key=f"live-chat:{session.pk}:{ctx.user.pk}:{key}",
        result={"response": text},
        timestamp=now,
    )
    numbered = number_next_event(session)
    if numbered.closed and not moderator:
        raise RoomRefusal("The session has ended.")
    if numbered.chat_locked and not moderator:
        raise RoomRefusal("Chat is locked by the hosts.")
    message = ChatMessage.objects.create(
        org_id=session.org_id,
        session=session,
        seq=numbered.seq,
        author=ctx.user,
        recipient=recipient,
        breakout=breakout,
        body=text,
        created_at=now,
    )
    return append_event(
        session=session,
        event=chat_posted(message),
        actor=ctx.user,
        client_event_id=client_event_id,
        audience=audience,
        at=now,
        numbered=numbered,
    )


def _private_recipient(
    ctx: OrgContext, room: LiveSession, *, recipient_id: int, moderator: bool
) -> User:
    if room.private_chat == PrivateChat.OFF and not moderator:
        raise RoomRefusal("Private messages are off in this session.")
    if recipient_id == ctx.user.pk:
        raise RoomRefusal("You cannot send a private message to yourself.")
    membership = (
        Membership.objects.filter(org_id=room.org_id, user_id=recipient_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise RoomRefusal("No such participant.")
    recipient = membership.user
    if room.private_chat == PrivateChat.HOSTS and not moderator:
        recipient_ctx = OrgContext(org=room.org, user=recipient, role=Role(membership.role))
        if not is_moderator(recipient_ctx, room):
            raise RoomRefusal("Private messages may only be sent to the hosts in this session.")
    return recipient


@transaction.atomic
def delete_chat_message(
    *,
    ctx: OrgContext,
    session: LiveSession,
    message_id: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """Delete a chat message: a host any message, a participant their own. The row stays
    (marked deleted, by whom) for the record; everyone's view drops it."""
    room, prior = begin_room_write(ctx=ctx, session=session, client_event_id=client_event_id)
    if prior is not None:
        return prior
    message = ChatMessage.objects.filter(session=room, pk=message_id).first()
    if message is None:
        raise RoomRefusal("No such chat message.")
    if message.author_id != ctx.user.pk and not is_moderator(ctx, room):
        raise RoomForbidden("Only the hosts may delete another person's message.")
    if message.deleted_at is not None:
        raise RoomRefusal("This message is already deleted.")
    message.deleted_at = at or timezone.now()
    message.deleted_by = ctx.user
    message.save(update_fields=["deleted_at", "deleted_by"])
    return append_event(
        session=room,
        event=ChatDeleted(message_id=message.pk),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=message.deleted_at,
    )
