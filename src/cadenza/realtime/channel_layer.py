"""channels-redis's layer, made to ride out a Redis outage (``CHANNEL_LAYERS`` with Redis).

Channels keeps a socket's per-person messages (a host's removal closes the person's sockets;
video signalling). Stock channels-redis ends every consumer of a process when Redis goes away:
``receive`` raises the ``ConnectionError`` of its blocking pop into Channels' dispatch loop,
which ends the consumer and closes the socket (a 3 s Redis restart closed 184 of 200 sockets);
and ``group_add`` raises in a consumer's ``connect``, so a handshake answered HTTP 500 until
Redis was back. This layer:

- takes its connections from a blocking pool (``redis_pool``): a wave of 150 departures once
  overflowed the stock pool's 100 connections;
- never lets a Redis error out of ``receive``: the receiver that meets it waits, with every
  other receiver of the process, until one probe finds Redis back, then receives again;
- remembers this process's group memberships, so ``group_add`` during an outage still counts,
  and re-joins every one of them when Redis is back (a restarted Redis has lost them). A
  restart quick enough that no command failed (redis-py reconnects once on its own) is found
  by a marker key of the process that the restart lost, checked every ``WATCH_SECONDS``;
- drops a group or channel message it cannot send during an outage (the layer is at-most-once
  anyway; nothing durable travels on it).

The outage is logged once per process (``redis_pool.outage``), not once per socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from channels_redis.core import RedisChannelLayer

from cadenza.realtime.redis_pool import REDIS_ERRORS, async_pool, outage

log = logging.getLogger(__name__)

PROBE_FIRST = 0.1
PROBE_MAX = 1.0
"""Seconds between two probes while Redis is away (doubling from the first to the last)."""

WATCH_SECONDS = 1.0
"""Seconds between two checks that Redis still holds this process's groups."""


class RoomChannelLayer(RedisChannelLayer):  # type: ignore[misc]
    """``RedisChannelLayer`` that rides out a Redis outage; configured like it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships: dict[str, set[str]] = {}
        """This process's channels in each group, re-joined when Redis is back."""
        self.down = False
        """Redis failed a command and no probe has found it back yet."""
        self._back: asyncio.Event | None = None
        self._probe: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.marker = f"{self.prefix}live-groups:{self.client_prefix}"
        """A key that lives as long as Redis holds this process's groups (set with the first
        group joined, and again at each re-joining)."""
        self._marked = False

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        if address is None:
            return super().create_pool(index)
        return async_pool(address, **host)

    # Receiving

    async def receive(self, channel: str) -> dict[str, Any]:
        self._watch()
        while True:
            if self.down:
                await self._wait_for_redis()
            try:
                message: dict[str, Any] = await super().receive(channel)
            except REDIS_ERRORS as error:
                self._lost(error)
            else:
                return message

    def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        watcher = self._watcher
        if watcher is None or watcher.done() or watcher.get_loop() is not loop:
            self._watcher = loop.create_task(self._keep_groups())

    async def _keep_groups(self) -> None:
        """Re-join the groups when Redis lost them without a failed command (a quick restart:
        redis-py's one reconnection hid it)."""
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            if self.down or not self._marked or not self.memberships:
                continue
            try:
                if not await self.connection(0).exists(self.marker):
                    rejoined = await self.rejoin()
                    log.warning("channel layer: Redis lost the groups; %d re-joined", rejoined)
            except REDIS_ERRORS as error:
                self._lost(error)

    async def close_pools(self) -> None:
        for task in (self._watcher, self._probe):
            if task is not None and task.get_loop() is asyncio.get_running_loop():
                task.cancel()
        await super().close_pools()

    def _lost(self, error: BaseException) -> None:
        self.down = True
        outage.lost("channel layer", error)

    async def _wait_for_redis(self) -> None:
        """Wait until the probe (one for all receivers, started here on the receivers' loop)
        has found Redis back and re-joined the groups."""
        loop = asyncio.get_running_loop()
        if self._probe is None or self._probe.done() or self._probe.get_loop() is not loop:
            self._back = asyncio.Event()
            self._probe = loop.create_task(self._find_redis_back(self._back))
        assert self._back is not None
        await self._back.wait()

    async def _find_redis_back(self, back: asyncio.Event) -> None:
        delay = PROBE_FIRST
        while True:
            await asyncio.sleep(delay)
            try:
                rejoined = await self.rejoin()
            except REDIS_ERRORS:
                delay = min(delay * 2, PROBE_MAX)
                continue
            self.down = False
            back.set()
            outage.back(f"channel layer, {rejoined} group memberships re-joined")
            return

    async def rejoin(self) -> int:
        """Add every remembered membership again (and ping, so an empty process also finds
        out whether Redis is back); answers how many memberships there were."""
        await self.connection(0).ping()
        memberships = [
            (group, channel)
            for group, channels in list(self.memberships.items())
            for channel in list(channels)
        ]
        for group, channel in memberships:
            await super().group_add(group, channel)
        await self._mark()
        return len(memberships)

    async def _mark(self) -> None:
        await self.connection(0).set(self.marker, "1", ex=self.group_expiry)
        self._marked = True

    # Groups and sending: remembered, and never failing on Redis

    async def group_add(self, group: str, channel: str) -> None:
        self.memberships.setdefault(group, set()).add(channel)
        try:
            await super().group_add(group, channel)
            if not self._marked:
                await self._mark()
        except REDIS_ERRORS as error:
            self._lost(error)

    async def group_discard(self, group: str, channel: str) -> None:
        channels = self.memberships.get(group)
        if channels is not None:
            channels.discard(channel)
            if not channels:
                del self.memberships[group]
        try:
            await super().group_discard(group, channel)
        except REDIS_ERRORS as error:
            self._lost(error)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        await self._or_drop(super().group_send(group, message), group)

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        await self._or_drop(super().send(channel, message), channel)

    async def _or_drop(self, sending: Awaitable[None], to: str) -> None:
        try:
            await sending
        except REDIS_ERRORS as error:
            self._lost(error)
            log.info("channel layer: a message to %s dropped while Redis is away", to)
