"""Tenancy and role matrix over every organization URL (DESIGN section 4, "Tenancy").

The matrix is built from the URL map itself, so a page added later is covered without anyone
remembering to add it here; a URL with a parameter this file does not know fails the suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadenza.accounts.models import User
from cadenza.assignments import actions as assignment_actions
from cadenza.assignments.models import Submission
from cadenza.courses.actions import enrol_learner, publish_course, save_caption_track
from cadenza.courses.models import Course, Enrolment, Module, Unit, UnitKind
from cadenza.courses.uploads import DOCUMENT_TYPES, check_upload
from cadenza.forums import actions as forum_actions
from cadenza.forums.models import Post, Report, Thread, ThreadKind
from cadenza.forums.selectors import access_forum_course, access_place
from cadenza.learning.actions.knowledge_checks import add_question
from cadenza.learning.models import Question, QuestionKind
from cadenza.live.attendance.actions.captions import save_replay_captions
from cadenza.live.models import LiveSession, Poll, ReplayCaptionTrack, RoomQuestion, SessionFormat
from cadenza.live.room.actions.polls import create_poll
from cadenza.live.room.actions.questions import ask_question
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from cadenza.notifications.models import Notification
from cadenza.orgs.models import Membership, Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.factories import make_course, make_module, make_org, make_unit, make_user

pytestmark = pytest.mark.django_db

ORG_PREFIX = "o/<slug:org_slug>/"
STAFF_ONLY_PREFIXES = ("teach/", "people/", "settings/", "video/")
STAFF_ONLY_NAMES = frozenset(
    {
        "live_session_edit",
        "live_session_move",
        "live_session_cancel",
        "live_attendance",
        "live_attendance_recount",
        "live_question_answer",
        "live_recording_edit",
        "live_replay_caption_add",
        "live_replay_caption_remove",
        "live_poll_add",
        "live_poll_edit",
        "live_poll_remove",
        "forum_unit_discussion",
        "forum_thread_moderate",
        "forum_post_endorse",
        "forum_unanswered",
        "forum_moderation",
        "forum_report_resolve",
    }
)


def is_staff_page(route: str, name: str) -> bool:
    """Pages only staff may use: the teaching, people and settings areas and live hosting."""
    return (
        route.removeprefix(ORG_PREFIX).startswith(STAFF_ONLY_PREFIXES) or name in STAFF_ONLY_NAMES
    )


@dataclass
class Site:
    org: Organization
    learner: User
    instructor: User
    admin: User
    course: Course
    module: Module
    units: dict[str, Unit]
    question: Question
    enrolment: Enrolment
    membership: Membership
    live_session: LiveSession
    room_question: RoomQuestion
    poll_id: int  # kept: a walk that posts to the poll's remove page deletes the row
    ta: User
    submission: Submission
    thread: Thread
    reply: Post
    report: Report


def build_site(slug: str) -> Site:
    org = make_org(slug)
    learner = make_user(org, Role.LEARNER)
    instructor = make_user(org, Role.INSTRUCTOR)
    admin = make_user(org, Role.ADMIN)
    course = make_course(org, slug=f"{slug}-course", open_enrolment=True)
    module = make_module(course)
    units = {
        "reading": make_unit(module, UnitKind.READING, body="Read me"),
        "video": make_unit(
            module,
            UnitKind.VIDEO,
            video_file=ContentFile(b"\x1aE\xdf\xa3" + b"\0" * 64, name="lecture.webm"),
            video_duration_seconds=10.0,
        ),
        "resource": make_unit(
            module,
            UnitKind.RESOURCE,
            resource_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="checklist.pdf"),
            resource_name="checklist.pdf",
            resource_content_type="application/pdf",
            resource_size=15,
        ),
        "check": make_unit(module, UnitKind.KNOWLEDGE_CHECK),
    }
    question = add_question(
        unit=units["check"],
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Lactate threshold?",
        choices=[("2 mmol/L", True), ("8 mmol/L", False)],
    )
    scheduled = schedule_live_session(
        module=module,
        title="Sepsis simulation",
        agenda="",
        starts_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 16, 0, tzinfo=UTC),
        hosts=[instructor],
        format=SessionFormat.CLASS,
        created_by=instructor,
    )
    units["live"] = scheduled.unit
    save_caption_track(
        ctx=OrgContext(org=org, user=instructor, role=Role.INSTRUCTOR),
        unit=units["video"],
        language=f"en-x-{slug}",
        label="English",
        file="WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n",
    )
    live_session = scheduled.sessions[0]
    save_replay_captions(
        session=live_session,
        by=instructor,
        language=f"en-x-{slug}",
        label="English",
        file="WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n",
    )
    publish_course(course=course)
    enrolment, _ = enrol_learner(course=course, user=learner)
    membership = Membership.objects.get(org=org, user=learner)
    ask_question(
        ctx=OrgContext(org=org, user=learner, role=Role.LEARNER),
        session=live_session,
        body="Which fluid first?",
        client_event_id="q-1",
    )
    room_question = RoomQuestion.objects.get(session=live_session)
    create_poll(
        ctx=OrgContext(org=org, user=instructor, role=Role.INSTRUCTOR),
        session=live_session,
        prompt="Ready?",
        options=["Yes", "No"],
        client_event_id="p-1",
    )
    poll = Poll.objects.get(session=live_session)
    ta = make_user(org, Role.TA)
    assignment = assignment_actions.create_assignment(
        module=module,
        title="Case essay",
        body="Write.",
        settings=assignment_actions.AssignmentSettings(accepts_text=True, accepts_file=True),
        rubric=[
            assignment_actions.CriterionSpec(
                title="Argument", levels=[assignment_actions.LevelSpec("Clear", 4)]
            )
        ],
    )
    publish_course(course=course)
    units["assignment"] = assignment.unit
    assignment_actions.add_grader(course=course, user=ta, added_by=instructor)
    assignment_actions.attach_file(
        assignment=assignment,
        learner=learner,
        upload=check_upload(
            SimpleUploadedFile("essay.pdf", b"%PDF-1.4\n%%EOF\n"),
            allowed=DOCUMENT_TYPES,
            max_bytes=1024,
            what="submission",
        ),
    )
    assignment_actions.save_draft(assignment=assignment, learner=learner, text="Essay")
    submission = assignment_actions.submit(
        assignment=assignment, learner=learner, zone=ZoneInfo("UTC")
    )
    thread, reply, report = build_forum(org, course, learner=learner, instructor=instructor)
    return Site(
        org,
        learner,
        instructor,
        admin,
        course,
        module,
        units,
        question,
        enrolment,
        membership,
        live_session,
        room_question,
        poll.pk,
        ta,
        submission,
        thread,
        reply,
        report,
    )


def build_forum(
    org: Organization, course: Course, *, learner: User, instructor: User
) -> tuple[Thread, Post, Report]:
    """A question in the general topic, an instructor's reply, and a report of that reply."""
    learner_ctx = OrgContext(org=org, user=learner, role=Role.LEARNER)
    staff_ctx = OrgContext(org=org, user=instructor, role=Role.INSTRUCTOR)
    forum_course = access_forum_course(learner_ctx, slug=course.slug)
    thread = forum_actions.start_thread(
        learner_ctx,
        place=access_place(learner_ctx, course=forum_course, key="general"),
        kind=ThreadKind.QUESTION,
        title="Which fluid first?",
        body="Crystalloid?",
    )
    thread = Thread.objects.select_related("course").get(pk=thread.pk)
    # The learner stops following first, so the reply notifies nobody: the notification
    # tests below count each person's notices from zero.
    forum_actions.set_following_thread(learner_ctx, thread=thread, following=False)
    reply = forum_actions.post_reply(staff_ctx, thread=thread, body="Yes, 30 mL/kg.")
    report = forum_actions.report_post(
        learner_ctx, post=Post.objects.select_related("thread").get(pk=reply.pk), reason="Check"
    )
    return thread, reply, report


def organization_urls() -> list[tuple[str, str]]:
    """(route, name) for every named URL under /o/<org_slug>/."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((prefix + str(entry.pattern), entry.name))

    walk(get_resolver(), "")
    return [(route, name) for route, name in found if route.startswith(ORG_PREFIX)]


def url_for(route: str, name: str, *, org_slug: str, site: Site) -> str:
    """The URL ``name`` with ``site``'s objects, under organization ``org_slug``."""
    unit_kind = "reading"
    if name == "unit_video" or name.startswith("unit_caption"):
        unit_kind = "video"
    elif name == "unit_download":
        unit_kind = "resource"
    elif name.startswith("check_"):
        unit_kind = "check"
    elif name.startswith("live_"):
        unit_kind = "live"
    elif name.startswith("assignment"):
        unit_kind = "assignment"
    known = {
        "org_slug": org_slug,
        "course_slug": site.course.slug,
        "unit_id": site.units[unit_kind].pk,
        "module_id": site.module.pk,
        "question_id": site.room_question.pk if name.startswith("live_") else site.question.pk,
        "session_id": site.live_session.pk,
        "enrolment_id": site.enrolment.pk,
        "membership_id": site.membership.pk,
        "language": f"en-x-{site.org.slug}",
        "poll_id": site.poll_id,
        "file_id": site.submission.file_id,
        "learner_id": site.learner.pk,
        "person_id": site.ta.pk,
        "submission_id": site.submission.pk,
        "thread_id": site.thread.pk,
        "post_id": site.reply.pk,
        "report_id": site.report.pk,
        "topic": f"unit-{site.units['reading'].pk}"
        if name == "forum_unit_discussion"
        else "general",
    }
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    unknown = [param for param in names if param not in known]
    assert not unknown, f"{name}: teach this test about URL parameter(s) {unknown}"
    return reverse(name, kwargs={param: known[param] for param in names})


def snapshot() -> dict[str, int]:
    """Row counts of every Cadenza table: a denied request must leave them all unchanged."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "orgs",
            "activity",
            "notifications",
            "courses",
            "learning",
            "assignments",
            "forums",
        }
        or model is ReplayCaptionTrack
    }


@pytest.fixture
def two_sites() -> tuple[Site, Site]:
    return build_site("alpha"), build_site("beta")


def test_the_matrix_covers_every_page_of_the_foundation() -> None:
    names = {name for _route, name in organization_urls()}
    for expected in (
        "dashboard",
        "unit",
        "check_answer",
        "course_builder",
        "org_people",
        "assignment",
        "assignment_file",
        "grading_queue",
        "submission_grade",
        "forum",
        "forum_thread",
        "forum_post_edit",
        "forum_report_resolve",
    ):
        assert expected in names


@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_one_organization_gets_404_on_every_url_of_another(
    client: Client, two_sites: tuple[Site, Site], method: str
) -> None:
    alpha, beta = two_sites
    before = snapshot()
    for person in (alpha.learner, alpha.instructor, alpha.admin):
        client.force_login(person)
        for route, name in organization_urls():
            url = url_for(route, name, org_slug=beta.org.slug, site=beta)
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), (person.email, method, url)
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_ids_of_another_organization_answer_404_inside_ones_own(
    client: Client, two_sites: tuple[Site, Site], method: str
) -> None:
    """Alpha's own slug with beta's course, unit, question or membership ids: 404.

    Learner pages are tried as alpha's learner, staff pages as alpha's admin (so a 403
    for the role cannot hide a missing organization check).
    """
    alpha, beta = two_sites
    before = snapshot()
    for route, name in organization_urls():
        url = url_for(route, name, org_slug=alpha.org.slug, site=beta)
        if url == url_for(route, name, org_slug=alpha.org.slug, site=alpha):
            continue  # the URL names no object (dashboard, catalog, people ...)
        client.force_login(alpha.admin if is_staff_page(route, name) else alpha.learner)
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), (method, url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_learner_is_refused_every_staff_page_and_nothing_changes(
    client: Client, two_sites: tuple[Site, Site], method: str
) -> None:
    alpha, _beta = two_sites
    client.force_login(alpha.learner)
    before = snapshot()
    checked = 0
    for route, name in organization_urls():
        if not is_staff_page(route, name):
            continue
        url = url_for(route, name, org_slug=alpha.org.slug, site=alpha)
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404, 405), (method, url, response.status_code)
        checked += 1
    assert checked == len([r for r, n in organization_urls() if is_staff_page(r, n)])
    assert snapshot() == before


# A person's own notification pages (/notifications/) and API (/api/v1/me/notifications...):
# not under an organization, so each notice is checked by its person and organization.


def notification_urls() -> list[tuple[str, str]]:
    """(route, name) of every named URL under /notifications/ that names one notice."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((prefix + str(entry.pattern), entry.name))

    walk(get_resolver(), "")
    return [(r, n) for r, n in found if r.startswith("notifications/") and "<int:" in r]


NOTIFICATION_API = [
    ("post", "/api/v1/me/notifications/{id}/read"),
]


def _notify(site: Site) -> int:
    """A notice for the site's learner: its session's cancellation."""
    from cadenza.live.schedule.actions.reminders import notify_session_cancelled

    notify_session_cancelled(session=site.live_session, by=None)
    return Notification.objects.get(user=site.learner).pk


def _unread() -> list[int]:
    return sorted(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_or_organizations_notice_answers_404_and_nothing_changes(
    client: Client, two_sites: tuple[Site, Site], method: str
) -> None:
    alpha, beta = two_sites
    beta_notice = _notify(beta)
    _notify(alpha)
    alpha_instructor_notice = Notification.objects.get(user=alpha.instructor).pk
    before, unread = snapshot(), _unread()
    urls = notification_urls()
    assert {name for _r, name in urls} == {"notification_open", "notification_read"}
    for person in (alpha.learner, alpha.admin):
        client.force_login(person)
        for other in (beta_notice, alpha_instructor_notice):
            for route, name in urls:
                response = getattr(client, method)(reverse(name, args=[other]))
                assert response.status_code in (404, 405), (person.email, route, other)
            for api_method, path in NOTIFICATION_API:
                response = getattr(client, api_method)(path.format(id=other))
                assert response.status_code == 404, (person.email, path, other)
        # Reading everything of one's own leaves everyone else's unread.
        client.post("/notifications/read-all/")
        client.post("/api/v1/me/notifications/read-all")
    assert snapshot() == before
    assert beta_notice in _unread()
    assert alpha_instructor_notice in _unread()
    own = Notification.objects.filter(user__in=[alpha.learner, alpha.admin])
    assert set(_unread()) == set(unread) - set(own.values_list("pk", flat=True))


def test_a_persons_notice_lists_show_only_their_own(
    client: Client, two_sites: tuple[Site, Site]
) -> None:
    alpha, beta = two_sites
    _notify(alpha)
    _notify(beta)
    client.force_login(alpha.learner)
    listing = client.get("/api/v1/me/notifications").json()
    assert [item["org"] for item in listing["items"]] == [alpha.org.slug]
    assert client.get("/api/v1/me/notifications/unread-count").json() == {"count": 1}
    page = client.get("/notifications/").content.decode()
    assert alpha.org.name in page
    assert beta.org.name not in page
