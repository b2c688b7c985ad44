"""The live room's moderation in real browsers: a host (Ines) and two learners (Ada, Bob).

The raised-hand queue keeps its order and the host calls and lowers hands; the host deletes a
message, mutes a learner, locks the chat and removes a learner, each seen on every page; and
the room works on a 360 px wide phone without sideways scrolling.

The server is ``cadenza serve`` in a subprocess (``tests/browser/conftest.py``). Assertions
read the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import (
    PHONE,
    LiveRoom,
    OpenTab,
    chat_lines,
    open_the_room,
    say,
    show_tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hand_queue(host: Page) -> list[str]:
    return [name.strip() for name in host.locator("#hand-queue li > span").all_inner_texts()]


def expect_hand_down(page: Page) -> None:
    toggle = page.locator("#hand-toggle")
    expect(toggle).to_have_text("Raise hand")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#hand-status")).to_have_text("")


def test_hands_queue_in_order_and_the_host_calls_and_lowers_them(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    host, ada, bob = open_tab("host"), open_tab("ada"), open_tab("bob")
    open_the_room(host, ada, bob)
    expect(host.get_by_role("button", name="Call next")).to_be_disabled()

    ada.get_by_role("button", name="Raise hand").click()
    expect(ada.locator("#hand-status")).to_have_text("Your hand is raised (number 1 in the queue).")
    bob.get_by_role("button", name="Raise hand").click()
    expect(bob.locator("#hand-status")).to_have_text("Your hand is raised (number 2 in the queue).")
    expect(bob.locator("#hand-toggle")).to_have_attribute("aria-pressed", "true")
    expect(host.locator("#hand-queue li")).to_have_count(2)
    assert hand_queue(host) == ["Ada", "Bob"]

    # The first in the queue is called: Ada is told, her hand is down; Bob moves up.
    host.get_by_role("button", name="Call next").click()
    expect(ada.locator("#called-notice")).to_have_text(
        "Ines calls on you: it is your turn to speak."
    )
    expect_hand_down(ada)
    expect(bob.locator("#called-notice")).to_have_text("Ines calls on Ada.")
    expect(bob.locator("#hand-status")).to_have_text("Your hand is raised (number 1 in the queue).")
    expect(host.locator("#hand-queue li")).to_have_count(1)
    assert hand_queue(host) == ["Bob"]

    # A learner's page has the learner's own hand button and nothing to lower anyone else's.
    for learner in (ada, bob):
        expect(learner.locator("#host-console")).to_have_count(0)
        expect(learner.locator("#hand-queue")).to_have_count(0)
        expect(learner.get_by_role("button", name=re.compile("Call|Lower the hand"))).to_have_count(
            0
        )
    expect(ada.get_by_role("button", name="Raise hand")).to_be_enabled()

    # The host lowers Bob's hand: down on Bob's page, the queue is empty.
    host.get_by_role("button", name="Lower the hand of Bob").click()
    expect_hand_down(bob)
    expect(host.locator("#hand-queue li")).to_have_count(0)
    expect(host.get_by_role("button", name="Call next")).to_be_disabled()
    expect_hand_down(ada)
    expect(host.locator("#host-error")).to_have_text("")


def accept_next_dialog(page: Page, expected: str) -> None:
    """The host's next confirm() is accepted, after checking what it asks."""

    def accept(dialog: Dialog) -> None:
        assert dialog.message == expected
        dialog.accept()

    page.once("dialog", accept)


def test_host_deletes_a_message_mutes_locks_the_chat_and_removes_a_learner(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    host, ada, bob = open_tab("host"), open_tab("ada"), open_tab("bob")
    open_the_room(host, ada, bob)
    expect(host.locator("#presence-count")).to_have_text("3 people here")

    # A message deleted by the host is gone on every page.
    say(ada, "Hello from Ada")
    say(bob, "Buy cheap watches")
    for page in (host, ada, bob):
        expect(page.locator("#chat-list .chat-body")).to_have_text(
            ["Hello from Ada", "Buy cheap watches"]
        )
    expect(ada.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)
    show_tab(host, "Chat")
    host.get_by_role("button", name="Delete the message of Bob").click()
    for page in (host, ada, bob):
        expect(page.locator("#chat-list .chat-body")).to_have_text(["Hello from Ada"])

    # Bob is muted: his box and button are disabled and say why; Ada still talks.
    show_tab(host, "People")
    host.get_by_role("button", name="Mute Bob in chat").click()
    bob_row = host.locator(f'#people-here li[data-user-id="{live_room.room.bob.pk}"]')
    # Bob joined without video: he sends no sound either, which the row says too.
    expect(bob_row.locator(".people-notes")).to_have_text(
        "learner · muted in chat · microphone off"
    )
    bob_box = bob.get_by_label("Message", exact=True)
    expect(bob_box).to_be_disabled()
    expect(bob_box).to_have_attribute("placeholder", "You are muted in this chat.")
    expect(bob.get_by_role("button", name="Send", exact=True)).to_be_disabled()
    expect(ada.get_by_label("Message", exact=True)).to_be_enabled()
    say(ada, "Ada can still talk")
    # A tab that had not heard of the mute yet: the server refuses, and says why.
    bob.locator("#chat-form").evaluate(
        "form => form.querySelectorAll('textarea, button').forEach(c => { c.disabled = false; })"
    )
    say_refused = bob.get_by_label("Message", exact=True)
    say_refused.fill("Still selling watches")
    bob.get_by_role("button", name="Send", exact=True).click()
    expect(bob.locator("#chat-error")).to_have_text("You are muted in this session's chat.")
    for page in (host, ada, bob):
        expect(page.locator("#chat-list .chat-body")).to_have_text(
            ["Hello from Ada", "Ada can still talk"]
        )
    show_tab(host, "People")
    host.get_by_role("button", name="Unmute Bob in chat").click()
    expect(bob_row.locator(".people-notes")).to_have_text("learner · microphone off")
    expect(bob_box).to_be_enabled()
    expect(bob_box).to_have_attribute("placeholder", "")

    # The chat is locked: learners cannot post, the host can; then it is open again.
    show_tab(host, "Host")
    host.get_by_role("button", name="Lock chat").click()
    expect(host.locator("#chat-lock")).to_have_attribute("aria-pressed", "true")
    for learner in (ada, bob):
        box = learner.get_by_label("Message", exact=True)
        expect(box).to_be_disabled()
        expect(box).to_have_attribute("placeholder", "Chat is locked by the hosts.")
        expect(learner.get_by_role("button", name="Send", exact=True)).to_be_disabled()
    say(host, "Only the hosts speak now")
    expect(ada.locator("#chat-list .chat-body").last).to_have_text("Only the hosts speak now")
    show_tab(host, "Host")
    host.get_by_role("button", name="Unlock chat").click()
    expect(ada.get_by_label("Message", exact=True)).to_be_enabled()
    say(bob, "Bob is back")
    expect(ada.locator("#chat-list .chat-body").last).to_have_text("Bob is back")

    # Ada is removed: her page says so, the others see her leave, and a reload stays out.
    show_tab(host, "People")
    accept_next_dialog(host, "Remove Ada from this session?")
    host.get_by_role("button", name="Remove Ada from the session").click()
    banner = ada.locator("#room-banner")
    expect(banner).to_have_text("A host removed you from this session.")
    expect(ada.locator("#room")).to_have_attribute("data-connection", "forbidden")
    expect(host.locator("#presence-count")).to_have_text("2 people here")
    expect(ada.get_by_label("Message", exact=True)).to_be_hidden()
    # A reload gets the session page's refusal (403), not a room that never joins.
    ada.reload()
    expect(ada.get_by_role("status")).to_have_text("A host removed you from this session.")
    expect(ada.locator("#room")).to_have_count(0)
    expect(ada.get_by_label("Message", exact=True)).to_have_count(0)
    say(host, "Ada has left us")
    expect(bob.locator("#chat-list .chat-body").last).to_have_text("Ada has left us")
    expect(host.locator("#presence-count")).to_have_text("2 people here")
    expect(host.locator("#host-error")).to_have_text("")
    assert "Ada has left us" not in chat_lines(ada)


def expect_fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def test_the_room_fits_a_360_px_phone_and_its_chat_works_there(
    live_room: LiveRoom, open_tab: OpenTab, tmp_path: Path
) -> None:
    host, ada = open_tab("host", phone=True), open_tab("ada", phone=True)
    for page in (host, ada):
        expect_fits_the_phone(page)  # the pre-join check
    open_the_room(host, ada)
    ada.get_by_role("button", name="Raise hand").click()
    expect(host.locator("#hand-queue li")).to_have_count(1)

    # A long word (a link, say) must wrap, not widen the page.
    long_word = "https://example.org/" + "sepsis-bundle-" * 12
    box = ada.get_by_label("Message", exact=True)
    send = ada.get_by_role("button", name="Send", exact=True)
    box.scroll_into_view_if_needed()
    expect(box).to_be_in_viewport()
    expect(send).to_be_visible()
    box.tap()
    box.fill(long_word)
    send.tap()
    expect(ada.locator("#chat-list .chat-body")).to_have_text([long_word])
    expect(box).to_have_value("")
    say(host, "Thanks, Ada")
    for page in (host, ada):
        expect(page.locator("#chat-list .chat-body")).to_have_text([long_word, "Thanks, Ada"])
        expect_fits_the_phone(page)

    for name, page in (("learner", ada), ("host", host)):
        shot = tmp_path / f"room-360-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
