"""The room hub's Redis pub/sub subscription: one per process, one channel per room.

A room is subscribed when its first local socket arrives and unsubscribed when its last one
leaves. Subscribing waits for Redis's confirmation, so the hub can read the room's number
afterwards and miss nothing in between.

Redis may be away (restarting) at any moment, and a socket's handshake must not fail for it:
a room subscribed while Redis is away is remembered (``wanted``) and subscribed as soon as it
is back. The reader retries with a short backoff; once Redis is back it subscribes every
wanted room again (a restarted Redis has forgotten them) and, at the first confirmation, tells
the hub (``recovered``), whose rooms then read what they missed from the database by number.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from cadenza.realtime.redis_pool import REDIS_ERRORS, outage
from cadenza.realtime.wire import room_channel

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 5.0
"""How long a subscription waits for Redis's confirmation before the room opens anyway (it is
then caught up from the database when the confirmation comes)."""

CLOSE_SECONDS = 5.0
"""How long close() waits for the reader to end once cancelled."""

RETRY_FIRST = 0.1
RETRY_MAX = 0.5

_READ_ERRORS: tuple[type[BaseException], ...] = (*REDIS_ERRORS, RuntimeError)
"""Redis away, or (``RuntimeError``) redis-py has no connection yet: every subscribe failed."""


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
        self.wanted: set[str] = set()
        """The channels of the rooms with local sockets, subscribed or to be."""
        self._away = False
        """Redis failed; the next successful read subscribes every wanted channel again."""
        self._recovering = False
        """Subscribed again after an outage; the first confirmation tells the hub."""
        self._confirmed: set[str] = set()
        self._unwanted: set[str] = set()
        self._telling = False

    @property
    def away(self) -> bool:
        """Redis is away, or back but the rooms not yet subscribed again."""
        return self._away or self._recovering

    async def subscribe(self, session_id: int) -> None:
        """Subscribe to a room's channel and wait (``CONFIRM_SECONDS`` at most) until Redis
        confirms it. Never fails for Redis: an unconfirmed room is subscribed once it is back."""
        channel = room_channel(self.prefix, session_id)
        confirmed = asyncio.Event()
        async with self._lock:
            self.wanted.add(channel)
            self._confirmations[channel] = confirmed
            try:
                if not self._away:
                    await self._pubsub.subscribe(channel)
            except REDIS_ERRORS as error:
                self._lose(error)
            finally:
                # After the first subscribe: redis-py has no connection to read before it.
                if self._reader is None or self._reader.done():
                    self._reader = asyncio.create_task(self._read())
            if self._away:
                return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CONFIRM_SECONDS):  # not wait_for: it can eat a cancel
                await confirmed.wait()

    async def unsubscribe(self, session_id: int, *, unless: Callable[[], bool]) -> None:
        """Unsubscribe from a room's channel, unless (checked under the lock) a socket came
        back to the room meanwhile."""
        channel = room_channel(self.prefix, session_id)
        async with self._lock:
            if unless():
                return
            self.wanted.discard(channel)
            self._confirmed.discard(channel)
            self._confirmations.pop(channel, None)
            if not self._away:
                with contextlib.suppress(Exception):
                    await self._pubsub.unsubscribe(channel)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            # Bounded: a task that missed its cancel must not hold a shutdown for ever.
            await asyncio.wait({self._reader}, timeout=CLOSE_SECONDS)
            if self._reader.done() and not self._reader.cancelled():
                self._reader.exception()  # retrieved: it ended, which is all close() asks
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()

    def _lose(self, error: BaseException) -> None:
        self._away = True
        outage.lost("room hub subscriber", error)

    async def _read(self) -> None:
        delay = RETRY_FIRST
        while True:
            try:
                if self._away:
                    await self._subscribe_again()
                if self._unwanted:
                    await self._drop_unwanted()
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except _READ_ERRORS as error:
                self._lose(error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            delay = RETRY_FIRST
            if message is None:
                continue
            try:
                self._handle(message)
            except Exception:
                log.exception("room hub: unreadable pub/sub message %r", message)

    async def _subscribe_again(self) -> None:
        async with self._lock:
            # A fresh connection with the rooms wanted now: redis-py would otherwise subscribe
            # again the rooms whose last socket left while Redis was away.
            await self._pubsub.aclose()
            if self.wanted:
                await self._pubsub.subscribe(*sorted(self.wanted))
                self._recovering = True
            self._away = False
        if not self._recovering:
            outage.back("room hub subscriber")

    async def _drop_unwanted(self) -> None:
        async with self._lock:
            channels = sorted(self._unwanted - self.wanted)
            self._unwanted.clear()
            if channels:
                await self._pubsub.unsubscribe(*channels)

    def _tell_recovered(self) -> None:
        """Tell the hub once for all the channels confirmed again together."""
        if self._telling:
            return
        self._telling = True

        def tell() -> None:
            self._telling = False
            self._recovered()

        asyncio.get_running_loop().call_later(0.05, tell)

    def _handle(self, message: dict[str, Any]) -> None:
        """One pub/sub message: a subscription confirmed, or a room's message (anything else,
        such as a health check's pong, is ignored)."""
        if message["type"] not in ("subscribe", "message"):
            return
        channel = message["channel"].decode()
        if message["type"] == "subscribe":
            # A channel confirmed a second time was subscribed again on a new connection
            # (ours after an outage, or redis-py's own reconnection): what was published
            # while the old connection was gone is missing.
            if self._recovering or channel in self._confirmed:
                self._recovering = False
                outage.back("room hub subscriber")
                self._tell_recovered()
            if channel not in self.wanted:
                # A room left while the connection was down, subscribed again by redis-py.
                self._unwanted.add(channel)
                return
            self._confirmed.add(channel)
            confirmed = self._confirmations.get(channel)
            if confirmed is not None:
                confirmed.set()
        else:
            self._receive(int(channel.rsplit(":", 1)[1]), message["data"].decode())
