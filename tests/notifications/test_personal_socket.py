"""The person's own socket, ``/ws/me/``: the site's origin only, signed in only, the unread
count at hello and live afterwards, typed frames, and closed when the session ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.test import Client
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.notifications.actions.dispatch import dispatch
from cadenza.notifications.actions.inbox import mark_all_read
from cadenza.realtime.personal import personal_sockets
from tests.live.conftest import RoomClient
from tests.notifications.conftest import REPLIES, ReplyPosted, Team

ORIGIN = "http://localhost"


class Sockets:
    def __init__(self) -> None:
        self.opened: list[RoomClient] = []

    async def open(
        self, user: User | None, *, origin: str = ORIGIN
    ) -> tuple[RoomClient, Client | None]:
        from cadenza.config.asgi import application

        headers = [(b"host", b"localhost"), (b"origin", origin.encode())]
        web: Client | None = None
        if user is not None:
            web = Client()
            await database_sync_to_async(web.force_login)(user)
            headers.append((b"cookie", f"sessionid={web.cookies['sessionid'].value}".encode()))
        scope: dict[str, Any] = {
            "type": "websocket",
            "path": "/ws/me/",
            "raw_path": b"/ws/me/",
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
            "client": ("127.0.0.1", 50000),
            "server": ("localhost", 80),
        }
        client = RoomClient(ApplicationCommunicator(application, scope), ignore={"ping"})
        self.opened.append(client)
        return client, web


@pytest_asyncio.fixture
async def sockets(settings: Settings) -> AsyncIterator[Sockets]:
    settings.REDIS_URL = ""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.LIVE_SWEEP_SECONDS = 0.2
    opened = Sockets()
    try:
        yield opened
    finally:
        for client in opened.opened:
            await client.close()


def burst(team: Team, n: int) -> None:
    dispatch(ReplyPosted(thread=1, reply=n, followers=(team.ana,), org_of=team.org))


async def connected(sockets: Sockets, user: User) -> tuple[RoomClient, Client | None]:
    client, web = await sockets.open(user)
    assert await client.connect() == (True, None)
    return client, web


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", ["http://localhost:8001", "https://localhost", "null", ""])
async def test_another_origin_is_refused_at_the_handshake(
    team: Team, sockets: Sockets, origin: str
) -> None:
    client, _ = await sockets.open(team.ana, origin=origin)
    assert await client.connect() == (False, None)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_someone_not_signed_in_is_closed_with_4401(team: Team, sockets: Sockets) -> None:
    client, _ = await sockets.open(None)
    assert await client.connect() == (False, 4401)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_hello_answers_the_unread_count_then_ready(team: Team, sockets: Sockets) -> None:
    await database_sync_to_async(burst)(team, 1)
    await database_sync_to_async(dispatch)(
        ReplyPosted(thread=2, reply=2, followers=(team.ana,), org_of=team.org)
    )
    client, _ = await connected(sockets, team.ana)
    await client.send({"type": "hello"})
    assert await client.receive() == {"type": "notifications.unread", "count": 2}
    assert await client.receive() == {"type": "me.ready"}
    await client.send({"type": "ping"})
    assert await client.receive() == {"type": "pong"}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_new_count_arrives_live_when_a_notice_is_dispatched_or_read(
    team: Team, sockets: Sockets
) -> None:
    ana, _ = await connected(sockets, team.ana)
    ben, _ = await connected(sockets, team.ben)
    for client in (ana, ben):
        await client.send({"type": "hello"})
        assert await client.until("me.ready") == [
            {"type": "notifications.unread", "count": 0},
            {"type": "me.ready"},
        ]
    await database_sync_to_async(burst)(team, 1)
    assert await ana.receive() == {"type": "notifications.unread", "count": 1}
    await database_sync_to_async(
        lambda: dispatch(ReplyPosted(thread=5, reply=5, followers=(team.ana,), org_of=team.org))
    )()
    assert await ana.receive() == {"type": "notifications.unread", "count": 2}
    # A bundled notice changes no count, yet the bell is told the (same) number again.
    await database_sync_to_async(burst)(team, 2)
    assert await ana.receive() == {"type": "notifications.unread", "count": 2}
    await database_sync_to_async(mark_all_read)(user=team.ana)
    assert await ana.receive() == {"type": "notifications.unread", "count": 0}
    assert await ben.nothing_more()  # Ben's socket heard none of Ana's


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_frames_that_are_not_declared_get_an_error(team: Team, sockets: Sockets) -> None:
    client, _ = await connected(sockets, team.ana)
    for frame in ({"type": "subscribe"}, {"type": "hello", "extra": 1}, {"nope": 1}):
        await client.send(frame)
        answer = await client.receive()
        assert answer["type"] == "error", frame
    await client.send({"type": "hello"})
    await client.until("me.ready")
    await client.send({"type": "hello"})
    assert await client.receive() == {"type": "error", "detail": "Send one hello."}
    assert REPLIES.key == "tests.reply"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_logging_out_closes_the_socket_at_the_next_sweep(
    team: Team, sockets: Sockets
) -> None:
    client, web = await connected(sockets, team.ana)
    other, _ = await connected(sockets, team.ben)
    await client.send({"type": "hello"})
    await client.until("me.ready")
    assert web is not None
    await database_sync_to_async(web.post)("/accounts/logout/")
    assert await client.receive(within=3) == {"type": "websocket.close", "code": 4403}
    assert await other.nothing_more(0.5)  # Ben is still signed in


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_deactivated_account_is_closed_at_the_next_sweep(
    team: Team, sockets: Sockets
) -> None:
    client, _ = await connected(sockets, team.ana)

    def deactivate() -> None:
        User.objects.filter(pk=team.ana.pk).update(is_active=False)

    await database_sync_to_async(deactivate)()
    assert await client.receive(within=3) == {"type": "websocket.close", "code": 4403}
    assert await personal_sockets().sweep() == 0


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_revoked_message_closes_the_persons_sockets_at_once(
    team: Team, sockets: Sockets
) -> None:
    from channels.layers import get_channel_layer

    from cadenza.realtime.personal_frames import REVOKED, personal_group

    first, _ = await connected(sockets, team.ana)
    second, _ = await connected(sockets, team.ana)
    ben, _ = await connected(sockets, team.ben)
    layer = get_channel_layer()
    assert layer is not None
    await layer.group_send(personal_group(team.ana.pk), {"type": REVOKED})
    for client in (first, second):
        assert await client.receive(within=1) == {"type": "websocket.close", "code": 4403}
    assert await ben.nothing_more()
