"""A phone's page hidden for long: the person who chose it before joining ("Turn my camera
and microphone off when this page stays in the background ...") leaves the room when the page
stays hidden ``LIVE_AWAY_SECONDS`` (a minute by default; the server under test says 1 s):
every track of theirs ends, their connections close, and the page says they left. Someone
who did not choose it stays, however long the page is hidden; a page hidden briefly stays.

Headless Chromium keeps every page visible (minimizing its window through the DevTools
protocol changes nothing), so the test hides a page through the very interface the room
reads: ``document.visibilityState`` and the ``visibilitychange`` event.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import LiveRoom, OpenTab
from tests.browser.test_live_room_layout import (
    ALL_ENDED,
    MEDIA_SPY,
    expect_tile_playing,
    join_with_video,
    tile,
)
from tests.live.conftest import Classroom, build_classroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}

HIDEABLE = """
(() => {
  // The page is shown until the test hides it (as a phone does for another app).
  let hidden = false;
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get: () => (hidden ? "hidden" : "visible"),
  });
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => hidden });
  window.__setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event("visibilitychange"));
  };
})();
"""

OWN_TRACKS = """selector => {
  // This person's camera and microphone: the stream of their own tile.
  const video = document.querySelector(selector + " video");
  return video ? video.srcObject.getTracks().map((t) => [t.kind, t.readyState]) : [];
}"""


@pytest.fixture
def classroom_data(monkeypatch: pytest.MonkeyPatch) -> Classroom:
    """The classroom, and a server that counts a page hidden for 1 s as away."""
    monkeypatch.setenv("CADENZA_LIVE_AWAY_SECONDS", "1")
    return build_classroom()


def hide(page: Page, hidden: bool) -> None:
    page.evaluate("hidden => window.__setHidden(hidden)", hidden)


def test_a_phone_hidden_for_long_stops_the_tracks_of_those_who_chose_it(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    host = open_tab("host", init_script=MEDIA_SPY)
    ada = open_tab("ada", phone=True, size=PHONE, init_script=HIDEABLE + MEDIA_SPY)
    bob = open_tab("bob", phone=True, size=PHONE, init_script=HIDEABLE + MEDIA_SPY)
    ada.get_by_label("Turn my camera and microphone off when this page stays").check()
    for page in (host, ada, bob):
        join_with_video(page)
    for user in (room.ada, room.bob):
        expect_tile_playing(host, tile(host, user.pk))
    live = [["audio", "live"], ["video", "live"]]
    assert ada.evaluate(OWN_TRACKS, tile(ada, room.ada.pk)) == live

    # Hidden briefly (under a second): nothing stops.
    hide(ada, True)
    hide(ada, False)
    ada.wait_for_timeout(1_500)
    assert ada.evaluate(OWN_TRACKS, tile(ada, room.ada.pk)) == live

    # Hidden for long: Ada (who chose it) leaves; Bob (who did not) stays.
    hide(ada, True)
    hide(bob, True)
    ada.wait_for_function(ALL_ENDED, timeout=5_000)
    expect(ada.get_by_role("heading", name="You left the session")).to_be_attached()
    expect(host.locator(tile(host, room.ada.pk))).to_have_count(0)
    bob.wait_for_timeout(2_000)
    assert bob.evaluate(OWN_TRACKS, tile(bob, room.bob.pk)) == live
    expect(host.locator(tile(host, room.bob.pk))).to_have_count(1)
    hide(bob, False)
    expect(bob.locator("#room")).to_be_visible()
