"""Live sessions wired into the rest of the product: the dashboard's upcoming sessions, the
course builder's links, and the sessions on the learner's outline and unit page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Module, Unit
from cadenza.live.models import LiveSession, SessionFormat
from cadenza.live.room.actions.state import close_room, open_room
from cadenza.live.schedule.actions.scheduling import cancel_session, schedule_live_session
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import access_org
from cadenza.web.selectors import countdown_text
from tests.factories import enrol, make_course, make_module, make_org, make_user

pytestmark = pytest.mark.django_db


class Site:
    def __init__(self) -> None:
        self.org = make_org(slug="harbour", name="Harbour Hospital")
        self.instructor = make_user(
            self.org, Role.INSTRUCTOR, display_name="Ines", time_zone="Europe/Berlin"
        )
        self.ta = make_user(self.org, Role.TA, display_name="Tom")
        self.ada = make_user(self.org, display_name="Ada", time_zone="America/Chicago")
        self.course = make_course(self.org, title="Sepsis basics", slug="sepsis")
        self.module = make_module(self.course, "Live")
        publish_course(course=self.course)
        enrol(self.course, self.ada)

    def schedule(
        self,
        title: str,
        starts_at: datetime,
        *,
        minutes: int = 60,
        weekly: int | None = None,
        module: Module | None = None,
        publish: bool = True,
    ) -> list[LiveSession]:
        sessions = schedule_live_session(
            module=module or self.module,
            title=title,
            agenda="",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            hosts=[self.instructor],
            format=SessionFormat.CLASS,
            created_by=self.instructor,
            weekly_occurrences=weekly,
            series_time_zone="America/Chicago" if weekly else None,
        ).sessions
        if publish:
            publish_course(course=self.course, include_contents=True)
        return sessions


@pytest.fixture
def site() -> Site:
    return Site()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _soon(hours: float) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def _room(session: LiveSession) -> str:
    return reverse("live_room", kwargs={"org_slug": session.org.slug, "session_id": session.pk})


# --- Dashboard -------------------------------------------------------------------------------


def test_dashboard_lists_my_upcoming_sessions_in_my_zone_with_a_countdown_and_join(
    site: Site,
) -> None:
    start = datetime(2031, 1, 14, 18, 0, tzinfo=UTC)  # 12:00 in Chicago
    [session] = site.schedule("Sepsis Q&A", start)

    html = signed_in(site.ada).get(reverse("dashboard", args=["harbour"])).content.decode()

    assert "Upcoming live sessions" in html
    assert f'<h3 class="session-title"><a href="{_room(session)}">Sepsis Q&amp;A</a></h3>' in html
    assert '<p class="muted">Sepsis basics</p>' in html
    assert "Tuesday, 14 Jan 2031, 12:00 (America/Chicago)" in html
    assert 'data-countdown="2031-01-14T12:00:00-06:00"' in html
    # Years before its lobby opens: the countdown and the calendar file, no Join button.
    ics = reverse("live_session_ics", args=["harbour", session.pk])
    assert f'<a href="{ics}" download>Add to calendar' in html
    assert 'aria-label="Join Sepsis Q&amp;A"' not in html
    assert reverse("calendar_settings", args=["harbour"]) in html
    assert "web/countdown.js" in html


def test_dashboard_offers_join_only_once_the_lobby_is_open(site: Site) -> None:
    """The lobby opens ``lobby_minutes`` (10) before the start: Join from then on, and the
    calendar link until then."""
    [later] = site.schedule("In 11 minutes", _soon(11 / 60) + timedelta(minutes=1))
    [soon] = site.schedule("In 9 minutes", _soon(9 / 60) + timedelta(minutes=1))

    html = signed_in(site.ada).get(reverse("dashboard", args=["harbour"])).content.decode()

    assert f'href="{_room(soon)}" aria-label="Join In 9 minutes">Join</a>' in html
    assert 'aria-label="Join In 11 minutes"' not in html
    assert reverse("live_session_ics", args=["harbour", later.pk]) in html
    assert reverse("live_session_ics", args=["harbour", soon.pk]) not in html


def test_dashboard_hides_drafts_cancelled_and_ended_sessions_and_other_courses(
    site: Site,
) -> None:
    site.schedule("Ended", _soon(-3))
    [cancelled] = site.schedule("Cancelled", _soon(5))
    cancel_session(session=cancelled, by=site.instructor)
    other = make_course(site.org, title="Other", slug="other")
    publish_course(course=other)
    schedule_live_session(
        module=make_module(other, "M"),
        title="Not my course",
        agenda="",
        starts_at=_soon(6),
        ends_at=_soon(7),
        hosts=[site.instructor],
        format=SessionFormat.CLASS,
        created_by=site.instructor,
    )
    site.schedule("Still a draft", _soon(8), publish=False)

    html = signed_in(site.ada).get(reverse("dashboard", args=["harbour"])).content.decode()

    assert "No live sessions coming up." in html
    for title in ("Ended", "Cancelled", "Not my course", "Still a draft"):
        assert f">{title}</a></h3>" not in html


def test_dashboard_says_live_now_only_while_the_room_is_open(site: Site) -> None:
    [session] = site.schedule("Under way", _soon(-0.5))
    dashboard = reverse("dashboard", args=["harbour"])

    waiting = signed_in(site.ada).get(dashboard).content.decode()
    ctx = access_org(user=site.instructor, slug="harbour")
    open_room(ctx=ctx, session=session)
    live = signed_in(site.ada).get(dashboard).content.decode()
    close_room(ctx=ctx, session=session)
    ended = signed_in(site.ada).get(dashboard).content.decode()

    assert "Live now" not in waiting
    assert "Waiting for a host to open the room" in waiting
    assert f'href="{_room(session)}" aria-label="Join Under way">Join</a>' in waiting
    assert '<span class="state started">Live now</span>' in live
    assert "data-countdown" not in live
    assert "Live now" not in ended
    assert (
        f'<span class="state">Ended</span> · <a href="{_room(session)}">Replay'
        '<span class="visually-hidden"> of Under way</span></a>'
    ) in ended
    assert 'aria-label="Join Under way"' not in ended


def test_hosts_see_the_sessions_they_host_on_their_dashboard(site: Site) -> None:
    [session] = site.schedule("Office hour", _soon(30), publish=False)

    html = signed_in(site.instructor).get(reverse("dashboard", args=["harbour"])).content.decode()

    assert "Sessions I host next" in html
    assert f'<h3 class="session-title"><a href="{_room(session)}">Office hour</a></h3>' in html
    assert (
        'No poll prepared · <span class="draft-badge">Draft</span> learners do not see it yet'
        in html
    )


def test_dashboard_query_count_is_the_same_for_1_and_10_upcoming_sessions(site: Site) -> None:
    counts = []
    client = signed_in(site.ada)
    for sessions in (1, 10):
        Unit.objects.filter(kind="live_session").delete()
        site.schedule("Weekly", _soon(24), weekly=sessions if sessions > 1 else None)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("dashboard", args=["harbour"]))
        shown = min(sessions, 3)  # the next three; the rest are on the page of all sessions
        assert response.content.decode().count(">Weekly</a></h3>") == shown
        counts.append(len(captured.captured_queries))

    # session, user, membership, the progress dashboard's 3, and one for the sessions (which
    # ones I host is asked in the same query): 7 with no session too
    assert counts == [7, 7]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "now"),
        (1, "in 1 min"),
        (59 * 60, "in 59 min"),
        (3600, "in 1 h"),
        (3600 + 5 * 60, "in 1 h 5 min"),
        (86400, "in 1 day"),
        (2 * 86400 + 3 * 3600 + 59, "in 2 days 3 h"),
    ],
)
def test_countdown_text_is_rounded_up_to_the_minute(seconds: int, text: str) -> None:
    assert countdown_text(seconds) == text


# --- Course builder --------------------------------------------------------------------------


def test_builder_links_each_module_to_scheduling_and_live_units_to_their_sessions(
    site: Site,
) -> None:
    [session] = site.schedule("Simulation", _soon(48))

    html = (
        signed_in(site.instructor)
        .get(reverse("course_builder", args=["harbour", "sepsis"]))
        .content.decode()
    )

    schedule = reverse("live_schedule_new", args=["harbour", "sepsis", site.module.pk])
    sessions = reverse("live_unit_sessions", args=["harbour", "sepsis", session.unit_id])
    assert f'<a href="{schedule}">Schedule a live session' in html
    assert f'<a href="{sessions}">Simulation</a>' in html
    assert reverse("unit_edit", args=["harbour", "sepsis", session.unit_id]) not in html


def test_new_live_session_unit_goes_to_the_scheduling_page(site: Site) -> None:
    url = reverse("unit_new", args=["harbour", "sepsis", site.module.pk])

    response = signed_in(site.instructor).get(url + "?kind=live_session")

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "live_schedule_new", args=["harbour", "sepsis", site.module.pk]
    )
    assert Unit.objects.count() == 0


def test_editing_a_live_session_unit_goes_to_its_sessions(site: Site) -> None:
    [session] = site.schedule("Simulation", _soon(48))

    response = signed_in(site.instructor).get(
        reverse("unit_edit", args=["harbour", "sepsis", session.unit_id])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "live_unit_sessions", args=["harbour", "sepsis", session.unit_id]
    )


def test_a_teaching_assistant_is_not_sent_on_to_scheduling(site: Site) -> None:
    url = reverse("unit_new", args=["harbour", "sepsis", site.module.pk])

    response = signed_in(site.ta).get(url + "?kind=live_session")

    assert response.status_code == 403


# --- Learner outline and unit page -----------------------------------------------------------


def _outline(user: User, course: Course) -> str:
    url = reverse("course_outline", args=[course.org.slug, course.slug])
    return signed_in(user).get(url).content.decode()


def test_outline_lists_a_live_units_sessions_in_my_zone_with_join_and_replay(site: Site) -> None:
    [past] = site.schedule("Briefing", datetime(2024, 5, 7, 15, 0, tzinfo=UTC))
    webinar = site.schedule(
        "Webinar", datetime(2031, 3, 4, 18, 0, tzinfo=UTC), weekly=2, module=site.module
    )

    html = _outline(site.ada, site.course)

    replay = reverse("live_replay", kwargs={"org_slug": "harbour", "session_id": past.pk})
    assert "Tue 7 May 2024, 10:00 (America/Chicago)" in html
    assert f'<a href="{replay}">Replay' in html
    assert "Tue 4 Mar 2031, 12:00 (America/Chicago)" in html
    assert "Tue 11 Mar 2031, 12:00 (America/Chicago)" in html  # after Chicago's DST change
    assert [f'<a href="{_room(s)}">Join' in html for s in webinar] == [True, True]


def test_outline_shows_times_but_no_links_to_a_learner_not_enrolled(site: Site) -> None:
    [session] = site.schedule("Simulation", datetime(2031, 1, 14, 18, 0, tzinfo=UTC))
    carl = make_user(site.org, display_name="Carl", time_zone="America/Chicago")

    html = _outline(carl, site.course)

    assert "Tue 14 Jan 2031, 12:00 (America/Chicago)" in html
    assert _room(session) not in html


def test_outline_marks_a_cancelled_session(site: Site) -> None:
    [session] = site.schedule("Simulation", datetime(2031, 1, 14, 18, 0, tzinfo=UTC))
    cancel_session(session=session, by=site.instructor)

    html = _outline(site.ada, site.course)

    assert '<span class="state cancelled live-cancelled">Cancelled</span>' in html
    assert _room(session) not in html


def test_outline_query_count_is_the_same_for_1_and_8_sessions(site: Site) -> None:
    counts = []
    client = signed_in(site.ada)
    url = reverse("course_outline", args=["harbour", "sepsis"])
    for sessions in (1, 8):
        Unit.objects.filter(kind="live_session").delete()
        site.schedule("Weekly", _soon(24), weekly=sessions if sessions > 1 else None)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert html.count("<time datetime=") == sessions
        counts.append(len(captured.captured_queries))

    assert counts == [9, 9]  # the outline's 8, and one for the live units' sessions


def test_unit_page_of_a_live_session_shows_its_sessions_and_links(site: Site) -> None:
    [session] = site.schedule("Simulation", datetime(2031, 1, 14, 18, 0, tzinfo=UTC), minutes=90)

    response = signed_in(site.ada).get(reverse("unit", args=["harbour", "sepsis", session.unit_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday, 14 Jan 2031, 12:00 (America/Chicago)" in html
    assert "1\xa0hour, 30\xa0minutes" in html
    assert f'<a class="button" href="{_room(session)}">Join' in html
    sessions = reverse("live_unit_sessions", args=["harbour", "sepsis", session.unit_id])
    assert f'<a href="{sessions}">See the session times and join</a>' in html
    assert reverse("calendar_settings", args=["harbour"]) in html


def test_unit_page_badges_tell_live_now_ended_and_cancelled_apart(site: Site) -> None:
    first, second, third = site.schedule("Simulation", _soon(-0.5), weekly=3)
    ctx = access_org(user=site.instructor, slug="harbour")
    open_room(ctx=ctx, session=first)
    close_room(ctx=ctx, session=first)
    cancel_session(session=second, by=site.instructor)
    open_room(ctx=ctx, session=third)

    response = signed_in(site.ada).get(reverse("unit", args=["harbour", "sepsis", first.unit_id]))

    html = response.content.decode()
    replay = reverse("live_replay", kwargs={"org_slug": "harbour", "session_id": first.pk})
    assert f'<span class="state">Ended</span> · <a href="{replay}">Replay' in html
    assert '</p><p class="state cancelled">Cancelled' in html
    assert html.count('<span class="state started">Live now</span>') == 1
    live_now = html.index("Live now")
    assert html.index(f'href="{_room(third)}"') > live_now > html.index("Cancelled")


def test_another_organizations_sessions_never_show(site: Site) -> None:
    other_org: Organization = make_org(slug="elsewhere")
    stranger = make_user(other_org, Role.INSTRUCTOR)
    course = make_course(other_org, title="Theirs", slug="theirs")
    publish_course(course=course)
    schedule_live_session(
        module=make_module(course, "M"),
        title="Their session",
        agenda="",
        starts_at=_soon(5),
        ends_at=_soon(6),
        hosts=[stranger],
        format=SessionFormat.CLASS,
        created_by=stranger,
    )
    site.schedule("Ours", _soon(5))

    html = signed_in(site.ada).get(reverse("dashboard", args=["harbour"])).content.decode()

    assert ">Ours</a></h3>" in html
    assert "Their session" not in html
