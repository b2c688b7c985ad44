"""Q&A in the live room: asking (optionally anonymous to peers), upvoting, answering and
dismissing questions."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cadenza.activity.actions import record
from cadenza.activity.verbs import Verb
from cadenza.live.models import (
    LiveSession,
    QuestionStatus,
    QuestionVote,
    RoomEvent,
    RoomQuestion,
)
from cadenza.live.room.actions.numbering import (
    RoomRefusal,
    append_event,
    begin_room_write,
    session_object,
)
from cadenza.live.room.events import (
    HOSTS,
    PEERS,
    QuestionAnswered,
    QuestionDismissed,
    QuestionVoted,
)
from cadenza.live.room.selectors.room import person, question_asked
from cadenza.orgs.selectors import OrgContext

MAX_QUESTION_LENGTH = 1000


@transaction.atomic
def ask_question(
    *,
    ctx: OrgContext,
    session: LiveSession,
    body: str,
    client_event_id: str,
    anonymous: bool = False,
    at: datetime | None = None,
) -> RoomEvent:
    """Ask a question. An anonymous question is stored as two events: peers receive it
    without its author, hosts with it (the first carries ``client_event_id`` and the ack)."""
    room, prior = begin_room_write(ctx=ctx, session=session, client_event_id=client_event_id)
    if prior is not None:
        return prior
    text = body.strip()
    if not text:
        raise RoomRefusal("A question cannot be empty.")
    if len(text) > MAX_QUESTION_LENGTH:
        raise RoomRefusal(f"A question has at most {MAX_QUESTION_LENGTH} characters.")
    now = at or timezone.now()
    question = RoomQuestion.objects.create(
        org_id=room.org_id,
        session=room,
        seq=room.last_seq + 1,
        author=ctx.user,
        body=text,
        anonymous=anonymous,
        created_at=now,
    )
    if anonymous:
        event = append_event(
            session=room,
            event=question_asked(question, reveal_author=False),
            actor=ctx.user,
            client_event_id=client_event_id,
            audience=[PEERS],
            at=now,
        )
        append_event(
            session=room,
            event=question_asked(question, reveal_author=True),
            actor=ctx.user,
            audience=[HOSTS],
            at=now,
        )
    else:
        event = append_event(
            session=room,
            event=question_asked(question, reveal_author=True),
            actor=ctx.user,
            client_event_id=client_event_id,
            at=now,
        )
    record(
        org=room.org,
        actor=ctx.user,
        verb=Verb.COMMENTED,
        obj=session_object(room),
        event_key=f"live-question:{room.pk}:{question.pk}",
        result={"response": text},
        context={"extensions": {"urn:cadenza:live:question": True}},
        timestamp=now,
    )
    return event


def _question(room: LiveSession, question_id: int) -> RoomQuestion:
    question = RoomQuestion.objects.select_for_update().filter(session=room, pk=question_id).first()
    if question is None:
        raise RoomRefusal("No such question.")
    return question


@transaction.atomic
def vote_for_question(
    *,
    ctx: OrgContext,
    session: LiveSession,
    question_id: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """Upvote a question, once per person; questions are listed by votes."""
    room, prior = begin_room_write(ctx=ctx, session=session, client_event_id=client_event_id)
    if prior is not None:
        return prior
    question = _question(room, question_id)
    if question.status == QuestionStatus.DISMISSED:
        raise RoomRefusal("This question was dismissed.")
    if QuestionVote.objects.filter(question=question, user=ctx.user).exists():
        raise RoomRefusal("You already voted for this question.")
    QuestionVote.objects.create(org_id=room.org_id, question=question, user=ctx.user)
    RoomQuestion.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
    question.refresh_from_db(fields=["votes"])
    return append_event(
        session=room,
        event=QuestionVoted(question_id=question.pk, votes=question.votes),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=at,
    )


@transaction.atomic
def answer_question(
    *,
    ctx: OrgContext,
    session: LiveSession,
    question_id: int,
    client_event_id: str,
    answer: str = "",
    live: bool = False,
    at: datetime | None = None,
) -> RoomEvent:
    """A host marks a question answered (with a written answer) or answered live. Works
    after the session too: unanswered questions stay listed for the hosts."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    question = _question(room, question_id)
    text = answer.strip()
    if not live and not text:
        raise RoomRefusal("Write an answer, or mark the question answered live.")
    question.status = QuestionStatus.ANSWERED_LIVE if live else QuestionStatus.ANSWERED
    question.answer = text
    question.answered_by = ctx.user
    question.answered_at = at or timezone.now()
    question.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    return append_event(
        session=room,
        event=QuestionAnswered(
            question_id=question.pk,
            status="answered_live" if live else "answered",
            answer=text,
            by=person(ctx.user),
        ),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=question.answered_at,
    )


@transaction.atomic
def dismiss_question(
    *,
    ctx: OrgContext,
    session: LiveSession,
    question_id: int,
    client_event_id: str,
    at: datetime | None = None,
) -> RoomEvent:
    """A host dismisses a question (off topic, duplicate); it leaves everyone's list."""
    room, prior = begin_room_write(
        ctx=ctx, session=session, client_event_id=client_event_id, moderator_only=True
    )
    if prior is not None:
        return prior
    question = _question(room, question_id)
    if question.status == QuestionStatus.DISMISSED:
        raise RoomRefusal("This question is already dismissed.")
    question.status = QuestionStatus.DISMISSED
    question.save(update_fields=["status"])
    return append_event(
        session=room,
        event=QuestionDismissed(question_id=question.pk),
        actor=ctx.user,
        client_event_id=client_event_id,
        at=at,
    )
