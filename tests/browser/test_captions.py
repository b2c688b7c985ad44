"""Captions in a real browser: an instructor uploads a WebVTT file to a video unit (a malformed
one is refused with its line), and a learner gets the captions in the player and the
transcript beside the video: a click on a line moves the video there, the search box filters
the lines, the line being played is highlighted. The page passes axe-core at a laptop's and a
phone's width, with the transcript beside the video on the first and below it on the second.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.courses.models import CaptionTrack, Course, Unit, UnitKind
from cadenza.demo.content import VIDEO_ASSET, asset_bytes
from cadenza.orgs.models import Role
from tests.browser.axe import assert_no_serious_violations
from tests.factories import enrol, make_course, make_module, make_org, make_unit, make_user
from tests.live.conftest import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPTIONS = b"""WEBVTT

00:00.500 --> 00:04.000
<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.

00:04.500 --> 00:07.250
Measure lactate <script>alert(1)</script>first.

00:07.250 --> 00:10.000
Then take blood cultures.
"""

MALFORMED = b"""WEBVTT

00:00.500 --> 00:04.000
Fine.

00:04.500 -> 00:07.250
The arrow is short.
"""


@dataclass
class VideoUnit:
    instructor: User
    learner: User
    course: Course
    unit: Unit


@pytest.fixture
def video_unit() -> VideoUnit:
    org = make_org("harbour")
    instructor = make_user(org, Role.INSTRUCTOR, email="ines@example.org")
    learner = make_user(org, Role.LEARNER, email="lea@example.org")
    course = make_course(org, title="Sepsis basics", slug="sepsis")
    unit = make_unit(
        make_module(course, "Recognising sepsis"),
        UnitKind.VIDEO,
        title="The Hour-1 bundle",
        video_file=ContentFile(asset_bytes(VIDEO_ASSET), name=VIDEO_ASSET),
        video_duration_seconds=20.0,
    )
    publish_course(course=course, include_contents=True)
    enrol(course, learner)
    return VideoUnit(instructor=instructor, learner=learner, course=course, unit=unit)


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(user), "url": live_server.url}]
    )


def upload(page: Page, name: str, content: bytes) -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Upload captions"))
    form.get_by_label("Language").fill("en")
    form.get_by_label("Name").fill("English")
    form.get_by_label("WebVTT file").set_input_files(
        {"name": name, "mimeType": "text/vtt", "buffer": content}
    )
    form.get_by_role("button", name="Upload captions").click()


def wait_for_metadata(page: Page) -> None:
    page.wait_for_function("() => document.querySelector('video[data-unit-video]').readyState >= 1")


def current_time(page: Page) -> float:
    time: float = page.locator("video[data-unit-video]").evaluate("(video) => video.currentTime")
    return time


def test_uploaded_captions_play_as_a_track_and_a_transcript_that_seeks_and_filters(
    live_server: LiveServer, page: Page, video_unit: VideoUnit
) -> None:
    base = f"{live_server.url}/o/harbour"
    unit_id = video_unit.unit.pk

    # The instructor: a malformed file is refused with its line, a good one is listed.
    sign_in(page, live_server, video_unit.instructor)
    page.goto(f"{base}/teach/courses/sepsis/units/{unit_id}/edit/")
    expect(page.get_by_text("This video has no captions yet.")).to_be_visible()
    upload(page, "lecture.vtt", MALFORMED)
    expect(page.locator(".errorlist")).to_have_text(
        'line 6: expected cue timings like "00:00:01.000 --> 00:00:04.000"'
    )
    assert CaptionTrack.objects.count() == 0
    upload(page, "lecture.vtt", CAPTIONS)
    expect(page.get_by_text("The captions “English” (en) were saved: 3 cues.")).to_be_visible()
    expect(page.locator(".caption-tracks li")).to_contain_text("English (en) · 3 cues")

    # The learner: the player has the track, and Chromium reads its three cues.
    sign_in(page, live_server, video_unit.learner)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/courses/sepsis/units/{unit_id}/")
    track = page.locator("video[data-unit-video] track")
    expect(track).to_have_attribute("kind", "captions")
    expect(track).to_have_attribute("srclang", "en")
    expect(track).to_have_attribute("label", "English")
    wait_for_metadata(page)
    cues = page.locator("video[data-unit-video]").evaluate(
        """async (video) => {
            const track = video.textTracks[0];
            track.mode = "showing";
            while (!track.cues || track.cues.length < 3) {
                await new Promise((done) => setTimeout(done, 50));
            }
            return [...track.cues].map((cue) => [cue.startTime, cue.endTime, cue.text]);
        }"""
    )
    assert cues == [
        [0.5, 4.0, "<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.</v>"],
        [4.5, 7.25, "Measure lactate alert(1)first."],
        [7.25, 10.0, "Then take blood cultures."],
    ]

    # The transcript: three lines; a click moves the video to the line's start.
    lines = page.locator(".transcript-line")
    expect(lines).to_have_count(3)
    expect(lines.nth(0)).to_have_text(
        "Play from 0:00 Dr. Okafor: Sepsis is a time-critical emergency."
    )
    lines.nth(1).click()
    page.wait_for_function(
        "() => document.querySelector('video[data-unit-video]').currentTime === 4.5"
    )
    assert current_time(page) == 4.5
    expect(lines.nth(1)).to_have_attribute("aria-current", "true")
    expect(lines.nth(0)).not_to_have_attribute("aria-current", "true")
    active = page.locator("video[data-unit-video]").evaluate(
        """async (video) => {
            const track = video.textTracks[0];
            while (!track.activeCues || track.activeCues.length === 0) {
                await new Promise((done) => setTimeout(done, 50));
            }
            return track.activeCues[0].text;
        }"""
    )
    assert active == "Measure lactate alert(1)first."
    lines.nth(2).click()
    page.wait_for_function(
        "() => document.querySelector('video[data-unit-video]').currentTime === 7.25"
    )
    expect(lines.nth(2)).to_have_attribute("aria-current", "true")

    # The search box keeps the lines that contain the words, and says how many.
    search = page.get_by_label("Search the transcript")
    search.fill("LACTATE")
    expect(page.locator(".transcript-line:visible")).to_have_count(1)
    expect(page.locator(".transcript-line:visible")).to_contain_text("Measure lactate")
    expect(page.locator("[data-transcript-count]")).to_have_text("1 of 3 lines contain “LACTATE”.")
    search.fill("")
    expect(page.locator(".transcript-line:visible")).to_have_count(3)

    # Laptop: the transcript beside the video, no serious accessibility problem.
    video_box = page.locator("video[data-unit-video]").bounding_box()
    panel_box = page.locator("[data-transcript]").bounding_box()
    assert video_box is not None
    assert panel_box is not None
    assert panel_box["x"] >= video_box["x"] + video_box["width"]
    assert_no_serious_violations(page)

    # Phone: the transcript under the video, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    video_box = page.locator("video[data-unit-video]").bounding_box()
    panel_box = page.locator("[data-transcript]").bounding_box()
    assert video_box is not None
    assert panel_box is not None
    assert panel_box["y"] >= video_box["y"] + video_box["height"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page)
