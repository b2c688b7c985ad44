"""Django's SQLite backend with its connections kept open and reused within the process.

Why: the embedded default serves pages from one ASGI process, and Django runs each request
in a fresh thread with ``CONN_MAX_AGE`` 0, so every page opened SQLite (Django registers its
SQL functions and runs its ``PRAGMA``\\ s each time), let SQLite read the schema again on the
first query, prepared every statement afresh and closed the file: about a millisecond of
CPU per page, a tenth of a page (docs/performance.md, issue 13 section 6). Persistent
connections (``CONN_MAX_AGE`` > 0) would not help: a connection belongs to the thread that
opened it, and the thread is gone after the request (DESIGN section 6 says why they are
ruled out for PostgreSQL, which has Django's pool instead).

So, as PostgreSQL's pool does: when Django closes a connection at the end of a request it is
rolled back if a transaction was left open, its foreign-key checks are switched back on, and
it is kept (up to ``MAX_IDLE`` per database file); the next connection Django opens in any
thread of the process takes a kept one. Django opens SQLite connections with
``check_same_thread=False`` and uses each from one thread at a time, which the pool keeps:
a kept connection is in no thread's hands. Python's ``sqlite3`` keeps each connection's
prepared statements, so a reused connection also skips preparing the pages' repeated SQL.
An in-memory database is never pooled (closing it would be losing it; Django never closes
one anyway).
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from django.db.backends.sqlite3 import base

MAX_IDLE = 8
"""Kept connections per database file: more than the threads that serve at once."""

_idle: dict[str, list[sqlite3.Connection]] = {}
_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    """``django.db.backends.sqlite3`` whose ``close()`` keeps the connection for reuse."""

    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        if not self.is_in_memory_db():
            with _lock:
                idle = _idle.get(str(conn_params["database"]))
                if idle:
                    return idle.pop()
        connection: sqlite3.Connection = super().get_new_connection(conn_params)
        return connection

    def _close(self) -> None:
        """What Django calls to close the connection: keep it for reuse instead, if it can be."""
        connection: sqlite3.Connection | None = self.connection
        if connection is None:
            return
        if self.is_in_memory_db():
            self._close_file(connection)
            return
        try:
            if connection.in_transaction:
                connection.rollback()
            # Django turns the checks off around some schema changes: never keep one so.
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            self._close_file(connection)
            return
        with _lock:
            idle = _idle.setdefault(str(self.settings_dict["NAME"]), [])
            if len(idle) < MAX_IDLE:
                idle.append(connection)
                return
        self._close_file(connection)

    def _close_file(self, connection: sqlite3.Connection) -> None:
        """Close for good, as Django's own ``_close`` does."""
        with self.wrap_database_errors:
            connection.close()


def close_idle_connections() -> None:
    """Close every kept connection (a test that deletes its database file calls this)."""
    with _lock:
        kept = [connection for idle in _idle.values() for connection in idle]
        _idle.clear()
    for connection in kept:
        connection.close()
