"""WebRTC signalling messages of the built-in video, carried over the room socket.

The room consumer routes them from one participant to another; they are ephemeral (never a
``RoomEvent``, never stored, no sequence number). A client sends::

    {"type": "live.rtc.offer",  "to": <user id>, "sdp": "v=0..."}
    {"type": "live.rtc.answer", "to": <user id>, "sdp": "v=0..."}
    {"type": "live.rtc.ice",    "to": <user id>, "candidate": {"candidate": "candidate:...",
        "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "abcd"}}   (or "candidate": null
        for the end of candidates)

optionally with "client_event_id" (ignored: a lost signal is re-sent by WebRTC's own logic).

A shared screen is a stream of its own (``getDisplayMedia``) beside the camera's and
microphone's (``getUserMedia``, which gives audio with any video): ``carries_screen`` finds it
in a session description, so the room can refuse a learner's screen when the session does not
let learners share theirs.
``parse_signal`` validates one (undeclared fields rejected, SDP at most ``MAX_SDP_BYTES``) and
the recipient receives ``signal.frame()``: the same message with "from" (the sender's user id,
set by the server, never trusted from the client) and "to".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cadenza.lib.json_value import JsonValue

RTC_OFFER = "live.rtc.offer"
RTC_ANSWER = "live.rtc.answer"
RTC_ICE = "live.rtc.ice"
SIGNAL_TYPES: tuple[str, ...] = (RTC_OFFER, RTC_ANSWER, RTC_ICE)

MAX_SDP_BYTES = 16 * 1024
MAX_CANDIDATE_CHARS = 1024
MAX_MID_CHARS = 64
MAX_UFRAG_CHARS = 256
MAX_MLINE_INDEX = 1023
MAX_CLIENT_EVENT_ID_CHARS = 64

_SDP_FIELDS = frozenset({"type", "to", "sdp", "client_event_id"})
_ICE_FIELDS = frozenset({"type", "to", "candidate", "client_event_id"})
_CANDIDATE_FIELDS = frozenset({"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"})


class SignalError(ValueError):
    """A signalling message that is malformed; ``detail`` goes back in the error frame."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class IceCandidate:
    """An ``RTCIceCandidateInit``."""

    candidate: str
    sdp_mid: str | None
    sdp_mline_index: int | None
    username_fragment: str | None

    def as_json(self) -> dict[str, JsonValue]:
        return {
            "candidate": self.candidate,
            "sdpMid": self.sdp_mid,
            "sdpMLineIndex": self.sdp_mline_index,
            "usernameFragment": self.username_fragment,
        }


@dataclass(frozen=True, slots=True)
class SessionDescription:
    """An offer or an answer from ``from_user_id`` to ``to_user_id``."""

    type: str
    from_user_id: int
    to_user_id: int
    sdp: str

    def frame(self) -> dict[str, JsonValue]:
        return {
            "type": self.type,
            "from": self.from_user_id,
            "to": self.to_user_id,
            "sdp": self.sdp,
        }


@dataclass(frozen=True, slots=True)
class IceMessage:
    """A trickled ICE candidate (None: the sender has no more candidates)."""

    from_user_id: int
    to_user_id: int
    candidate: IceCandidate | None
    type: str = RTC_ICE

    def frame(self) -> dict[str, JsonValue]:
        return {
            "type": self.type,
            "from": self.from_user_id,
            "to": self.to_user_id,
            "candidate": self.candidate.as_json() if self.candidate is not None else None,
        }


Signal = SessionDescription | IceMessage


def parse_signal(data: Mapping[str, object], *, sender_id: int) -> Signal:
    """Validate one client signalling message from ``sender_id``; raise ``SignalError``.

    Checks shape only: whether the recipient is in the same room (and the same breakout) is
    the consumer's decision.
    """
    kind = data.get("type")
    if kind not in SIGNAL_TYPES:
        raise SignalError(f"Unknown signalling message {kind!r}.")
    allowed = _ICE_FIELDS if kind == RTC_ICE else _SDP_FIELDS
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise SignalError(f"Unexpected fields in {kind}: {', '.join(unknown)}.")
    _check_client_event_id(data.get("client_event_id"))
    to_user_id = _recipient(data.get("to"), sender_id=sender_id)
    if kind == RTC_ICE:
        return IceMessage(
            from_user_id=sender_id,
            to_user_id=to_user_id,
            candidate=_candidate(data.get("candidate", ...)),
        )
    return SessionDescription(
        type=str(kind), from_user_id=sender_id, to_user_id=to_user_id, sdp=_sdp(data.get("sdp"))
    )


def _check_client_event_id(value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CLIENT_EVENT_ID_CHARS:
        raise SignalError("client_event_id must be a short string.")


def _recipient(value: object, *, sender_id: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise SignalError('"to" must be the user id of another participant.')
    if value == sender_id:
        raise SignalError("A participant cannot signal to themselves.")
    return value


def _sdp(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("v=0"):
        raise SignalError('"sdp" must be a session description starting with "v=0".')
    if len(value.encode("utf-8")) > MAX_SDP_BYTES:
        raise SignalError(f"The session description is larger than {MAX_SDP_BYTES} bytes.")
    return value


def _optional_text(value: object, *, name: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise SignalError(f'"{name}" must be a string of at most {limit} characters.')
    return value


def _candidate(value: object) -> IceCandidate | None:
    if value is ...:
        raise SignalError('"candidate" is required (null marks the end of candidates).')
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SignalError('"candidate" must be an object or null.')
    unknown = sorted(str(key) for key in set(value) - _CANDIDATE_FIELDS)
    if unknown:
        raise SignalError(f"Unexpected fields in the candidate: {', '.join(unknown)}.")
    text = value.get("candidate")
    if not isinstance(text, str) or len(text) > MAX_CANDIDATE_CHARS:
        raise SignalError(
            f'"candidate.candidate" must be a string of at most {MAX_CANDIDATE_CHARS} characters.'
        )
    if text and not text.startswith("candidate:"):
        raise SignalError('"candidate.candidate" must start with "candidate:" (or be empty).')
    index = value.get("sdpMLineIndex")
    if index is not None and (
        isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_MLINE_INDEX
    ):
        raise SignalError(f'"sdpMLineIndex" must be a number from 0 to {MAX_MLINE_INDEX}.')
    mid = _optional_text(value.get("sdpMid"), name="sdpMid", limit=MAX_MID_CHARS)
    if mid is None and index is None:
        raise SignalError('A candidate needs "sdpMid" or "sdpMLineIndex".')
    return IceCandidate(
        candidate=text,
        sdp_mid=mid,
        sdp_mline_index=index,
        username_fragment=_optional_text(
            value.get("usernameFragment"), name="usernameFragment", limit=MAX_UFRAG_CHARS
        ),
    )


_SENDING = frozenset({"sendrecv", "sendonly"})


def sent_streams(sdp: str) -> dict[str, set[str]]:
    """The media a session description sends, by stream id (its ``a=msid``): for each
    stream, the kinds (``audio``, ``video``) of the media sections that send it. A section
    that only receives, or sends no stream (``a=msid:-``), is left out."""
    streams: dict[str, set[str]] = {}

    def close(kind: str | None, direction: str, stream_ids: list[str]) -> None:
        if kind in ("audio", "video") and direction in _SENDING:
            for stream_id in stream_ids:
                streams.setdefault(stream_id, set()).add(kind)

    kind: str | None = None
    direction = "sendrecv"
    stream_ids: list[str] = []
    for line in sdp.splitlines():
        if line.startswith("m="):
            close(kind, direction, stream_ids)
            kind, direction, stream_ids = line[2:].split(" ", 1)[0], "sendrecv", []
        elif kind is None:
            continue
        elif line[2:] in ("sendrecv", "sendonly", "recvonly", "inactive") and line.startswith("a="):
            direction = line[2:]
        elif line.startswith("a=msid:"):
            stream_id = line[len("a=msid:") :].split(" ", 1)[0]
            if stream_id and stream_id != "-":
                stream_ids.append(stream_id)
    close(kind, direction, stream_ids)
    return streams


def carries_screen(sdp: str) -> bool:
    """Whether a session description sends a shared screen: more than one stream (the camera
    and microphone are one), or video with no audio beside it (a camera comes with its
    microphone in the room's page). What a modified client sends as its camera is beyond any
    server's knowing; this is the rule the room's own page follows."""
    streams = sent_streams(sdp)
    return len(streams) > 1 or any(kinds == {"video"} for kinds in streams.values())
