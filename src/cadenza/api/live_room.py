"""The live room over HTTP: what a person missed, and one write, as the room's socket does.

For a script, a bot, or a client that cannot keep a socket. Reading is the socket's replay:
``?after=<seq>`` answers the stored events after that number that the person may see (the
same frames, as JSON objects) and the number they bring the reader to; a reader further
behind (or with ``after=0``) gets the room's snapshot instead. Writing takes the socket's
frame unchanged (``{"type": "chat.post", "client_event_id": "...", ...}``, see
``cadenza.live.events``) through ``room_commands.perform``: access is checked again, the
same action runs, and a retry with the same ``client_event_id`` answers the first event's
number without writing again. Everyone in the room receives the event on their sockets.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import BodyEx, P, QueryEx, Router, Schema

from cadenza.api.common import ERRORS, member_context
from cadenza.live.room_commands import perform
from cadenza.live.selectors.api_views import present_in_room
from cadenza.live.selectors.room import (
    PRESENT_LISTED,
    RoomAccess,
    access_open_room,
    events_after,
    room_snapshot,
)

router = Router(tags=["live room"])

ROOM = "/orgs/{org}/live-sessions/{session}/room"
WRITE_FRAME = (
    'The socket\'s write frame: {"type": "chat.post", "client_event_id": "<uuid>", "body": '
    '"..."}. 400 for a malformed frame or one the room refuses (chat locked, poll closed '
    "...), 403 for a write my role may not make; nothing is stored then."
)


class RoomEventsOut(Schema):
    """``events``: the frames after ``after`` I may see, oldest first (each with its
    ``seq``; the numbers may skip events meant for others). ``snapshot``: instead, the
    room's whole visible state (a ``room.snapshot`` frame; its ``present`` and
    ``present_count`` are the people with a live connection to the room). ``seq``: ask
    next with ``after=seq``."""

    seq: int
    events: list[dict[str, Any]]
    snapshot: dict[str, Any] | None


class RoomWriteOut(Schema):
    """The write is stored as event ``seq`` (a retry: the first write's number)."""

    client_event_id: str
    seq: int


def _room(request: HttpRequest, org: str, session: int) -> RoomAccess:
    """The room as the socket admits (``access_open_room``): 404 for another organization's
    session, one the person may not see, and once removed; 403 for a learner before the lobby
    opens or in a cancelled session."""
    return access_open_room(member_context(request, org), session_id=session, now=timezone.now())


@router.get(ROOM + "/events", response={200: RoomEventsOut, **ERRORS})
def room_events(
    request: HttpRequest,
    org: str,
    session: int,
    after: QueryEx[int, P(ge=0, description="The last event number I saw; 0: none.")] = 0,
) -> RoomEventsOut:
    """The events I missed after ``after``, or a snapshot when too far behind."""
    access = _room(request, org, session)
    replay = events_after(access, after=after)
    if replay is not None:
        return RoomEventsOut(
            seq=replay.seq, events=[json.loads(frame) for frame in replay.frames], snapshot=None
        )
    present = present_in_room(access.session, now=timezone.now())
    snapshot = room_snapshot(access, present=present[:PRESENT_LISTED], present_count=len(present))
    return RoomEventsOut(seq=int(snapshot["seq"]), events=[], snapshot=snapshot)


@router.post(ROOM + "/commands", response={200: RoomWriteOut, **ERRORS})
def room_command(
    request: HttpRequest,
    org: str,
    session: int,
    frame: BodyEx[dict[str, Any], P(description=WRITE_FRAME)],
) -> RoomWriteOut:
    """One write in the room (chat, Q&A, polls, hands, breakouts, moderation)."""
    access = _room(request, org, session)
    if not isinstance(frame.get("type"), str):
        raise ValueError("Send a JSON object with a type.")
    seq = perform(user=access.ctx.user, session_id=access.session.pk, data=frame)
    return RoomWriteOut(client_event_id=str(frame["client_event_id"]), seq=seq)
