"""SQLite connections are reused within the process, never with a transaction left open.

Each test opens its own SQLite file through the backend, whatever database the run uses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django import DjangoDbBlocker

from cadenza.lib.sqlite_pool.base import MAX_IDLE, DatabaseWrapper, close_idle_connections


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, Any]]:
    """Settings of a fresh SQLite file (opened outside the run's test database)."""
    settings = {
        "ENGINE": "cadenza.lib.sqlite_pool",
        "NAME": str(tmp_path / "pool.sqlite3"),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        "TIME_ZONE": None,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    with django_db_blocker.unblock():
        wrapper = DatabaseWrapper(settings, alias="pool-test")
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE note (text TEXT)")
        wrapper.close()
        yield settings
        close_idle_connections()


def test_a_closed_connection_is_reused_by_the_next_one_opened(database: dict[str, Any]) -> None:
    first = DatabaseWrapper(database, alias="first")
    first.ensure_connection()
    raw = first.connection
    first.close()

    second = DatabaseWrapper(database, alias="second")
    second.ensure_connection()

    assert second.connection is raw
    with second.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone() == (1,)
    second.close()


def test_a_connection_is_kept_rolled_back_and_with_foreign_key_checks_on(
    database: dict[str, Any],
) -> None:
    wrapper = DatabaseWrapper(database, alias="left-open")
    wrapper.ensure_connection()
    raw = wrapper.connection
    raw.execute("PRAGMA foreign_keys = OFF")  # as Django does around some schema changes
    raw.execute("BEGIN")
    raw.execute("INSERT INTO note VALUES ('left open')")
    wrapper.close()

    again = DatabaseWrapper(database, alias="again")
    again.ensure_connection()

    assert again.connection is raw
    assert not raw.in_transaction
    assert raw.execute("SELECT count(*) FROM note").fetchone() == (0,)
    assert raw.execute("PRAGMA foreign_keys").fetchone() == (1,)
    again.close()


def test_no_more_than_max_idle_connections_are_kept(database: dict[str, Any]) -> None:
    wrappers = [DatabaseWrapper(database, alias=f"many-{n}") for n in range(MAX_IDLE + 4)]
    for wrapper in wrappers:
        wrapper.ensure_connection()
    raws = [wrapper.connection for wrapper in wrappers]
    for wrapper in wrappers:
        wrapper.close()

    still_open = [raw for raw in raws if _is_open(raw)]

    assert len(still_open) == MAX_IDLE


def _is_open(raw: sqlite3.Connection) -> bool:
    try:
        raw.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return False
    return True
