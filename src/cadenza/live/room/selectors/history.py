"""The room's history in pages: everything a returning participant missed, however far behind.

A client more than ``REPLAY_LIMIT`` events behind is sent a snapshot on reconnect, and a
snapshot names only the last ``SNAPSHOT_CHAT_MESSAGES`` chat messages. What it missed before
those stays readable here, a page at a time, over the socket (the ``history`` frame,
``cadenza.live.room.history``) and over the API (``GET .../room/events?after=N&limit=M``).

A page is a run of the room's numbered events, read in one query: at most ``limit`` of them,
of which the person receives the ones their audience allows (a private message, a breakout
room's chat), so a page may hold fewer frames than events, even none, and still move the
cursor. Forwards (``after``): the oldest events after ``after``; continue with ``after=last``.
Backwards (``before``): the newest events before ``before`` (and after ``after``, when given,
as a floor); continue with ``before=first``. Each page is read as of one moment: events
written meanwhile are the next page's (or the live socket's).
"""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.live.models import RoomEvent
from cadenza.live.room.events import may_see
from cadenza.live.room.selectors.room import RoomAccess, room_last_seq

HISTORY_PAGE_DEFAULT = 200
HISTORY_PAGE_MAX = 500
"""At most this many events per page (the socket's replay limit: one page, one read)."""


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """One page of the room's events, as the person may see them.

    ``frames``: the stored frames, oldest first, each with its ``seq``. ``first`` and
    ``last``: the lowest and highest event number the page covered (events meant for others
    included; both 0 for an empty page). ``has_more``: events remain in the page's direction
    within the asked bounds. ``room_seq``: the room's last number when the page was read."""

    frames: list[str]
    first: int
    last: int
    has_more: bool
    room_seq: int


def history_page(
    access: RoomAccess,
    *,
    after: int | None = None,
    before: int | None = None,
    limit: int = HISTORY_PAGE_DEFAULT,
) -> HistoryPage:
    """A page of the room's history for ``access``'s person: backwards when ``before`` is
    given, else forwards from ``after`` (default 0: the room's first event)."""
    limit = max(1, min(limit, HISTORY_PAGE_MAX))
    room_seq = room_last_seq(access.session.pk)
    floor = min(max(after or 0, 0), room_seq)  # also keeps any number in the column's range
    ceiling = room_seq + 1 if before is None else min(before, room_seq + 1)
    events = RoomEvent.objects.filter(session_id=access.session.pk, seq__gt=floor, seq__lt=ceiling)
    backwards = before is not None
    rows = list(
        events.order_by("-seq" if backwards else "seq").values_list("seq", "audience", "frame")[
            :limit
        ]
    )
    if backwards:
        rows.reverse()
    if not rows:
        return HistoryPage(frames=[], first=0, last=0, has_more=False, room_seq=room_seq)
    first, last = rows[0][0], rows[-1][0]
    has_more = first > floor + 1 if backwards else last < ceiling - 1
    user_id, moderator = access.ctx.user.pk, access.is_moderator
    frames = [
        frame
        for _seq, audience, frame in rows
        if may_see(audience, user_id=user_id, is_moderator=moderator)
    ]
    return HistoryPage(frames=frames, first=first, last=last, has_more=has_more, room_seq=room_seq)
