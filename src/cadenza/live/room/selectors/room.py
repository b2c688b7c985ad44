"""Reading the live room: who may be in it, the events a person missed, and the shapes
events and snapshots share (the snapshot itself: ``selectors.snapshot``).

The consumer gets its session only through ``access_room``; the room hub reads the events it
missed through ``events_between`` (one read for the whole process, not one per listener).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists
from django.http import Http404

from cadenza.accounts.models import User
from cadenza.live.models import (
    BreakoutAssignment,
    BreakoutRoom,
    ChatMessage,
    LiveSession,
    ParticipantRestriction,
    Poll,
    PollVote,
    RoomEvent,
    RoomQuestion,
)
from cadenza.live.room.events import (
    BreakoutView,
    ChatPosted,
    Person,
    PollOptionView,
    PollTally,
    QuestionAsked,
    may_see,
)
from cadenza.live.sessions.access import access_session, is_moderator, is_restricted
from cadenza.live.sessions.admission import Candidate, admits
from cadenza.live.sessions.stage import learners_may_enter
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, access_org

REPLAY_LIMIT = 500
"""A client further behind than this many events gets a snapshot instead of a replay."""

PRESENT_LISTED = 100
"""At most this many present people are named in a snapshot (the count is always exact): a
joiner of a 5,000-person webinar needs the number, not 5,000 names, and the built-in video's
mesh, the only user of the list, is for small rooms."""


class RemovedFromRoom(Http404):
    """The person was removed from this session by a host."""


@dataclass(frozen=True, slots=True)
class RoomAccess:
    """A person's admission to one session's room, checked at connect and on every write."""

    ctx: OrgContext
    session: LiveSession
    is_moderator: bool


def access_room(*, user: User, session_id: int) -> RoomAccess:
    """The room of session ``session_id`` for ``user``: session -> organization -> membership,
    then ``access_session`` (enrolment, publication) and ``admit_to_room``. 404 for anyone
    who may not see the session (another organization's included) and for a deactivated
    account (read again here: a socket's user was loaded when it connected);
    ``RemovedFromRoom`` for a removed person; 403 in a cancelled session."""
    if not user.is_authenticated:
        raise Http404("No such live session.")
    active_now = Exists(User.objects.filter(pk=user.pk, is_active=True))
    found = (
        LiveSession.objects.filter(pk=session_id)
        .annotate(active=active_now)
        .values_list("org__slug", "active")
        .first()
    )
    if found is None:
        raise Http404("No such live session.")
    org_slug, active = found
    ctx = access_org(user=user, slug=org_slug)
    return admit_to_room(ctx, access_session(ctx, session_id=session_id), active=active)


def admit_to_room(
    ctx: OrgContext, session: LiveSession, *, active: bool | None = None
) -> RoomAccess:
    """The room of a session already authorized with ``access_session`` (so a learner is
    enrolled and the session visible), by the room's one rule (``admission.admits``): hosts
    and admins moderate; ``RemovedFromRoom`` for a person a host removed; 404 for a
    deactivated account (``active``: default the user object's own flag); 403 in a
    cancelled session."""
    moderator = is_moderator(ctx, session)
    removed = not moderator and is_restricted(
        session, ctx.user, ParticipantRestriction.Kind.REMOVED
    )
    candidate = Candidate(
        active=ctx.user.is_active if active is None else active,
        moderator=moderator,
        staff=ctx.may(Permission.VIEW_DRAFTS),
        enrolled=True,
        removed=removed,
    )
    if not admits(session, candidate):
        if not candidate.active:
            raise Http404("No such live session.")
        if removed:
            raise RemovedFromRoom("You were removed from this session.")
        raise PermissionDenied("This session was cancelled.")
    return RoomAccess(ctx=ctx, session=session, is_moderator=moderator)


def access_open_room(ctx: OrgContext, *, session_id: int, now: datetime) -> RoomAccess:
    """The room of a session of ``ctx``'s organization as an HTTP client may read or write it:
    ``access_session`` and ``admit_to_room``, then, for a learner, the lobby (403 before it
    opens and for a cancelled session, as the socket refuses them). An HTTP client takes no
    seat, so a full room does not refuse one."""
    access = admit_to_room(ctx, access_session(ctx, session_id=session_id))
    if not access.is_moderator and not learners_may_enter(access.session, now=now):
        raise PermissionDenied("The room is not open: come back when the lobby opens.")
    return access


def room_last_seq(session_id: int) -> int:
    return LiveSession.objects.filter(pk=session_id).values_list("last_seq", flat=True).get()


def events_between(*, session_id: int, first: int, last: int) -> list[tuple[int, list[Any], str]]:
    """Events ``first``..``last`` of a session with their audience, for the room hub."""
    return list(
        RoomEvent.objects.filter(session_id=session_id, seq__gte=first, seq__lte=last)
        .order_by("seq")
        .values_list("seq", "audience", "frame")
    )


@dataclass(frozen=True, slots=True)
class Replay:
    """The frames a person missed, in order, and the sequence they bring them up to."""

    frames: list[str]
    seq: int


def events_after(access: RoomAccess, *, after: int, limit: int | None = None) -> Replay | None:
    """The events after ``after`` that the person may see; None when a snapshot is needed
    (``after`` is 0, ahead of the room, or more than ``limit`` (``REPLAY_LIMIT``) behind)."""
    limit = REPLAY_LIMIT if limit is None else limit
    last = room_last_seq(access.session.pk)
    if after <= 0 or after > last or last - after > limit:
        return None
    rows = events_between(session_id=access.session.pk, first=after + 1, last=last)
    user_id = access.ctx.user.pk
    frames = [
        frame
        for _seq, audience, frame in rows
        if may_see(audience, user_id=user_id, is_moderator=access.is_moderator)
    ]
    return Replay(frames=frames, seq=last)


# The shapes shared by events and snapshots


def person(user: User) -> Person:
    return Person(user_id=user.pk, name=user.name)


def iso(moment: Any) -> str:
    return str(moment.isoformat()) if moment is not None else ""


def chat_posted(message: ChatMessage) -> ChatPosted:
    return ChatPosted(
        message_id=message.pk,
        author=person(message.author),
        body=message.body,
        at=iso(message.created_at),
        recipient=person(message.recipient) if message.recipient is not None else None,
        breakout_id=message.breakout_id,
    )


def question_asked(question: RoomQuestion, *, reveal_author: bool) -> QuestionAsked:
    shown = reveal_author or not question.anonymous
    return QuestionAsked(
        question_id=question.pk,
        body=question.body,
        author=person(question.author) if shown else None,
        anonymous=question.anonymous,
        votes=question.votes,
        at=iso(question.created_at),
    )


def poll_options(poll: Poll) -> tuple[PollOptionView, ...]:
    return tuple(PollOptionView(option_id=o.pk, text=o.text) for o in poll.options.all())


def poll_results(poll: Poll) -> tuple[tuple[PollTally, ...], int]:
    """Votes per option (in option order) and the number of voters."""
    counts: dict[int, int] = {option.pk: 0 for option in poll.options.all()}
    voters = 0
    for option_ids in PollVote.objects.filter(poll=poll).values_list("option_ids", flat=True):
        voters += 1
        for option_id in option_ids:
            if option_id in counts:
                counts[option_id] += 1
    return tuple(PollTally(option_id=k, votes=v) for k, v in counts.items()), voters


def correct_options(poll: Poll) -> tuple[int, ...]:
    return tuple(o.pk for o in poll.options.all() if o.is_correct)


def breakout_views(rooms: list[BreakoutRoom]) -> tuple[BreakoutView, ...]:
    members: dict[int, list[Person]] = {room.pk: [] for room in rooms}
    assignments = BreakoutAssignment.objects.filter(room__in=rooms).select_related("user")
    for assignment in assignments.order_by("user__display_name", "user__email"):
        members[assignment.room_id].append(person(assignment.user))
    return tuple(
        BreakoutView(
            breakout_id=room.pk,
            name=room.name,
            provider_room=room.provider_room,
            members=tuple(members[room.pk]),
        )
        for room in rooms
    )


def open_breakouts(session: LiveSession) -> list[BreakoutRoom]:
    return list(
        BreakoutRoom.objects.filter(
            session=session, opened_at__isnull=False, closed_at__isnull=True
        )
    )


def breakout_of(session: LiveSession, user_id: int) -> BreakoutRoom | None:
    """The open breakout room a person is assigned to, if breakouts are running."""
    assignment = (
        BreakoutAssignment.objects.filter(
            session=session,
            user_id=user_id,
            room__opened_at__isnull=False,
            room__closed_at__isnull=True,
        )
        .select_related("room")
        .first()
    )
    return assignment.room if assignment is not None else None


def in_same_room_part(session: LiveSession, *, user_id: int, other_id: int) -> bool:
    """Whether two people are in the same part of the room: both in the main room, or both
    in the same open breakout room. Built-in video connects only such people (each breakout
    room has its own video), so the consumer refuses a signal across parts."""
    rooms = dict(
        BreakoutAssignment.objects.filter(
            session=session,
            user_id__in=[user_id, other_id],
            room__opened_at__isnull=False,
            room__closed_at__isnull=True,
        ).values_list("user_id", "room_id")
    )
    return rooms.get(user_id) == rooms.get(other_id)


def learners_may_share_screen(session: LiveSession) -> bool:
    """The session's setting as stored now (a host may change it during the session)."""
    return bool(
        LiveSession.objects.filter(pk=session.pk)
        .values_list("learners_may_share_screen", flat=True)
        .first()
    )
