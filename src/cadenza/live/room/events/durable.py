"""The durable room events: stored as ``RoomEvent`` rows with the session's next number in the
action's transaction, then published once by the room hub (see the package's docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from cadenza.live.room.events.shapes import (
    BreakoutView,
    Person,
    PollSummary,
    PollTally,
    RoomFrame,
)


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
class PollPrepared(RoomFrame, PollSummary):
    """A poll made ready for later (sent to hosts only). ``results`` are its options with no
    votes yet, as the snapshot shows a prepared poll."""

    type: ClassVar[str] = "live.poll.prepared"
    correct_option_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PollRemoved(RoomFrame):
    """A prepared poll a host removed before opening it (sent to hosts only)."""

    type: ClassVar[str] = "live.poll.removed"
    poll_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PollOpened(RoomFrame, PollSummary):
    type: ClassVar[str] = "live.poll.opened"


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
class MicrophoneMuted(RoomFrame):
    """A host muted ``person``'s microphone (sent to them and to the hosts). Their page turns
    the microphone's track off and tells them; only they can turn it on again."""

    type: ClassVar[str] = "live.microphone.muted"
    person: Person
    by: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreenSharingChanged(RoomFrame):
    """A host let learners share their screen (``allowed``) or stopped them: a learner's share
    in progress stops when it is no longer allowed."""

    type: ClassVar[str] = "live.screen_sharing.changed"
    allowed: bool
    by: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomOpened(RoomFrame):
    type: ClassVar[str] = "live.room.opened"
    at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomClosed(RoomFrame):
    type: ClassVar[str] = "live.room.closed"
    at: str


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
        PollRemoved,
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
        MicrophoneMuted,
        ScreenSharingChanged,
        RoomOpened,
        RoomClosed,
    )
)
