"""Moderation: muting a person's chat or microphone, and removing a participant from the
session.

Removal also closes the person's sockets within seconds: after commit a per-person message
goes to the channel-layer group ``live-person-<user_id>``, which every socket of theirs
joined at connect (DESIGN section 4: Channels keeps per-person messages).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, ParticipantRestriction, RaisedHand, RoomEvent
from cadenza.live.room.actions.numbering import (
    RoomForbidden,
    RoomRefusal,
    append_event,
    begin_room_write,
)
from cadenza.live.room.events import (
    HOSTS,
    MicrophoneMuted,
    ParticipantMuted,
    ParticipantRemoved,
    ParticipantUnmuted,
)
from cadenza.live.room.selectors.room import person
from cadenza.live.sessions.access import is_moderator
from cadenza.orgs.models import Membership, Role
from cadenza.orgs.selectors import OrgContext
from cadenza.realtime.publish import send_to_group


def person_group(user_id: int) -> str:
    """The channel-layer group of one person's room sockets."""
    return f"live-person-{user_id}"


def revoke_room_access(*, user_id: int, session_id: int | None = None) -> None:
    """Close a person's room sockets (of one session, or all with None). Call after commit,
    for example when someone is removed or un-enrolled."""
    send_to_group(person_group(user_id), {"type": "live.person.revoked", "session_id": session_id})


def _participant(ctx: OrgContext, room: LiveSession, user_id: int) -> User:
    membership = (
        Membership.objects.filter(org_id=room.org_id, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise RoomRefusal("No such participant.")
    target_ctx = OrgContext(org=room.org, user=membership.user, role=Role(membership.role))
    if user_id == ctx.user.pk or is_moderator(target_ctx, room):
        raise RoomForbidden("Hosts cannot be muted or removed.")
    return membership.user


@transaction.atomic
def set_muted(
    *,
    ctx: OrgContext,
    session: LiveSession,
    user_id: int,
    muted: bool,
    client_event_id: str = "",
    at: datetime | None = None,
) -> RoomEvent:
    """A host mutes (or unmutes) a person in the session's chat."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    target = _participant(ctx, room, user_id)
    existing = ParticipantRestriction.objects.filter(
        session=room, user=target, kind=ParticipantRestriction.Kind.MUTED
    )
    if muted:
        if existing.exists():
            raise RoomRefusal(f"{target.name} is already muted.")
        ParticipantRestriction.objects.create(
            org_id=room.org_id,
            session=room,
            user=target,
            kind=ParticipantRestriction.Kind.MUTED,
            by=ctx.user,
            created_at=at or timezone.now(),
        )
        event: ParticipantMuted | ParticipantUnmuted = ParticipantMuted(person=person(target))
    else:
        if not existing.exists():
            raise RoomRefusal(f"{target.name} is not muted.")
        existing.delete()
        event = ParticipantUnmuted(person=person(target))
    return append_event(
        session=room, event=event, actor=ctx.user, client_event_id=client_event_id, at=at
    )


@transaction.atomic
def mute_microphone(
    *,
    ctx: OrgContext,
    session: LiveSession,
    user_id: int,
    client_event_id: str = "",
    at: datetime | None = None,
) -> RoomEvent:
    """A host turns a person's microphone off (as in Zoom or Teams: a host may mute, never
    unmute). The event goes to that person and to the hosts; the person's page turns the
    microphone's track off and says "The host muted your microphone", and the person may turn
    it on again. Nothing is stored but the event: the microphone's state is the page's."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    target = _participant(ctx, room, user_id)
    return append_event(
        session=room,
        event=MicrophoneMuted(person=person(target), by=person(ctx.user)),
        actor=ctx.user,
        client_event_id=client_event_id,
        audience=[target.pk, HOSTS],
        at=at,
    )


@transaction.atomic
def remove_participant(
    *,
    ctx: OrgContext,
    session: LiveSession,
    user_id: int,
    client_event_id: str = "",
    at: datetime | None = None,
) -> RoomEvent:
    """A host removes a person from the session: their hand is lowered, they may not
    reconnect, and their open sockets are closed right after commit."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    target = _participant(ctx, room, user_id)
    now = at or timezone.now()
    _, created = ParticipantRestriction.objects.get_or_create(
        session=room,
        user=target,
        kind=ParticipantRestriction.Kind.REMOVED,
        defaults={"org_id": room.org_id, "by": ctx.user, "created_at": now},
    )
    if not created:
        raise RoomRefusal(f"{target.name} was already removed.")
    RaisedHand.objects.filter(session=room, user=target, lowered_at__isnull=True).update(
        lowered_at=now
    )
    event = append_event(
        session=room,
        event=ParticipantRemoved(person=person(target)),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )
    transaction.on_commit(
        partial(revoke_room_access, user_id=target.pk, session_id=room.pk), robust=True
    )
    return event
