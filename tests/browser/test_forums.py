"""The forum in Chromium at a phone's width (390 px), used with the keyboard alone, with no
serious axe-core violation, and anonymity towards peers as a learner sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cadenza.accounts.models import User
from cadenza.forums import actions
from cadenza.forums.models import Post, Thread, ThreadKind
from tests.browser.axe import assert_no_serious_violations
from tests.forums.conftest import build_classroom
from tests.live.conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "Is this right?\n\n```\nif lactate > 2:\n    repeat_within_hours(2, 4)  # a long comment "
    "that would push a narrow page sideways if code blocks did not scroll on their own\n```\n\n"
    "See https://www.example.org/a/very/long/address/without/any/spaces/in/it/at/all/sepsis"
)


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(user), "url": live_server.url}]
    )


def test_a_learner_reads_and_replies_by_keyboard_on_a_phone(
    live_server: LiveServer, page: Page
) -> None:
    room = build_classroom()
    thread = actions.start_thread(
        room.ctx(room.ada),
        place=room.place(room.ada),
        kind=ThreadKind.QUESTION,
        title="When do we repeat the lactate?",
        body=BODY,
        anonymous=True,
    )
    base = f"{live_server.url}/o/{room.org.slug}/courses/{room.course.slug}/forum"
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, room.bob)

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1, name="Forum")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page)

    page.get_by_role("link", name="General").click()
    expect(page.get_by_role("link", name=thread.title)).to_be_visible()
    expect(page.locator(".forum-thread")).to_contain_text("Anonymous")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page)

    page.get_by_role("link", name=thread.title).click()
    expect(page.get_by_role("heading", level=1, name=thread.title)).to_be_visible()
    assert "Ada" not in page.locator("main").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page)

    # Keyboard only: into the reply box, type, tick "anonymous", on to the button, Enter.
    page.get_by_label("Your reply").focus()
    page.keyboard.type("Within 2 to 4 hours if it was raised.")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post reply")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    reply = Post.objects.get(thread=thread, is_opening=False)
    assert (reply.author_id, reply.anonymous) == (room.bob.pk, True)
    expect(page.locator(f"#post-{reply.pk}")).to_contain_text("(anonymous to peers)")

    # The upvote button is reached and pressed from the keyboard too.
    vote = page.locator(f"#post-{reply.pk}").get_by_role("button", name="upvote")
    vote.focus()
    page.keyboard.press("Enter")
    expect(
        page.locator(f"#post-{reply.pk}").get_by_role("button", name="upvote")
    ).to_have_attribute("aria-pressed", "true")
    assert Post.objects.get(pk=reply.pk).upvote_count == 1
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page)
