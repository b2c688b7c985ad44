"""The socket's ``history`` frame: a page of the room's past events, for a client that
came back too far behind for a replay (it got a snapshot) and wants what the snapshot left out.

Client -> server::

    {"type": "history", "request_id"?: "<id>", "after"?: N, "before"?: M, "limit"?: L}

Server -> client (``request_id`` echoed)::

    {"type": "room.history", "request_id", "seq", "first", "last", "has_more",
     "events": [durable event frames, oldest first, each with its "seq"]}

or ``{"type": "error", "request_id", "detail"}``. Paging rules: ``selectors.room_history``.
A read changes nothing, so it carries no ``client_event_id`` and may be asked again freely.
The events are never applied as live ones (their numbers are at or below the client's): the
page adds what the client's state does not hold yet (e.g. older chat messages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from django.http import Http404
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from cadenza.live.room.events import encode_json
from cadenza.live.room.selectors.history import (
    HISTORY_PAGE_DEFAULT,
    HISTORY_PAGE_MAX,
    HistoryPage,
    history_page,
)
from cadenza.live.room.selectors.room import RoomAccess, access_room
from cadenza.realtime.database import in_database_thread

HISTORY = "history"
"""The frame type the consumer hands to ``answer_history``."""

ASK_PROPERLY = (
    f"Ask for history with after and/or before (event numbers) and a limit of 1 to "
    f"{HISTORY_PAGE_MAX}."
)


class HistoryRequest(BaseModel):
    """A client's ``history`` frame; undeclared fields and JSON's wrong types refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    type: Literal["history"]
    request_id: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = None
    after: Annotated[StrictInt, Field(ge=0)] | None = None
    before: Annotated[StrictInt, Field(ge=1)] | None = None
    limit: Annotated[StrictInt, Field(ge=1, le=HISTORY_PAGE_MAX)] = HISTORY_PAGE_DEFAULT


def history_frame(page: HistoryPage, *, request_id: str | None) -> str:
    """The ``room.history`` frame: the stored frames are spliced in as they are (encoded
    once, when they were written)."""
    head = encode_json(
        {
            "type": "room.history",
            "request_id": request_id,
            "seq": page.room_seq,
            "first": page.first,
            "last": page.last,
            "has_more": page.has_more,
        }
    )
    return head[:-1] + ',"events":[' + ",".join(page.frames) + "]}"


def _error(detail: str, request_id: object) -> str:
    payload: dict[str, Any] = {"type": "error", "detail": detail}
    if isinstance(request_id, str):
        payload["request_id"] = request_id
    return encode_json(payload)


def read_history(access: RoomAccess, data: Mapping[str, Any]) -> str:
    """The answer to one ``history`` frame of ``access``'s socket. Access is checked again
    (the past holds private messages and breakout chat): a person who lost it is refused."""
    try:
        request = HistoryRequest.model_validate(dict(data))
    except ValidationError as invalid:
        extra = sorted(
            str(error["loc"][0]) for error in invalid.errors() if error["type"] == "extra_forbidden"
        )
        detail = f"Unexpected fields: {', '.join(extra)}." if extra else ASK_PROPERLY
        return _error(detail, data.get("request_id"))
    try:
        current = access_room(user=access.ctx.user, session_id=access.session.pk)
    except Http404:
        return _error("You no longer have access to this session.", request.request_id)
    page = history_page(current, after=request.after, before=request.before, limit=request.limit)
    return history_frame(page, request_id=request.request_id)


answer_history = in_database_thread(read_history)
"""``read_history`` for the consumer, where the room's database calls run."""
