"""Every role's home in Chromium, on the demo hospital, at 1,366 x 900 and 390 x 844: the
learner's courses are above the fold, nothing scrolls sideways, and axe-core finds no serious
or critical violation.

With ``CADENZA_SCREENSHOTS=<folder>`` each home is also saved there as
``home-<role>-<width>.png`` (the whole page), to be looked at.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from cadenza.accounts.models import User
from cadenza.courses.actions import enrol_learner
from cadenza.courses.models import Course, Module
from cadenza.demo.builder import ORG_SLUG, build_demo
from cadenza.demo.people import ADMIN, FRESH_LEARNER, INSTRUCTOR, TEACHING_ASSISTANT
from cadenza.live.models import SessionFormat
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from tests.browser.axe import assert_no_serious_violations
from tests.live.conftest import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES: list[ViewportSize] = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]
PEOPLE = {
    "learner": FRESH_LEARNER,
    "instructor": INSTRUCTOR,
    "ta": TEACHING_ASSISTANT,
    "admin": ADMIN,
}
HEADINGS = {
    "learner": "My learning",
    "instructor": "My teaching",
    "ta": "My teaching",
    "admin": "Organization",
}
SHOTS = os.environ.get("CADENZA_SCREENSHOTS", "")


def _open_home(page: Page, live_server: LiveServer, role: str) -> None:
    build_demo(now=timezone.now())
    user = User.objects.get(email=PEOPLE[role].email)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(user), "url": live_server.url}]
    )


def _scrolls_sideways(page: Page) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
    )


def _snapshot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", ["learner", "instructor", "ta", "admin"])
def test_each_roles_home_fits_both_screens_and_passes_axe(
    live_server: LiveServer, page: Page, role: str
) -> None:
    _open_home(page, live_server, role)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/o/{ORG_SLUG}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[role])
        assert not _scrolls_sideways(page), f"{role} at {size['width']} px scrolls sideways"
        assert_no_serious_violations(page)
        _snapshot(page, f"home-{role}-{size['width']}")


def test_the_learners_courses_are_above_the_fold_then_their_sessions(
    live_server: LiveServer, page: Page
) -> None:
    _open_home(page, live_server, "learner")
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/o/{ORG_SLUG}/")
        first_course = page.locator(".course-list > li").first
        expect(first_course).to_be_visible()
        course = first_course.bounding_box()
        heading = page.locator("#my-courses-heading").bounding_box()
        sessions = page.locator("#upcoming-live-heading").bounding_box()
        assert course is not None
        assert heading is not None
        assert sessions is not None
        # The whole first course card (with its Continue button) is on the first screen.
        assert course["y"] + course["height"] <= size["height"], (size, course)
        if size["width"] < 600:  # one column: the sessions come after the courses
            assert sessions["y"] > course["y"] + course["height"]
        else:  # two columns: the sessions beside the courses, at the same height
            assert sessions["x"] > course["x"] + course["width"]
            assert abs(sessions["y"] - heading["y"]) < 2
        # The next three sessions at most, the rest behind "All sessions".
        assert page.locator(".upcoming-live .session-item").count() == 3
        page.get_by_role("link", name="All sessions").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("All my live sessions")
        assert page.locator(".session-item").count() == 5  # the demo learner's five
        assert not _scrolls_sideways(page)
        assert_no_serious_violations(page)
        _snapshot(page, f"all-sessions-learner-{size['width']}")


def test_an_admin_who_hosts_and_learns_sees_the_three_parts_in_order(
    live_server: LiveServer, page: Page
) -> None:
    _open_home(page, live_server, "admin")
    admin = User.objects.get(email=ADMIN.email)
    course = Course.objects.get(org__slug=ORG_SLUG)
    enrol_learner(course=course, user=admin)
    start = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    schedule_live_session(
        module=Module.objects.filter(course=course).order_by("position").first(),  # type: ignore[arg-type]
        title="Town hall: the sepsis audit",
        agenda="",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        hosts=[admin],
        format=SessionFormat.WEBINAR,
        created_by=admin,
        publish=True,
    )
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/o/{ORG_SLUG}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Organization")
        # The organization's part under the page's h1, then each later part with its h2.
        parts = page.locator(".home-part > h2").all_inner_texts()
        assert parts == ["My teaching", "My learning"]
        hosting = page.locator(".home-teaching .session-list")
        expect(
            hosting.get_by_role("link", name="Town hall: the sepsis audit", exact=True)
        ).to_be_visible()
        assert not _scrolls_sideways(page)
        assert_no_serious_violations(page)
        _snapshot(page, f"home-admin-all-parts-{size['width']}")
