"""A live session scheduled in a published course is visible to its learners; a draft course
is said plainly on the form, which offers to publish it; and a join link sent to a learner
never answers "Page not found" (another organization's session still does)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadenza.courses.models import Course, Module, Unit
from cadenza.live.models import LiveSession, SessionFormat
from cadenza.live.schedule.actions.scheduling import (
    cancel_session,
    move_occurrence,
    schedule_live_session,
)
from cadenza.live.sessions.access import session_closed_to
from cadenza.orgs.selectors import access_org
from tests.api.conftest import api_as
from tests.factories import enrol, make_course, make_module
from tests.live.fixtures_scheduling import START, School, build_school, client_for, schedule
from tests.live.test_scheduling_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    return build_school()


def room_url(session: LiveSession, org: str = "harbour") -> str:
    return reverse("live_room", kwargs={"org_slug": org, "session_id": session.pk})


def new_url(module: Module) -> str:
    return reverse(
        "live_schedule_new",
        kwargs={"org_slug": "harbour", "course_slug": module.course.slug, "module_id": module.pk},
    )


def soon(school: School) -> LiveSession:
    """A session of the school's published course starting in two days, published."""
    session = schedule(school).sessions[0]
    start = timezone.now() + timedelta(days=2)
    move_occurrence(
        session=session, starts_at=start, ends_at=start + timedelta(hours=1), by=school.instructor
    )
    return session


# Scheduling in a published course, or in a draft one


def test_a_session_scheduled_in_a_published_course_is_open_to_its_learners(
    school: School,
) -> None:
    scheduled = client_for(school.instructor).post(
        new_url(school.module), form_data(school, date="2030-03-30", publish="on")
    )

    assert scheduled.status_code == 302
    session = LiveSession.objects.get()
    assert session.unit.published_at is not None
    page = client_for(school.ada).get(room_url(session))
    assert page.status_code == 200
    assert "<h1>Sepsis simulation</h1>" in page.content.decode()


def test_the_form_says_a_draft_course_hides_the_session_and_publishes_it_when_asked(
    school: School,
) -> None:
    draft = make_course(school.org, title="Triage", slug="triage")
    module = make_module(draft, "Week 1")
    enrol(draft, school.ada)
    host = client_for(school.instructor)

    form = host.get(new_url(module)).content.decode()
    assert (
        "Learners won't see this session until the course “Triage” and the module “Week 1” "
        "are published."
    ) in form
    assert "Publish the course “Triage” and the module “Week 1” now" in form
    assert "Learners won't see" not in host.get(new_url(school.module)).content.decode()

    host.post(new_url(module), form_data(school, date="2030-03-30", publish="on"))
    kept_draft = LiveSession.objects.get()
    assert Course.objects.get(pk=draft.pk).published_at is None
    assert client_for(school.ada).get(room_url(kept_draft)).status_code == 403

    host.post(
        new_url(module), form_data(school, date="2030-04-06", publish="on", publish_course="on")
    )

    assert Course.objects.get(pk=draft.pk).published_at is not None
    assert Module.objects.get(pk=module.pk).published_at is not None
    assert Unit.objects.filter(module=module, published_at__isnull=False).count() == 2
    published = LiveSession.objects.exclude(pk=kept_draft.pk).get()
    assert client_for(school.ada).get(room_url(published)).status_code == 200


def test_the_api_schedules_a_published_session(school: School) -> None:
    answer = api_as(school.instructor).post(
        f"/orgs/harbour/courses/sepsis/modules/{school.module.pk}/live-sessions",
        {"title": "Office hour", "starts_at": "2030-03-30T16:00:00Z", "publish": True},
    )

    assert answer.status_code == 201, answer.content
    assert Unit.objects.get(pk=answer.json()["unit_id"]).published_at is not None


# A join link, whatever the learner's situation


def test_a_learner_not_enrolled_is_told_so_and_offered_to_enrol(school: School) -> None:
    Course.objects.filter(pk=school.course.pk).update(open_enrolment=True)
    session = soon(school)

    page = client_for(school.carl).get(room_url(session))

    assert page.status_code == 403
    html = page.content.decode()
    assert "You are not enrolled in Sepsis basics, so you cannot join its live sessions yet." in (
        html
    )
    assert reverse("course_enrol", args=["harbour", "sepsis"]) in html
    assert f'<input type="hidden" name="next" value="{room_url(session)}">' in html

    enrolled = client_for(school.carl).post(
        reverse("course_enrol", args=["harbour", "sepsis"]), {"next": room_url(session)}
    )

    assert (enrolled.status_code, enrolled["Location"]) == (302, room_url(session))
    assert client_for(school.carl).get(room_url(session)).status_code == 200


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "/\\evil.example", ""]
)
def test_enrolling_goes_only_to_a_path_of_this_site_else_to_the_course(
    school: School, elsewhere: str
) -> None:
    Course.objects.filter(pk=school.course.pk).update(open_enrolment=True)

    enrolled = client_for(school.carl).post(
        reverse("course_enrol", args=["harbour", "sepsis"]), {"next": elsewhere}
    )

    assert (enrolled.status_code, enrolled["Location"]) == (
        302,
        reverse("course_outline", args=["harbour", "sepsis"]),
    )


def test_a_learner_of_a_course_closed_for_enrolment_is_told_to_ask(school: School) -> None:
    Course.objects.filter(pk=school.course.pk).update(open_enrolment=False)
    page = client_for(school.carl).get(room_url(soon(school)))

    assert page.status_code == 403
    html = page.content.decode()
    assert "Ask the course's instructor to enrol you" in html
    assert reverse("course_enrol", args=["harbour", "sepsis"]) not in html


def test_an_enrolled_learner_of_a_draft_session_is_told_it_is_not_open_yet(
    school: School,
) -> None:
    draft = schedule(school, publish=False).sessions[0]

    page = client_for(school.ada).get(room_url(draft))

    assert page.status_code == 403
    assert "This session is not open yet" in page.content.decode()
    ctx = access_org(user=school.ada, slug="harbour")
    closed = session_closed_to(ctx, session_id=draft.pk)
    assert closed is not None
    assert (closed.session.pk, closed.reason) == (draft.pk, "not_open_yet")


def test_a_cancelled_session_says_so_and_an_ended_one_shows_its_replay(school: School) -> None:
    cancelled = soon(school)
    cancel_session(session=cancelled, by=school.instructor)
    ended = schedule(school, title="Last week").sessions[0]  # 2026-03-30, in the past

    cancelled_page = client_for(school.ada).get(room_url(cancelled))
    ended_page = client_for(school.ada).get(room_url(ended))

    assert cancelled_page.status_code == 200
    assert "This session was cancelled." in cancelled_page.content.decode()
    assert ended_page.status_code == 200
    assert "<h1>Last week: replay</h1>" in ended_page.content.decode()


def test_another_organizations_session_is_still_404(school: School) -> None:
    other_course = make_course(school.other_org, title="Elsewhere", slug="elsewhere-course")
    foreign = schedule_live_session(
        module=make_module(other_course, "Week 1"),
        title="Elsewhere's session",
        agenda="",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        hosts=[school.stranger],
        format=SessionFormat.CLASS,
        created_by=school.stranger,
        publish=True,
    ).sessions[0]

    assert client_for(school.carl).get(room_url(foreign)).status_code == 404
    assert client_for(school.ada).get(room_url(foreign, org="elsewhere")).status_code == 404
    assert client_for(school.stranger).get(room_url(foreign, org="elsewhere")).status_code == 200


def edit_url(session: LiveSession) -> str:
    return reverse("live_session_edit", kwargs={"org_slug": "harbour", "session_id": session.pk})


def test_the_edit_page_of_a_draft_session_says_so_and_publishes_it_when_asked(
    school: School,
) -> None:
    draft = make_course(school.org, title="Triage", slug="triage")
    module = make_module(draft, "Week 1")
    enrol(draft, school.ada)
    session = schedule_live_session(
        module=module,
        title="Office hour",
        agenda="",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        hosts=[school.instructor],
        format=SessionFormat.CLASS,
        created_by=school.instructor,
    ).sessions[0]
    host = client_for(school.instructor)

    form = host.get(edit_url(session)).content.decode()
    drafts = "the course “Triage”, the module “Week 1” and the unit “Office hour”"
    assert (
        f"<strong>Learners won't see this session until {drafts} are published.</strong> "
        f"It is a draft. Tick “Publish {drafts} now” below to publish them with the session."
    ) in form
    assert f"Publish {drafts} now" in form
    assert "Learners won't see" not in host.get(edit_url(soon(school))).content.decode()

    kept = host.post(edit_url(session), form_data(school, title="Office hour", date="2030-03-30"))
    assert kept.status_code == 302
    assert Course.objects.get(pk=draft.pk).published_at is None
    assert client_for(school.ada).get(room_url(session)).status_code == 403

    published = host.post(
        edit_url(session),
        form_data(school, title="Office hour", date="2030-03-30", publish_course="on"),
        follow=True,
    )

    assert f"The session was saved; {drafts} are now published." in published.content.decode()
    assert Course.objects.get(pk=draft.pk).published_at is not None
    assert Module.objects.get(pk=module.pk).published_at is not None
    assert Unit.objects.get(pk=session.unit_id).published_at is not None
    assert client_for(school.ada).get(room_url(session)).status_code == 200


def test_the_api_edit_publishes_a_draft_session_when_asked(school: School) -> None:
    draft = make_course(school.org, title="Triage", slug="triage")
    module = make_module(draft, "Week 1")
    session = schedule_live_session(
        module=module,
        title="Office hour",
        agenda="",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        hosts=[school.instructor],
        format=SessionFormat.CLASS,
        created_by=school.instructor,
    ).sessions[0]
    path = f"/orgs/harbour/live-sessions/{session.pk}"

    renamed = api_as(school.instructor).patch(path, {"title": "Office hours"})
    assert renamed.status_code == 200
    assert Course.objects.get(pk=draft.pk).published_at is None

    published = api_as(school.instructor).patch(path, {"publish_course_and_module": True})

    assert published.status_code == 200, published.content
    assert Course.objects.get(pk=draft.pk).published_at is not None
    assert Module.objects.get(pk=module.pk).published_at is not None
    assert Unit.objects.get(pk=session.unit_id).published_at is not None
