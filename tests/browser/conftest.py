"""A real Chromium (Debian's, never a downloaded one) driven by Playwright's sync API; for
the live room, a real server (``cadenza serve``) and one tab per person.

The live room's server runs in a subprocess on the test's own data: on PostgreSQL the test
database itself; on SQLite (in memory for the suite) a file copy of it made after the data is
built, since another process cannot open an in-memory database.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from pytest_django.fixtures import Settings

from tests.live.conftest import Classroom, build_classroom, session_cookie

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing as the live server starts;
    tests serve static files from the apps' folders, so an empty folder is all it needs."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Settings) -> None:
    """The demo hashes 33 passwords; the production hasher would make each build take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    """A fresh browser page; uncaught script errors on any page fail the test at teardown.

    Playwright's sync API runs an event loop in this thread, so Django's guard against
    database calls from async code must be lifted for the test's own ORM checks.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # With Playwright's loop running, the test's ORM calls got connections of their
            # own context; hand them back now, or PostgreSQL cannot drop the test database.
            connections.close_all()
    assert errors == []


# The live room: a real server (``cadenza serve``) and one browser tab per person.

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    # Host ICE candidates with real addresses (not mDNS names) so two tabs connect on loopback.
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_env(data_dir: Path) -> dict[str, str]:
    """Point the server at the test's data: the PostgreSQL test database, or a file copy of
    the SQLite one (made now, after the test built its data)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(str(settings["USER"] or ""), safe="")
        if settings["PASSWORD"]:
            auth += ":" + quote(str(settings["PASSWORD"]), safe="")
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        at = f"{auth}@" if auth else ""
        return {"DATABASE_URL": f"postgres://{at}{host}{port}/{settings['NAME']}"}
    data_dir.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    target = sqlite3.connect(data_dir / "cadenza.sqlite3")
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return {}


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("the server ended early:\n" + log.read_text()[-3000:])
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"no server on port {port}:\n" + log.read_text()[-3000:])


@dataclass
class LiveRoom:
    base: str
    room: Classroom
    cookies: dict[str, str]

    @property
    def url(self) -> str:
        return f"{self.base}/o/{self.room.org.slug}/live/{self.room.session.pk}/"


@pytest.fixture
def classroom_data() -> Classroom:
    """The room's data, built before the server starts; a test module may override it to add
    more (a prepared poll, say)."""
    return build_classroom()


@pytest.fixture
def live_room(classroom_data: Classroom, tmp_path: Path) -> Iterator[LiveRoom]:
    """The classroom served by ``cadenza serve`` on a free port."""
    room = classroom_data
    cookies = {name: session_cookie(getattr(room, name)) for name in ("host", "ada", "bob")}
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "CADENZA_DATA_DIR": str(data_dir),
        "CADENZA_TESTING": "1",
        "CADENZA_HTTPS": "0",
        "HUEY_IMMEDIATE": "1",
        "DJANGO_SETTINGS_MODULE": "cadenza.config.settings",
        # This tree's code (its src first), not whatever the venv's editable install names.
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "SECRET_KEY": django_settings.SECRET_KEY,  # the session cookies are signed with it
    }
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env |= _database_env(data_dir)
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own venv's command
            [
                str(VENV_BIN / "cadenza"),
                "serve",
                "--no-tasks",
                "--host=127.0.0.1",
                f"--port={port}",
            ],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, server, log)
        yield LiveRoom(base=f"http://127.0.0.1:{port}", room=room, cookies=cookies)
    finally:
        server.terminate()
        server.wait(15)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """Debian's Chromium with fake camera and microphone; no ORM use while it runs."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


class OpenTab(Protocol):
    def __call__(
        self,
        who: str,
        *,
        phone: bool = False,
        size: ViewportSize | None = None,
        init_script: str | None = None,
    ) -> Page: ...


PHONE: ViewportSize = {"width": 360, "height": 740}
"""A small phone's screen, in CSS pixels."""


@pytest.fixture
def open_tab(browser: Browser, live_room: LiveRoom) -> Iterator[OpenTab]:
    """``open_tab("ada")``: a tab of its own (own cookies) signed in as that person, on the
    room's page; ``phone=True`` makes it a touch screen (360 px wide unless ``size`` says
    otherwise) that honours the page's viewport tag; ``init_script`` runs in the page before
    its own scripts. Script errors on any tab fail the test."""
    errors: list[str] = []
    contexts = []

    def open_as(
        who: str,
        *,
        phone: bool = False,
        size: ViewportSize | None = None,
        init_script: str | None = None,
    ) -> Page:
        if phone:
            context = browser.new_context(viewport=size or PHONE, is_mobile=True, has_touch=True)
        else:
            context = browser.new_context(viewport=size or {"width": 1024, "height": 900})
        if init_script:
            context.add_init_script(init_script)
        context.add_cookies(
            [{"name": "sessionid", "value": live_room.cookies[who], "url": live_room.base}]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(f"{who}: {error}"))
        page.on("console", lambda message: print(f"{who} console {message.type}: {message.text}"))
        page.goto(live_room.url)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert errors == []


def join_without_video(page: Page) -> None:
    page.get_by_role("button", name="Join without video").click()
    expect(page.locator("#room")).to_have_attribute("data-sync", "snapshot")


def show_tab(page: Page, name: str) -> None:
    """Select one of the room's side panel tabs (Chat, Q&A, Polls, People, Host)."""
    page.get_by_role("tab", name=re.compile(rf"^{re.escape(name)}\b")).click()
    expect(page.get_by_role("tabpanel")).to_be_visible()


def open_the_room(host: Page, *learners: Page) -> None:
    """Everyone joins without video; the host opens the room (Host tab) and everyone sees
    it live."""
    for page in (host, *learners):
        join_without_video(page)
    show_tab(host, "Host")
    host.get_by_role("button", name="Open the room").click()
    for page in (host, *learners):
        expect(page.locator("#room-status")).to_have_text("The session is live.")
    expect(host.get_by_role("button", name="Open the room")).to_be_hidden()
    expect(host.get_by_role("button", name="End the session")).to_be_visible()


def chat_lines(page: Page) -> list[str]:
    return page.locator("#chat-list .chat-body").all_inner_texts()


def say(page: Page, text: str) -> None:
    show_tab(page, "Chat")
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#chat-list .chat-body").filter(has_text=text)).to_have_count(1)
