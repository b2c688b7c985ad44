"""A session's replay in a real browser with captions: the host uploads a WebVTT file on the
replay (a malformed one is refused with its line), and a learner gets the track in the player
and the transcript beside the recording, where a click on a line moves the video there and the
line is highlighted. The page passes axe-core."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cadenza.demo.content import VIDEO_ASSET, asset_bytes
from cadenza.live.attendance.actions.replay import attach_recording
from cadenza.live.models import ReplayCaptionTrack
from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_captions import CAPTIONS, MALFORMED, current_time, sign_in, upload
from tests.live.fixtures_attendance import Live, build_live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ended() -> Live:
    """A session that ended an hour ago, its recording attached as a file."""
    live = build_live()
    now = datetime.now(UTC)
    live.session.starts_at = now - timedelta(hours=2)
    live.session.ends_at = now - timedelta(hours=1)
    live.session.save()
    attach_recording(
        session=live.session,
        by=live.host,
        file=SimpleUploadedFile(VIDEO_ASSET, asset_bytes(VIDEO_ASSET), content_type="video/webm"),
        duration_seconds=20.0,
    )
    return live


def test_the_replay_shows_the_uploaded_captions_and_a_transcript_that_seeks(
    live_server: LiveServer, page: Page, ended: Live
) -> None:
    replay = f"{live_server.url}/o/{ended.org.slug}/live/{ended.session.pk}/replay/"

    # The host: a malformed file is refused with its line, a good one is listed.
    sign_in(page, live_server, ended.host)
    page.goto(replay)
    expect(page.get_by_text("The recording has no captions yet.")).to_be_visible()
    upload(page, "briefing.vtt", MALFORMED)
    expect(page.locator("#captions-file-error")).to_have_text(
        'line 6: expected cue timings like "00:00:01.000 --> 00:00:04.000"'
    )
    assert ReplayCaptionTrack.objects.count() == 0
    upload(page, "briefing.vtt", CAPTIONS)
    expect(page.get_by_text("The captions “English” (en) were saved: 3 cues.")).to_be_visible()
    expect(page.locator(".caption-tracks li")).to_contain_text("English (en) · 3 cues")
    assert_no_serious_violations(page)  # the hosts' captions form and list too

    # The learner: the player has the track, and Chromium reads its cues.
    sign_in(page, live_server, ended.ada)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(replay)
    track = page.locator("video[data-unit-video] track")
    expect(track).to_have_attribute("srclang", "en")
    expect(track).to_have_attribute("label", "English")
    page.wait_for_function("() => document.querySelector('video[data-unit-video]').readyState >= 1")
    cue_count = page.locator("video[data-unit-video]").evaluate(
        """async (video) => {
            const track = video.textTracks[0];
            track.mode = "showing";
            while (!track.cues || track.cues.length < 3) {
                await new Promise((done) => setTimeout(done, 50));
            }
            return track.cues.length;
        }"""
    )
    assert cue_count == 3

    # The transcript beside the recording: a click moves the video there and marks the line.
    lines = page.locator(".transcript-line")
    expect(lines).to_have_count(3)
    expect(lines.nth(2)).to_have_text("Play from 0:07 Then take blood cultures.")
    lines.nth(2).click()
    page.wait_for_function(
        "() => document.querySelector('video[data-unit-video]').currentTime === 7.25"
    )
    assert current_time(page) == 7.25
    expect(lines.nth(2)).to_have_attribute("aria-current", "true")
    lines.nth(1).click()
    page.wait_for_function(
        "() => document.querySelector('video[data-unit-video]').currentTime === 4.5"
    )
    expect(lines.nth(1)).to_have_attribute("aria-current", "true")
    expect(lines.nth(2)).not_to_have_attribute("aria-current", "true")

    # Searching keeps the lines with the words.
    page.get_by_label("Search the transcript").fill("cultures")
    expect(page.locator(".transcript-line:visible")).to_have_count(1)

    video_box = page.locator("video[data-unit-video]").bounding_box()
    panel_box = page.locator("[data-transcript]").bounding_box()
    assert video_box is not None
    assert panel_box is not None
    assert panel_box["x"] >= video_box["x"] + video_box["width"]
    assert_no_serious_violations(page)
