"""Database connections that die under the room: a page and a write still succeed, once.

On PostgreSQL the pool lends only checked connections (``CONN_HEALTH_CHECKS``), and a room
write whose connection drops while it runs is run once more (``retried_once_if_connection_lost``;
the client's id keeps it from being stored twice). The faults are real there: the server ends
the connections (``pg_terminate_backend``). SQLite has no server to end a connection, so on
SQLite the same tests drop Django's connection and raise the error PostgreSQL's driver raises,
which exercises the same retry; "every pooled connection ended" has nothing to end there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from cadenza.live.models import ChatMessage
from cadenza.live.room.actions.numbering import number_next_event
from tests.live.conftest import Classroom, Room

pytestmark = [pytest.mark.django_db(transaction=True)]

NUMBERING = "cadenza.live.room.actions.chat.number_next_event"
"""Where the chat write takes the room's next number, under the room's lock."""


def end_every_pooled_connection() -> int:
    """What a PostgreSQL restart or failover does to a server's pool: the database server
    ends every connection to the test database (from a connection of its own). Answers how
    many it ended; 0 on SQLite."""
    if connection.vendor != "postgresql":
        return 0
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def drop_my_connection() -> None:
    """This thread's database connection ends in the middle of a write: on PostgreSQL the
    server ends it (the statement fails with "terminating connection due to administrator
    command"); on SQLite the connection is closed and the driver's error raised."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return
    connection.close()
    raise OperationalError("server closed the connection unexpectedly")


def dropping_once(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, whose first call loses its database connection first."""
    calls: list[int] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            drop_my_connection()
        return function(*args, **kwargs)

    return call


@pytest.fixture
def pooled_classroom(classroom: Classroom) -> Classroom:
    """The classroom, with the test's own connection back in the pool (as after a request), so
    that ending every pooled connection leaves the test's clean-up a checked one."""
    connection.close()
    return classroom


def _messages(body: str) -> int:
    return ChatMessage.objects.filter(body=body).count()


def test_a_page_and_an_api_write_succeed_after_the_pooled_connections_were_ended(
    classroom: Classroom,
) -> None:
    client = Client()
    client.force_login(classroom.ada)
    page = reverse("live_room", args=[classroom.org.slug, classroom.session.pk])
    assert client.get(page).status_code == 200
    connection.close()  # as at the end of a request: the connection goes back to the pool
    ended = end_every_pooled_connection()

    response = client.get(page)

    assert response.status_code == 200
    assert ended >= (1 if connection.vendor == "postgresql" else 0)
    connection.close()
    end_every_pooled_connection()
    write = client.post(
        f"/api/v1/orgs/{classroom.org.slug}/live-sessions/{classroom.session.pk}/room/commands",
        {"type": "chat.post", "client_event_id": "after-restart", "body": "Still here?"},
        content_type="application/json",
    )
    assert (write.status_code, write.json()["seq"]) == (200, 1)
    assert _messages("Still here?") == 1


@pytest.mark.asyncio
async def test_a_room_write_succeeds_once_after_the_pooled_connections_were_ended(
    pooled_classroom: Classroom, room: Room
) -> None:
    classroom = pooled_classroom
    ada, _ = await room.join(classroom.ada, classroom.session)
    assert (await ada.write("chat.post", body="Before"))["seq"] == 1
    await database_sync_to_async(end_every_pooled_connection)()

    ack = await ada.write("chat.post", body="After the restart", client_event_id="c-after")

    assert ack == {"type": "ack", "client_event_id": "c-after", "seq": 2}
    assert await database_sync_to_async(_messages)("After the restart") == 1
    assert (await ada.events("live.chat.posted"))["body"] == "Before"
    assert (await ada.events("live.chat.posted"))["body"] == "After the restart"


@pytest.mark.asyncio
async def test_a_room_write_whose_connection_drops_midway_is_stored_once_and_acknowledged(
    pooled_classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection ends while the chat write holds the room's lock: the transaction is
    lost, the write runs once more on a fresh connection, and Ada gets one ack."""
    classroom = pooled_classroom
    ada, _ = await room.join(classroom.ada, classroom.session)
    monkeypatch.setattr(NUMBERING, dropping_once(number_next_event))

    ack = await ada.write("chat.post", body="Through the drop", client_event_id="c-drop")

    assert ack == {"type": "ack", "client_event_id": "c-drop", "seq": 1}
    assert await database_sync_to_async(_messages)("Through the drop") == 1
    frame = await ada.events("live.chat.posted")
    assert (frame["seq"], frame["body"]) == (1, "Through the drop")
    assert await ada.nothing_more(0.2)


@pytest.mark.asyncio
async def test_a_write_whose_connection_drops_twice_is_refused_as_unavailable_and_stores_nothing(
    pooled_classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One retry, not more: the page gets ``code: "unavailable"`` and sends the write again
    later with the same id (``room_socket.js``)."""
    classroom = pooled_classroom
    ada, _ = await room.join(classroom.ada, classroom.session)
    monkeypatch.setattr(NUMBERING, dropping_once(dropping_once(number_next_event)))

    refused = await ada.write("chat.post", body="Twice unlucky", client_event_id="c-twice")
    again = await ada.write("chat.post", body="Twice unlucky", client_event_id="c-twice")

    assert refused == {
        "type": "error",
        "client_event_id": "c-twice",
        "detail": "The server could not store this; try again.",
        "code": "unavailable",
    }
    assert again == {"type": "ack", "client_event_id": "c-twice", "seq": 1}
    assert await database_sync_to_async(_messages)("Twice unlucky") == 1


@pytest.mark.asyncio
async def test_a_database_error_on_a_live_connection_is_not_run_again(
    pooled_classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a lost connection is retried: an error on a connection that is still there (a
    lock that did not come in time) fails the write once, and nothing is stored."""
    classroom = pooled_classroom
    ada, _ = await room.join(classroom.ada, classroom.session)
    calls: list[int] = []

    def lock_not_granted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        connection.ensure_connection()
        raise OperationalError("database is locked")

    monkeypatch.setattr(NUMBERING, lock_not_granted)

    refused = await ada.write("chat.post", body="Locked out", client_event_id="c-locked")

    assert (refused["type"], refused["code"]) == ("error", "unavailable")
    assert calls == [1]
    assert await database_sync_to_async(_messages)("Locked out") == 0
