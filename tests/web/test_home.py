"""The organization's home for every role (``/o/<slug>/``) and the page of all my sessions.

Each role lands on a home about them: a learner on their courses and next sessions, an
instructor or teaching assistant on their teaching, an admin on the organization; someone
whose role grants several parts sees each part that holds something, most important first.
Another organization's people, courses and sessions never show.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from cadenza.accounts.models import User
from cadenza.courses.actions import create_course, publish_course, withdraw_learner
from cadenza.courses.models import Enrolment
from cadenza.live.attendance.actions.attendance import correct_attendance
from cadenza.live.models import LiveSession, SessionFormat
from cadenza.live.room.actions.polls import create_poll
from cadenza.live.room.actions.questions import ask_question
from cadenza.live.room.actions.state import close_room, open_room
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from cadenza.orgs.models import Role
from cadenza.orgs.policy import HomeSection, home_sections
from cadenza.orgs.selectors import OrgContext, access_org
from tests.factories import enrol, make_module, make_org, make_unit, make_user

pytestmark = pytest.mark.django_db


def _soon(hours: float) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


class Campus:
    """Harbour Hospital: an admin, an instructor (Ines, Berlin), a TA, two learners (Ada in
    Chicago); a published course Ines made with both learners, and her draft course."""

    def __init__(self, slug: str = "harbour", name: str = "Harbour Hospital") -> None:
        self.org = make_org(slug=slug, name=name)
        prefix = name.split()[0]
        self.admin = make_user(self.org, Role.ADMIN, display_name=f"{prefix} Admin")
        self.instructor = make_user(
            self.org, Role.INSTRUCTOR, display_name=f"{prefix} Ines", time_zone="Europe/Berlin"
        )
        self.ta = make_user(self.org, Role.TA, display_name=f"{prefix} Tom")
        self.ada = make_user(self.org, display_name=f"{prefix} Ada", time_zone="America/Chicago")
        self.bob = make_user(self.org, display_name=f"{prefix} Bob")
        self.course = create_course(
            org=self.org, title=f"{prefix} sepsis", slug="sepsis", created_by=self.instructor
        )
        self.module = make_module(self.course, "Basics")
        make_unit(self.module, title="qSOFA")
        make_unit(self.module, title="Lactate")
        publish_course(course=self.course, include_contents=True)
        self.draft = create_course(
            org=self.org, title=f"{prefix} wound care", slug="wounds", created_by=self.instructor
        )
        enrol(self.course, self.ada)
        enrol(self.course, self.bob)

    def schedule(
        self, title: str, starts_at: datetime, *, hosts: list[User] | None = None, weekly: int = 0
    ) -> list[LiveSession]:
        return schedule_live_session(
            module=self.module,
            title=title,
            agenda="",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=60),
            hosts=hosts or [self.instructor],
            format=SessionFormat.CLASS,
            created_by=self.instructor,
            weekly_occurrences=weekly or None,
            series_time_zone="Europe/Berlin" if weekly else None,
            publish=True,
        ).sessions


@pytest.fixture
def campus() -> Campus:
    return Campus()


@pytest.fixture
def elsewhere() -> Campus:
    """Another organization with the same shapes, none of which may ever show."""
    other = Campus(slug="elsewhere", name="Elsewhere Clinic")
    other.schedule("Elsewhere briefing", _soon(20))
    return other


def home_of(user: User, slug: str = "harbour") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def h1(html: str) -> str:
    found = re.search(r'<h1 id="home-heading">(.*?)</h1>', html)
    assert found is not None
    return found.group(1)


def _ctx(user: User, slug: str = "harbour") -> OrgContext:
    return access_org(user=user, slug=slug)


def _ended_session_with_a_question_and_attendance(campus: Campus) -> LiveSession:
    """A session that started 30 minutes ago: Ada asked a question nobody answered, the host
    ended it, and Ada's attendance was confirmed by the host (Bob did not come)."""
    [session] = campus.schedule("Yesterday's briefing", _soon(-0.5))
    host = _ctx(campus.instructor)
    open_room(ctx=host, session=session)
    ask_question(ctx=_ctx(campus.ada), session=session, body="Lactate twice?", client_event_id="q1")
    close_room(ctx=host, session=session)
    correct_attendance(
        session=session, user=campus.ada, attended=True, note="was there", by=campus.instructor
    )
    return session


# --- Which parts, for whom (orgs.policy) -------------------------------------------------------


def test_each_role_may_see_its_parts_most_important_first() -> None:
    assert home_sections(Role.ADMIN) == [
        HomeSection.ORGANIZATION,
        HomeSection.TEACHING,
        HomeSection.LEARNING,
    ]
    assert home_sections(Role.INSTRUCTOR) == [HomeSection.TEACHING, HomeSection.LEARNING]
    assert home_sections(Role.TA) == [HomeSection.TEACHING, HomeSection.LEARNING]
    assert home_sections(Role.LEARNER) == [HomeSection.LEARNING]
    assert home_sections(None) == []


# --- The learner's home ----------------------------------------------------------------------


def test_learner_lands_on_their_courses_then_their_next_sessions(
    campus: Campus, elsewhere: Campus
) -> None:
    [session] = campus.schedule("Sepsis Q&A", _soon(30))

    html = home_of(campus.ada)

    assert h1(html) == "My learning"
    assert "<title>My learning · Harbour Hospital</title>" in html
    courses = html.index('id="my-courses-heading"')
    sessions = html.index('id="upcoming-live-heading"')
    assert courses < sessions  # courses come first
    outline = reverse("course_outline", args=["harbour", "sepsis"])
    assert f'<a href="{outline}">Harbour sepsis</a>' in html
    assert "0% complete" in html
    assert ">Sepsis Q&amp;A</a></h3>" in html
    # Before its lobby opens: the countdown and "Add to calendar" (the session's .ics file).
    ics = reverse("live_session_ics", args=["harbour", session.pk])
    assert f'<a href="{ics}" download>Add to calendar' in html
    client = Client()
    client.force_login(campus.ada)
    calendar = client.get(ics)
    assert calendar.status_code == 200
    assert calendar["Content-Type"].startswith("text/calendar")
    for hidden in ("My teaching", "Waiting for me", "at a glance", "Manage", "wound care"):
        assert hidden not in html
    for foreign in ("Elsewhere", "elsewhere"):
        assert foreign not in html
    assert '<a href="/o/harbour/">Home</a>' in html


def test_learner_sees_the_next_three_sessions_and_the_rest_on_all_sessions(
    campus: Campus,
) -> None:
    campus.schedule("Weekly Q&A", _soon(30), weekly=4)  # four Tuesdays from tomorrow

    html = home_of(campus.ada)

    assert html.count(">Weekly Q&amp;A</a></h3>") == 3
    all_sessions = reverse("my_sessions", args=["harbour"])
    assert f'<a href="{all_sessions}">All sessions</a> <span class="muted">(more coming up)' in html
    client = Client()
    client.force_login(campus.ada)
    page = client.get(all_sessions).content.decode()
    assert page.count(">Weekly Q&amp;A</a></h2>") == 4
    assert "(4 in all)" in page


def test_all_sessions_is_paginated_soonest_first(
    campus: Campus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cadenza.web.selectors.SESSIONS_PER_PAGE", 2)
    sessions = campus.schedule("Weekly", _soon(30), weekly=3)
    client = Client()
    client.force_login(campus.ada)
    url = reverse("my_sessions", args=["harbour"])

    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    beyond = client.get(url + "?page=9").content.decode()

    def shown(html: str) -> list[str]:
        return re.findall(r'<a href="/o/harbour/live/(\d+)/">Weekly</a></h2>', html)

    ids = [str(session.pk) for session in sessions]
    assert shown(first) == ids[:2]
    assert shown(second) == ids[2:]
    assert shown(beyond) == ids[2:]  # out of range: the last page
    assert 'href="?page=2" rel="next">Later sessions</a>' in first
    assert 'href="?page=1" rel="prev">Earlier sessions</a>' in second
    assert "Page 2 of 2" in second


def test_all_sessions_shows_another_organizations_sessions_to_nobody(
    campus: Campus, elsewhere: Campus
) -> None:
    client = Client()
    client.force_login(campus.instructor)
    assert client.get(reverse("my_sessions", args=["elsewhere"])).status_code == 404
    html = client.get(reverse("my_sessions", args=["harbour"])).content.decode()
    assert "Elsewhere briefing" not in html
    assert "No live sessions coming up." in html


def test_a_learner_enrolled_nowhere_is_sent_to_the_catalog(campus: Campus) -> None:
    newcomer = make_user(campus.org, display_name="Nell")

    html = home_of(newcomer)

    assert h1(html) == "My learning"
    assert "You are not enrolled in any course yet." in html
    assert f'href="{reverse("catalog", args=["harbour"])}">Browse the catalog</a>' in html


# --- The instructor's and the TA's home ------------------------------------------------------


def test_instructor_lands_on_their_teaching_with_what_waits_for_them(
    campus: Campus, elsewhere: Campus
) -> None:
    ended = _ended_session_with_a_question_and_attendance(campus)
    [bare] = campus.schedule("Simulation", _soon(48))  # in 2 days, no poll prepared
    [ready] = campus.schedule("Debrief", _soon(72))
    create_poll(
        ctx=_ctx(campus.instructor),
        session=ready,
        prompt="Ready?",
        options=["Yes", "No"],
        client_event_id="p1",
    )
    campus.schedule("Next month", _soon(24 * 30))  # beyond the coming week: nothing to do yet

    html = home_of(campus.instructor)

    assert h1(html) == "My teaching"
    # Courses I teach: the one I made (published, 2 learners) and my draft.
    builder = reverse("course_builder", args=["harbour", "sepsis"])
    assert f'<a href="{builder}">Harbour sepsis</a>' in html
    assert "2 learners · 6 units" in html  # two readings and the four sessions' units
    assert '<span class="draft-badge">Draft</span>' in html
    assert f'href="{reverse("course_new", args=["harbour"])}">New course</a>' in html
    # Sessions I host next, soonest first, with their polls.
    hosting = html[html.index('id="hosting-heading"') :]
    titles = re.findall(r'class="session-title"><a href="[^"]+">([^<]+)</a>', hosting)
    # The one ended early is still there until its end time, saying so (as for learners).
    assert titles == ["Yesterday&#x27;s briefing", "Simulation", "Debrief"]
    assert '<span class="state">Ended</span>' in hosting
    assert "No poll prepared" in hosting
    assert "1 poll prepared" in hosting
    # What waits: the session without a poll, the unanswered question, the draft course.
    waiting = html[html.index('id="waiting-heading"') : html.index('id="hosting-heading"')]
    edit = reverse("live_session_edit", args=["harbour", bare.pk])
    assert "Harbour sepsis: no poll prepared." in waiting
    assert (
        f'<a href="{edit}">Prepare<span class="visually-hidden">: Simulation</span></a>' in waiting
    )
    # Not Debrief (a poll is prepared), nor Next month (beyond the coming week), nor the
    # ended session for its polls: only for its question.
    assert re.findall(r"<strong>([^<]+)</strong>", waiting) == [
        "Simulation",
        "Yesterday&#x27;s briefing",
        "Harbour wound care",
    ]
    replay = reverse("live_replay", args=["harbour", ended.pk])
    assert "Harbour sepsis: 1 question left unanswered." in waiting
    assert f'<a href="{replay}">Answer' in waiting
    assert "Draft: learners do not see this course yet." in waiting
    # Attendance of my recent sessions: Ada of Ada and Bob.
    report = reverse("live_attendance", args=["harbour", ended.pk])
    assert f'<a href="{report}">Yesterday&#x27;s briefing' in html
    assert "1 of 2 learners attended" in html
    # Times in my zone (Berlin), named, on the 24-hour clock.
    start = timezone.localtime(bare.starts_at, timezone=ZoneInfo("Europe/Berlin"))
    assert f"{start:%-d %b %Y, %H:%M} (Europe/Berlin)" in waiting
    # Not the organization's part, not an empty "My learning", nothing of Elsewhere.
    for hidden in ("at a glance", "Recent enrolments", 'id="learning-heading"', "Elsewhere"):
        assert hidden not in html


def test_a_session_answered_and_prepared_waits_no_more(campus: Campus) -> None:
    [session] = campus.schedule("Simulation", _soon(48))
    before = home_of(campus.instructor)
    create_poll(
        ctx=_ctx(campus.instructor),
        session=session,
        prompt="Ready?",
        options=["Yes", "No"],
        client_event_id="p1",
    )
    publish_course(course=campus.draft)

    after = home_of(campus.instructor)

    assert "Harbour sepsis: no poll prepared." in before
    assert "Nothing waits for you." in after


def test_teaching_assistant_sees_the_sessions_they_host_but_may_not_make_courses(
    campus: Campus,
) -> None:
    [session] = campus.schedule("Simulation", _soon(48), hosts=[campus.instructor, campus.ta])

    html = home_of(campus.ta)

    assert h1(html) == "My teaching"
    assert ">Simulation</a></h3>" in html
    # The course of a session they host is one of theirs; the draft they did not make is not.
    assert ">Harbour sepsis</a>" in html
    assert "wound care" not in html
    assert "New course" not in html
    # A TA may not edit the session: they prepare its polls in the room (hosts' Host tab).
    room = reverse("live_room", args=["harbour", session.pk])
    assert f'<a href="{room}">Prepare in the room<span class="visually-hidden">' in html
    assert reverse("live_session_edit", args=["harbour", session.pk]) not in html


def test_an_instructor_enrolled_in_a_course_sees_their_learning_after_their_teaching(
    campus: Campus,
) -> None:
    other = create_course(org=campus.org, title="Leadership", slug="lead", created_by=None)
    make_unit(make_module(other), title="Intro")
    publish_course(course=other, include_contents=True)
    enrol(other, campus.instructor)

    html = home_of(campus.instructor)

    assert h1(html) == "My teaching"
    assert html.index('class="home-part home-teaching"') < html.index(
        '<h2 id="learning-heading">My learning'
    )
    assert ">Leadership</a></h4>" in html  # a course card, under My learning's h2 and h3


# --- The admin's home ------------------------------------------------------------------------


def test_admin_lands_on_the_organization_at_a_glance(campus: Campus, elsewhere: Campus) -> None:
    withdraw_learner(enrolment=Enrolment.objects.get(course=campus.course, user=campus.bob))
    late = make_user(campus.org, display_name="Harbour Liv")
    enrol(campus.draft, late)

    html = home_of(campus.admin)

    assert h1(html) == "Organization"
    assert "Harbour Hospital at a glance" in html
    stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert stats == {
        "People": "6",
        "Published courses": "1",
        "Draft courses": "1",
        "Active enrolments": "2",
    }
    assert "1 organization admin · 1 instructor · 1 teaching assistant · 3 learners" in html
    recent = re.findall(r"<li><strong>([^<]+)</strong> in <a href=\"[^\"]+\">([^<]+)</a>", html)
    assert recent == [
        ("Harbour Liv", "Harbour wound care"),
        ("Harbour Bob", "Harbour sepsis"),
        ("Harbour Ada", "Harbour sepsis"),
    ]
    assert " · withdrawn" in html
    for name in ("org_people", "teach", "org_settings", "live_video_settings"):
        assert f'href="{reverse(name, args=["harbour"])}"' in html
    # The admin teaches nothing and learns nothing here: only the organization's part.
    for hidden in ('id="teaching-heading"', 'id="learning-heading"', "Elsewhere"):
        assert hidden not in html


def test_an_admin_who_hosts_sees_teaching_after_the_organization(campus: Campus) -> None:
    campus.schedule("Town hall", _soon(48), hosts=[campus.admin])

    html = home_of(campus.admin)

    assert h1(html) == "Organization"
    assert html.index('class="home-part home-organization"') < html.index(
        '<h2 id="teaching-heading">My teaching</h2>'
    )
    assert ">Town hall</a></h4>" in html  # a session under a part's h3


def test_nobody_else_sees_the_organization_part(campus: Campus) -> None:
    for person in (campus.instructor, campus.ta, campus.ada):
        html = home_of(person)
        assert "at a glance" not in html
        assert reverse("org_settings", args=["harbour"]) not in html


# --- Fixed query counts ----------------------------------------------------------------------


def _grow(campus: Campus) -> None:
    """More of everything: sessions, questions, attendance, courses and enrolments."""
    _ended_session_with_a_question_and_attendance(campus)
    campus.schedule("Weekly", _soon(30), weekly=6)
    for n in range(3):
        course = create_course(
            org=campus.org, title=f"Extra {n}", slug=f"extra-{n}", created_by=campus.instructor
        )
        enrol(course, make_user(campus.org))


@pytest.mark.parametrize(
    ("who", "queries"),
    [
        # session, user, membership; progress 3 (courses, units, visits) + 1 for the sessions
        ("ada", 7),
        # + teaching 5 (courses, next sessions, waiting sessions, questions, attendance);
        # the instructor enrolled nowhere: progress 1 + sessions 1
        ("instructor", 10),
        ("ta", 10),
        # + the organization's 4 (roles, courses, enrolments, recent enrolments)
        ("admin", 14),
    ],
)
def test_the_home_runs_a_fixed_number_of_queries_for_each_role(
    campus: Campus, who: str, queries: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    client.force_login(getattr(campus, who))
    url = reverse("dashboard", args=["harbour"])
    with django_assert_num_queries(queries):
        client.get(url)
    _grow(campus)
    with django_assert_num_queries(queries):
        client.get(url)


def test_all_sessions_runs_three_queries_and_a_page_more(
    campus: Campus, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    client.force_login(campus.ada)
    url = reverse("my_sessions", args=["harbour"])
    with django_assert_num_queries(4):  # session, user, membership; the count (0: no page)
        client.get(url)
    campus.schedule("Weekly", _soon(30), weekly=6)
    with django_assert_num_queries(5):  # and the page
        client.get(url)
