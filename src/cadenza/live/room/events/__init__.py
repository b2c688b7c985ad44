"""The live room's protocol: one typed class per real-time event, and the frames around them.

The classes live in ``shapes`` (the building blocks), ``durable`` (stored, numbered events)
and ``ephemeral`` (presence, typing, protocol frames); import them from here.

The socket is ``/ws/live/<session_id>/``. Every frame is a JSON object with a ``type``.

Client -> server
    ``{"type": "hello", "last_seq": N}``  first frame after connecting (N = 0: never connected)
    ``{"type": "ping"}``                  answered with ``{"type": "pong"}``
    ``{"type": "typing"}``                ephemeral, relayed as ``live.typing``
    ``{"type": "history", "request_id"?, "after"?: N, "before"?: M, "limit"?: L}`` a page of
      past events (``cadenza.live.room.history``): what a snapshot left out, for a client
      that came back far behind. Answered with ``room.history`` (below).
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
      ``participant.mute`` / ``participant.unmute`` (chat) / ``participant.remove`` user_id
      ``microphone.mute`` user_id (hosts: turn a person's microphone off in the built-in
                      video; never on: only the person turns it on again)
      ``screen_sharing.allow`` / ``screen_sharing.forbid`` (hosts: whether learners may
                      share their screen; hosts always may)
      ``room.open`` / ``room.close``

Server -> client
    ``{"type": "ack", "client_event_id", "seq"}`` the write is stored as event ``seq``; a retry
    with the same id gets the same ack and changes nothing.
    ``{"type": "error", "client_event_id"?, "detail"}`` the write was refused; nothing stored.
    A write that is not a command (``events.commands``: unknown type, undeclared or mistyped
    field) is refused so too. One past the person's write limit for its kind (chat,
    questions, votes, hands: ``cadenza.live.room.limits``) adds ``"code": "rate_limited"``
    and ``"retry_after"`` (seconds): send it again (same ``client_event_id``) after that.
    A write the server could not store just now (a dropped database connection, after its
    one retry) has ``"code": "unavailable"``: send it again with the same id a moment later.
    ``{"type": "room.history", "request_id", "seq", "first", "last", "has_more", "events"}``
    the answer to ``history``: the stored frames of events ``first``..``last`` the person may
    see, oldest first (an ``error`` frame with the ``request_id`` for a malformed request).
    ``{"type": "room.snapshot", "seq", "session", "me", "chat", "questions", "polls",
    "hands", "breakouts", "muted", "present", "present_count", "now"}`` the whole visible
    state as of ``seq`` (answer to ``hello`` with N = 0 or too far behind, and after a
    connection fell behind).
    ``present_count`` is how many people are in the room now (one per person however many
    tabs, the person receiving it included) and ``present`` (``[{"user_id", "name"}]``, by
    name) lists up to ``PRESENT_LISTED`` of them, from the room hub's ephemeral presence
    (not the database); later ``live.presence`` frames update both.
    ``now`` is the server's clock (ISO 8601) for countdowns.
    ``{"type": "room.caught_up", "seq"}`` the replay after ``hello`` is complete.
    ``{"type": "ping"}`` every ~25 s; ``{"type": "pong"}``.
    A socket is closed with code 4403 when the person may not (or may no longer) be in the
    room: not admitted at connect (another organization, not enrolled, removed, before the
    lobby opens, the room full), or access lost while connected (un-enrolled, removed from the
    organization or the session), which each server process re-checks for all its sockets
    every few seconds (``cadenza.realtime.sweep``).
    Durable events (below), each with ``"seq"``: numbered per session with no gap; a person
    receives the ones their audience allows (a private message, a breakout room's chat), so
    the numbers a client sees may skip, but it never misses one it may see.
    Ephemeral frames (no ``seq``, never stored): ``live.presence`` ``{"joined": [person],
    "left": [person], "count"}`` (coalesced: at most one per room and server process each
    ``PRESENCE_INTERVAL``), ``live.typing`` ``{"person"}``, and the
    signalling frames relayed from another participant: ``live.rtc.offer`` /
    ``live.rtc.answer`` ``{"from", "to", "sdp"}`` and ``live.rtc.ice`` ``{"from", "to",
    "candidate"}``, ``from`` set by the server.

Audience: an empty list means everyone in the room; otherwise user ids plus the tokens
``"hosts"`` (hosts and organization admins) and ``"peers"`` (everyone else).
"""

from cadenza.live.room.events.durable import (
    DURABLE_EVENT_TYPES,
    BreakoutsClosed,
    BreakoutsCountdown,
    BreakoutsMessage,
    BreakoutsStarted,
    ChatDeleted,
    ChatLocked,
    ChatPosted,
    ChatUnlocked,
    HandCalled,
    HandLowered,
    HandRaised,
    MicrophoneMuted,
    ParticipantMuted,
    ParticipantRemoved,
    ParticipantUnmuted,
    PollClosed,
    PollOpened,
    PollPrepared,
    PollRemoved,
    PollVoted,
    QuestionAnswered,
    QuestionAsked,
    QuestionDismissed,
    QuestionVoted,
    RoomClosed,
    RoomOpened,
    ScreenSharingChanged,
)
from cadenza.live.room.events.ephemeral import (
    PING,
    PONG,
    PresenceChanged,
    Typing,
    ack_frame,
    caught_up_frame,
    error_frame,
)
from cadenza.live.room.events.shapes import (
    HOSTS,
    PEERS,
    AudienceMember,
    BreakoutView,
    Person,
    PollOptionView,
    PollTally,
    RoomFrame,
    encode_json,
    may_see,
    plain,
)

__all__ = [
    "DURABLE_EVENT_TYPES",
    "HOSTS",
    "PEERS",
    "PING",
    "PONG",
    "AudienceMember",
    "BreakoutView",
    "BreakoutsClosed",
    "BreakoutsCountdown",
    "BreakoutsMessage",
    "BreakoutsStarted",
    "ChatDeleted",
    "ChatLocked",
    "ChatPosted",
    "ChatUnlocked",
    "HandCalled",
    "HandLowered",
    "HandRaised",
    "MicrophoneMuted",
    "ParticipantMuted",
    "ParticipantRemoved",
    "ParticipantUnmuted",
    "Person",
    "PollClosed",
    "PollOpened",
    "PollOptionView",
    "PollPrepared",
    "PollRemoved",
    "PollTally",
    "PollVoted",
    "PresenceChanged",
    "QuestionAnswered",
    "QuestionAsked",
    "QuestionDismissed",
    "QuestionVoted",
    "RoomClosed",
    "RoomFrame",
    "RoomOpened",
    "ScreenSharingChanged",
    "Typing",
    "ack_frame",
    "caught_up_frame",
    "encode_json",
    "error_frame",
    "may_see",
    "plain",
]
