"""The live room as a meeting room, in Chromium, with a host (Ines) and two learners (Ada, Bob)
at 1,366 x 900 and at 390 x 844 (a phone).

The layout is checked by where things are (bounding boxes), not by pixels: the stage and the
side panel's tabs side by side on a desktop and one above the other on a phone, the control
bar within the viewport at its bottom, no page scroll either way. Then the tabs' counts, the
Host tab (hosts only), keyboard moves between tabs, a raised hand and a muted microphone on
the tiles, Leave (tracks stopped, connections closed, counted out, Rejoin) and the host ending
the session (every track of every participant ended within 2 s, the page says so and links
to the replay), with no serious or critical axe-core violation in the lobby, the live room and
the ended state, as host and as learner. Screen sharing arrives at a peer and takes the
stage; the speaker view follows the person who speaks (a tone for Ada, silence for the
others).

With ``CADENZA_SCREENSHOTS=<folder>`` (``make screenshots``) each state is also saved as a PNG
for review by eye.
"""

from __future__ import annotations

import os
import sqlite3
import wave
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import Browser, FloatRect, Page, ViewportSize, expect, sync_playwright

from cadenza.live.models import PresenceInterval
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MEDIA_ARGS,
    LiveRoom,
    OpenTab,
    show_tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

MEDIA_SPY = """
(() => {
  // Every track this page gets or receives, and every peer connection it makes.
  const tracks = [];
  const connections = [];
  window.__roomMedia = { tracks, connections };
  const devices = navigator.mediaDevices;
  for (const name of ["getUserMedia", "getDisplayMedia"]) {
    const original = devices[name] && devices[name].bind(devices);
    if (!original) continue;
    devices[name] = async (...args) => {
      const stream = await original(...args);
      tracks.push(...stream.getTracks());
      return stream;
    };
  }
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      connections.push(this);
      this.addEventListener("track", (event) => tracks.push(event.track));
    }
  };
})();
"""

TONE = """
(() => {
  // This person speaks: a 440 Hz tone instead of the (silent) fake microphone.
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    if (!constraints || !constraints.audio) return stream;
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 440;
    const gain = audio.createGain();
    gain.gain.value = 0.5;
    const out = audio.createMediaStreamDestination();
    tone.connect(gain).connect(out);
    tone.start();
    for (const track of stream.getAudioTracks()) {
      stream.removeTrack(track);
      track.stop();
    }
    stream.addTrack(out.stream.getAudioTracks()[0]);
    return stream;
  };
})();
"""

ALL_ENDED = """() => {
  const { tracks, connections } = window.__roomMedia;
  return tracks.length > 0 && tracks.every((t) => t.readyState === "ended")
    && connections.every((c) => c.connectionState === "closed");
}"""

SHOTS = os.environ.get("CADENZA_SCREENSHOTS", "")


def snapshot(page: Page, name: str) -> None:
    """Save the page as ``<name>.png`` when screenshots are asked for (make screenshots)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def silence(path: Path) -> Path:
    """A second of silence as a WAV file (the fake microphone's input)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(b"\0\0" * 48_000)
    return path


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Browser]:
    """Chromium with fake cameras, silent fake microphones and a fake screen to share."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    quiet = silence(tmp_path / "silence.wav")
    args = [
        *CHROMIUM_ARGS,
        *MEDIA_ARGS,
        f"--use-file-for-fake-audio-capture={quiet}",
        "--auto-select-desktop-capture-source=Entire screen",
        "--enable-usermedia-screen-capturing",
    ]
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield launched
        finally:
            launched.close()


def box(page: Page, selector: str) -> FloatRect:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def expect_the_room_fills_the_viewport(page: Page, size: ViewportSize) -> None:
    width, height = size["width"], size["height"]
    stage, side, controls = (
        box(page, "#video"),
        box(page, ".room-side"),
        box(page, ".room-controls"),
    )
    # The control bar is within the viewport, at its bottom (thumb reach on a phone).
    assert controls["y"] > 0
    assert controls["y"] + controls["height"] <= height
    assert height - (controls["y"] + controls["height"]) < 12
    # The page neither scrolls down nor sideways: the viewport is the room.
    scroll_width, scroll_height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert (scroll_width, scroll_height) == (width, height)
    if width >= 1024:
        # The stage in the middle, the side panel on its right, both above the control bar.
        assert side["x"] >= stage["x"] + stage["width"]
        assert stage["width"] > width / 2
        assert stage["height"] > height / 2
        assert side["y"] + side["height"] <= controls["y"]
    else:
        # The stage on top, the tabs below it, the control bar under both.
        assert side["y"] >= stage["y"] + stage["height"]
        assert controls["y"] >= side["y"] + side["height"]
        assert stage["width"] > width * 0.9
        assert stage["height"] > 150
    assert stage["y"] + stage["height"] <= controls["y"]


def join_with_video(page: Page) -> None:
    page.get_by_role("button", name="Join with video").click()
    expect(page.locator("#room")).to_have_attribute("data-video-mode", "video")


def tile(page: Page, user_id: int, kind: str = "camera") -> str:
    return f'#video-area [data-peer="{user_id}"][data-kind="{kind}"]'


def expect_tile_playing(page: Page, selector: str) -> None:
    page.wait_for_function(
        """selector => {
            const video = document.querySelector(selector + " video");
            if (!video || !video.srcObject) return false;
            const tracks = video.srcObject.getVideoTracks();
            return tracks.length > 0 && tracks[0].readyState === "live" && video.videoWidth > 0;
        }""",
        arg=selector,
        timeout=20_000,
    )


def last_leave(live_room: LiveRoom, data_dir: Path, user_id: int) -> datetime | None:
    """When the server last counted this person out (their last presence interval's end)."""
    if connection.vendor == "sqlite":
        database = sqlite3.connect(data_dir / "cadenza.sqlite3")
        try:
            row = database.execute(
                "SELECT left_at FROM live_presenceinterval WHERE user_id = ? AND session_id = ?"
                " ORDER BY id DESC LIMIT 1",
                (user_id, live_room.room.session.pk),
            ).fetchone()
        finally:
            database.close()
        return datetime.fromisoformat(row[0]) if row and row[0] else None
    interval = (
        PresenceInterval.objects.filter(user_id=user_id, session=live_room.room.session)
        .order_by("-id")
        .first()
    )
    return interval.left_at if interval else None


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366x900", "390x844"])
def test_three_people_in_the_room_then_one_leaves_and_the_host_ends_it(
    live_room: LiveRoom, open_tab: OpenTab, size: ViewportSize, tmp_path: Path
) -> None:
    phone = size["width"] < 640
    tag = f"{size['width']}x{size['height']}"
    room = live_room.room
    host, ada, bob = (
        open_tab(who, phone=phone, size=size, init_script=MEDIA_SPY)
        for who in ("host", "ada", "bob")
    )
    snapshot(ada, f"{tag}-learner-lobby")
    for page in (host, ada):
        assert_no_serious_violations(page)  # the lobby: session times, the pre-join check
    for page in (host, ada, bob):
        join_with_video(page)
    snapshot(host, f"{tag}-host-waiting")

    # Only the host has the Host tab; the host opens the room there.
    for learner in (ada, bob):
        expect(learner.get_by_role("tab")).to_have_text(
            ["Chat", "Q&A", "Polls", "People 3 people here"]
        )
    expect(host.get_by_role("tab", name="Host")).to_have_count(1)
    show_tab(host, "Host")
    host.get_by_role("button", name="Open the room").click()
    for page in (host, ada, bob):
        expect(page.locator("#room-status")).to_have_text("The session is live.")
        expect(page.locator("#count-people")).to_have_text("3 people here")
        for other in {room.host.pk, room.ada.pk, room.bob.pk}:
            expect(page.locator(tile(page, other))).to_have_count(1)
        expect_the_room_fills_the_viewport(page, size)
    expect_tile_playing(ada, tile(ada, room.bob.pk))

    # Keyboard: the tabs are one stop; arrows, Home and End move between them.
    bob.get_by_role("tab", name="Chat").focus()
    bob.keyboard.press("ArrowRight")
    expect(bob.get_by_role("tab", name="Q&A")).to_be_focused()
    expect(bob.get_by_role("tab", name="Q&A")).to_have_attribute("aria-selected", "true")
    expect(bob.locator("#panel-questions")).to_be_visible()
    expect(bob.locator("#panel-chat")).to_be_hidden()

    # Counts: unread chat for Bob (on Q&A), open questions, open polls, raised hands.
    show_tab(ada, "Chat")
    ada.get_by_label("Message", exact=True).fill("Hello from Ada")
    ada.get_by_role("button", name="Send", exact=True).click()
    expect(bob.locator("#count-chat")).to_have_text("1 unread message")
    expect(ada.locator("#count-chat")).to_have_text("")
    bob.get_by_label("Your question").fill("Is lactate needed?")
    bob.get_by_role("button", name="Ask").click()
    for page in (host, ada, bob):
        expect(page.locator("#count-questions")).to_have_text("1 open question")
    host.get_by_label("Question", exact=True).fill("Ready?")
    host.get_by_label("Options, one per line").fill("Yes\nNo")
    host.get_by_role("button", name="Open now").click()
    for page in (host, ada, bob):
        expect(page.locator("#count-polls")).to_have_text("1 open poll")
    expect(ada.locator("#room-announce")).to_have_text("A poll is open: Ready?")
    ada.get_by_role("button", name="Raise hand").click()
    expect(host.locator("#count-host")).to_have_text("1 raised hand")
    expect(host.locator(tile(host, room.ada.pk) + " .tile-hand")).to_be_visible()
    ada.get_by_role("button", name="Mute").click()
    expect(ada.get_by_role("button", name="Unmute")).to_have_attribute("data-on", "")
    expect(bob.locator(tile(bob, room.ada.pk) + " .tile-muted")).to_be_visible()
    show_tab(bob, "Chat")
    expect(bob.locator("#count-chat")).to_have_text("")
    host.get_by_role("button", name="Call next").click()
    expect(ada.locator("#called-notice")).to_have_text(
        "Ines calls on you: it is your turn to speak."
    )
    show_tab(host, "People")
    expect(host.locator("#people-here .people-name")).to_have_text(["Ada", "Bob", "Ines (you)"])
    snapshot(host, f"{tag}-host-live-people")
    snapshot(ada, f"{tag}-learner-live")
    assert_no_serious_violations(host)
    assert_no_serious_violations(ada)
    show_tab(host, "Host")
    snapshot(host, f"{tag}-host-live-host-tab")
    assert_no_serious_violations(host)
    for page in (host, ada, bob):
        expect_the_room_fills_the_viewport(page, size)

    # Bob leaves: his camera and microphone stop, his connections close, he is counted out.
    bob.get_by_role("button", name="Leave").click()
    bob.wait_for_function(ALL_ENDED, timeout=2_000)
    expect(bob.get_by_role("heading", name="You left the session")).to_be_visible()
    expect(host.locator("#count-people")).to_have_text("2 people here")
    expect(host.locator(tile(host, room.bob.pk))).to_have_count(0)
    show_tab(host, "People")
    expect(host.locator("#people-away .people-name")).to_have_text(["Bob"])
    expect(host.locator("#people-away button")).to_have_count(0)
    assert last_leave(live_room, tmp_path / "data", room.bob.pk) is not None
    snapshot(bob, f"{tag}-learner-left")
    bob.get_by_role("button", name="Rejoin").click()
    expect(host.locator("#count-people")).to_have_text("3 people here")
    expect_tile_playing(host, tile(host, room.bob.pk))

    # The host ends the session: within 2 s every track is ended, the page says so.
    show_tab(host, "Host")
    host.once("dialog", lambda dialog: dialog.accept())
    host.get_by_role("button", name="End the session for everyone").click()
    for page in (ada, bob, host):
        page.wait_for_function(ALL_ENDED, timeout=2_000)
    for page in (ada, bob, host):
        expect(page.get_by_role("heading", name="The session has ended")).to_be_visible()
        expect(page.get_by_role("link", name="See the replay")).to_have_attribute(
            "href", f"/o/{room.org.slug}/live/{room.session.pk}/"
        )
        expect(page.locator("#called-notice")).to_be_hidden()
        expect(page.locator("#room")).to_be_hidden()
    snapshot(ada, f"{tag}-learner-ended")
    snapshot(host, f"{tag}-host-ended")
    for page in (host, ada):
        assert_no_serious_violations(page)


def test_a_shared_screen_reaches_the_peers_and_takes_the_stage(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    host = open_tab("host", size=DESKTOP, init_script=MEDIA_SPY)
    ada = open_tab("ada", size=DESKTOP, init_script=MEDIA_SPY)
    bob = open_tab("bob", phone=True, size=PHONE, init_script=MEDIA_SPY)
    for page in (host, ada, bob):
        join_with_video(page)
    expect_tile_playing(ada, tile(ada, room.host.pk))
    host.get_by_role("button", name="Share screen").click()
    expect(host.get_by_role("button", name="Stop sharing")).to_have_attribute("data-on", "")
    shared = host.evaluate(
        "window.__roomMedia.tracks.filter(t => t.getSettings().displaySurface).length"
    )
    assert shared == 1
    for page in (ada, bob):
        screen = tile(page, room.host.pk, "screen")
        expect_tile_playing(page, screen)
        expect(page.locator("#video-area")).to_have_attribute("data-layout", "screen")
        expect(page.locator(screen)).to_have_attribute("data-featured", "")
        featured, camera = box(page, screen), box(page, tile(page, room.ada.pk))
        assert featured["width"] * featured["height"] > 4 * camera["width"] * camera["height"]
    snapshot(ada, "1366x900-learner-screen-shared")
    snapshot(bob, "390x844-learner-screen-shared")
    snapshot(host, "1366x900-host-sharing")
    host.get_by_role("button", name="Stop sharing").click()
    for page in (ada, bob):
        expect(page.locator(tile(page, room.host.pk, "screen"))).to_have_count(0)
        expect(page.locator("#video-area")).to_have_attribute("data-layout", "grid")


def test_the_speaker_view_follows_the_person_who_speaks(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    host = open_tab("host", size=DESKTOP, init_script=MEDIA_SPY)
    ada = open_tab("ada", size=DESKTOP, init_script=TONE + MEDIA_SPY)
    bob = open_tab("bob", phone=True, size=PHONE, init_script=MEDIA_SPY)
    for page in (host, ada, bob):
        join_with_video(page)
    host.get_by_role("button", name="Speaker view").click()
    expect(host.get_by_role("button", name="Grid view")).to_be_visible()
    expect(host.locator("#video-area")).to_have_attribute("data-layout", "speaker")
    expect(host.locator("#video-area")).to_have_attribute(
        "data-featured", str(room.ada.pk), timeout=20_000
    )
    expect(host.locator(tile(host, room.ada.pk))).to_have_attribute("data-speaking", "")
    expect(host.locator(tile(host, room.bob.pk))).not_to_have_attribute("data-speaking", "")
    snapshot(host, "1366x900-host-speaker-view")
    # Bob, on his phone, too, sees Ada large.
    bob.get_by_role("button", name="Speaker view").click()
    expect(bob.locator("#video-area")).to_have_attribute(
        "data-featured", str(room.ada.pk), timeout=20_000
    )
    snapshot(bob, "390x844-learner-speaker-view")


def test_a_removed_person_s_camera_and_microphone_stop(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    host = open_tab("host", size=DESKTOP, init_script=MEDIA_SPY)
    ada = open_tab("ada", size=DESKTOP, init_script=MEDIA_SPY)
    for page in (host, ada):
        join_with_video(page)
    expect_tile_playing(ada, tile(ada, room.host.pk))
    show_tab(host, "People")
    host.once("dialog", lambda dialog: dialog.accept())
    host.get_by_role("button", name="Remove Ada from the session").click()
    ada.wait_for_function(ALL_ENDED, timeout=2_000)
    expect(ada.locator("#room-banner")).to_have_text("A host removed you from this session.")
    expect(host.locator(tile(host, room.ada.pk))).to_have_count(0)
