"""The protocol's building blocks: audiences (the transport's, ``cadenza.realtime.audience``), the
one JSON encoding, and the shapes shared by
events and snapshots (a person, a poll option, a breakout room). ``RoomFrame`` is the base of
every frame class: its fields are the frame's keys, so an undeclared key cannot be sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, ClassVar

from cadenza.realtime.audience import HOSTS as HOSTS
from cadenza.realtime.audience import PEERS as PEERS
from cadenza.realtime.audience import AudienceMember as AudienceMember
from cadenza.realtime.audience import Person as Person
from cadenza.realtime.audience import may_see as may_see


def encode_json(payload: dict[str, Any]) -> str:
    """Compact JSON, the one encoding of every frame."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def plain(value: Any) -> Any:
    """A frame part (a dataclass of the protocol, a tuple of them) as JSON-ready dicts and
    lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class PollOptionView:
    option_id: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PollTally:
    option_id: int
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PollSummary:
    """What every frame showing a whole poll says of it (a poll prepared or opened, and each
    poll of the snapshot): its question, its kind, its options and their tally so far."""

    poll_id: int
    prompt: str
    multiple: bool
    anonymous: bool
    quiz: bool
    options: tuple[PollOptionView, ...]
    results: tuple[PollTally, ...]
    voters: int


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
