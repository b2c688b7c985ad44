"""The live room in real browsers against a real ASGI server (pages and websockets).

A host and two learners (Ines, Ada, Bob) in one room: chat reaches everyone, a prepared poll
runs and shows its results, a question is upvoted and answered, breakout rooms split and are
recalled, and Bob's tab, away while others talk, comes back and catches up on exactly what it
missed. The built-in video connects two peers with Chromium's fake camera.

The server is ``cadenza serve`` in a subprocess on the test's own data: on PostgreSQL the test
database itself; on SQLite (in memory for the suite) a file copy of it made after the data is
built, since another process cannot open an in-memory database. Assertions read the pages.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cadenza.live.actions.room_polls import create_poll
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live.conftest import Classroom, build_classroom, ctx_of, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    # Host ICE candidates with real addresses (not mDNS names) so two tabs connect on loopback.
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
PROMPT = "Which sign comes first in septic shock?"


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
    import sqlite3

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
def live_room(tmp_path: Path) -> Iterator[LiveRoom]:
    """A classroom with a prepared poll, served by ``cadenza serve`` on a free port."""
    room = build_classroom()
    create_poll(
        ctx=ctx_of(room.host, room.org),
        session=room.session,
        prompt=PROMPT,
        options=["Low blood pressure", "A rash"],
        multiple=False,
        anonymous=False,
        correct=[0],
        open_now=False,
        client_event_id="prepared-1",
    )
    cookies = {name: session_cookie(getattr(room, name)) for name in ("host", "ada", "bob")}
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "CADENZA_DATA_DIR": str(data_dir),
        "CADENZA_TESTING": "1",
        "CADENZA_HTTPS": "0",
        "HUEY_IMMEDIATE": "1",
        "DJANGO_SETTINGS_MODULE": "cadenza.config.settings",
        "PYTHONPATH": str(REPO),
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
        yield LiveRoom(
            base=f"http://127.0.0.1:{port}",
            room=room,
            cookies=cookies,
        )
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


@pytest.fixture
def open_tab(browser: Browser, live_room: LiveRoom) -> Iterator[Callable[[str], Page]]:
    """``open_tab("ada")``: a tab of its own (own cookies) signed in as that person, on the
    room's page. Script errors on any tab fail the test."""
    errors: list[str] = []
    contexts = []

    def open_as(who: str) -> Page:
        context = browser.new_context(viewport={"width": 1024, "height": 900})
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


def chat_lines(page: Page) -> list[str]:
    return page.locator("#chat-list .chat-body").all_inner_texts()


def say(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#chat-list .chat-body").filter(has_text=text)).to_have_count(1)


def test_host_and_two_learners_run_a_session_and_a_returning_tab_catches_up(
    live_room: LiveRoom, open_tab: Callable[[str], Page]
) -> None:
    host, ada, bob = open_tab("host"), open_tab("ada"), open_tab("bob")
    for page in (host, ada, bob):
        join_without_video(page)
    host.get_by_role("button", name="Open the room").click()
    for page in (host, ada, bob):
        expect(page.locator("#room-status")).to_have_text("The session is live.")
    expect(host.locator("#presence-count")).to_have_text("3 people here")

    # Chat reaches everyone.
    say(host, "Welcome everyone")
    say(ada, "Hello from Ada")
    for page in (host, ada, bob):
        expect(page.locator("#chat-list .chat-body")).to_have_text(
            ["Welcome everyone", "Hello from Ada"]
        )

    # The prepared poll runs; results are live, and the quiz answer shows at close.
    host.get_by_role("button", name=f"Open poll: {PROMPT}").click()
    for learner, choice in ((ada, "Low blood pressure"), (bob, "A rash")):
        poll = learner.locator(".poll").filter(has_text=PROMPT)
        poll.get_by_role("radio", name=choice).check()
        poll.get_by_role("button", name="Vote").click()
    host_poll = host.locator(".poll").filter(has_text=PROMPT)
    expect(host_poll.locator(".poll-meta")).to_contain_text("2 voters")
    host_poll.get_by_role("button", name="Close poll").click()
    for page in (host, ada, bob):
        results = page.locator(".poll").filter(has_text=PROMPT).locator(".poll-results li")
        expect(results).to_have_text(
            ["Low blood pressure Correct: 1 (50 %)", "A rash: 1 (50 %)"], use_inner_text=True
        )

    # A question is upvoted and answered.
    bob.get_by_label("Your question").fill("Is lactate needed before antibiotics?")
    bob.get_by_role("button", name="Ask").click()
    ada.get_by_role("button", name="Upvote: Is lactate needed before antibiotics?").click()
    question = host.locator(".question").filter(has_text="Is lactate needed")
    expect(question.locator(".question-votes")).to_have_text("1 vote")
    question.get_by_label("Answer").fill("No: start antibiotics within the hour.")
    question.get_by_role("button", name="Mark answered").click()
    for page in (host, ada, bob):
        asked = page.locator(".question").filter(has_text="Is lactate needed")
        expect(asked.locator(".question-answer")).to_have_text(
            "Answer: No: start antibiotics within the hour."
        )
        expect(asked.locator(".question-meta")).to_contain_text("Answered")

    # Breakout rooms: two people, two rooms at random; each room's chat is its own.
    host.get_by_label("Split the people present at random into").fill("2")
    host.get_by_role("button", name="Split at random").click()
    for learner in (ada, bob):
        expect(learner.locator("#breakout-heading")).to_have_text(
            re.compile(r"Your breakout room: Room [12]")
        )
    assert (
        ada.locator("#breakout-heading").inner_text()
        != bob.locator("#breakout-heading").inner_text()
    )
    say(ada, "Only my room sees this")
    expect(host.locator("#chat-list .chat-body")).to_contain_text(["Only my room sees this"])
    host.get_by_role("button", name="Recall everyone").click()
    for learner in (ada, bob):
        expect(learner.locator("#breakout-panel")).to_be_hidden()
    assert "Only my room sees this" not in chat_lines(bob)

    # Bob's tab goes away; the room goes on; the tab comes back and catches up.
    seen = bob.locator("#room").get_attribute("data-seq")
    bob.goto("about:blank")
    say(host, "While Bob was away")
    say(ada, "Ada was here too")
    bob.goto(live_room.url)
    expect(bob.locator("#room")).to_have_attribute("data-sync", "replay")
    assert int(bob.locator("#room").get_attribute("data-seq") or 0) > int(seen or 0)
    expect(bob.locator("#chat-list .chat-body")).to_have_text(
        ["Welcome everyone", "Hello from Ada", "While Bob was away", "Ada was here too"]
    )
    assert chat_lines(bob) == [
        "Welcome everyone",
        "Hello from Ada",
        "While Bob was away",
        "Ada was here too",
    ]


def test_built_in_video_connects_two_peers_and_a_video_track_arrives(
    live_room: LiveRoom, open_tab: Callable[[str], Page]
) -> None:
    host, ada = open_tab("host"), open_tab("ada")
    host.get_by_role("button", name="Join with video").click()
    expect(host.locator("#room")).to_have_attribute("data-video-mode", "video")
    ada.get_by_role("button", name="Join with video").click()
    expect(ada.locator("#room")).to_have_attribute("data-video-mode", "video")
    for page, other in ((ada, live_room.room.host.pk), (host, live_room.room.ada.pk)):
        remote = f'[data-peer="{other}"] video'
        page.wait_for_function(
            """selector => {
                const video = document.querySelector(selector);
                if (!video || !video.srcObject) return false;
                const tracks = video.srcObject.getVideoTracks();
                return tracks.length > 0 && tracks[0].readyState === "live"
                    && video.videoWidth > 0;
            }""",
            arg=remote,
            timeout=20_000,
        )
