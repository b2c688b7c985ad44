"""Frames that are never stored or numbered: presence, typing, and the protocol's own frames
(ack, error, caught up, ping, pong)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cadenza.live.room.events.shapes import Person, RoomFrame, encode_json
from cadenza.realtime.wire import PING as PING

# Ephemeral: relayed, never stored, never numbered


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceChanged(RoomFrame):
    """Who came and who went since the room's last presence frame, and how many people are
    present now (one per person however many tabs, on every server).

    Coalesced by each server process's room hub (at most one frame per room per
    ``PRESENCE_INTERVAL``), not one per join: a frame per join sent to everyone present is
    quadratic, 12.5 million frames while a 5,000-person webinar fills."""

    type: ClassVar[str] = "live.presence"
    durable: ClassVar[bool] = False
    joined: tuple[Person, ...]
    left: tuple[Person, ...]
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Typing(RoomFrame):
    type: ClassVar[str] = "live.typing"
    durable: ClassVar[bool] = False
    person: Person


# Frames that are not room events


def ack_frame(*, client_event_id: str, seq: int) -> str:
    return encode_json({"type": "ack", "client_event_id": client_event_id, "seq": seq})


def error_frame(
    *,
    detail: str,
    client_event_id: str | None = None,
    code: str | None = None,
    retry_after: float | None = None,
) -> str:
    """A refusal; ``code`` names one a client acts on (``rate_limited``: send again after
    ``retry_after`` seconds)."""
    payload: dict[str, Any] = {"type": "error", "detail": detail}
    if client_event_id is not None:
        payload["client_event_id"] = client_event_id
    if code is not None:
        payload["code"] = code
    if retry_after is not None:
        payload["retry_after"] = retry_after
    return encode_json(payload)


def caught_up_frame(*, seq: int) -> str:
    return encode_json({"type": "room.caught_up", "seq": seq})


PONG = encode_json({"type": "pong"})
