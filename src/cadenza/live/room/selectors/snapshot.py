"""The room's snapshot for one person, in a fixed number of queries.

A joiner of a busy room reads it, and so does every client that fell behind: its cost must
not grow with the room's history. Queries (tests/live/test_room_query_budgets.py pins them):
the session's state and number, the person's breakout room, chat, questions, polls with
their options, every vote of the session's polls (the tallies and my own vote from one
read, not one per poll), raised hands, open breakout rooms (and their members when there
are any), muted people, and the present people's names (when anyone is present).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.live.models import (
    ChatMessage,
    ParticipantRestriction,
    Poll,
    PollStatus,
    PollVote,
    QuestionStatus,
    QuestionVote,
    RaisedHand,
    RoomQuestion,
)
from cadenza.live.room.events import Person, PollTally
from cadenza.live.room.events.snapshot import (
    BreakoutsView,
    HandView,
    MeView,
    PollView,
    QuestionView,
    RoomSnapshot,
    SessionView,
)
from cadenza.live.room.selectors.room import (
    RoomAccess,
    breakout_of,
    breakout_views,
    chat_posted,
    iso,
    open_breakouts,
    person,
    poll_options,
    question_asked,
)

SNAPSHOT_CHAT_MESSAGES = 200


def present_people(user_ids: Sequence[int]) -> tuple[Person, ...]:
    """The snapshot's ``present``: the people the room hub counts as present (its ids are
    ephemeral presence, not the database's intervals), by name."""
    if not user_ids:
        return ()
    users = User.objects.filter(pk__in=list(user_ids))
    return tuple(sorted((person(user) for user in users), key=lambda p: (p.name, p.user_id)))


def room_snapshot(
    access: RoomAccess, *, present: Sequence[int] = (), present_count: int | None = None
) -> RoomSnapshot:
    """Everything the person may see in the room now, as of the snapshot's ``seq``.

    Chat and questions carry their own event number and are cut at ``seq``; polls and hands
    are state whose later events carry absolute values, so applying them again is harmless.
    ``present`` is (up to ``PRESENT_LISTED`` of) the user ids the room hub counts as present
    now (people, not tabs), and ``present_count`` how many they are (default: ``present``'s).
    """
    session, user, host = access.session, access.ctx.user, access.is_moderator
    session.refresh_from_db(
        fields=["chat_locked", "learners_may_share_screen", "opened_at", "closed_at", "last_seq"]
    )
    seq = session.last_seq
    mine = breakout_of(session, user.pk)
    rooms = open_breakouts(session)
    ends_at = max((r.ends_at for r in rooms if r.ends_at is not None), default=None)
    muted = tuple(
        ParticipantRestriction.objects.filter(
            session=session, kind=ParticipantRestriction.Kind.MUTED
        ).values_list("user_id", flat=True)
    )
    chat = (
        ChatMessage.objects.visible_to(
            user_id=user.pk, moderator=host, breakouts=[mine.pk] if mine is not None else []
        )
        .filter(session=session, seq__lte=seq, deleted_at__isnull=True)
        .select_related("author", "recipient")
        .order_by("-seq")
    )
    return RoomSnapshot(
        seq=seq,
        session=SessionView(
            session_id=session.pk,
            title=session.title,
            format=session.format,
            private_chat=session.private_chat,
            chat_locked=session.chat_locked,
            learners_may_share_screen=session.learners_may_share_screen,
            starts_at=iso(session.starts_at),
            ends_at=iso(session.ends_at),
            opened_at=iso(session.opened_at),
            closed_at=iso(session.closed_at),
            provider=session.provider,
        ),
        me=MeView(
            user_id=user.pk,
            name=user.name,
            is_host=host,
            muted=user.pk in muted,
            breakout_id=mine.pk if mine is not None else None,
        ),
        chat=tuple(chat_posted(m) for m in reversed(chat[:SNAPSHOT_CHAT_MESSAGES])),
        questions=_questions(access, seq=seq),
        polls=_polls(access),
        hands=tuple(
            HandView(hand_id=hand.pk, person=person(hand.user), at=iso(hand.raised_at))
            for hand in RaisedHand.objects.filter(session=session, lowered_at__isnull=True)
            .select_related("user")
            .order_by("raised_at", "id")
        ),
        breakouts=BreakoutsView(rooms=breakout_views(rooms), ends_at=iso(ends_at) or None),
        muted=muted,
        present=present_people(present),
        present_count=len(present) if present_count is None else present_count,
        now=iso(timezone.now()),
    )


def _questions(access: RoomAccess, *, seq: int) -> tuple[QuestionView, ...]:
    user, host = access.ctx.user, access.is_moderator
    voted = QuestionVote.objects.filter(question=OuterRef("pk"), user=user)
    rows = (
        RoomQuestion.objects.filter(session=access.session, seq__lte=seq)
        .exclude(status=QuestionStatus.DISMISSED)
        .select_related("author", "answered_by")
        .annotate(voted=Exists(voted))
    )
    views = []
    for question in rows:
        asked = question_asked(question, reveal_author=host)
        views.append(
            QuestionView(
                question_id=asked.question_id,
                body=asked.body,
                author=asked.author,
                anonymous=asked.anonymous,
                votes=asked.votes,
                at=asked.at,
                status=question.status,
                answer=question.answer,
                voted=question.voted,
                mine=question.author_id == user.pk,
            )
        )
    return tuple(views)


def _polls(access: RoomAccess) -> tuple[PollView, ...]:
    """The polls the person may see, with the tallies and their own vote from one read of
    the session's votes."""
    session, user, host = access.session, access.ctx.user, access.is_moderator
    visible = Poll.objects.filter(session=session).prefetch_related("options")
    if not host:
        visible = visible.exclude(status=PollStatus.PREPARED)
    polls = list(visible)
    if not polls:
        return ()
    votes: dict[int, list[list[int]]] = defaultdict(list)
    my_votes: dict[int, list[int]] = {}
    rows = PollVote.objects.filter(poll__session=session).values_list(
        "poll_id", "user_id", "option_ids"
    )
    for poll_id, voter_id, option_ids in rows:
        votes[poll_id].append(option_ids)
        if voter_id == user.pk:
            my_votes[poll_id] = option_ids
    views = []
    for poll in polls:
        options = list(poll.options.all())
        counts = {option.pk: 0 for option in options}
        for option_ids in votes[poll.pk]:
            for option_id in option_ids:
                if option_id in counts:
                    counts[option_id] += 1
        reveal = host or poll.status == PollStatus.CLOSED
        correct = tuple(o.pk for o in options if o.is_correct) if reveal else ()
        views.append(
            PollView(
                poll_id=poll.pk,
                prompt=poll.prompt,
                multiple=poll.multiple,
                anonymous=poll.anonymous,
                quiz=any(o.is_correct for o in options),
                status=poll.status,
                options=poll_options(poll),
                results=tuple(PollTally(option_id=k, votes=v) for k, v in counts.items()),
                voters=len(votes[poll.pk]),
                correct_option_ids=correct,
                my_vote=tuple(my_votes.get(poll.pk, ())),
            )
        )
    return tuple(views)
