"""Who is on a room socket: the Django session cookie, read once at connect.

Channels' ``AuthMiddlewareStack`` does the same, but it also wraps the socket's ``send`` so
that the session can be saved (and its cookie set) after any message, which HTTP responses
need. A room socket never changes the session, yet that check ran for every frame the room
delivered: about a tenth of a server process's event loop with 1,000 people in a room
(docs/performance.md). This middleware resolves the user with Channels' own ``get_user``
(the session's auth hash verified as on a page) and leaves ``send`` alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import import_module
from typing import Any

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie

ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class SessionUserMiddleware:
    """Sets ``scope["session"]`` and ``scope["user"]`` (``AnonymousUser`` without a valid
    session) for the inner application, once per connection."""

    def __init__(self, inner: ASGIApp) -> None:
        self.inner = inner

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        cookies: dict[str, str] = {}
        for name, value in scope.get("headers", ()):
            if name == b"cookie":
                cookies = parse_cookie(value.decode("latin1"))
                break
        engine = import_module(settings.SESSION_ENGINE)
        session = engine.SessionStore(cookies.get(settings.SESSION_COOKIE_NAME))
        user = await get_user({"session": session})
        await self.inner(dict(scope, session=session, user=user), receive, send)
