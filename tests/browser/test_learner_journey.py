"""A learner's first session in the demo course, in a real browser against a real server.

Maria Santos (enrolled, not started) logs in, watches the video lecture to the end, marks the
reading as read, fails the knowledge check, tries again and passes; after a reload her
answers and her progress are still there, and the database holds the matching progress rows
and learning-record statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.courses.models import Unit, UnitKind
from cadenza.demo.builder import build_demo
from cadenza.demo.content import COURSE_TITLE
from cadenza.demo.people import DEMO_PASSWORD
from cadenza.learning.models import Attempt, UnitProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "maria.santos@riverside.example"
VIDEO = "Video lecture: the Hour-1 bundle in 20 seconds"
READING = "qSOFA, SIRS and lactate"
CHECK = "Knowledge check: recognising sepsis"
LATER_UNITS = [
    "The five steps of the Hour-1 bundle",
    "Sepsis screening checklist (PDF)",
    "Knowledge check: the Hour-1 bundle",
    "Preparing for the live simulation",
]


def _saved(page: Page, act: Callable[[], None]) -> None:
    """Do ``act`` (an answer) and wait until the page's autosave request has been answered."""
    with page.expect_response(
        lambda r: "/check/answer/" in r.url and r.request.method == "POST"
    ) as response:
        act()
    assert response.value.status == 200


def _questions(page: Page) -> list[Locator]:
    fieldsets = page.locator("fieldset[data-question-id]")
    expect(fieldsets).to_have_count(5)
    return [fieldsets.nth(i) for i in range(5)]


def _type_answer(page: Page, field: Locator, value: str) -> None:
    box = field.locator("input[type=number], input[type=text]")
    box.fill(value)
    _saved(page, lambda: box.dispatch_event("change"))


def _answer(page: Page, *, single: str, several: list[str], true_false: str, number: str,
            text: str) -> None:  # fmt: skip
    q1, q2, q3, q4, q5 = _questions(page)
    _saved(page, lambda: q1.get_by_label(single, exact=True).check())
    for label in several:
        _saved(page, lambda label=label: q2.get_by_label(label, exact=True).check())  # type: ignore[misc]
    _saved(page, lambda: q3.get_by_label(true_false, exact=True).check())
    _type_answer(page, q4, number)
    _type_answer(page, q5, text)


def _outline_state(page: Page, title: str) -> Locator:
    return (
        page.locator("ol.outline li")
        .filter(has=page.get_by_role("link", name=title))
        .locator(".state")
    )


def test_learner_watches_reads_fails_retries_and_passes_and_keeps_her_progress(
    live_server: LiveServer, page: Page
) -> None:
    build_demo()
    url = live_server.url

    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()

    page.get_by_role("link", name=COURSE_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=COURSE_TITLE)).to_be_visible()
    expect(page.locator("label[for=course-progress]")).to_contain_text("0% complete")

    # The video lecture, played to its end by the page's own player and progress script.
    page.get_by_role("link", name=VIDEO, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=VIDEO)).to_be_visible()
    duration = page.locator("video[data-unit-video]").evaluate(
        """async (video) => {
            if (video.readyState < 1) {
                await new Promise((done) => {
                    video.addEventListener("loadedmetadata", done, {once: true});
                });
            }
            video.muted = true;
            await video.play();
            return video.duration;
        }"""
    )
    assert round(duration) == 20
    expect(page.locator("[data-progress-status]")).to_have_text("Completed", timeout=40_000)
    watched = int(page.locator("[data-watched-percent]").inner_text())
    assert 90 <= watched <= 100

    # The reading, marked as read.
    page.get_by_role("link", name=f"Next: {READING}").click()
    expect(page.get_by_role("heading", level=1, name=READING)).to_be_visible()
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("You have read this.")).to_be_visible()

    # The knowledge check: two of five right is 40 %, below the pass mark of 80 %.
    page.get_by_role("link", name=f"Next: {CHECK}").click()
    expect(page.get_by_role("heading", level=1, name=CHECK)).to_be_visible()
    _answer(
        page,
        single="Heart rate above 90 per minute",
        several=[
            "Temperature above 38.0 °C",
            "Heart rate above 90 per minute",
            "Respiratory rate above 20 per minute",
        ],
        true_false="True",
        number="4",
        text="quick",
    )
    page.get_by_role("button", name="Submit answers").click()
    score = page.locator("[data-check-score]")
    expect(score).to_contain_text("Score: 40% — not passed")
    expect(page.locator(".feedback.incorrect")).to_have_count(3)
    expect(page.locator(".feedback.correct")).to_have_count(2)
    expect(page.locator(".feedback.incorrect").first).to_contain_text("Incorrect")

    page.get_by_role("button", name="Try again").click()
    expect(score).to_have_count(0)
    expect(page.locator(".feedback")).to_have_count(0)
    _answer(
        page,
        single="Systolic blood pressure of 100 mmHg or less",
        several=[
            "Temperature above 38.0 °C",
            "Heart rate above 90 per minute",
            "Respiratory rate above 20 per minute",
        ],
        true_false="False",
        number="2",
        text="Quick",
    )
    page.get_by_role("button", name="Submit answers").click()
    expect(score).to_contain_text("Score: 100% — passed")
    expect(page.locator(".feedback.correct")).to_have_count(5)
    expect(page.locator(".feedback.correct").first).to_contain_text("Correct")
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)

    # A reload shows the same answers and the same result.
    page.reload()
    q1, q2, q3, q4, q5 = _questions(page)
    expect(q1.get_by_label("Systolic blood pressure of 100 mmHg or less")).to_be_checked()
    expect(q1.get_by_label("Heart rate above 90 per minute")).not_to_be_checked()
    checked = q2.locator("input[type=checkbox]:checked")
    expect(checked).to_have_count(3)
    expect(q3.get_by_label("False", exact=True)).to_be_checked()
    assert Decimal(q4.locator("input[type=number]").input_value()) == Decimal(2)
    expect(q5.locator("input[type=text]")).to_have_value("Quick")
    expect(score).to_contain_text("Score: 100% — passed")

    # The outline: three of ten units done, 3 * 100 // 10 = 30 %.
    page.get_by_role("link", name="Course outline").first.click()
    expect(page.locator("label[for=course-progress]")).to_contain_text("30% complete")
    expect(page.locator("label[for=course-progress]")).to_contain_text("(3 of 10 units)")
    for title in (VIDEO, READING, CHECK):
        expect(_outline_state(page, title)).to_have_text("Completed")
    for title in LATER_UNITS:
        expect(_outline_state(page, title)).to_have_text("Not started")

    maria = User.objects.get(email=EMAIL)
    progress = {
        row.unit.title: row.status
        for row in UnitProgress.objects.filter(user=maria).select_related("unit")
    }
    assert progress == {VIDEO: "completed", READING: "completed", CHECK: "completed"}
    video = UnitProgress.objects.get(user=maria, unit__kind=UnitKind.VIDEO)
    assert video.watched_seconds >= 18.0
    check = Unit.objects.get(title=CHECK)
    attempts = list(
        Attempt.objects.filter(user=maria, unit=check).values_list(
            "number", "score_percent", "passed"
        )
    )
    assert attempts == [(1, 40.0, False), (2, 100.0, True)]
    verbs = Counter(
        v.rsplit("/", 1)[-1]
        for v in Statement.objects.filter(actor=maria).values_list("verb", flat=True)
    )
    assert verbs == {
        "registered": 1,
        "experienced": 3,
        "progressed": 3,
        "completed": 3,
        "answered": 10,
        "failed": 1,
        "passed": 1,
    }
