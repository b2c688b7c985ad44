"""The room's snapshot: everything one person may see in the room as of one event number.

Sent as ``room.snapshot`` when a client connects without a number to resume from (or is too
far behind), and answered by the API's event reader then. Typed like the events (an
undeclared key is a ``TypeError`` at construction); chat items are the ``ChatPosted`` events'
own shape, and the other items carry the event shape plus the person's own view (a vote,
the status of a question).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cadenza.live.room.events.durable import ChatPosted
from cadenza.live.room.events.shapes import (
    BreakoutView,
    Person,
    PollSummary,
    encode_json,
    plain,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionView:
    """The session's settings and stage. Times are ISO 8601 ("" when not set)."""

    session_id: int
    title: str
    format: str
    private_chat: str
    chat_locked: bool
    learners_may_share_screen: bool
    starts_at: str
    ends_at: str
    opened_at: str
    closed_at: str
    provider: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MeView:
    """The person receiving the snapshot."""

    user_id: int
    name: str
    is_host: bool
    muted: bool
    breakout_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionView:
    """A question not dismissed: ``QuestionAsked``'s fields (``author`` None for an
    anonymous one, except for hosts), its status and answer, and whether I voted or asked."""

    question_id: int
    body: str
    author: Person | None
    anonymous: bool
    votes: int
    at: str
    status: str
    answer: str
    voted: bool
    mine: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PollView(PollSummary):
    """A poll (hosts also see the prepared ones); ``correct_option_ids`` only for hosts and
    once the poll is closed; ``my_vote`` the options I chose."""

    status: str
    correct_option_ids: tuple[int, ...]
    my_vote: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HandView:
    """A raised hand, in the order they were raised."""

    hand_id: int
    person: Person
    at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakoutsView:
    """The open breakout rooms and when their countdown ends (None: no countdown)."""

    rooms: tuple[BreakoutView, ...]
    ends_at: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomSnapshot:
    """The whole visible room as of event ``seq`` (see ``cadenza.live.room.events``).

    ``present`` lists up to ``PRESENT_LISTED`` of the people present (by name) and
    ``present_count`` how many there are; ``now`` is the server's clock for countdowns."""

    type: ClassVar[str] = "room.snapshot"

    seq: int
    session: SessionView
    me: MeView
    chat: tuple[ChatPosted, ...]
    questions: tuple[QuestionView, ...]
    polls: tuple[PollView, ...]
    hands: tuple[HandView, ...]
    breakouts: BreakoutsView
    muted: tuple[int, ...]
    present: tuple[Person, ...]
    present_count: int
    now: str

    def frame(self) -> dict[str, Any]:
        """The ``room.snapshot`` frame as a JSON-ready object."""
        body = plain(self)
        assert isinstance(body, dict)
        return {"type": self.type} | body

    def encode(self) -> str:
        return encode_json(self.frame())
