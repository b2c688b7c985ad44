"""The room hub's Redis pub/sub subscription: one per process, one channel per room.

A room is subscribed when its first local socket arrives and unsubscribed when its last one
leaves. Subscribing waits for Redis's confirmation, so the hub can read the room's number
afterwards and miss nothing in between. When Redis goes away the reader retries with backoff
and, once it is back, tells the hub (``recovered``), whose rooms then read what they missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from cadenza.live.hub_wire import room_channel

log = logging.getLogger(__name__)


class RoomSubscriber:
    def __init__(
        self,
        *,
        client: aioredis.Redis,
        prefix: str,
        receive: Callable[[int, str], None],
        recovered: Callable[[], None],
    ) -> None:
        self.prefix = prefix
        self._receive = receive
        self._recovered = recovered
        self._pubsub: Any = client.pubsub()
        self._reader: asyncio.Task[None] | None = None
        self._confirmations: dict[str, asyncio.Event] = {}
        self._lock = asyncio.Lock()
        self._recovering = False

    async def subscribe(self, session_id: int) -> None:
        """Subscribe to a room's channel and wait (5 s at most) until Redis confirms it."""
        channel = room_channel(self.prefix, session_id)
        confirmed = asyncio.Event()
        async with self._lock:
            self._confirmations[channel] = confirmed
            await self._pubsub.subscribe(channel)
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(confirmed.wait(), timeout=5)

    async def unsubscribe(self, session_id: int, *, unless: Callable[[], bool]) -> None:
        """Unsubscribe from a room's channel, unless (checked under the lock) a socket came
        back to the room meanwhile."""
        channel = room_channel(self.prefix, session_id)
        async with self._lock:
            if unless():
                return
            self._confirmations.pop(channel, None)
            with contextlib.suppress(Exception):
                await self._pubsub.unsubscribe(channel)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()

    async def _read(self) -> None:
        backoff = 0.2
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("room hub: Redis unavailable, retrying", exc_info=True)
                self._recovering = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.2
            if self._recovering:
                self._recovering = False
                self._recovered()
            if message is None:
                continue
            try:
                self._handle(message)
            except Exception:
                log.exception("room hub: unreadable pub/sub message %r", message)

    def _handle(self, message: dict[str, Any]) -> None:
        """One pub/sub message: a subscription confirmed, or a room's message (anything else,
        such as a health check's pong, is ignored)."""
        if message["type"] not in ("subscribe", "message"):
            return
        channel = message["channel"].decode()
        if message["type"] == "subscribe":
            confirmed = self._confirmations.get(channel)
            if confirmed is not None:
                confirmed.set()
        else:
            self._receive(int(channel.rsplit(":", 1)[1]), message["data"].decode())
