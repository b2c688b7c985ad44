"""The live room over HTTP: what a person missed, and one write, as the room's socket does.

For a script, a bot, or a client that cannot keep a socket. Reading is the socket's replay,
in pages: ``?after=<seq>&limit=<n>`` answers the stored events after that number that the
person may see (the same frames, as JSON objects), at most ``limit`` events a page, with the
number to ask from next; however far behind, a reader pages through everything it missed
(``cadenza.live.room.selectors.history``). A reader with no number (``after=0``) or one
ahead of the room gets the room's snapshot instead. Writing takes the socket's frame unchanged
(``{"type": "chat.post", "client_event_id": "...", ...}``, see ``cadenza.live.room.events``)
through ``cadenza.live.room.commands.perform``: access is checked again, the same action runs,
and a retry with the same ``client_event_id`` answers the first event's number without writing
again. Everyone in the room receives the event on their sockets.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import BodyEx, P, QueryEx, Router, Schema, Status
from pydantic import WithJsonSchema

from cadenza.api.common import InvalidOut, member_context
from cadenza.api.live_access import SESSION_ERRORS, explains_closed_session
from cadenza.live.attendance.selectors.api_views import present_in_room
from cadenza.live.room.commands import CommandError, RateLimited, perform
from cadenza.live.room.events.commands import command_schema
from cadenza.live.room.selectors.history import HISTORY_PAGE_MAX, history_page
from cadenza.live.room.selectors.room import (
    PRESENT_LISTED,
    RoomAccess,
    access_open_room,
)
from cadenza.live.room.selectors.snapshot import room_snapshot

router = Router(tags=["live room"])

ROOM = "/orgs/{org}/live-sessions/{session}/room"
WRITE_FRAME = (
    'The socket\'s write frame: {"type": "chat.post", "client_event_id": "<uuid>", "body": '
    '"..."}, one of the commands below. 422 for a frame that is not one (unknown type, '
    "undeclared or mistyped field), 400 for one the room refuses (chat locked, poll closed "
    "...), 403 for a write my role may not make, 429 for a person writing faster than the "
    "room allows (chat, questions, votes, hands; send it again after `retry_after` "
    "seconds); nothing is stored then."
)


class RoomEventsOut(Schema):
    """``events``: a page of the frames after ``after`` I may see, oldest first (each with
    its ``seq``; the numbers may skip events meant for others, and a page may hold none).
    ``snapshot``: instead, the room's whole visible state (a ``room.snapshot`` frame; its
    ``present`` and ``present_count`` are the people with a live connection to the room).
    ``seq``: the number this answer brings me to; ask next with ``after=seq``. ``has_more``:
    more events are already waiting after ``seq``; ``next``: then the ``after`` of the next
    page (``seq``), else null."""

    seq: int
    events: list[dict[str, Any]]
    snapshot: dict[str, Any] | None
    has_more: bool = False
    next: int | None = None


class RoomWriteOut(Schema):
    """The write is stored as event ``seq`` (a retry: the first write's number)."""

    client_event_id: str
    seq: int


class RateLimitedOut(Schema):
    """429: I wrote this kind of thing faster than the room allows; send it again after
    ``retry_after`` seconds (also the ``Retry-After`` header, rounded up). Nothing stored."""

    detail: str
    retry_after: float


def _room(request: HttpRequest, org: str, session: int) -> RoomAccess:
    """The room as the socket admits (``access_open_room``): 404 for another organization's
    session, one the person may not see, and once removed; 403 for a learner before the lobby
    opens or in a cancelled session."""
    return access_open_room(member_context(request, org), session_id=session, now=timezone.now())


@router.get(ROOM + "/events", response={200: RoomEventsOut, **SESSION_ERRORS})
@explains_closed_session
def room_events(
    request: HttpRequest,
    org: str,
    session: int,
    after: QueryEx[int, P(ge=0, description="The last event number I saw; 0: none.")] = 0,
    limit: QueryEx[
        int, P(ge=1, le=HISTORY_PAGE_MAX, description="At most this many events a page.")
    ] = HISTORY_PAGE_MAX,
) -> RoomEventsOut:
    """A page of the events I missed after ``after`` (page on with ``next`` while
    ``has_more``), or the room's snapshot when I have no number yet."""
    access = _room(request, org, session)
    if after > 0:
        page = history_page(access, after=after, limit=limit)
        if after <= page.room_seq:
            return RoomEventsOut(
                seq=page.last or after,
                events=[json.loads(frame) for frame in page.frames],
                snapshot=None,
                has_more=page.has_more,
                next=page.last if page.has_more else None,
            )
    present = present_in_room(access.session, now=timezone.now())
    snapshot = room_snapshot(access, present=present[:PRESENT_LISTED], present_count=len(present))
    return RoomEventsOut(seq=snapshot.seq, events=[], snapshot=snapshot.frame())


CommandFrame = Annotated[dict[str, Any], WithJsonSchema(command_schema())]
"""Read as the JSON object it is and parsed by ``perform`` (the socket's parser, with its
messages); documented as the union of the room's commands."""


@router.post(
    ROOM + "/commands",
    response={200: RoomWriteOut, 429: RateLimitedOut, **SESSION_ERRORS},
)
@explains_closed_session
def room_command(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    session: int,
    frame: BodyEx[CommandFrame, P(description=WRITE_FRAME)],
) -> RoomWriteOut | Status[RateLimitedOut] | Status[InvalidOut]:
    """One write in the room (chat, Q&A, polls, hands, breakouts, moderation)."""
    access = _room(request, org, session)
    try:
        seq = perform(user=access.ctx.user, session_id=access.session.pk, data=frame)
    except CommandError as invalid:
        return Status(422, InvalidOut(detail=invalid.detail, errors=invalid.errors))
    except RateLimited as limited:
        response["Retry-After"] = str(math.ceil(limited.retry_after))
        return Status(429, RateLimitedOut(detail=str(limited), retry_after=limited.retry_after))
    return RoomWriteOut(client_event_id=str(frame["client_event_id"]), seq=seq)
