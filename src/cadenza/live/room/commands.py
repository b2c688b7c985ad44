"""The room's client writes: a frame parsed into its declared command, run by one action.

The consumer and the API stay thin: they hand a decoded frame to ``perform``, which parses
it (``cadenza.live.room.events.commands``: undeclared fields and wrong types refused), counts it
against the person's write limit (``room_limits``), re-checks the person's access to the
room and calls the command's action. Refusals are ``CommandError`` (not a command),
``RateLimited``, ``RoomRefusal`` or ``PermissionDenied``; ``refusal_frame`` is the socket's
error frame for any of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

from django.core.exceptions import PermissionDenied

from cadenza.accounts.models import User
from cadenza.live.models import RoomEvent
from cadenza.live.room.actions.breakouts import (
    BreakoutPlan,
    close_breakouts,
    message_all_breakouts,
    set_breakout_countdown,
    start_breakouts,
)
from cadenza.live.room.actions.chat import delete_chat_message, post_chat_message
from cadenza.live.room.actions.hands import call_hand, lower_hand, raise_hand
from cadenza.live.room.actions.moderation import mute_microphone, remove_participant, set_muted
from cadenza.live.room.actions.numbering import RoomRefusal
from cadenza.live.room.actions.polls import (
    close_poll,
    create_poll,
    edit_prepared_poll,
    open_poll,
    remove_prepared_poll,
    vote_in_poll,
)
from cadenza.live.room.actions.questions import (
    answer_question,
    ask_question,
    dismiss_question,
    vote_for_question,
)
from cadenza.live.room.actions.state import (
    close_room,
    open_room,
    set_chat_locked,
    set_learner_screen_sharing,
)
from cadenza.live.room.events import commands as c
from cadenza.live.room.events import error_frame
from cadenza.live.room.events.commands import CommandError, RoomCommand, parse_command
from cadenza.live.room.limits import RateLimited, check_write_limit
from cadenza.live.room.selectors.room import RoomAccess, access_room
from cadenza.realtime.database import retried_once_if_connection_lost

__all__ = ["CommandError", "RateLimited", "perform", "refusal_frame", "run"]


@retried_once_if_connection_lost
def perform(*, user: User, session_id: int, data: Mapping[str, Any]) -> int:
    """Run one client write and answer the number of its event (a retry: the first one's).

    Access is checked again after parsing (``Http404`` or ``RemovedFromRoom`` when it was
    lost); the write limit before it, so a flood costs no database work."""
    command = parse_command(data)
    check_write_limit(user_id=user.pk, kind=command.limit)
    return run(access_room(user=user, session_id=session_id), command).seq


def run(access: RoomAccess, command: RoomCommand) -> RoomEvent:
    """The action for ``command``, as ``access``'s person."""
    ctx, session, cid = access.ctx, access.session, command.client_event_id
    match command:
        case c.ChatPost():
            return post_chat_message(
                ctx=ctx,
                session=session,
                body=command.body,
                recipient_id=command.to,
                breakout_id=command.breakout_id,
                client_event_id=cid,
                # ``perform`` admitted the writer a moment ago (``access_room``).
                admitted_as_moderator=access.is_moderator,
            )
        case c.ChatDelete():
            return delete_chat_message(
                ctx=ctx, session=session, message_id=command.message_id, client_event_id=cid
            )
        case c.ChatLock() | c.ChatUnlock():
            locked = isinstance(command, c.ChatLock)
            return set_chat_locked(ctx=ctx, session=session, locked=locked, client_event_id=cid)
        case c.QuestionAsk():
            return ask_question(
                ctx=ctx,
                session=session,
                body=command.body,
                anonymous=command.anonymous,
                client_event_id=cid,
            )
        case c.QuestionVote():
            return vote_for_question(
                ctx=ctx, session=session, question_id=command.question_id, client_event_id=cid
            )
        case c.QuestionAnswer():
            return answer_question(
                ctx=ctx,
                session=session,
                question_id=command.question_id,
                answer=command.answer,
                live=command.live,
                client_event_id=cid,
            )
        case c.QuestionDismiss():
            return dismiss_question(
                ctx=ctx, session=session, question_id=command.question_id, client_event_id=cid
            )
        case c.PollCreate():
            return create_poll(
                ctx=ctx,
                session=session,
                prompt=command.prompt,
                options=command.options,
                multiple=command.multiple,
                anonymous=command.anonymous,
                correct=command.correct,
                open_now=command.open,
                client_event_id=cid,
            )
        case c.PollEdit():
            return edit_prepared_poll(
                ctx=ctx,
                session=session,
                poll_id=command.poll_id,
                prompt=command.prompt,
                options=command.options,
                multiple=command.multiple,
                anonymous=command.anonymous,
                correct=command.correct,
                client_event_id=cid,
            )
        case c.PollRemove():
            return remove_prepared_poll(
                ctx=ctx, session=session, poll_id=command.poll_id, client_event_id=cid
            )
        case c.PollOpen():
            return open_poll(ctx=ctx, session=session, poll_id=command.poll_id, client_event_id=cid)
        case c.PollClose():
            return close_poll(
                ctx=ctx, session=session, poll_id=command.poll_id, client_event_id=cid
            )
        case c.PollVote():
            return vote_in_poll(
                ctx=ctx,
                session=session,
                poll_id=command.poll_id,
                option_ids=command.option_ids,
                client_event_id=cid,
            )
        case c.HandRaise():
            return raise_hand(ctx=ctx, session=session, client_event_id=cid)
        case c.HandLower():
            return lower_hand(
                ctx=ctx, session=session, user_id=command.user_id, client_event_id=cid
            )
        case c.HandCall():
            return call_hand(ctx=ctx, session=session, hand_id=command.hand_id, client_event_id=cid)
        case c.BreakoutsStart():
            return start_breakouts(
                ctx=ctx,
                session=session,
                rooms=[BreakoutPlan(name=r.name, member_ids=r.members) for r in command.rooms],
                count=command.count,
                minutes=command.minutes,
                client_event_id=cid,
            )
        case c.BreakoutsMessage():
            return message_all_breakouts(
                ctx=ctx, session=session, body=command.body, client_event_id=cid
            )
        case c.BreakoutsCountdown():
            return set_breakout_countdown(
                ctx=ctx, session=session, seconds=command.seconds, client_event_id=cid
            )
        case c.BreakoutsClose():
            return close_breakouts(ctx=ctx, session=session, client_event_id=cid)
        case c.ParticipantMute() | c.ParticipantUnmute():
            muted = isinstance(command, c.ParticipantMute)
            return set_muted(
                ctx=ctx, session=session, user_id=command.user_id, muted=muted, client_event_id=cid
            )
        case c.ParticipantRemove():
            return remove_participant(
                ctx=ctx, session=session, user_id=command.user_id, client_event_id=cid
            )
        case c.MicrophoneMute():
            return mute_microphone(
                ctx=ctx, session=session, user_id=command.user_id, client_event_id=cid
            )
        case c.ScreenSharingAllow() | c.ScreenSharingForbid():
            allowed = isinstance(command, c.ScreenSharingAllow)
            return set_learner_screen_sharing(
                ctx=ctx, session=session, allowed=allowed, client_event_id=cid
            )
        case c.RoomOpen():
            return open_room(ctx=ctx, session=session, client_event_id=cid)
        case c.RoomClose():
            return close_room(ctx=ctx, session=session, client_event_id=cid)
    assert_never(command)


def refusal_frame(
    refusal: CommandError | RoomRefusal | PermissionDenied, *, client_event_id: str | None
) -> str:
    """The socket's error frame for a refused write: its message, and for a write past the
    person's limit ``code: "rate_limited"`` with ``retry_after`` (seconds)."""
    if isinstance(refusal, RateLimited):
        return error_frame(
            detail=str(refusal),
            client_event_id=client_event_id,
            code="rate_limited",
            retry_after=refusal.retry_after,
        )
    return error_frame(detail=str(refusal), client_event_id=client_event_id)
