"""The person's own socket: ``/ws/me/``, one per person per page, for everything addressed to
the person rather than to a room: the notification bell now, the forum threads they have
open later (decision 0016).

What it keeps of the transport's rules (DESIGN section 4, "Live rooms"):

- **Origin** is checked before the handshake by ``socket_origin.SiteOriginValidator``, which
  wraps every socket route (``config/asgi.py``); the user comes from the session cookie,
  read once (``SessionUserMiddleware``). Not signed in: accepted, then closed with 4401, so
  the page stops instead of retrying for ever (a refused handshake reads as 1006).
- **Typed frames.** The client sends ``{"type": "hello"}`` once and ``{"type": "ping"}``;
  anything else gets an ``error`` frame. ``hello`` is answered by each registered topic's
  current state (``PersonalTopic.greeting``: the bell's ``notifications.unread``) and then
  ``me.ready``; state, not a log, so a frame lost while the socket was away is never missed.
  Frames for the person (``personal_frames.send_to_person``) reach every socket of theirs in
  any process through their channel-layer group, from the hello on.
- **Revocation.** Each process sweeps its personal sockets every ``LIVE_SWEEP_SECONDS``: one
  handed check for all of them (``PersonalAdmission.signed_in``: the session still exists,
  the account is active; ``cadenza.accounts.socket_sessions``); a socket whose session ended
  (logged out, deactivated, session expired) is closed with 4403; a ``personal.revoked``
  message to the person's group closes them at once.
- **Heartbeat.** The sweep sends ``ping`` to each socket every 25 s (proxies drop idle
  connections); the page pings too and reconnects with backoff and jitter
  (``notifications/static/notifications/personal_socket.js``).

Later topics with admission of their own (a forum thread: ``subscribe`` to one, re-checked by
the sweep) are handed in the same way, with ``use_personal_topic``; this module imports no
domain app.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from cadenza.realtime.database import in_database_thread
from cadenza.realtime.personal_frames import personal_group
from cadenza.realtime.sweep import HEARTBEAT_SECONDS
from cadenza.realtime.wire import PING

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
READY = '{"type":"me.ready"}'
PONG = '{"type":"pong"}'


class PersonalTopic(Protocol):
    """Something a person's socket carries; ``greeting`` (synchronous, run in a database
    thread) answers the encoded frames of its current state for one person."""

    name: str

    def greeting(self, user_id: int) -> list[str]: ...


class PersonalAdmission(Protocol):
    """Which (user id, session key) pairs are still signed in: one call for all of a
    process's personal sockets."""

    def signed_in(self, sockets: set[tuple[int, str]]) -> set[tuple[int, str]]: ...


_topics: dict[str, PersonalTopic] = {}
_admission: PersonalAdmission | None = None


def use_personal_topic(topic: PersonalTopic) -> None:
    """Register a topic (its app's ``AppConfig.ready``)."""
    _topics[topic.name] = topic


def use_personal_admission(admission: PersonalAdmission) -> None:
    """Register who is still signed in (the accounts app's ``AppConfig.ready``)."""
    global _admission
    _admission = admission


def greetings(user_id: int) -> list[str]:
    """Every topic's frames for one person's ``hello``."""
    frames: list[str] = []
    for topic in _topics.values():
        frames.extend(topic.greeting(user_id))
    return frames


def error_frame(detail: str) -> str:
    return json.dumps({"type": "error", "detail": detail}, separators=(",", ":"))


class PersonalSocket(AsyncWebsocketConsumer):  # type: ignore[misc]
    """One page's socket of one signed-in person."""

    user_id: int
    session_key: str

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.joined = False
        self.helloed = False
        if user is None or not user.is_authenticated:
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = int(user.pk)
        session = self.scope.get("session")
        self.session_key = str(getattr(session, "session_key", "") or "")
        await self.channel_layer.group_add(personal_group(self.user_id), self.channel_name)
        self.joined = True
        await self.accept()
        personal_sockets().add(self)

    async def disconnect(self, code: int) -> None:
        personal_sockets().discard(self)
        if self.joined:
            self.joined = False
            await self.channel_layer.group_discard(personal_group(self.user_id), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            data = json.loads(text_data or "")
        except ValueError:
            data = None
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "ping" and data == {"type": "ping"}:
            await self.send(text_data=PONG)
        elif kind == "hello" and data == {"type": "hello"} and not self.helloed:
            frames = await in_database_thread(greetings)(self.user_id)
            for frame in frames:
                await self.send(text_data=frame)
            self.helloed = True
            await self.send(text_data=READY)
        elif kind == "hello" and self.helloed:
            await self.send(text_data=error_frame("Send one hello."))
        else:
            await self.send(
                text_data=error_frame('Send {"type": "hello"} once, then {"type": "ping"}.')
            )

    async def personal_frame(self, message: dict[str, Any]) -> None:
        """A frame for the person (``personal_frames.send_to_person``); before the hello it is
        dropped: the hello answers the current state."""
        if self.helloed:
            await self.send(text_data=message["text"])

    async def personal_revoked(self, message: dict[str, Any]) -> None:
        await self.close(code=CLOSE_FORBIDDEN)

    def revoke(self) -> None:
        self.revoked = True
        personal_sockets().remember(asyncio.ensure_future(self.close(code=CLOSE_FORBIDDEN)))


class PersonalSockets:
    """This process's personal sockets, swept together (one admission query per sweep)."""

    def __init__(self) -> None:
        self.sockets: set[PersonalSocket] = set()
        self.task: asyncio.Task[None] | None = None
        self.pending: set[asyncio.Future[None]] = set()

    def add(self, socket: PersonalSocket) -> None:
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._sweep_forever())

    def discard(self, socket: PersonalSocket) -> None:
        self.sockets.discard(socket)
        if not self.sockets and self.task is not None:
            self.task.cancel()
            self.task = None

    def remember(self, future: asyncio.Future[None]) -> None:
        self.pending.add(future)
        future.add_done_callback(self.pending.discard)

    async def _sweep_forever(self) -> None:
        every = float(settings.LIVE_SWEEP_SECONDS)
        since_ping = 0.0
        while True:
            await asyncio.sleep(every)
            since_ping += every
            ping = since_ping >= HEARTBEAT_SECONDS - every / 2
            if ping:
                since_ping = 0.0
            try:
                await self.sweep(ping=ping)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("personal sockets: sweep failed; the next one retries")

    async def sweep(self, *, ping: bool = False) -> int:
        """Close the sockets whose session ended; ping the rest when ``ping``. Answers how
        many were closed."""
        sockets = [s for s in self.sockets if not getattr(s, "revoked", False)]
        if not sockets:
            return 0
        closed = 0
        if _admission is not None:
            pairs = {(s.user_id, s.session_key) for s in sockets}
            admitted = await in_database_thread(_admission.signed_in)(pairs)
            for socket in sockets:
                if (socket.user_id, socket.session_key) not in admitted:
                    socket.revoke()
                    closed += 1
        if ping:
            for socket in _alive(sockets):
                await socket.send(text_data=PING)
        return closed


def _alive(sockets: Iterable[PersonalSocket]) -> list[PersonalSocket]:
    return [s for s in sockets if not getattr(s, "revoked", False)]


_sockets: PersonalSockets | None = None


def personal_sockets() -> PersonalSockets:
    global _sockets
    if _sockets is None:
        _sockets = PersonalSockets()
    return _sockets
