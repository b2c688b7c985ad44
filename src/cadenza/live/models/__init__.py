"""Live sessions: scheduling, the room's durable events and state, attendance, calendar feeds.

A live-session unit (``UnitKind.LIVE_SESSION``) holds one or more ``LiveSession`` rows: one
for a single class, one per occurrence for a weekly series. Everything that happens in a room
and must survive the call (chat, questions, votes, polls, hands, breakouts, state changes) is
a row written in the action's transaction, and each such change also appends a ``RoomEvent``
with the session's next sequence number: a client that reconnects with the last number it saw
receives exactly the events it missed (DESIGN section 4, "Live rooms").

Split by concept: ``sessions``, ``room``, ``attendance``, ``calendar``.
"""

from cadenza.live.models.attendance import (
    Attendance,
    PresenceInterval,
    ReplayCaptionTrack,
    ReplayViewing,
)
from cadenza.live.models.calendar import CalendarFeed
from cadenza.live.models.room import (
    BreakoutAssignment,
    BreakoutRoom,
    ChatMessage,
    ParticipantRestriction,
    Poll,
    PollOption,
    PollStatus,
    PollVote,
    QuestionStatus,
    QuestionVote,
    RaisedHand,
    RoomEvent,
    RoomQuestion,
)
from cadenza.live.models.sessions import (
    LiveSeries,
    LiveSession,
    LiveSessionHost,
    LiveVideoSettings,
    PrivateChat,
    SessionFormat,
    SessionStatus,
    VideoProvider,
)

__all__ = [
    "Attendance",
    "BreakoutAssignment",
    "BreakoutRoom",
    "CalendarFeed",
    "ChatMessage",
    "LiveSeries",
    "LiveSession",
    "LiveSessionHost",
    "LiveVideoSettings",
    "ParticipantRestriction",
    "Poll",
    "PollOption",
    "PollStatus",
    "PollVote",
    "PresenceInterval",
    "PrivateChat",
    "QuestionStatus",
    "QuestionVote",
    "RaisedHand",
    "ReplayCaptionTrack",
    "ReplayViewing",
    "RoomEvent",
    "RoomQuestion",
    "SessionFormat",
    "SessionStatus",
    "VideoProvider",
]
