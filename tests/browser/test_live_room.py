"""The live room in real browsers against a real ASGI server (pages and websockets).

A host and two learners (Ines, Ada, Bob) in one room: chat reaches everyone, a prepared poll
runs and shows its results, a question is upvoted and answered, breakout rooms split and are
recalled, and Bob's tab, away while others talk, comes back and catches up on exactly what it
missed. The built-in video connects two peers with Chromium's fake camera.

The server is ``cadenza serve`` in a subprocess (``tests/browser/conftest.py``). Assertions
read the pages.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from cadenza.live.room.actions.polls import create_poll
from tests.browser.conftest import (
    LiveRoom,
    OpenTab,
    chat_lines,
    open_the_room,
    say,
    show_tab,
)
from tests.live.conftest import Classroom, build_classroom, ctx_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROMPT = "Which sign comes first in septic shock?"


@pytest.fixture
def classroom_data() -> Classroom:
    """The classroom with a prepared poll (made before the server starts)."""
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
    return room


def test_host_and_two_learners_run_a_session_and_a_returning_tab_catches_up(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    host, ada, bob = open_tab("host"), open_tab("ada"), open_tab("bob")
    open_the_room(host, ada, bob)
    expect(host.locator("#presence-count")).to_have_text("3 people here")

    # Chat reaches everyone.
    say(host, "Welcome everyone")
    say(ada, "Hello from Ada")
    for page in (host, ada, bob):
        expect(page.locator("#chat-list .chat-body")).to_have_text(
            ["Welcome everyone", "Hello from Ada"]
        )
    # Times read as on the rest of the site: 24-hour, in the person's zone.
    zone = ZoneInfo(json.loads(ada.locator("#room-config").inner_text())["time_zone"])
    for stamp in ada.locator("#chat-list time").all():
        moment = datetime.fromisoformat(stamp.get_attribute("datetime") or "")
        assert stamp.inner_text() == f"{moment.astimezone(zone):%H:%M}"

    # The prepared poll runs; results are live, and the quiz answer shows at close.
    show_tab(host, "Host")
    host.get_by_role("button", name=f"Open poll: {PROMPT}").click()
    show_tab(host, "Polls")
    for learner, choice in ((ada, "Low blood pressure"), (bob, "A rash")):
        expect(learner.locator("#count-polls")).to_have_text("1 open poll")
        show_tab(learner, "Polls")
        poll = learner.locator(".poll").filter(has_text=PROMPT)
        poll.get_by_role("radio", name=choice).check()
        poll.get_by_role("button", name="Vote").click()
    host_poll = host.locator(".poll").filter(has_text=PROMPT)
    expect(host_poll.locator(".poll-meta")).to_contain_text("2 voters")
    host_poll.get_by_role("button", name="Close poll").click()
    expect(host_poll.get_by_role("button", name="Close poll")).to_be_hidden()
    for page in (host, ada, bob):
        results = page.locator(".poll").filter(has_text=PROMPT).locator(".poll-results li")
        expect(results).to_have_text(
            ["Low blood pressure Correct: 1 (50 %)", "A rash: 1 (50 %)"], use_inner_text=True
        )

    # A question is upvoted and answered.
    for page in (host, ada, bob):
        show_tab(page, "Q&A")
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
    show_tab(host, "Host")
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
    show_tab(host, "Host")
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
    live_room: LiveRoom, open_tab: OpenTab
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
