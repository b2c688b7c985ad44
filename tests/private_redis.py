"""A private Redis for a test: Debian's ``redis-server`` on a free port, stopped afterwards.

Nothing in the suite assumes a Redis already running on the machine (DESIGN section 4, "Tests
start what they need"). The server keeps nothing on disk (``--save "" --appendonly no``), so a
restart loses everything, as a real Redis restart without persistence does.

The fixtures are registered for the whole suite (``pytest_plugins`` in tests/conftest.py): a test
asks for them by name, without importing them (the type, ``PrivateRedis``, is imported).
``private_redis_url`` is the server's URL; ``private_redis_server`` the server itself, whose
``restart()`` stops it and starts it again on the same port (``stop``/``start`` for an outage
of a chosen length). Outside pytest, ``with private_redis() as server:``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
START_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateRedis:
    """One ``redis-server`` process of a test, on 127.0.0.1 and a port of its own."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (on the same port as before) and wait until it answers."""
        assert self.process is None, "already running"
        if not Path(REDIS_SERVER).exists():
            raise RuntimeError(
                "This test needs Debian's redis-server: apt-get install redis-server "
                "(the service need not run; the test starts its own)."
            )
        self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--daemonize",
                "no",
                "--logfile",
                "",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + START_SECONDS
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"redis-server ended at start (port {self.port} taken?)")
                try:
                    if client.ping():
                        return
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server at once (what it held is lost)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)

    def restart(self) -> None:
        """Stop and start again on the same port, empty: a Redis restart."""
        self.stop()
        self.start()


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    """A running private Redis, stopped (and its directory removed) on exit."""
    with tempfile.TemporaryDirectory(prefix="cadenza-redis-") as directory:
        server = PrivateRedis(Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def private_redis_server() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


@pytest.fixture
def private_redis_url(private_redis_server: PrivateRedis) -> str:
    return private_redis_server.url
