"""Redis clients for the room's transport: blocking pools, fast failure, one log line per outage.

Every Redis client of the room (the hub, its subscriber and presence, the publisher, the
channel layer) takes its connections from a ``BlockingConnectionPool``: when every connection
is busy, a command waits (up to ``POOL_TIMEOUT`` seconds) for one to come back. redis-py's
default pool fails at once with ``MaxConnectionsError`` at 100 connections, and about 150
sockets of one server closing together once failed 37-40 departures that way.

A command that meets a dead connection (Redis restarted) is retried once at once on a fresh
connection; when Redis is down it fails fast, and the callers ride the outage out (they keep
their state locally and tell Redis again once it is back). ``outage`` logs one line when
Redis goes away and one when it is back, however many sockets noticed, instead of a
traceback per socket.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

REDIS_OPTIONS: dict[str, Any] = {
    "socket_timeout": 10.0,
    "socket_connect_timeout": 5.0,
    "socket_keepalive": True,
    "health_check_interval": 15,
}
"""Explicit client settings, not redis-py's defaults (8.x reads with a 5 s socket timeout). The
subscriber waits with its own short read timeout, so the socket timeout only bounds commands;
the health check pings a connection idle for 15 s before it is used (and the subscription
every 15 s), so a dropped connection is noticed and rebuilt."""

MAX_CONNECTIONS = 50
"""Connections per pool and process; more commands than this at once wait for a free one."""

POOL_TIMEOUT = 20.0
"""Seconds a command waits for a free connection before it fails."""

REDIS_ERRORS: tuple[type[BaseException], ...] = (
    redis.ConnectionError,
    redis.TimeoutError,
    OSError,
)
"""What a command raises while Redis is unreachable or restarting (``BusyLoadingError`` and
``MaxConnectionsError`` are ``ConnectionError``\\ s)."""


def _pool_options(retry: Retry | AsyncRetry, options: dict[str, Any]) -> dict[str, Any]:
    return {
        **REDIS_OPTIONS,
        "max_connections": MAX_CONNECTIONS,
        "timeout": POOL_TIMEOUT,
        "retry": retry,
        **options,
    }


def async_pool(url: str, **options: Any) -> aioredis.BlockingConnectionPool:
    """A blocking asyncio pool for ``url``; ``options`` override ``REDIS_OPTIONS``."""
    settings = _pool_options(AsyncRetry(NoBackoff(), 1), options)
    return aioredis.BlockingConnectionPool.from_url(url, **settings)


def async_client(url: str) -> aioredis.Redis:
    """A client that owns its blocking pool (``aclose`` closes the pool's connections)."""
    return aioredis.Redis.from_pool(async_pool(url))


def sync_pool(url: str, **options: Any) -> redis.BlockingConnectionPool:
    """A blocking pool for threads (the publisher after commit)."""
    return redis.BlockingConnectionPool.from_url(
        url, **_pool_options(Retry(NoBackoff(), 1), options)
    )


class Outage:
    """Whether this process finds Redis away now; logs one line as it goes and one as it
    comes back, whichever part of the process (and however many sockets) noticed."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.count = 0
        """Outages seen by this process so far."""

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def lost(self, who: str, error: BaseException) -> None:
        if self.since is None:
            self.since = time.monotonic()
            self.count += 1
            log.warning("Redis unavailable (%s: %s); riding it out", who, error or type(error))

    def back(self, who: str) -> None:
        if self.since is not None:
            away = time.monotonic() - self.since
            self.since = None
            log.warning("Redis is back after %.1f s (%s)", away, who)


outage = Outage()
"""This process's view of Redis."""
