"""The pages and the live room still work in Chromium under the Content-Security-Policy, and
the browser reports no violation of it anywhere.

A violation shows up twice, and either fails the test: Chromium's own console error ("Refused
to ... because it violates the following Content Security Policy directive"), and the
``securitypolicyviolation`` event, which a script added to every page before its own scripts
turns into a console error naming the directive and the blocked address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect
from pytest_django.live_server_helper import LiveServer

from cadenza.accounts.models import User
from cadenza.demo.builder import build_demo
from cadenza.demo.content import COURSE_TITLE
from cadenza.demo.people import DEMO_PASSWORD
from cadenza.learning.models import Answer
from tests.browser.conftest import LiveRoom, open_the_room, say

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""

EMAIL = "maria.santos@riverside.example"
READING = "qSOFA, SIRS and lactate"
CHECK = "Knowledge check: recognising sepsis"


def _is_violation(message: ConsoleMessage) -> bool:
    return message.type == "error" and (
        "Content Security Policy" in message.text or "CSP violation" in message.text
    )


@pytest.fixture
def violations() -> list[str]:
    return []


def _watch(context: BrowserContext, violations: list[str], who: str = "") -> None:
    context.add_init_script(REPORT_VIOLATIONS)
    context.on(
        "console",
        lambda message: (
            violations.append(f"{who}{message.text}") if _is_violation(message) else None
        ),
    )


def _collect(errors: list[str], who: str) -> Callable[[Error], None]:
    return lambda error: errors.append(f"{who}: {error}")


@pytest.fixture
def watched_page(browser: Browser, violations: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    _watch(context, violations)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_learner_pages_and_admin_log_in_run_with_no_policy_violation(
    live_server: LiveServer, watched_page: Page, violations: list[str]
) -> None:
    build_demo()
    page, url = watched_page, live_server.url

    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    # The organization's accent colour comes from the one inline <style>, which has the nonce.
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--accent')"
    )
    assert accent.strip() == "#0b7a75"

    page.get_by_role("link", name=COURSE_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=COURSE_TITLE)).to_be_visible()

    page.get_by_role("link", name=READING, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=READING)).to_be_visible()

    # The knowledge check saves each answer through htmx as it is given.
    page.get_by_role("link", name="Course outline").first.click()
    page.get_by_role("link", name=CHECK, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=CHECK)).to_be_visible()
    first = page.locator("fieldset[data-question-id]").first
    with page.expect_response(lambda r: "/check/answer/" in r.url) as answered:
        first.get_by_label("Heart rate above 90 per minute", exact=True).check()
    assert answered.value.status == 200
    maria = User.objects.get(email=EMAIL)
    assert Answer.objects.filter(attempt__user=maria).count() == 1

    page.goto(f"{url}/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert violations == []


def test_admin_pages_and_api_docs_run_with_no_policy_violation(
    live_server: LiveServer, watched_page: Page, violations: list[str]
) -> None:
    User.objects.create_superuser(
        email="root@example.org", username="root@example.org", password="a long passphrase 77"
    )
    page, url = watched_page, live_server.url
    page.goto(f"{url}/admin/login/")
    page.locator("#id_username").fill("root@example.org")
    page.locator("#id_password").fill("a long passphrase 77")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{url}/admin/accounts/user/")
    expect(page.get_by_role("link", name="root@example.org")).to_be_visible()
    page.get_by_role("link", name="root@example.org").click()
    # The change page lists every permission (hundreds): wait for it to load (the page's
    # 15 s), not only for expect's 5 s, which a busy machine's PostgreSQL run overran.
    page.wait_for_url(re.compile(r"/admin/accounts/user/\d+/change/$"))
    expect(page.locator("form#user_form")).to_be_visible()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    # The API's docs: Swagger UI, from the site's own files, runs and draws itself.
    page.goto(f"{url}/api/v1/docs")
    expect(page.locator("#swagger-ui > .swagger-ui")).to_be_attached()
    assert violations == []


def test_live_room_with_chat_runs_with_no_policy_violation(
    browser: Browser, live_room: LiveRoom, violations: list[str]
) -> None:
    pages: list[Page] = []
    errors: list[str] = []
    for who in ("host", "ada"):
        context = browser.new_context(viewport={"width": 1024, "height": 900})
        _watch(context, violations, who=f"{who}: ")
        context.add_cookies(
            [{"name": "sessionid", "value": live_room.cookies[who], "url": live_room.base}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", _collect(errors, who))
        page.goto(live_room.url)
        pages.append(page)
    host, ada = pages
    open_the_room(host, ada)
    say(ada, "Hello under a strict policy")
    expect(host.locator("#chat-list .chat-body")).to_have_text(["Hello under a strict policy"])
    ada.reload()  # the tab rejoins by itself and resumes from what it kept
    expect(ada.locator("#room-status")).to_have_text("The session is live.")
    expect(ada.locator("#chat-list .chat-body")).to_have_text(["Hello under a strict policy"])
    say(ada, "Still here after a reload")
    expect(host.locator("#chat-list .chat-body")).to_have_text(
        ["Hello under a strict policy", "Still here after a reload"]
    )
    for page in pages:
        page.context.close()
    assert errors == []
    assert violations == []
