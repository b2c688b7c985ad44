"""The room's page in Chromium: earlier chat read in pages, and writes that outlive a failure.

A tab whose snapshot names only the room's last 200 messages loads every earlier one with
"Load earlier messages", in order and once each. The page's socket sends a write again, with
the same client id, when the server answers that it could not store it just now and when no
answer comes in time (the server stores a retry at most once).

The server is ``cadenza serve`` in a subprocess (``tests/browser/conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveRoom, OpenTab, chat_lines, join_without_video
from tests.live.conftest import Classroom, build_classroom, post_many_as_ada

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGES = 450


@pytest.fixture
def classroom_data() -> Classroom:
    """The classroom after Ada posted 450 messages (made before the server starts)."""
    room = build_classroom()
    post_many_as_ada(room, 1, MESSAGES)
    return room


def test_a_tab_loads_every_earlier_message_the_snapshot_left_out(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    bob = open_tab("bob")
    join_without_video(bob)
    expect(bob.locator("#chat-list .chat-body")).to_have_count(200)
    assert chat_lines(bob)[0] == "message 251"
    earlier = bob.get_by_role("button", name="Load earlier messages")

    earlier.click()
    expect(bob.locator("#chat-list .chat-body")).to_have_count(400)
    earlier.click()
    expect(bob.locator("#chat-list .chat-body")).to_have_count(MESSAGES)

    expect(earlier).to_be_hidden()
    assert chat_lines(bob) == [f"message {n}" for n in range(1, MESSAGES + 1)]


FAKE_SOCKET = """
async ({ module }) => {
  const { RoomSocket } = await import(module);
  const sent = [];
  class FakeSocket extends EventTarget {
    constructor(url) { super(); this.readyState = 1; window.fakeSocket = this; }
    send(text) { sent.push(JSON.parse(text)); }
    close() {}
    deliver(frame) {
      const event = new Event("message");
      event.data = JSON.stringify(frame);
      this.dispatchEvent(event);
    }
  }
  const real = window.WebSocket;
  window.WebSocket = FakeSocket;
  FakeSocket.OPEN = 1;
  const socket = new RoomSocket("/ws/test/", {
    onFrame: () => {}, onStatus: () => {}, lastSeq: () => 0,
  });
  socket.start();
  window.WebSocket = real;
  window.WebSocket.OPEN = 1;
  window.fakeSocket.dispatchEvent(new Event("open"));
  window.fakeSocket.deliver({ type: "room.caught_up", seq: 0 });
  window.sent = sent;
  window.answers = [];
  socket.write("chat.post", { body: "Still there?" }).then(
    (ack) => window.answers.push(ack), (error) => window.answers.push(error.message));
}
"""


def _writes(page: Page) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = page.evaluate("window.sent")
    return [frame for frame in frames if frame["type"] == "chat.post"]


def test_the_page_sends_a_write_again_with_its_client_id_until_it_is_answered(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    ada = open_tab("ada")
    ada.clock.install()
    module = ada.evaluate(
        "new URL('room_socket.js', document.querySelector('script[src*=\"room.js\"]').src).href"
    )
    ada.evaluate(FAKE_SOCKET, {"module": module})
    [first] = _writes(ada)
    cid = first["client_event_id"]

    # The server could not store it just now (a dropped database connection): sent again.
    ada.evaluate(
        "(cid) => window.fakeSocket.deliver({type: 'error', client_event_id: cid,"
        " code: 'unavailable', detail: 'The server could not store this; try again.'})",
        cid,
    )
    ada.clock.run_for(1_100)
    # No answer at all for more than ten seconds: sent again on the same socket.
    ada.clock.run_for(14_000)
    ada.evaluate(
        "(cid) => window.fakeSocket.deliver({type: 'ack', client_event_id: cid, seq: 7})", cid
    )
    ada.clock.run_for(30_000)

    assert _writes(ada) == [first, first, first]
    assert first == {"type": "chat.post", "client_event_id": cid, "body": "Still there?"}
    assert ada.evaluate("window.answers") == [{"type": "ack", "client_event_id": cid, "seq": 7}]


def test_a_write_the_room_refuses_is_not_sent_again(live_room: LiveRoom, open_tab: OpenTab) -> None:
    ada = open_tab("ada")
    ada.clock.install()
    module = ada.evaluate(
        "new URL('room_socket.js', document.querySelector('script[src*=\"room.js\"]').src).href"
    )
    ada.evaluate(FAKE_SOCKET, {"module": module})
    [first] = _writes(ada)

    ada.evaluate(
        "(cid) => window.fakeSocket.deliver({type: 'error', client_event_id: cid,"
        " detail: 'Chat is locked by the hosts.'})",
        first["client_event_id"],
    )
    ada.clock.run_for(30_000)

    assert _writes(ada) == [first]
    assert ada.evaluate("window.answers") == ["Chat is locked by the hosts."]
