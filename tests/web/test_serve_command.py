"""``cadenza serve --workers N``: several server processes on one port, with Redis joining
them, and the background-task threads in one place only."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.private_redis import free_port

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


class FakeConsumer:
    """Stands for huey's consumer: counts what was started and stopped."""

    def __init__(self) -> None:
        self.scheduler = self
        self.worker_threads: list[tuple[object, FakeConsumer]] = [(object(), self)]
        self.started = 0
        self.stopped = 0

    def start(self) -> None:
        self.started += 1

    def stop(self, *, graceful: bool) -> None:
        self.stopped += 1


class FakeHuey:
    immediate = False

    def __init__(self) -> None:
        self.consumers: list[FakeConsumer] = []

    def create_consumer(self, **options: Any) -> FakeConsumer:
        consumer = FakeConsumer()
        self.consumers.append(consumer)
        return consumer


@pytest.fixture
def uvicorn_runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Records each ``uvicorn.run`` the command makes, instead of serving."""
    import uvicorn

    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: runs.append(options))
    return runs


@pytest.fixture
def huey(monkeypatch: pytest.MonkeyPatch) -> FakeHuey:
    import huey.contrib.djhuey

    fake = FakeHuey()
    monkeypatch.setattr(huey.contrib.djhuey, "HUEY", fake)
    return fake


@override_settings(REDIS_URL="")
def test_serve_refuses_several_workers_without_redis(
    uvicorn_runs: list[dict[str, Any]], huey: FakeHuey
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--workers", "2")

    assert str(refused.value) == (
        "--workers 2 needs REDIS_URL: each server process has its own live-room hub and "
        "channel layer, and only Redis carries a room's events from one process to another. "
        "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0), or serve with --workers 1."
    )
    assert uvicorn_runs == []
    assert huey.consumers == []


@override_settings(REDIS_URL="")
def test_serve_refuses_zero_workers(uvicorn_runs: list[dict[str, Any]], huey: FakeHuey) -> None:
    with pytest.raises(CommandError, match=r"^--workers must be 1 or more, not 0\.$"):
        call_command("serve", "--workers", "0")

    assert uvicorn_runs == []
    assert huey.consumers == []


@override_settings(REDIS_URL="")
def test_serve_one_worker_without_redis_runs_the_tasks_beside_it(
    uvicorn_runs: list[dict[str, Any]], huey: FakeHuey
) -> None:
    call_command("serve")

    assert [run["workers"] for run in uvicorn_runs] == [1]
    assert len(huey.consumers) == 1
    assert (huey.consumers[0].started, huey.consumers[0].stopped) == (2, 1)


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_serve_several_workers_with_redis_starts_the_tasks_once(
    uvicorn_runs: list[dict[str, Any]], huey: FakeHuey
) -> None:
    call_command("serve", "--workers", "3")

    assert [run["workers"] for run in uvicorn_runs] == [3]
    assert len(huey.consumers) == 1
    # The scheduler and the one fake worker thread, started in this (the supervisor) process.
    assert (huey.consumers[0].started, huey.consumers[0].stopped) == (2, 1)


def _spawned_servers(parent: int) -> list[int]:
    """The uvicorn server processes the supervisor ``parent`` spawned (not its helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if f"\nPPid:\t{parent}\n" in status and b"multiprocessing.spawn" in command:
            found.append(int(entry.name))
    return sorted(found)


def _healthz(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def serve_two_workers(tmp_path: Path, private_redis_url: str) -> Iterator[tuple[int, int, Path]]:
    """``cadenza serve --workers 2`` on a free port and a private Redis: (pid, port, log)."""
    port = free_port()
    env = {
        **os.environ,
        "CADENZA_DATA_DIR": str(tmp_path / "data"),
        "CADENZA_TESTING": "1",
        "CADENZA_HTTPS": "0",
        "DEBUG": "0",
        "HUEY_IMMEDIATE": "0",
        "PYTHONUNBUFFERED": "1",
        "REDIS_URL": private_redis_url,
        "LIVE_HUB_PREFIX": f"cz-test-{uuid.uuid4().hex[:12]}",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "serve.log"
    command = [str(VENV_BIN / "cadenza"), "serve", "--workers", "2", "--port", str(port)]
    command += ["--graceful-seconds", "2"]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command
            command, env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield server.pid, port, log
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def test_serve_two_workers_answers_from_two_processes_and_runs_tasks_in_the_parent(
    serve_two_workers: tuple[int, int, Path],
) -> None:
    pid, port, log = serve_two_workers
    deadline = time.monotonic() + 60
    servers: list[int] = []
    answered = None
    while time.monotonic() < deadline:
        servers = _spawned_servers(pid)
        try:
            answered = _healthz(port)
        except OSError:
            answered = None
        if len(servers) == 2 and answered == 200:
            break
        time.sleep(0.2)

    assert answered == 200, log.read_text()
    assert len(servers) == 2, log.read_text()
    output = log.read_text()
    # The task threads run once, in the supervisor: the spawned servers never run the command.
    assert output.count("Background tasks run in this process.") == 1
    assert output.count("Application startup complete.") == 2
