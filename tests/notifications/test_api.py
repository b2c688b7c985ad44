"""``/api/v1/me/notifications`` and ``/api/v1/me/notification-preferences``: the centre's
rules over JSON."""

from __future__ import annotations

import pytest

from cadenza.notifications.actions.dispatch import dispatch
from cadenza.notifications.models import Notification, NotificationPreference
from tests.api.conftest import JsonClient
from tests.notifications.conftest import Team, reply

pytestmark = pytest.mark.django_db


def test_list_count_and_read(team: Team) -> None:
    for n in range(1, 4):
        dispatch(reply(team, n, team.ana, thread=1))
    dispatch(reply(team, 9, team.ana, thread=2))
    api = JsonClient(team.ana)
    assert api.get("/me/notifications/unread-count").json() == {"count": 2}
    listing = api.get("/me/notifications").json()
    assert (listing["count"], listing["unread"], listing["page"], listing["pages"]) == (2, 2, 1, 1)
    first = listing["items"][1]
    assert {k: first[k] for k in ("org", "kind", "title", "body", "url", "count", "read")} == {
        "org": "harbour",
        "kind": "tests.reply",
        "title": "3 new replies in thread 1",
        "body": "Reply 3.",
        "url": "/o/harbour/threads/1/",
        "count": 3,
        "read": False,
    }
    read = api.post(f"/me/notifications/{first['id']}/read")
    assert (read.status_code, read.json()["read"]) == (200, True)
    assert api.get("/me/notifications/unread-count").json() == {"count": 1}
    assert api.get("/me/notifications?show=unread").json()["count"] == 1
    assert api.post("/me/notifications/read-all").json() == {"marked": 1}
    assert api.get("/me/notifications/unread-count").json() == {"count": 0}


def test_another_persons_notice_is_404_over_the_api(team: Team) -> None:
    dispatch(reply(team, 1, team.ben))
    notice = Notification.objects.get(user=team.ben)
    response = JsonClient(team.ana).post(f"/me/notifications/{notice.pk}/read")
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    assert JsonClient(team.cleo).get("/me/notifications").json()["count"] == 0


def test_preferences_over_the_api(team: Team) -> None:
    api = JsonClient(team.ana)
    listed = {
        p["kind"]: (p["email"], p["chosen"]) for p in api.get("/me/notification-preferences").json()
    }
    assert listed["live.reminder"] == ("immediate", False)
    response = api.put("/me/notification-preferences/live.reminder", {"email": "daily"})
    assert response.json() == {
        "kind": "live.reminder",
        "label": "Reminders before your live sessions",
        "email": "daily",
        "chosen": True,
    }
    assert list(NotificationPreference.objects.values_list("kind", "email")) == [
        ("live.reminder", "daily")
    ]


def test_bad_preferences_are_refused_and_nothing_changes(team: Team) -> None:
    api = JsonClient(team.ana)
    assert (
        api.put("/me/notification-preferences/live.reminder", {"email": "hourly"}).status_code
        == 422
    )
    assert (
        api.put("/me/notification-preferences/live.reminder", {"email": "off", "x": 1}).status_code
        == 422
    )
    assert api.put("/me/notification-preferences/no.such", {"email": "off"}).status_code == 404
    assert api.get("/me/notifications?page=0").status_code == 422
    assert NotificationPreference.objects.count() == 0


def test_the_api_needs_a_login(team: Team) -> None:
    anonymous = JsonClient(None)
    assert anonymous.get("/me/notifications").status_code == 401
    assert anonymous.get("/me/notifications/unread-count").status_code == 401
    assert anonymous.post("/me/notifications/read-all").status_code == 401
