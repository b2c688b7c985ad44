"""A webinar's room in Chromium: the audience sees the stage (the host's video) and the Chat,
Q&A and Polls tabs; no tiles of the audience, no microphone or camera controls, no People tab.
The host has every tab and the camera controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import ViewportSize, expect

from cadenza.live.models import LiveSession, SessionFormat
from tests.browser.conftest import LiveRoom, OpenTab
from tests.live.conftest import Classroom, build_classroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def classroom_data() -> Classroom:
    room = build_classroom()
    LiveSession.objects.filter(pk=room.session.pk).update(format=SessionFormat.WEBINAR)
    return room


def test_the_audience_of_a_webinar_sees_the_stage_and_three_tabs(
    live_room: LiveRoom, open_tab: OpenTab
) -> None:
    room = live_room.room
    size: ViewportSize = {"width": 1366, "height": 900}
    host, ada, bob = (open_tab(who, size=size) for who in ("host", "ada", "bob"))
    host.get_by_role("button", name="Join with video").click()
    expect(host.locator("#room")).to_have_attribute("data-video-mode", "video")
    for learner in (ada, bob):
        expect(learner.get_by_role("button", name="Join with video")).to_be_hidden()
        learner.get_by_role("button", name="Join the room").click()
        expect(learner.locator("#room")).to_have_attribute("data-video-mode", "none")
    for learner in (ada, bob):
        expect(learner.get_by_role("tab")).to_have_text(["Chat", "Q&A", "Polls"])
        host_tile = learner.locator(f'#video-area [data-peer="{room.host.pk}"] video')
        expect(host_tile).to_have_count(1, timeout=20_000)
        expect(learner.locator("#video-area [data-peer]")).to_have_count(1)
        for control in ("Mute", "Stop video", "Share screen"):
            expect(learner.get_by_role("button", name=control)).to_have_count(0)
        expect(learner.get_by_role("button", name="Raise hand")).to_be_visible()
        expect(learner.get_by_role("button", name="Leave")).to_be_visible()
    expect(host.get_by_role("tab")).to_have_text(
        ["Chat", "Q&A", "Polls", "People 3 people here", "Host"]
    )
    expect(host.locator("#video-area [data-peer]")).to_have_count(1)
    for control in ("Mute", "Stop video", "Share screen", "Leave"):
        expect(host.get_by_role("button", name=control, exact=True)).to_be_visible()
