"""The control bar's hosts' rules in Chromium (built-in video): a learner shares their screen
only when the hosts allow it, and a host mutes a person's microphone.

- Screen sharing (off by default): a learner has no "Share screen"; a page that forces one
  anyway gets the server's refusal and no peer receives the screen. Once a host ticks
  "Learners may share their screen" in the Host tab, the learner's control bar offers it at
  once, and the screen (a track of ``getDisplayMedia``, its ``displaySurface`` set) arrives at
  the host as its own stream; unticked, the learner's share stops and leaves the host's stage.
- Remote mute: a host's "Mute microphone" in the People tab turns the person's microphone
  track off (``enabled === false``), tells them, and their tile shows it muted; they turn it
  on again themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MEDIA_ARGS,
    LiveRoom,
    OpenTab,
    show_tab,
)
from tests.browser.test_live_room_layout import (
    MEDIA_SPY,
    expect_tile_playing,
    join_with_video,
    silence,
    tile,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1366, "height": 900}

DISPLAY_STREAM = """() => {
  const screens = window.__roomMedia.tracks.filter((t) => t.getSettings().displaySurface);
  return screens.length ? screens[screens.length - 1] : null;
}"""


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Browser]:
    """Chromium with fake cameras, silent fake microphones and a fake screen to share."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    args = [
        *CHROMIUM_ARGS,
        *MEDIA_ARGS,
        f"--use-file-for-fake-audio-capture={silence(tmp_path / 'silence.wav')}",
        "--auto-select-desktop-capture-source=Entire screen",
        "--enable-usermedia-screen-capturing",
    ]
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield launched
        finally:
            launched.close()


def screen_stream_id(page: Page) -> str:
    """The id of the stream ``getDisplayMedia`` gave this page (its screen's)."""
    page.wait_for_function(f"() => ({DISPLAY_STREAM})() !== null")
    stream_id: str = page.evaluate(
        """() => {
            const video = document.querySelector('#video-area [data-kind="screen"] video');
            return video.srcObject.id;
        }"""
    )
    return stream_id


def received_screen(page: Page, user_id: int) -> dict[str, object]:
    """What this page receives in ``user_id``'s screen tile: the stream's id, its video
    tracks' kinds and states."""
    found: dict[str, object] = page.evaluate(
        """selector => {
            const stream = document.querySelector(selector + " video").srcObject;
            return {
                stream: stream.id,
                tracks: stream.getTracks().map((t) => [t.kind, t.readyState]),
            };
        }""",
        tile(page, user_id, "screen"),
    )
    return found


def test_a_learner_shares_their_screen_only_while_the_hosts_allow_it(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    host = open_tab("host", size=DESKTOP, init_script=MEDIA_SPY)
    ada = open_tab("ada", size=DESKTOP, init_script=MEDIA_SPY)
    for page in (host, ada):
        join_with_video(page)
    expect_tile_playing(host, tile(host, room.ada.pk))
    share = ada.locator("#toggle-share")
    expect(share).to_be_hidden()
    expect(host.get_by_role("button", name="Share screen")).to_be_visible()

    # A page that sends a screen anyway (its own code, not the room's): the server refuses
    # its description, and no peer gets the screen.
    ada.evaluate(
        """async () => {
            const screen = await navigator.mediaDevices.getDisplayMedia({video: true});
            const connection = window.__roomMedia.connections[0];
            connection.addTrack(screen.getVideoTracks()[0], screen);
        }"""
    )
    expect(ada.locator("#chat-error")).to_have_text(
        "The hosts have not allowed learners to share their screen."
    )
    host.wait_for_timeout(2_000)
    expect(host.locator(tile(host, room.ada.pk, "screen"))).to_have_count(0)
    ada.reload()  # the tab rejoins as it was (the same mode), with a fresh connection
    expect(ada.locator("#room")).to_have_attribute("data-video-mode", "video")
    expect_tile_playing(host, tile(host, room.ada.pk))
    expect(share).to_be_hidden()

    # The host allows it: Ada's control bar offers it at once, and her screen reaches the host.
    show_tab(host, "Host")
    host.get_by_label("Learners may share their screen").check()
    expect(ada.get_by_role("button", name="Share screen")).to_be_visible()
    ada.get_by_role("button", name="Share screen").click()
    expect(ada.get_by_role("button", name="Stop sharing")).to_have_attribute("data-on", "")
    shared = screen_stream_id(ada)
    surface = ada.evaluate(
        f"() => {{ window.__shared = ({DISPLAY_STREAM})();"
        " return window.__shared.getSettings().displaySurface; }"
    )
    assert surface == "monitor"
    expect_tile_playing(host, tile(host, room.ada.pk, "screen"))
    assert received_screen(host, room.ada.pk) == {
        "stream": shared,
        "tracks": [["video", "live"]],
    }
    expect(host.locator("#video-area")).to_have_attribute("data-layout", "screen")

    # The host stops allowing it: Ada's share stops and leaves the host's stage.
    host.get_by_label("Learners may share their screen").uncheck()
    ada.wait_for_function("() => window.__shared.readyState === 'ended'")
    expect(share).to_be_hidden()
    expect(host.locator(tile(host, room.ada.pk, "screen"))).to_have_count(0)
    expect(host.locator("#video-area")).to_have_attribute("data-layout", "grid")


def test_a_host_mutes_a_learner_s_microphone_and_only_the_learner_turns_it_on(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    host = open_tab("host", size=DESKTOP, init_script=MEDIA_SPY)
    ada = open_tab("ada", size=DESKTOP, init_script=MEDIA_SPY)
    bob = open_tab("bob", size=DESKTOP, init_script=MEDIA_SPY)
    for page in (host, ada, bob):
        join_with_video(page)
    expect_tile_playing(host, tile(host, room.ada.pk))
    # Ada's own microphone: the audio track of her camera's stream (her own tile's).
    own = tile(ada, room.ada.pk) + " video"
    microphone = f"() => document.querySelector('{own}').srcObject.getAudioTracks()[0].enabled"
    assert ada.evaluate(microphone) is True
    show_tab(host, "People")
    mute = host.get_by_role("button", name="Mute microphone of Ada")
    expect(mute).to_be_visible(timeout=20_000)
    # A learner has no such button (the server refuses one anyway: tests/live).
    show_tab(bob, "People")
    expect(bob.get_by_role("button", name="Mute microphone of Ada")).to_have_count(0)

    mute.click()
    ada.wait_for_function(f"() => ({microphone})() === false")
    expect(ada.locator("#mic-notice")).to_have_text(
        "The host muted your microphone. Press Unmute to speak again."
    )
    expect(ada.get_by_role("button", name="Unmute")).to_have_attribute("data-on", "")
    for page in (host, bob, ada):
        expect(page.locator(tile(page, room.ada.pk) + " .tile-muted")).to_be_visible()
    expect(host.locator(f'#people-here [data-user-id="{room.ada.pk}"]')).to_contain_text(
        "microphone off"
    )
    expect(mute).to_have_count(0)

    ada.get_by_role("button", name="Unmute").click()
    ada.wait_for_function(f"() => ({microphone})() === true")
    expect(ada.locator("#mic-notice")).to_be_hidden()
    expect(host.locator(tile(host, room.ada.pk) + " .tile-muted")).to_be_hidden()
