"""The raised-hand queue: a person raises or lowers their own hand; hosts call the next
person (or one in particular) and lower anyone's hand."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadenza.live.models import LiveSession, RaisedHand, RoomEvent
from cadenza.live.room.actions.numbering import (
    RoomForbidden,
    RoomRefusal,
    append_event,
    begin_room_write,
)
from cadenza.live.room.events import HandCalled, HandLowered, HandRaised
from cadenza.live.room.selectors.room import iso, person
from cadenza.live.sessions.access import is_moderator
from cadenza.orgs.selectors import OrgContext


@transaction.atomic
def raise_hand(
    *, ctx: OrgContext, session: LiveSession, client_event_id: str, at: datetime | None = None
) -> RoomEvent:
    """Join the end of the queue (one raised hand per person)."""
    room, prior = begin_room_write(ctx=ctx, session=session, client_event_id=client_event_id)
    if prior is not None:
        return prior
    if RaisedHand.objects.filter(session=room, user=ctx.user, lowered_at__isnull=True).exists():
        raise RoomRefusal("Your hand is already raised.")
    try:
        with transaction.atomic():
            hand = RaisedHand.objects.create(
                org_id=room.org_id, session=room, user=ctx.user, raised_at=at or timezone.now()
            )
    except IntegrityError as error:
        raise RoomRefusal("Your hand is already raised.") from error
    return append_event(
        session=room,
        event=HandRaised(hand_id=hand.pk, person=person(ctx.user), at=iso(hand.raised_at)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=hand.raised_at,
    )


@transaction.atomic
def lower_hand(
    *,
    ctx: OrgContext,
    session: LiveSession,
    client_event_id: str,
    user_id: int | None = None,
    at: datetime | None = None,
) -> RoomEvent:
    """Lower a raised hand: one's own, or (hosts) anyone's."""
    room, prior = begin_room_write(ctx=ctx, session=session, client_event_id=client_event_id)
    if prior is not None:
        return prior
    whose = ctx.user.pk if user_id is None else user_id
    if whose != ctx.user.pk and not is_moderator(ctx, room):
        raise RoomForbidden("Only the hosts may lower another person's hand.")
    hand = (
        RaisedHand.objects.select_for_update()
        .select_related("user")
        .filter(session=room, user_id=whose, lowered_at__isnull=True)
        .first()
    )
    if hand is None:
        raise RoomRefusal("That hand is not raised.")
    hand.lowered_at = at or timezone.now()
    hand.save(update_fields=["lowered_at"])
    return append_event(
        session=room,
        event=HandLowered(hand_id=hand.pk, person=person(hand.user), by=person(ctx.user)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=hand.lowered_at,
    )


@transaction.atomic
def call_hand(
    *,
    ctx: OrgContext,
    session: LiveSession,
    client_event_id: str,
    hand_id: int | None = None,
    at: datetime | None = None,
) -> RoomEvent:
    """A host calls on a person: the first in the queue, or the hand ``hand_id``. The hand
    leaves the queue (called), and the person may raise it again later."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    queue = (
        RaisedHand.objects.select_for_update()
        .select_related("user")
        .filter(session=room, lowered_at__isnull=True)
        .order_by("raised_at", "id")
    )
    hand = queue.filter(pk=hand_id).first() if hand_id is not None else queue.first()
    if hand is None:
        raise RoomRefusal("No raised hand to call." if hand_id is None else "No such raised hand.")
    now = at or timezone.now()
    hand.called_at = now
    hand.lowered_at = now
    hand.save(update_fields=["called_at", "lowered_at"])
    return append_event(
        session=room,
        event=HandCalled(hand_id=hand.pk, person=person(hand.user), by=person(ctx.user)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )
