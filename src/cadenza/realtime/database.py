"""Where the live room's database calls run.

Channels' ``database_sync_to_async`` runs every call of a process in ONE thread (asgiref's
thread-sensitive mode). On the embedded SQLite default that is right: SQLite has one writer
anyway, and one thread keeps its connection. On PostgreSQL it made every join, snapshot and
chat write of a server process queue behind each other (docs/performance.md, "Why the room
was slow"), although Django's connection pool could serve them side by side. So on PostgreSQL
room calls run in the event loop's worker threads, each borrowing a pooled connection for the
call and giving it back afterwards (``DatabaseSyncToAsync`` closes old connections around the
call, which returns a pooled connection to the pool).

A pooled connection can die while it waits in the pool (a PostgreSQL restart, a failover,
``pg_terminate_backend``): the pool checks each one before lending it (``CONN_HEALTH_CHECKS``
in settings), and a room write whose connection drops in the middle of the call is run once
more on a fresh connection by ``retried_once_if_connection_lost``. That is safe because every
room write carries the client's id: if the first try was committed after all, the second finds
its event and changes nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from channels.db import DatabaseSyncToAsync
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def runs_in_parallel() -> bool:
    """Whether this install's database takes room calls from several threads at once."""
    return "postgresql" in str(settings.DATABASES["default"]["ENGINE"])


def in_database_thread(function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """``function`` as a coroutine function that runs it where database calls belong (see the
    module's docstring); decided per call, since settings are never read at import time."""

    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        runner = DatabaseSyncToAsync(function, thread_sensitive=not runs_in_parallel())
        result: R = await runner(*args, **kwargs)
        return result

    return call


LOST_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
"""SQLSTATEs of a connection that ended: class 08 (connection exception) and the server's
admin shutdown, crash shutdown and "cannot connect now"."""


def connection_was_lost(error: Exception) -> bool:
    """Whether ``error`` (a database error just raised in this thread) means the connection
    ended, not that the statement was wrong: PostgreSQL's connection SQLSTATEs, an error the
    driver raised itself without a SQLSTATE (the connection closed or lost under it), or a
    connection Django has closed or finds closed or broken."""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith(LOST_CONNECTION_STATES)
    if type(cause).__module__.split(".")[0] == "psycopg":
        return True
    raw = connection.connection
    if raw is None:
        return True
    return bool(getattr(raw, "closed", False) or getattr(raw, "broken", False))


def retried_once_if_connection_lost(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` (an idempotent write: one transaction, keyed by the client's id), run once
    more when its database connection dropped while it ran. The broken connection is closed
    first (a pool discards it), so the second try borrows a checked one. Never inside an
    outer transaction: that one is lost with its connection, and only its owner may retry."""

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            if connection.in_atomic_block or not connection_was_lost(error):
                raise
            log.warning("database connection lost during %s; trying once more", function.__name__)
            connection.close()
        return function(*args, **kwargs)

    return call
