"""The notification centre, reading notices, the preferences page and the bell on every
page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from cadenza.accounts.models import User
from cadenza.notifications.actions.dispatch import dispatch
from cadenza.notifications.models import Notification, NotificationPreference
from cadenza.orgs.actions import remove_member
from cadenza.orgs.models import Role
from tests.factories import make_user
from tests.notifications.conftest import Team, reply

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(html: str) -> list[str]:
    return re.findall(r'class="link notice-title">([^<]+)</button>', html)


def test_the_centre_lists_notices_latest_first_in_the_persons_zone(team: Team) -> None:
    dispatch(reply(team, 1, thread=1), now=datetime(2026, 3, 30, 16, 0, tzinfo=UTC))
    dispatch(reply(team, 2, thread=2), now=datetime(2026, 3, 30, 17, 0, tzinfo=UTC))
    page = client_for(team.ana).get("/notifications/").content.decode()
    assert titles(page) == ["New reply in thread 2", "New reply in thread 1"]
    assert "30 Mar 2026, 19:00 (Europe/Paris)" in page
    assert "Harbour Hospital" in page
    assert "2 unread." in page
    ben = client_for(team.ben).get("/notifications/").content.decode()
    assert "31 Mar 2026, 02:00 (Asia/Tokyo)" in ben


def test_the_centre_is_paginated_25_a_page(team: Team) -> None:
    for n in range(30):
        dispatch(reply(team, n, team.ana, thread=n))
    client = client_for(team.ana)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert (len(titles(first)), len(titles(second))) == (25, 5)
    assert "Page 1 of 2" in first
    assert titles(first)[0] == "New reply in thread 29"
    assert titles(second)[-1] == "New reply in thread 0"


def test_opening_a_notice_marks_it_read_and_goes_to_the_thing(team: Team) -> None:
    dispatch(reply(team, 1, team.ana))
    notice = Notification.objects.get(user=team.ana)
    client = client_for(team.ana)
    response = client.post(f"/notifications/{notice.pk}/open/")
    assert (response.status_code, response["Location"]) == (302, "/o/harbour/threads/1/")
    notice.refresh_from_db()
    assert notice.read_at is not None
    unread = client.get("/notifications/?show=unread").content.decode()
    assert titles(unread) == []
    assert "Nothing unread." in unread


def test_mark_one_and_mark_all_read(team: Team) -> None:
    for thread in (1, 2, 3):
        dispatch(reply(team, thread, team.ana, thread=thread))
    first = Notification.objects.filter(user=team.ana).order_by("id").first()
    assert first is not None
    client = client_for(team.ana)
    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/"})
    assert response.status_code == 302
    assert Notification.objects.filter(user=team.ana, read_at__isnull=True).count() == 2
    response = client.post("/notifications/read-all/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"  # an outside address is not followed
    assert Notification.objects.filter(user=team.ana, read_at__isnull=True).count() == 0


def test_another_persons_notice_is_404_and_stays_unread(team: Team) -> None:
    dispatch(reply(team, 1, team.ben))
    notice = Notification.objects.get(user=team.ben)
    client = client_for(team.ana)
    for action in ("open", "read"):
        assert client.post(f"/notifications/{notice.pk}/{action}/").status_code == 404
    client.post("/notifications/read-all/")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_notices_of_an_organization_the_person_left_are_not_shown(team: Team) -> None:
    dispatch(reply(team, 1, team.ana))
    notice = Notification.objects.get(user=team.ana)
    admin = make_user(team.org, Role.ADMIN)
    remove_member(org=team.org, membership_id=team.ana.memberships.get().pk, removed_by=admin)
    client = client_for(team.ana)
    assert titles(client.get("/notifications/").content.decode()) == []
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404


def test_the_preferences_page_stores_a_choice_per_kind(team: Team) -> None:
    client = client_for(team.ana)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Reminders before your live sessions" in page
    assert "Replies in threads you follow" in page
    response = client.post(
        "/notifications/preferences/",
        {
            "live.reminder": "immediate",
            "live.starting": "off",
            "live.cancelled": "immediate",
            "forums.post": "daily",
            "forums.mention": "immediate",
            "tests.reply": "weekly",
        },
    )
    assert response.status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=team.ana).values_list("kind", "email")
    ) == {
        "live.reminder": "immediate",
        "live.starting": "off",
        "live.cancelled": "immediate",
        "forums.post": "daily",
        "forums.mention": "immediate",
        "tests.reply": "weekly",
    }


def test_a_bad_choice_on_the_preferences_page_saves_nothing(team: Team) -> None:
    response = client_for(team.ana).post(
        "/notifications/preferences/",
        {
            "live.reminder": "hourly",
            "live.starting": "off",
            "live.cancelled": "off",
            "tests.reply": "off",
        },
    )
    assert response.status_code == 400
    assert NotificationPreference.objects.count() == 0


def test_the_bell_is_on_every_page_for_people_signed_in(team: Team) -> None:
    client = client_for(team.ana)
    for url in ("/notifications/", "/accounts/profile/", f"/o/{team.org.slug}/"):
        page = client.get(url).content.decode()
        assert '<a href="/notifications/" id="bell" data-socket="/ws/me/">' in page, url
        assert 'src="/static/notifications/bell.js"' in page
    assert 'id="bell"' not in Client().get("/accounts/login/").content.decode()


def test_pages_need_a_login(team: Team) -> None:
    for url in ("/notifications/", "/notifications/preferences/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_centre_asks_five_queries_however_many_notices(team: Team) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(team.ana)
    counts = []
    for threads in (range(2), range(2, 40)):
        for n in threads:
            dispatch(reply(team, n, team.ana, thread=n))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        counts.append(len(captured.captured_queries))
    # The session, the person, the unread count, the page's count, the page's rows.
    assert counts == [5, 5]
