"""Every page of the product passes the markup audit of ``tests/web/html_audit.py``.

The pages come from the URL map itself (as in tests/test_tenant_isolation.py), so a page
added later is audited without anyone adding it here. Each URL is requested as the people
who use it (a learner before and after submitting a knowledge check, staff, an admin, a
newcomer, someone outside the organization, nobody logged in), for every unit and question
it can name. A URL that is not a page (a POST endpoint, a file) must be listed in
``NOT_PAGES``, so nothing drops out of the audit silently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cadenza.courses.forms import UNIT_FORMS
from cadenza.courses.models import Enrolment, UnitKind
from cadenza.forums.models import Post, Report, Thread, Topic
from cadenza.learning.models import Question, QuestionKind
from cadenza.live.models import LiveSession, Poll, RoomQuestion
from cadenza.notifications.unsubscribe_tokens import make_token
from cadenza.orgs.models import Membership
from tests.web.conftest import DemoSite
from tests.web.html_audit import audit

pytestmark = pytest.mark.django_db

ORG_PREFIX = "o/<slug:org_slug>/"
SKIPPED_PREFIXES = ("admin/", "api/")

# URLs that answer no page to GET: POST endpoints (405), files, redirects to other pages.
NOT_PAGES = {
    "access_token_revoke",
    "health",
    "favicon",
    "logout",
    "org_logo",
    "org_member_role",
    "org_member_remove",
    "course_enrol",
    "course_publish",
    "withdraw_learner",
    "module_move",
    "module_publish",
    "unit_move",
    "unit_publish",
    "unit_progress",
    "unit_complete",
    "unit_video",
    "unit_download",
    "unit_captions",
    "unit_caption_add",
    "unit_caption_remove",
    "check_answer",
    "check_submit",
    "check_retry",
    "check_question_move",
    "check_question_delete",
    "calendar_feed",
    "live_session_ics",
    "live_room_video_start",
    "live_breakout_video",
    "live_attendance_recount",
    "live_replay_progress",
    "live_recording",
    "live_recording_edit",
    "live_replay_captions",
    "live_replay_caption_add",
    "live_replay_caption_remove",
    "live_question_answer",
    "live_poll_add",
    "live_poll_remove",
    "notification_open",
    "notification_read",
    "notifications_read_all",
    "assignment_draft",
    "assignment_attach",
    "assignment_detach",
    "assignment_submit",
    "assignment_file",
    "assignment_extension_revoke",
    "course_grader",
    "forum_topic_follow",
    "forum_unit_discussion",
    "forum_thread_follow",
    "forum_thread_moderate",
    "forum_post_vote",
    "forum_post_endorse",
    "forum_post_accept",
    "forum_post_delete",
    "forum_report_resolve",
}

ANONYMOUS_PAGES = {
    "login",
    "signup",
    "signup_sent",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "notification_unsubscribe",
    "health",
    "favicon",
    "logout",
}

# The teaching pages a teaching assistant may look at; the others are for authors (403).
READ_ONLY_STAFF_PAGES = {
    "teach",
    "course_builder",
    "course_enrol_emails",
    "course_progress",
    "check_questions",
    "grading_queue",
    "submission_grade",
    "assignment_deadlines",
}


def named_routes() -> list[tuple[str, str]]:
    """(route, name) of every named URL of the product, the Django admin and API aside."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((prefix + str(entry.pattern), entry.name))

    walk(get_resolver(), "")
    return [(route, name) for route, name in found if not route.startswith(SKIPPED_PREFIXES)]


# Live pages for the sessions' hosts (the demo's instructor hosts every session).
LIVE_HOST_PAGES = {
    "live_session_edit",
    "live_session_move",
    "live_session_cancel",
    "live_poll_edit",
}
LIVE_HOST_OR_ADMIN_PAGES = {"live_attendance"}
LIVE_ADMIN_PAGES = {"live_video_settings"}
# Pages about what happened in a session: the past session with its replay.
LIVE_PAST_PAGES = {"live_replay", "live_recording", "live_question_answer", "live_replay_progress"}


# The forum's staff queues, and the pages of a post that only its author or staff open.
FORUM_STAFF_PAGES = {"forum_unanswered", "forum_moderation", "forum_post_edit"}


def viewers(route: str, name: str) -> list[str]:
    """Who requests a URL: the people whose pages it serves."""
    if name in FORUM_STAFF_PAGES:
        return ["instructor", "ta"]
    if name.startswith("forum"):  # a course's forum: its enrolled learners and staff
        return ["learner", "submitted", "instructor"]
    if name in LIVE_HOST_PAGES:
        return ["instructor"]
    if name in LIVE_HOST_OR_ADMIN_PAGES:
        return ["instructor", "admin"]
    if name in LIVE_ADMIN_PAGES:
        return ["admin"]
    if name in ANONYMOUS_PAGES:
        return ["anonymous"]
    if name == "org_join":
        return ["outsider"]
    if name == "home":
        return ["learner", "outsider"]
    if not route.startswith(ORG_PREFIX):
        return ["learner"]
    inside = route.removeprefix(ORG_PREFIX)
    if inside.startswith(("people/", "settings/")):
        return ["admin"]
    if inside.startswith("teach/"):
        return ["instructor", "ta"] if name in READ_ONLY_STAFF_PAGES else ["instructor"]
    if "<int:unit_id>" in route or "<int:session_id>" in route:
        return ["learner", "submitted", "instructor"]
    return ["learner", "submitted", "newcomer", "instructor"]


def url_variants(route: str, name: str, site: DemoSite) -> Iterator[str]:
    """Every URL of ``name`` worth auditing: each unit and question it can name, each kind."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if name == "notification_unsubscribe":  # the page an e-mail's link opens: a real token
        learner_id = site.people["learner"].pk
        yield reverse(name, kwargs={"token": make_token(user_id=learner_id, kind="live.reminder")})
        return
    if "poll_id" in params:  # each poll of the demo's sessions, under its own session
        for poll in Poll.objects.filter(session__course=site.course):
            kwargs = {"org_slug": site.org.slug, "session_id": poll.session_id, "poll_id": poll.pk}
            yield reverse(name, kwargs=kwargs)
        return
    unit_kind = {"unit_video": UnitKind.VIDEO, "unit_download": UnitKind.RESOURCE}.get(name)
    if name.startswith("unit_caption"):
        unit_kind = UnitKind.VIDEO
    if name.startswith("check_"):
        unit_kind = UnitKind.KNOWLEDGE_CHECK
    if name.startswith("live_"):
        unit_kind = UnitKind.LIVE_SESSION
    if name.startswith("assignment"):
        unit_kind = UnitKind.ASSIGNMENT
    learner = site.people["learner"]
    fixed: dict[str, list[str | int]] = {
        "org_slug": [site.org.slug],
        "course_slug": [site.course.slug],
        "module_id": [site.units()[0].module_id],
        "enrolment_id": [Enrolment.objects.get(course=site.course, user=learner).pk],
        "membership_id": [Membership.objects.get(org=site.org, user=learner).pk],
        "uidb64": [urlsafe_base64_encode(force_bytes(learner.pk))],
        "token": [default_token_generator.make_token(learner), "expired-token"],
        "session_id": [session.pk for session in live_sessions(site, name)],
        "language": ["en"],  # the demo video's English captions
        "token_id": [1],  # only access_token_revoke, which answers GET with 405 before a lookup
        "notification_id": [1],  # POST only: GET answers 405 before a lookup
        "submission_id": [site.submission.pk],
        "file_id": [site.submission.file_id or 0],
        "learner_id": [site.submission.learner_id],
        "person_id": [site.people["ta"].pk],
        **forum_params(site),
    }
    unknown = [
        param for param in params if param not in fixed and param not in ("unit_id", "question_id")
    ]
    assert not unknown, f"{name}: teach this test about URL parameter(s) {unknown}"
    query = {
        "unit_new": [
            f"?kind={kind}" for kind in [*UNIT_FORMS, UnitKind.LIVE_SESSION, UnitKind.ASSIGNMENT]
        ],
        "check_question_new": [f"?kind={kind}" for kind in QuestionKind.values],
    }.get(name, [""])
    units = site.units(unit_kind) if "unit_id" in params else [None]
    for unit in units:
        questions: list[Question | RoomQuestion | None] = (
            list(Question.objects.filter(unit=unit)) if "question_id" in params else [None]
        )
        if name.startswith("live_") and "question_id" in params:
            questions = list(RoomQuestion.objects.filter(session__course=site.course))
        for question in questions:
            choices = dict(fixed)
            if unit is not None:
                choices["unit_id"] = [unit.pk]
            if question is not None:
                choices["question_id"] = [question.pk]
            for values in itertools.product(*(choices[param] for param in params)):
                for suffix in query:
                    yield reverse(name, kwargs=dict(zip(params, values, strict=True))) + suffix
    if name == "course_builder":  # an empty draft course: the builder's empty state
        yield reverse(
            name, kwargs={"org_slug": site.org.slug, "course_slug": site.empty_course.slug}
        )


def forum_params(site: DemoSite) -> dict[str, list[str | int]]:
    """Each of the demo forum's topics (general, a module, the unit with discussion on), its
    threads, a reply (endorsed, edited, commented on, reported) and the open report."""
    threads = Thread.objects.filter(course=site.course).order_by("pk")
    reply = Post.objects.filter(thread__course=site.course, endorsed_at__isnull=False).get()
    unit_topics = Topic.objects.filter(course=site.course, kind="unit")
    return {
        "topic": [
            "general",
            f"module-{site.units()[0].module_id}",
            *[topic.key for topic in unit_topics],
        ],
        "thread_id": [thread.pk for thread in threads],
        "post_id": [reply.pk],
        "report_id": [Report.objects.get(post=reply).pk],
    }


def live_sessions(site: DemoSite, name: str) -> list[LiveSession]:
    """The demo's sessions a live URL is audited with: the past one with its replay, and for
    the pages before and during a session also an occurrence of the weekly series and the
    upcoming single session."""
    sessions = LiveSession.objects.filter(course=site.course).order_by("starts_at", "id")
    past = [s for s in sessions if s.recording_file]
    if name in LIVE_PAST_PAGES:
        return past
    series = [s for s in sessions if s.series_id is not None][:1]
    single = [s for s in sessions if s.series_id is None and not s.recording_file]
    return past + series + single


def test_the_audit_walks_every_page_of_the_product(demo_site: DemoSite) -> None:
    """Every URL is audited or declared not a page, and every page has a viewer and a URL."""
    routes = named_routes()
    assert NOT_PAGES - {name for _route, name in routes} == set()
    unvisited = [
        name
        for route, name in routes
        if name not in NOT_PAGES
        and not (viewers(route, name) and list(url_variants(route, name, demo_site)))
    ]
    assert unvisited == []
    assert {
        "dashboard",
        "unit",
        "course_builder",
        "check_question_new",
        "org_people",
        "live_room",
        "live_unit_sessions",
        "live_replay",
        "live_attendance",
        "calendar_settings",
    } <= {name for _route, name in routes if name not in NOT_PAGES}


@pytest.mark.parametrize(
    "viewer",
    ["anonymous", "learner", "submitted", "newcomer", "outsider", "instructor", "ta", "admin"],
)
def test_every_page_passes_the_accessibility_audit(demo_site: DemoSite, viewer: str) -> None:
    client = Client()
    if viewer != "anonymous":
        client.force_login(demo_site.people[viewer])
    problems: list[str] = []
    for route, name in named_routes():
        if viewer not in viewers(route, name):
            continue
        for url in url_variants(route, name, demo_site):
            response = client.get(url, follow=True)
            response.close()  # a file download streams from an open file
            is_html = response.get("Content-Type", "").startswith("text/html")
            if name in NOT_PAGES:
                assert not (
                    response.status_code == 200 and is_html and response.redirect_chain == []
                ), f"{name} ({url}) is a page now: remove it from NOT_PAGES"
                continue
            if response.status_code != 200 or not is_html:
                problems.append(
                    f"{url}: answered {response.status_code} {response.get('Content-Type')}"
                )
                continue
            problems += [f"{url}: {problem}" for problem in audit(response.content.decode())]
    assert problems == [], "\n".join(problems)


def test_error_pages_pass_the_accessibility_audit(demo_site: DemoSite) -> None:
    client = Client()
    client.force_login(demo_site.people["learner"])
    refused = client.get(reverse("teach", kwargs={"org_slug": demo_site.org.slug}))
    missing = client.get(
        reverse("course_outline", kwargs={"org_slug": demo_site.org.slug, "course_slug": "nope"})
    )
    assert (refused.status_code, missing.status_code) == (403, 404)
    pages = {
        "403": refused.content.decode(),
        "404": missing.content.decode(),
        "400": render_to_string("400.html"),
        "500": render_to_string("500.html"),
    }
    assert {status: audit(html) for status, html in pages.items()} == {
        "403": [],
        "404": [],
        "400": [],
        "500": [],
    }
    assert "Your role does not allow this" in pages["403"]


def _form_posts(site: DemoSite) -> list[tuple[str, str, dict[str, str]]]:
    """(viewer, URL, posted data) for each form, with data it refuses (or a preview)."""
    org = {"org_slug": site.org.slug}
    course = {**org, "course_slug": site.course.slug}
    module = {**course, "module_id": site.units()[0].module_id}
    check = site.units(UnitKind.KNOWLEDGE_CHECK)[0]
    video = site.units(UnitKind.VIDEO)[0]
    upcoming = LiveSession.objects.filter(course=site.course, series__isnull=True).last()
    assert upcoming is not None
    session = {**org, "session_id": upcoming.pk}
    past = LiveSession.objects.filter(course=site.course).exclude(recording_file="").get()
    replay = {**org, "session_id": past.pk}
    thread = Thread.objects.filter(course=site.course).order_by("pk")[0]
    reply = Post.objects.get(thread=thread, endorsed_at__isnull=False)
    return [
        ("anonymous", reverse("login"), {"username": "nobody@example.org", "password": "wrong"}),
        ("anonymous", reverse("signup"), {"email": "not-an-address"}),
        ("anonymous", reverse("password_reset"), {"email": ""}),
        ("learner", reverse("profile"), {"display_name": "", "time_zone": "Mars/Olympus"}),
        ("admin", reverse("org_people", kwargs=org), {"emails": "not-an-address"}),
        ("admin", reverse("org_settings", kwargs=org), {"name": ""}),
        ("instructor", reverse("course_new", kwargs=org), {"title": ""}),
        ("instructor", reverse("course_edit", kwargs=course), {"title": ""}),
        ("instructor", reverse("course_enrol_emails", kwargs=course), {"emails": "x"}),
        ("instructor", reverse("module_new", kwargs=course), {"title": ""}),
        *[
            ("instructor", reverse("unit_new", kwargs=module) + f"?kind={kind}", {"title": ""})
            for kind in UNIT_FORMS
        ],
        (
            "instructor",
            reverse("unit_new", kwargs=module) + "?kind=reading",
            {"title": "", "body": "| a | b |\n|---|---|\n| 1 | 2 |", "preview": "1"},
        ),
        (
            "instructor",
            reverse("unit_caption_add", kwargs=course | {"unit_id": video.pk}),
            {"language": "en_GB", "label": ""},
        ),
        ("instructor", reverse("live_schedule_new", kwargs=module), {"title": ""}),
        ("instructor", reverse("live_session_edit", kwargs=session), {"title": ""}),
        ("instructor", reverse("live_session_move", kwargs=session), {"starts_at": "soon"}),
        ("admin", reverse("live_video_settings", kwargs=org), {"default_provider": "zoom"}),
        ("instructor", reverse("live_recording_edit", kwargs=replay), {"url": "http://x.org"}),
        (
            "instructor",
            reverse("live_replay_caption_add", kwargs=replay),
            {"language": "en_GB", "label": ""},
        ),
        ("learner", reverse("forum_topic", kwargs=course | {"topic": "general"}), {"title": ""}),
        ("learner", reverse("forum_thread", kwargs=course | {"thread_id": thread.pk}), {}),
        ("instructor", reverse("forum_post_edit", kwargs=course | {"post_id": reply.pk}), {}),
        ("learner", reverse("forum_post_report", kwargs=course | {"post_id": reply.pk}), {}),
        *[
            (
                "instructor",
                reverse("check_question_new", kwargs=course | {"unit_id": check.pk})
                + f"?kind={kind}",
                {"prompt": ""},
            )
            for kind in QuestionKind.values
        ],
    ]


def test_forms_showing_errors_pass_the_accessibility_audit(demo_site: DemoSite) -> None:
    problems: list[str] = []
    for viewer, url, data in _form_posts(demo_site):
        client = Client()
        if viewer != "anonymous":
            client.force_login(demo_site.people[viewer])
        response = client.post(url, data)
        if response.status_code not in (200, 400) or "text/html" not in response["Content-Type"]:
            problems.append(f"POST {url}: answered {response.status_code}")
            continue
        html = response.content.decode()
        if not any(
            sign in html for sign in ('aria-invalid="true"', "nonfield", "markdown-preview")
        ):
            problems.append(f"POST {url}: shows no error")
        problems += [f"POST {url}: {problem}" for problem in audit(html)]
    assert problems == [], "\n".join(problems)
