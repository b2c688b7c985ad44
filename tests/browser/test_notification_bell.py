"""The bell in the page header counts up live, without a reload, when a notification is
dispatched: a host cancels the session in another browser, and Ada's open page shows it.

Both tabs talk to a real ``cadenza serve``; Ada's page opens her personal socket (/ws/me/),
the host's cancellation dispatches the notices in the server, and the count reaches Ada's
socket through the channel layer after commit.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import LiveRoom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab(browser: Browser, live_room: LiveRoom, who: str, path: str) -> Page:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    context.add_cookies(
        [{"name": "sessionid", "value": live_room.cookies[who], "url": live_room.base}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_room.base + path)
    return page


def test_the_bell_count_rises_live_when_a_notification_is_dispatched(
    browser: Browser, live_room: LiveRoom
) -> None:
    room = live_room.room
    ada = _tab(browser, live_room, "ada", f"/o/{room.org.slug}/")
    errors: list[str] = []
    ada.on("pageerror", lambda error: errors.append(str(error)))
    bell = ada.locator("#bell")
    expect(bell).to_have_attribute("data-state", "connected")
    expect(bell).to_have_attribute("aria-label", "Notifications, 0 unread")
    expect(ada.locator("#bell-count")).to_be_hidden()
    ada.evaluate("window.stillTheSamePage = true")

    host = _tab(browser, live_room, "host", f"/o/{room.org.slug}/live/{room.session.pk}/cancel/")
    host.get_by_role("button", name="Cancel the session").click()
    expect(host.locator(".messages")).to_contain_text("participants were told")

    expect(ada.locator("#bell-count")).to_have_text("1")
    expect(ada.locator("#bell-count")).to_be_visible()
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    assert ada.evaluate("window.stillTheSamePage") is True  # no reload

    ada.goto(live_room.base + "/notifications/")
    notice = ada.get_by_role("button", name="Cancelled: Sepsis simulation", exact=True)
    expect(notice).to_be_visible()
    assert_no_serious_violations(ada)
    ada.get_by_role("button", name="Mark all as read").click()
    expect(ada.locator("#bell-count")).to_be_hidden()
    expect(bell).to_have_attribute("aria-label", "Notifications, 0 unread")
    assert errors == []
