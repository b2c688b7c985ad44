"""The room's client writes: each frame type, the fields it may carry, and the action it calls.

The consumer stays thin: it hands a parsed frame to ``perform``, which re-checks the person's
access to the room, validates the fields (undeclared ones are refused) and calls one action.
Refusals are ``CommandError`` (bad frame), ``RoomRefusal`` or ``PermissionDenied``; the
consumer sends their message back in an error frame.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cadenza.accounts.models import User
from cadenza.live.actions.room_breakouts import (
    BreakoutPlan,
    close_breakouts,
    message_all_breakouts,
    set_breakout_countdown,
    start_breakouts,
)
from cadenza.live.actions.room_chat import delete_chat_message, post_chat_message
from cadenza.live.actions.room_events import MAX_CLIENT_EVENT_ID
from cadenza.live.actions.room_hands import call_hand, lower_hand, raise_hand
from cadenza.live.actions.room_moderation import remove_participant, set_muted
from cadenza.live.actions.room_polls import close_poll, create_poll, open_poll, vote_in_poll
from cadenza.live.actions.room_questions import (
    answer_question,
    ask_question,
    dismiss_question,
    vote_for_question,
)
from cadenza.live.actions.room_state import close_room, open_room, set_chat_locked
from cadenza.live.database import retried_once_if_connection_lost
from cadenza.live.models import RoomEvent
from cadenza.live.selectors.room import RoomAccess, access_room


class CommandError(ValueError):
    """A client frame that is malformed (unknown type, missing or undeclared field)."""


class Fields:
    """A client frame's fields, checked by type as they are read."""

    def __init__(self, data: Mapping[str, Any], allowed: frozenset[str]) -> None:
        extra = sorted(set(data) - allowed - {"type", "client_event_id"})
        if extra:
            raise CommandError(f"Unexpected fields: {', '.join(extra)}.")
        self.data = data

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.data.get(name, None if required else "")
        if not isinstance(value, str):
            raise CommandError(f'"{name}" must be text.')
        return value

    def integer(self, name: str) -> int:
        value = self.data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise CommandError(f'"{name}" must be a whole number.')
        return value

    def optional_integer(self, name: str) -> int | None:
        return None if self.data.get(name) is None else self.integer(name)

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            raise CommandError(f'"{name}" must be true or false.')
        return value

    def integers(self, name: str, *, default: list[int] | None = None) -> list[int]:
        value = self.data.get(name, default)
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise CommandError(f'"{name}" must be a list of whole numbers.')
        return value

    def texts(self, name: str) -> list[str]:
        value = self.data.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CommandError(f'"{name}" must be a list of texts.')
        return value

    def plans(self, name: str) -> list[BreakoutPlan]:
        value = self.data.get(name, [])
        plans = []
        if not isinstance(value, list):
            raise CommandError(f'"{name}" must be a list of rooms.')
        for item in value:
            if not isinstance(item, dict) or set(item) - {"name", "members"}:
                raise CommandError('Each room is {"name": ..., "members": [user ids]}.')
            room = Fields(item, frozenset({"name", "members"}))
            plans.append(BreakoutPlan(name=room.text("name"), member_ids=room.integers("members")))
        return plans


Handler = Callable[[RoomAccess, Fields, str], RoomEvent]


def _c(access: RoomAccess) -> dict[str, Any]:
    return {"ctx": access.ctx, "session": access.session}


COMMANDS: dict[str, tuple[frozenset[str], Handler]] = {
    "chat.post": (
        frozenset({"body", "to", "breakout_id"}),
        lambda a, f, cid: post_chat_message(
            **_c(a),
            body=f.text("body"),
            recipient_id=f.optional_integer("to"),
            breakout_id=f.optional_integer("breakout_id"),
            client_event_id=cid,
            # ``perform`` admitted the writer a moment ago (``access_room``).
            admitted_as_moderator=a.is_moderator,
        ),
    ),
    "chat.delete": (
        frozenset({"message_id"}),
        lambda a, f, cid: delete_chat_message(
            **_c(a), message_id=f.integer("message_id"), client_event_id=cid
        ),
    ),
    "chat.lock": (
        frozenset(),
        lambda a, f, cid: set_chat_locked(**_c(a), locked=True, client_event_id=cid),
    ),
    "chat.unlock": (
        frozenset(),
        lambda a, f, cid: set_chat_locked(**_c(a), locked=False, client_event_id=cid),
    ),
    "question.ask": (
        frozenset({"body", "anonymous"}),
        lambda a, f, cid: ask_question(
            **_c(a), body=f.text("body"), anonymous=f.flag("anonymous"), client_event_id=cid
        ),
    ),
    "question.vote": (
        frozenset({"question_id"}),
        lambda a, f, cid: vote_for_question(
            **_c(a), question_id=f.integer("question_id"), client_event_id=cid
        ),
    ),
    "question.answer": (
        frozenset({"question_id", "answer", "live"}),
        lambda a, f, cid: answer_question(
            **_c(a),
            question_id=f.integer("question_id"),
            answer=f.text("answer", required=False),
            live=f.flag("live"),
            client_event_id=cid,
        ),
    ),
    "question.dismiss": (
        frozenset({"question_id"}),
        lambda a, f, cid: dismiss_question(
            **_c(a), question_id=f.integer("question_id"), client_event_id=cid
        ),
    ),
    "poll.create": (
        frozenset({"prompt", "options", "multiple", "anonymous", "correct", "open"}),
        lambda a, f, cid: create_poll(
            **_c(a),
            prompt=f.text("prompt"),
            options=f.texts("options"),
            multiple=f.flag("multiple"),
            anonymous=f.flag("anonymous"),
            correct=f.integers("correct", default=[]),
            open_now=f.flag("open"),
            client_event_id=cid,
        ),
    ),
    "poll.open": (
        frozenset({"poll_id"}),
        lambda a, f, cid: open_poll(**_c(a), poll_id=f.integer("poll_id"), client_event_id=cid),
    ),
    "poll.close": (
        frozenset({"poll_id"}),
        lambda a, f, cid: close_poll(**_c(a), poll_id=f.integer("poll_id"), client_event_id=cid),
    ),
    "poll.vote": (
        frozenset({"poll_id", "option_ids"}),
        lambda a, f, cid: vote_in_poll(
            **_c(a),
            poll_id=f.integer("poll_id"),
            option_ids=f.integers("option_ids"),
            client_event_id=cid,
        ),
    ),
    "hand.raise": (frozenset(), lambda a, f, cid: raise_hand(**_c(a), client_event_id=cid)),
    "hand.lower": (
        frozenset({"user_id"}),
        lambda a, f, cid: lower_hand(
            **_c(a), user_id=f.optional_integer("user_id"), client_event_id=cid
        ),
    ),
    "hand.call": (
        frozenset({"hand_id"}),
        lambda a, f, cid: call_hand(
            **_c(a), hand_id=f.optional_integer("hand_id"), client_event_id=cid
        ),
    ),
    "breakouts.start": (
        frozenset({"rooms", "count", "minutes"}),
        lambda a, f, cid: start_breakouts(
            **_c(a),
            rooms=f.plans("rooms"),
            count=f.optional_integer("count"),
            minutes=f.optional_integer("minutes"),
            client_event_id=cid,
        ),
    ),
    "breakouts.message": (
        frozenset({"body"}),
        lambda a, f, cid: message_all_breakouts(**_c(a), body=f.text("body"), client_event_id=cid),
    ),
    "breakouts.countdown": (
        frozenset({"seconds"}),
        lambda a, f, cid: set_breakout_countdown(
            **_c(a), seconds=f.integer("seconds"), client_event_id=cid
        ),
    ),
    "breakouts.close": (
        frozenset(),
        lambda a, f, cid: close_breakouts(**_c(a), client_event_id=cid),
    ),
    "participant.mute": (
        frozenset({"user_id"}),
        lambda a, f, cid: set_muted(
            **_c(a), user_id=f.integer("user_id"), muted=True, client_event_id=cid
        ),
    ),
    "participant.unmute": (
        frozenset({"user_id"}),
        lambda a, f, cid: set_muted(
            **_c(a), user_id=f.integer("user_id"), muted=False, client_event_id=cid
        ),
    ),
    "participant.remove": (
        frozenset({"user_id"}),
        lambda a, f, cid: remove_participant(
            **_c(a), user_id=f.integer("user_id"), client_event_id=cid
        ),
    ),
    "room.open": (frozenset(), lambda a, f, cid: open_room(**_c(a), client_event_id=cid)),
    "room.close": (frozenset(), lambda a, f, cid: close_room(**_c(a), client_event_id=cid)),
}


def client_event_id_of(data: Mapping[str, Any]) -> str:
    value = data.get("client_event_id")
    if not isinstance(value, str) or not value or len(value) > MAX_CLIENT_EVENT_ID:
        raise CommandError(
            f'A write needs a "client_event_id" of 1 to {MAX_CLIENT_EVENT_ID} characters.'
        )
    return value


@retried_once_if_connection_lost
def perform(*, user: User, session_id: int, data: Mapping[str, Any]) -> int:
    """Run one client write and answer the number of its event (a retry: the first one's).

    Access is checked again first (``Http404`` or ``RemovedFromRoom`` when it was lost)."""
    kind = data.get("type")
    if kind not in COMMANDS:
        raise CommandError(f"Unknown frame type {kind!r}.")
    client_event_id = client_event_id_of(data)
    allowed, handler = COMMANDS[str(kind)]
    fields = Fields(data, allowed)
    access = access_room(user=user, session_id=session_id)
    return handler(access, fields, client_event_id).seq
