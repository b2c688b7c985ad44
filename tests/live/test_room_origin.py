"""The room socket's Origin check: the site's own origin only (scheme, host and port), or one
of ``CSRF_TRUSTED_ORIGINS``, the rule the site's pages apply to every form post.

A page served by anything else on the same host (another port) must not open a room socket
with the visitor's cookie; Channels' ``AllowedHostsOriginValidator`` let it through, as it
compares host names only.
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from cadenza.realtime.socket_origin import is_site_origin
from tests.live.conftest import Classroom, Room


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "origin",
    ["http://localhost:8001", "http://localhost:8000", "https://localhost", "null", ""],
)
async def test_another_port_or_scheme_of_the_same_host_is_refused_at_the_handshake(
    classroom: Classroom, room: Room, origin: str
) -> None:
    client = await room.client(classroom.ada, classroom.session, origin=origin)
    assert await client.connect() == (False, None)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_sites_own_origin_is_let_in(classroom: Classroom, room: Room) -> None:
    client = await room.client(classroom.ada, classroom.session, origin="http://localhost")
    assert await client.connect() == (True, None)
    frames = await client.hello(0)
    assert [frame["type"] for frame in frames] == ["room.snapshot"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_sites_origin_with_its_default_port_spelled_out_is_let_in(
    classroom: Classroom, room: Room
) -> None:
    client = await room.client(classroom.ada, classroom.session, origin="http://localhost:80")
    assert await client.connect() == (True, None)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_trusted_origin_is_let_in_and_its_other_ports_are_not(
    classroom: Classroom, room: Room, settings: Settings
) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://school.example.org"]
    trusted = await room.client(
        classroom.ada, classroom.session, origin="https://school.example.org"
    )
    assert await trusted.connect() == (True, None)
    other_port = await room.client(
        classroom.bob, classroom.session, origin="https://school.example.org:8443"
    )
    assert await other_port.connect() == (False, None)


def _scope(host: str, *headers: tuple[bytes, bytes], scheme: str = "ws") -> dict[str, Any]:
    return {"type": "websocket", "scheme": scheme, "headers": [(b"host", host.encode()), *headers]}


def test_behind_a_tls_proxy_the_https_origin_is_the_sites_own(settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["cadenza.example.org"]
    proxied = _scope("cadenza.example.org", (b"x-forwarded-proto", b"https"))
    assert is_site_origin(proxied, "https://cadenza.example.org")
    assert not is_site_origin(proxied, "http://cadenza.example.org")
    direct = _scope("cadenza.example.org:8443", scheme="wss")
    assert is_site_origin(direct, "https://cadenza.example.org:8443")
    assert not is_site_origin(direct, "https://cadenza.example.org")


def test_a_host_outside_allowed_hosts_has_no_own_origin(settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["cadenza.example.org"]
    assert not is_site_origin(_scope("evil.example"), "http://evil.example")


def test_a_trusted_wildcard_lets_in_the_subdomains_on_its_scheme_and_port(
    settings: Settings,
) -> None:
    settings.ALLOWED_HOSTS = ["cadenza.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.org"]
    scope = _scope("cadenza.example.org")
    assert is_site_origin(scope, "https://school.example.org")
    assert not is_site_origin(scope, "http://school.example.org")
    assert not is_site_origin(scope, "https://school.example.org:8443")
    assert not is_site_origin(scope, "https://example.net")
