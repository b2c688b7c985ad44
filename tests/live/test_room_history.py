"""A participant who comes back far behind reads everything it missed, in pages.

The reconnect answers a snapshot (too far behind for a replay) that names only the last chat
messages; the ``history`` frame over the socket and ``GET .../room/events?after=N&limit=M``
over the API page through the rest, each missed message exactly once, and never one meant
for someone else (a private message to a host).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from cadenza.live.room.actions.chat import post_chat_message
from tests.api.conftest import api_as
from tests.live.conftest import Classroom, Room, ctx_of

pytestmark = [pytest.mark.django_db(transaction=True)]

BEHIND = 1200
"""Events written while the participant was away."""


def _private(n: int) -> bool:
    """Every fourth event is Bob's private question to the host, which Ada may not see."""
    return n % 4 == 0


@transaction.atomic
def _room_goes_on(classroom: Classroom, first: int, last: int) -> None:
    """Events ``first``..``last``: Bob chats, and every fourth message is to the host alone."""
    bob = ctx_of(classroom.bob, classroom.org)
    for n in range(first, last + 1):
        post_chat_message(
            ctx=bob,
            session=classroom.session,
            body=f"message {n}",
            client_event_id=f"b{n}",
            recipient_id=classroom.host.pk if _private(n) else None,
        )


def _public(first: int, last: int) -> list[str]:
    return [f"message {n}" for n in range(first, last + 1) if not _private(n)]


def _bodies(frames: list[dict[str, Any]]) -> list[str]:
    return [f["body"] for f in frames if f["type"] == "live.chat.posted"]


@pytest.mark.asyncio
async def test_a_client_far_behind_reads_every_missed_chat_message_once_in_pages(
    classroom: Classroom, room: Room
) -> None:
    await database_sync_to_async(_room_goes_on)(classroom, 1, 5)
    await database_sync_to_async(_room_goes_on)(classroom, 6, 5 + BEHIND)

    ada, frames = await room.join(classroom.ada, classroom.session, last_seq=5)

    [snapshot] = frames
    assert (snapshot["type"], snapshot["seq"]) == ("room.snapshot", 5 + BEHIND)
    assert len(snapshot["chat"]) == 200
    read: list[str] = []
    pages: list[tuple[int, int, bool, int]] = []
    before = snapshot["seq"] + 1
    while True:
        await ada.send(
            {"type": "history", "request_id": f"p{len(pages)}", "after": 5, "before": before}
        )
        page = await ada.expect("room.history")
        assert page["request_id"] == f"p{len(pages)}"
        pages.append((page["first"], page["last"], page["has_more"], len(page["events"])))
        read = _bodies(page["events"]) + read
        if not page["has_more"]:
            break
        before = page["first"]
    assert pages == [
        (1006, 1205, True, 150),
        (806, 1005, True, 150),
        (606, 805, True, 150),
        (406, 605, True, 150),
        (206, 405, True, 150),
        (6, 205, False, 150),
    ]
    assert read == _public(6, 5 + BEHIND)
    assert max(Counter(read).values()) == 1
    assert [m["body"] for m in snapshot["chat"]] == read[-200:]

    # The same reader over the API: pages of 500 events (the default) after the number it saw.
    api_pages = await database_sync_to_async(_api_pages)(classroom, 5)
    assert [(p["seq"], p["has_more"], p["next"], p["snapshot"]) for p in api_pages] == [
        (505, True, 505, None),
        (1005, True, 1005, None),
        (1205, False, None, None),
    ]
    assert [body for page in api_pages for body in _bodies(page["events"])] == read


@pytest.mark.asyncio
async def test_history_pages_forward_and_a_host_reads_the_private_messages_too(
    classroom: Classroom, room: Room
) -> None:
    await database_sync_to_async(_room_goes_on)(classroom, 1, 8)
    host, _ = await room.join(classroom.host, classroom.session, last_seq=8)
    ada, _ = await room.join(classroom.ada, classroom.session, last_seq=8)

    await host.send({"type": "history", "after": 2, "limit": 3})
    await ada.send({"type": "history", "after": 2, "limit": 3})
    await ada.send({"type": "history", "after": 5, "limit": 3})
    hosts = await host.expect("room.history")
    first, second = await ada.expect("room.history"), await ada.expect("room.history")

    assert [(e["seq"], e["body"]) for e in hosts["events"]] == [
        (3, "message 3"),
        (4, "message 4"),
        (5, "message 5"),
    ]
    assert hosts["events"][1]["recipient"] == {"user_id": classroom.host.pk, "name": "Ines"}
    assert {k: v for k, v in first.items() if k != "events"} == {
        "type": "room.history",
        "request_id": None,
        "seq": 8,
        "first": 3,
        "last": 5,
        "has_more": True,
    }
    assert [e["seq"] for e in first["events"]] == [3, 5]
    assert (second["first"], second["last"], second["has_more"]) == (6, 8, False)
    assert [e["seq"] for e in second["events"]] == [6, 7]
    await ada.send({"type": "history", "after": 10**30, "before": 10**30})
    beyond = await ada.expect("room.history")
    assert (beyond["first"], beyond["last"], beyond["has_more"], beyond["events"]) == (
        0,
        0,
        False,
        [],
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("frame", "detail"),
    [
        (
            {"type": "history", "request_id": "r", "after": "5"},
            "Ask for history with after and/or before (event numbers) and a limit of 1 to 500.",
        ),
        (
            {"type": "history", "request_id": "r", "limit": 501},
            "Ask for history with after and/or before (event numbers) and a limit of 1 to 500.",
        ),
        (
            {"type": "history", "request_id": "r", "before": 0},
            "Ask for history with after and/or before (event numbers) and a limit of 1 to 500.",
        ),
        ({"type": "history", "request_id": "r", "since": 3}, "Unexpected fields: since."),
    ],
)
async def test_a_malformed_history_request_is_answered_with_the_reason(
    classroom: Classroom, room: Room, frame: dict[str, Any], detail: str
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    await ada.send(frame)
    assert await ada.expect("error") == {"type": "error", "detail": detail, "request_id": "r"}
    assert await ada.nothing_more(0.1)


def _api_pages(classroom: Classroom, after: int, limit: int | None = None) -> list[dict[str, Any]]:
    """Every page of ``GET .../room/events`` for Ada from ``after``, following ``next``."""
    api = api_as(classroom.ada)
    base = f"/orgs/harbour/live-sessions/{classroom.session.pk}/room/events"
    pages = []
    cursor: int | None = after
    while cursor is not None:
        response = api.get(f"{base}?after={cursor}" + (f"&limit={limit}" if limit else ""))
        assert response.status_code == 200
        pages.append(response.json())
        cursor = response.json()["next"]
    return pages


def test_the_api_pages_forward_with_a_next_cursor_and_gives_a_snapshot_without_a_number(
    classroom: Classroom,
) -> None:
    _room_goes_on(classroom, 1, 8)

    pages = _api_pages(classroom, after=2, limit=3)
    fresh = api_as(classroom.ada).get(
        f"/orgs/harbour/live-sessions/{classroom.session.pk}/room/events"
    )
    refused = api_as(classroom.ada).get(
        f"/orgs/harbour/live-sessions/{classroom.session.pk}/room/events?after=2&limit=0"
    )

    assert [(p["seq"], p["has_more"], p["next"], p["snapshot"]) for p in pages] == [
        (5, True, 5, None),
        (8, False, None, None),
    ]
    assert [[e["seq"] for e in p["events"]] for p in pages] == [[3, 5], [6, 7]]
    body = fresh.json()
    assert (body["seq"], body["events"], body["has_more"], body["next"]) == (8, [], False, None)
    assert (body["snapshot"]["type"], body["snapshot"]["seq"]) == ("room.snapshot", 8)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["limit"]


def test_numbers_past_the_room_are_answered_not_failed(classroom: Classroom) -> None:
    """Numbers far past the room's (beyond what the database column holds) are no error: the
    API answers the snapshot, a history page is empty."""
    _room_goes_on(classroom, 1, 3)
    base = f"/orgs/harbour/live-sessions/{classroom.session.pk}/room/events"

    response = api_as(classroom.ada).get(f"{base}?after={10**30}")

    assert response.status_code == 200
    assert (response.json()["seq"], response.json()["snapshot"]["seq"]) == (3, 3)
