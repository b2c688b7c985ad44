"""Where the live room's database calls run.

Channels' ``database_sync_to_async`` runs every call of a process in ONE thread (asgiref's
thread-sensitive mode). On the embedded SQLite default that is right: SQLite has one writer
anyway, and one thread keeps its connection. On PostgreSQL it made every join, snapshot and
chat write of a server process queue behind each other (docs/performance.md, "Why the room
was slow"), although Django's connection pool could serve them side by side. So on PostgreSQL
room calls run in the event loop's worker threads, each borrowing a pooled connection for the
call and giving it back afterwards (``DatabaseSyncToAsync`` closes old connections around the
call, which returns a pooled connection to the pool).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from channels.db import DatabaseSyncToAsync
from django.conf import settings

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
