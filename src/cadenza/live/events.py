"""The live room's protocol: one typed class per real-time event, and the frames around them.

The socket is ``/ws/live/<session_id>/``. Every frame is a JSON object with a ``type``.

Client -> server
    ``{"type": "hello", "last_seq": N}``  first frame after connecting (N = 0: never connected)
    ``{"type": "ping"}``                  answered with ``{"type": "pong"}``
    ``{"type": "typing"}``                ephemeral, relayed as ``live.typing``
    Built-in video signalling (``providers.builtin_signalling.parse_signal``), never stored:
      ``{"type": "live.rtc.offer" | "live.rtc.answer", "to": user_id, "sdp": "v=0..."}``
      ``{"type": "live.rtc.ice", "to": user_id, "candidate": {"candidate", "sdpMid",
      "sdpMLineIndex", "usernameFragment"} | null}``  (null: end of candidates)
      each with an optional ``client_event_id`` (ignored, no ack). Relayed to the recipient's
      sockets in this session only when both are in the same part of the room (the main
      room, or the same open breakout room); otherwise, or when malformed, the sender gets
      an error frame without ``client_event_id``.
    Writes, each with ``"client_event_id": "<uuid>"`` (at most 64 characters):
      ``chat.post`` body, to?: user_id (private), breakout_id?: int (hosts only)
      ``chat.delete`` message_id          ``chat.lock`` / ``chat.unlock``
      ``question.ask`` body, anonymous?: bool       ``question.vote`` question_id
      ``question.answer`` question_id, answer?: str, live?: bool
      ``question.dismiss`` question_id
      ``poll.create`` prompt, options: [str], multiple?, anonymous?, correct?: [index],
                      open?: bool
      ``poll.open`` / ``poll.close`` poll_id      ``poll.vote`` poll_id, option_ids: [int]
      ``hand.raise``   ``hand.lower`` user_id? (others' hands: hosts)
      ``hand.call`` hand_id? (none: the next in the queue)
      ``breakouts.start`` rooms?: [{name, members: [user_id]}], count?: int (random split of
                      the people present), minutes?: int  (neither: open the planned rooms)
      ``breakouts.message`` body   ``breakouts.countdown`` seconds   ``breakouts.close``
      ``participant.mute`` / ``participant.unmute`` / ``participant.remove`` user_id
      ``room.open`` / ``room.close``

Server -> client
    ``{"type": "ack", "client_event_id", "seq"}`` the write is stored as event ``seq``; a retry
    with the same id gets the same ack and changes nothing.
    ``{"type": "error", "client_event_id"?, "detail"}`` the write was refused; nothing stored.
    ``{"type": "room.snapshot", "seq", "session", "me", "chat", "questions", "polls",
    "hands", "breakouts", "muted", "present", "now"}`` the whole visible state as of ``seq``
    (answer to ``hello`` with N = 0 or too far behind, and after a connection fell behind).
    ``present`` is ``[{"user_id", "name"}]``, the people in the room now (one per person
    however many tabs, the person receiving it included, ordered by name), from the room
    hub's ephemeral presence (not the database); later ``live.presence`` frames update it.
    ``now`` is the server's clock (ISO 8601) for countdowns.
    ``{"type": "room.caught_up", "seq"}`` the replay after ``hello`` is complete.
    ``{"type": "ping"}`` every ~25 s; ``{"type": "pong"}``.
    Durable events (below), each with ``"seq"``: numbered per session with no gap; a person
    receives the ones their audience allows (a private message, a breakout room's chat), so
    the numbers a client sees may skip, but it never misses one it may see.
    Ephemeral frames (no ``seq``, never stored): ``live.presence``, ``live.typing``, and the
    signalling frames relayed from another participant: ``live.rtc.offer`` /
    ``live.rtc.answer`` ``{"from", "to", "sdp"}`` and ``live.rtc.ice`` ``{"from", "to",
    "candidate"}``, ``from`` set by the server.

Audience: an empty list means everyone in the room; otherwise user ids plus the tokens
``"hosts"`` (hosts and organization admins) and ``"peers"`` (everyone else).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal

HOSTS = "hosts"
PEERS = "peers"

AudienceMember = int | str


def may_see(audience: Sequence[AudienceMember], *, user_id: int, is_moderator: bool) -> bool:
    """Whether a person may receive an event sent to ``audience`` (empty: everyone)."""
    if not audience:
        return True
    if user_id in audience:
        return True
    return HOSTS in audience if is_moderator else PEERS in audience


def encode_json(payload: dict[str, Any]) -> str:
    """Compact JSON, the one encoding of every frame."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def plain(value: Any) -> Any:
    """A frame part as JSON-ready dicts and lists."""
    if isinstance(value, RoomFrame | Person | PollOptionView | BreakoutView | PollTally):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    user_id: int
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PollOptionView:
    option_id: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PollTally:
    option_id: int
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakoutView:
    breakout_id: int
    name: str
    provider_room: str
    members: tuple[Person, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomFrame:
    """A frame the server sends. Fields are the frame's keys; an undeclared key is a
    ``TypeError`` at construction. ``durable`` frames are stored and numbered."""

    type: ClassVar[str]
    durable: ClassVar[bool] = True

    def payload(self) -> dict[str, Any]:
        """The frame's fields without ``type`` and ``seq`` (the snapshot's item shape)."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}

    def encode(self, *, seq: int | None = None) -> str:
        """The JSON text sent to clients, made once per event."""
        head: dict[str, Any] = {"type": self.type}
        if seq is not None:
            head["seq"] = seq
        return encode_json(head | self.payload())


# Chat


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatPosted(RoomFrame):
    type: ClassVar[str] = "live.chat.posted"
    message_id: int
    author: Person
    body: str
    at: str
    recipient: Person | None = None
    breakout_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatDeleted(RoomFrame):
    type: ClassVar[str] = "live.chat.deleted"
    message_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatLocked(RoomFrame):
    type: ClassVar[str] = "live.chat.locked"
    by: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatUnlocked(RoomFrame):
    type: ClassVar[str] = "live.chat.unlocked"
    by: Person


# Questions


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAsked(RoomFrame):
    """``author`` is None in the copy peers receive when the question is anonymous."""

    type: ClassVar[str] = "live.question.asked"
    question_id: int
    body: str
    author: Person | None
    anonymous: bool
    votes: int
    at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionVoted(RoomFrame):
    type: ClassVar[str] = "live.question.voted"
    question_id: int
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAnswered(RoomFrame):
    type: ClassVar[str] = "live.question.answered"
    question_id: int
    status: Literal["answered", "answered_live"]
    answer: str
    by: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionDismissed(RoomFrame):
    type: ClassVar[str] = "live.question.dismissed"
    question_id: int


# Polls


@dataclass(frozen=True, slots=True, kw_only=True)
class PollPrepared(RoomFrame):
    """A poll made ready for later (sent to hosts only)."""

    type: ClassVar[str] = "live.poll.prepared"
    poll_id: int
    prompt: str
    multiple: bool
    anonymous: bool
    quiz: bool
    options: tuple[PollOptionView, ...]
    correct_option_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PollOpened(RoomFrame):
    type: ClassVar[str] = "live.poll.opened"
    poll_id: int
    prompt: str
    multiple: bool
    anonymous: bool
    quiz: bool
    options: tuple[PollOptionView, ...]
    results: tuple[PollTally, ...]
    voters: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PollVoted(RoomFrame):
    """The live results after a vote (who voted what is never broadcast)."""

    type: ClassVar[str] = "live.poll.voted"
    poll_id: int
    results: tuple[PollTally, ...]
    voters: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PollClosed(RoomFrame):
    """Final results; a quiz poll reveals its correct options here and not before."""

    type: ClassVar[str] = "live.poll.closed"
    poll_id: int
    results: tuple[PollTally, ...]
    voters: int
    correct_option_ids: tuple[int, ...]


# Hands


@dataclass(frozen=True, slots=True, kw_only=True)
class HandRaised(RoomFrame):
    type: ClassVar[str] = "live.hand.raised"
    hand_id: int
    person: Person
    at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HandLowered(RoomFrame):
    type: ClassVar[str] = "live.hand.lowered"
    hand_id: int
    person: Person
    by: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class HandCalled(RoomFrame):
    type: ClassVar[str] = "live.hand.called"
    hand_id: int
    person: Person
    by: Person


# Breakouts


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakoutsStarted(RoomFrame):
    type: ClassVar[str] = "live.breakouts.started"
    rooms: tuple[BreakoutView, ...]
    ends_at: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakoutsClosed(RoomFrame):
    """Everyone is recalled to the main room."""

    type: ClassVar[str] = "live.breakouts.closed"
    breakout_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakoutsMessage(RoomFrame):
    """A host's message to every breakout room."""

    type: ClassVar[str] = "live.breakouts.message"
    body: str
    by: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakoutsCountdown(RoomFrame):
    type: ClassVar[str] = "live.breakouts.countdown"
    ends_at: str
    seconds: int


# Moderation and the room's state


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantMuted(RoomFrame):
    type: ClassVar[str] = "live.participant.muted"
    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantUnmuted(RoomFrame):
    type: ClassVar[str] = "live.participant.unmuted"
    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantRemoved(RoomFrame):
    type: ClassVar[str] = "live.participant.removed"
    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomOpened(RoomFrame):
    type: ClassVar[str] = "live.room.opened"
    at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomClosed(RoomFrame):
    type: ClassVar[str] = "live.room.closed"
    at: str


# Ephemeral: relayed, never stored, never numbered


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceChanged(RoomFrame):
    """Someone's first socket opened or last socket closed; ``count`` people are present."""

    type: ClassVar[str] = "live.presence"
    durable: ClassVar[bool] = False
    person: Person
    state: Literal["joined", "left"]
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Typing(RoomFrame):
    type: ClassVar[str] = "live.typing"
    durable: ClassVar[bool] = False
    person: Person


DURABLE_EVENT_TYPES: frozenset[str] = frozenset(
    cls.type
    for cls in (
        ChatPosted,
        ChatDeleted,
        ChatLocked,
        ChatUnlocked,
        QuestionAsked,
        QuestionVoted,
        QuestionAnswered,
        QuestionDismissed,
        PollPrepared,
        PollOpened,
        PollVoted,
        PollClosed,
        HandRaised,
        HandLowered,
        HandCalled,
        BreakoutsStarted,
        BreakoutsClosed,
        BreakoutsMessage,
        BreakoutsCountdown,
        ParticipantMuted,
        ParticipantUnmuted,
        ParticipantRemoved,
        RoomOpened,
        RoomClosed,
    )
)


# Frames that are not room events


def ack_frame(*, client_event_id: str, seq: int) -> str:
    return encode_json({"type": "ack", "client_event_id": client_event_id, "seq": seq})


def error_frame(*, detail: str, client_event_id: str | None = None) -> str:
    payload: dict[str, Any] = {"type": "error", "detail": detail}
    if client_event_id is not None:
        payload["client_event_id"] = client_event_id
    return encode_json(payload)


def caught_up_frame(*, seq: int) -> str:
    return encode_json({"type": "room.caught_up", "seq": seq})


PING = encode_json({"type": "ping"})
PONG = encode_json({"type": "pong"})
