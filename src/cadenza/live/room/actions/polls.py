"""Polls in the live room: prepared before or made on the spot, opened, voted (one vote per
person, changeable while open, results live), closed (a quiz reveals its answer here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadenza.activity.actions import record
from cadenza.activity.verbs import Verb
from cadenza.live.models import LiveSession, Poll, PollOption, PollStatus, PollVote, RoomEvent
from cadenza.live.room.actions.numbering import (
    RoomRefusal,
    append_event,
    begin_room_write,
    session_object,
)
from cadenza.live.room.events import (
    HOSTS,
    PollClosed,
    PollOpened,
    PollPrepared,
    PollRemoved,
    PollTally,
    PollVoted,
)
from cadenza.live.room.selectors.room import correct_options, poll_options, poll_results
from cadenza.orgs.selectors import OrgContext

MAX_OPTIONS = 10


@transaction.atomic
def create_poll(
    *,
    ctx: OrgContext,
    session: LiveSession,
    prompt: str,
    options: Sequence[str],
    client_event_id: str,
    multiple: bool = False,
    anonymous: bool = False,
    correct: Sequence[int] = (),
    open_now: bool = False,
    at: datetime | None = None,
) -> RoomEvent:
    """A host prepares a poll (``correct``: indexes of the right options for a quiz poll);
    with ``open_now`` it opens at once. Returns the poll's prepared (or opened) event."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    text, choices = _checked(prompt, options, correct=correct, multiple=multiple)
    last = Poll.objects.filter(session=room).aggregate(last=Max("position"))["last"]
    poll = Poll.objects.create(
        org_id=room.org_id,
        session=room,
        prompt=text,
        multiple=multiple,
        anonymous=anonymous,
        position=0 if last is None else last + 1,
    )
    _add_options(poll, choices, correct)
    if open_now:
        return _open(ctx, room, poll, client_event_id, at=at)
    return _prepared(ctx, room, poll, client_event_id, at=at)


def _checked(
    prompt: str, options: Sequence[str], *, correct: Sequence[int], multiple: bool
) -> tuple[str, list[str]]:
    """The poll's question and options, trimmed, or the reason they are refused."""
    text = prompt.strip()
    choices = [option.strip() for option in options]
    if not text:
        raise RoomRefusal("A poll needs a question.")
    if len(text) > 500:
        raise RoomRefusal("A poll's question has at most 500 characters.")
    if not 2 <= len(choices) <= MAX_OPTIONS or any(not c or len(c) > 300 for c in choices):
        raise RoomRefusal(f"A poll needs 2 to {MAX_OPTIONS} options of 1 to 300 characters.")
    if any(not 0 <= index < len(choices) for index in correct):
        raise RoomRefusal("A correct answer must be one of the options.")
    if not multiple and len(set(correct)) > 1:
        raise RoomRefusal("A single-choice quiz has one correct option.")
    return text, choices


def _add_options(poll: Poll, choices: Sequence[str], correct: Sequence[int]) -> None:
    PollOption.objects.bulk_create(
        PollOption(
            org_id=poll.org_id, poll=poll, text=choice, is_correct=index in correct, position=index
        )
        for index, choice in enumerate(choices)
    )


def _prepared(
    ctx: OrgContext,
    room: LiveSession,
    poll: Poll,
    client_event_id: str,
    *,
    at: datetime | None = None,
) -> RoomEvent:
    """The hosts' ``PollPrepared`` frame of ``poll`` as it now is (the console adds it, or
    replaces the poll of the same id)."""
    views = poll_options(poll)
    correct = correct_options(poll)
    return append_event(
        session=room,
        event=PollPrepared(
            poll_id=poll.pk,
            prompt=poll.prompt,
            multiple=poll.multiple,
            anonymous=poll.anonymous,
            quiz=bool(correct),
            options=views,
            correct_option_ids=correct,
            results=tuple(PollTally(option_id=o.option_id, votes=0) for o in views),
            voters=0,
        ),
        actor=ctx.user,
        client_event_id=client_event_id,
        audience=[HOSTS],
        at=at,
    )


def _still_prepared(room: LiveSession, poll_id: int) -> Poll:
    poll = _poll(room, poll_id)
    if poll.status != PollStatus.PREPARED:
        raise RoomRefusal("This poll has been opened: it can no longer be changed or removed.")
    return poll


@transaction.atomic
def edit_prepared_poll(
    *,
    ctx: OrgContext,
    session: LiveSession,
    poll_id: int,
    prompt: str,
    options: Sequence[str],
    client_event_id: str,
    multiple: bool = False,
    anonymous: bool = False,
    correct: Sequence[int] = (),
    at: datetime | None = None,
) -> RoomEvent:
    """A host changes a prepared poll (its question, options, kind) until it is opened; the
    hosts' consoles get the poll as it now is."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    poll = _still_prepared(room, poll_id)
    text, choices = _checked(prompt, options, correct=correct, multiple=multiple)
    poll.prompt, poll.multiple, poll.anonymous = text, multiple, anonymous
    poll.save(update_fields=["prompt", "multiple", "anonymous"])
    PollOption.objects.filter(poll=poll).delete()
    _add_options(poll, choices, correct)
    return _prepared(ctx, room, poll, client_event_id, at=at)


@transaction.atomic
def remove_prepared_poll(
    *,
    ctx: OrgContext,
    session: LiveSession,
    poll_id: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """A host removes a poll that was prepared and never opened (nobody but the hosts saw
    it); the hosts' consoles drop it."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    poll = _still_prepared(room, poll_id)
    poll.delete()
    return append_event(
        session=room,
        event=PollRemoved(poll_id=poll_id),
        actor=ctx.user,
        client_event_id=client_event_id,
        audience=[HOSTS],
        at=at,
    )


def _poll(room: LiveSession, poll_id: int) -> Poll:
    poll = Poll.objects.select_for_update().filter(session=room, pk=poll_id).first()
    if poll is None:
        raise RoomRefusal("No such poll.")
    return poll


def _open(
    ctx: OrgContext,
    room: LiveSession,
    poll: Poll,
    client_event_id: str,
    *,
    at: datetime | None = None,
) -> RoomEvent:
    poll.status = PollStatus.OPEN
    poll.opened_at = at or timezone.now()
    poll.save(update_fields=["status", "opened_at"])
    results, voters = poll_results(poll)
    return append_event(
        session=room,
        event=PollOpened(
            poll_id=poll.pk,
            prompt=poll.prompt,
            multiple=poll.multiple,
            anonymous=poll.anonymous,
            quiz=bool(correct_options(poll)),
            options=poll_options(poll),
            results=results,
            voters=voters,
        ),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=poll.opened_at,
    )


@transaction.atomic
def open_poll(
    *,
    ctx: OrgContext,
    session: LiveSession,
    poll_id: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """A host opens a prepared poll (or reopens a closed one; earlier votes stay)."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    poll = _poll(room, poll_id)
    if poll.status == PollStatus.OPEN:
        raise RoomRefusal("This poll is already open.")
    return _open(ctx, room, poll, client_event_id, at=at)


@transaction.atomic
def vote_in_poll(
    *,
    ctx: OrgContext,
    session: LiveSession,
    poll_id: int,
    option_ids: Sequence[int],
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """Vote, or change one's vote, while the poll is open; everyone sees the new results."""
    room, prior = begin_room_write(ctx=ctx, session=session, client_event_id=client_event_id)
    if prior is not None:
        return prior
    poll = _poll(room, poll_id)
    if poll.status != PollStatus.OPEN:
        raise RoomRefusal("This poll is not open.")
    chosen = sorted(set(option_ids))
    valid = set(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))
    if not chosen or not set(chosen) <= valid:
        raise RoomRefusal("Choose one of the poll's options.")
    if not poll.multiple and len(chosen) != 1:
        raise RoomRefusal("This poll takes one choice.")
    now = at or timezone.now()
    PollVote.objects.update_or_create(
        poll=poll,
        user=ctx.user,
        defaults={"org_id": room.org_id, "option_ids": chosen, "voted_at": now},
    )
    results, voters = poll_results(poll)
    event = append_event(
        session=room,
        event=PollVoted(poll_id=poll.pk, results=results, voters=voters),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=now,
    )
    record(
        org=room.org,
        actor=ctx.user,
        verb=Verb.ANSWERED,
        obj=session_object(room),
        event_key=f"live-poll:{poll.pk}:{ctx.user.pk}:{event.seq}",
        result={"response": ",".join(str(option) for option in chosen)},
        context={"extensions": {"urn:cadenza:live:poll": poll.pk}},
        timestamp=now,
    )
    return event


@transaction.atomic
def close_poll(
    *,
    ctx: OrgContext,
    session: LiveSession,
    poll_id: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """A host closes a poll: final results, and a quiz's correct options revealed."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    poll = _poll(room, poll_id)
    if poll.status != PollStatus.OPEN:
        raise RoomRefusal("This poll is not open.")
    poll.status = PollStatus.CLOSED
    poll.closed_at = at or timezone.now()
    poll.save(update_fields=["status", "closed_at"])
    results, voters = poll_results(poll)
    return append_event(
        session=room,
        event=PollClosed(
            poll_id=poll.pk,
            results=results,
            voters=voters,
            correct_option_ids=correct_options(poll),
        ),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=poll.closed_at,
    )
