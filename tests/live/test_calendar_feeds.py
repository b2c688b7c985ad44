"""The calendar pages: making and revoking the private feed link, the public feed it serves,
and one session's ``.ics`` download."""

from __future__ import annotations

import pytest
from django.urls import include, path, reverse

from cadenza.config.urls import urlpatterns as site_urlpatterns
from cadenza.live.models import CalendarFeed, LiveSession
from cadenza.live.schedule.actions.calendar_feeds import calendar_feed_for, revoke_calendar_feed
from cadenza.live.schedule.selectors import join_path
from tests.live.fixtures_scheduling import School, build_school, client_for, schedule
from tests.live.ical_parser import parse, unescape

# The feed is mounted at the site's root by config/urls.py; included here as well so these
# tests do not depend on that line.
urlpatterns = [*site_urlpatterns, path("", include("cadenza.live.urls.feeds"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def school() -> School:
    return build_school()


def feed_url(token: str) -> str:
    return reverse("calendar_feed", kwargs={"token": token})


def settings_url() -> str:
    return reverse("calendar_settings", kwargs={"org_slug": "harbour"})


def test_the_feed_link_is_made_on_request_and_shown(school: School) -> None:
    client = client_for(school.ada)
    page = client.get(settings_url()).content.decode()
    assert "Make my calendar link" in page
    assert CalendarFeed.objects.count() == 0
    response = client.post(settings_url(), {"action": "make"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(user=school.ada)
    assert len(feed.token) == 43
    page = client.get(settings_url()).content.decode()
    assert f'value="http://testserver/calendar/{feed.token}.ics"' in page
    assert '<label for="feed-url">Your private calendar link</label>' in page
    client.post(settings_url(), {"action": "make"})
    assert CalendarFeed.objects.count() == 1


def test_revoking_the_link_makes_a_new_one_and_the_old_one_answers_404(school: School) -> None:
    schedule(school)
    old = calendar_feed_for(user=school.ada)
    assert client_for(school.bob).get(feed_url(old.token)).status_code == 200
    response = client_for(school.ada).post(settings_url(), {"action": "revoke"})
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=school.ada, revoked_at__isnull=True)
    assert new.token != old.token
    anonymous = client_for(school.carl)
    anonymous.logout()
    assert anonymous.get(feed_url(old.token)).status_code == 404
    assert anonymous.get(feed_url(new.token)).status_code == 200


def test_an_unknown_action_is_a_400_and_changes_nothing(school: School) -> None:
    calendar_feed_for(user=school.ada)
    response = client_for(school.ada).post(settings_url(), {"action": "explode"})
    assert response.status_code == 400
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_feed_needs_no_login_and_serves_the_persons_sessions(school: School) -> None:
    session = schedule(school).sessions[0]
    token = calendar_feed_for(user=school.ada).token
    response = client_for(school.carl).get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content.decode("utf-8"))
    [event] = calendar.all("VEVENT")
    assert event.value("UID") == f"{session.ical_uid}@cadenza"
    assert unescape(event.value("SUMMARY")) == "Sepsis simulation"
    assert event.value("URL") == ("http://testserver" + join_path(session))


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 80])
def test_an_unknown_token_answers_404(school: School, token: str) -> None:
    calendar_feed_for(user=school.ada)
    assert client_for(school.ada).get(feed_url(token)).status_code == 404


def test_a_feed_revoked_without_replacement_answers_404(school: School) -> None:
    token = calendar_feed_for(user=school.ada).token
    assert revoke_calendar_feed(user=school.ada, replace=False) is None
    assert client_for(school.ada).get(feed_url(token)).status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0


def ics_url(session: LiveSession, org_slug: str = "harbour") -> str:
    return reverse("live_session_ics", kwargs={"org_slug": org_slug, "session_id": session.pk})


def test_an_enrolled_learner_downloads_one_session_as_an_attachment(school: School) -> None:
    session = schedule(school).sessions[0]
    response = client_for(school.ada).get(ics_url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="live-session-{session.pk}.ics"'
    )
    [event] = parse(response.content.decode()).all("VEVENT")
    assert event.value("UID") == f"{session.ical_uid}@cadenza"


def test_the_download_is_404_for_people_who_may_not_see_the_session(school: School) -> None:
    session = schedule(school).sessions[0]
    draft = schedule(school, publish=False, title="Draft").sessions[0]
    assert client_for(school.carl).get(ics_url(session)).status_code == 404  # not enrolled
    assert client_for(school.ada).get(ics_url(draft)).status_code == 404  # draft
    assert client_for(school.stranger).get(ics_url(session, "elsewhere")).status_code == 404
    assert client_for(school.stranger).get(ics_url(session)).status_code == 404
    anonymous = client_for(school.ada)
    anonymous.logout()
    assert anonymous.get(ics_url(session)).status_code == 302  # to the login page
