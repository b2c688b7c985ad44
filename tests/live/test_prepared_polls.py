"""Polls prepared on the session's edit page before the session: added, changed and removed
until opened, by the session's hosts only; they wait in the room's host console."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadenza.live.models import LiveSession, Poll, PollStatus, RoomEvent
from cadenza.live.room.actions.polls import open_poll
from cadenza.live.room.selectors.room import access_room
from cadenza.live.room.selectors.snapshot import room_snapshot
from cadenza.live.sessions.prepared_polls import session_polls
from cadenza.orgs.selectors import access_org
from tests.api.conftest import api_as
from tests.live.fixtures_scheduling import START, School, build_school, client_for, schedule

pytestmark = pytest.mark.django_db

QUIZ = {"prompt": "First antibiotic within?", "options": "* 1 h\n6 h\n", "multiple": ""}


@pytest.fixture
def school() -> School:
    return build_school()


@pytest.fixture
def session(school: School) -> LiveSession:
    return schedule(school, starts_at=START).sessions[0]


def url(name: str, session: LiveSession, org: str = "harbour", **more: int) -> str:
    return reverse(name, kwargs={"org_slug": org, "session_id": session.pk, **more})


def polls(session: LiveSession) -> list[tuple[str, list[tuple[str, bool]], str]]:
    return [
        (
            poll.prompt,
            [(option.text, option.is_correct) for option in poll.options.all()],
            poll.status,
        )
        for poll in Poll.objects.filter(session=session).prefetch_related("options")
    ]


def test_a_host_prepares_a_quiz_on_the_edit_page_and_it_waits_in_the_host_console(
    school: School, session: LiveSession
) -> None:
    host = client_for(school.instructor)
    page = host.get(url("live_session_edit", session)).content.decode()
    assert "Polls for this session" in page
    assert "No poll prepared yet." in page

    added = host.post(url("live_poll_add", session), QUIZ)

    assert added.status_code == 302
    assert added["Location"] == url("live_session_edit", session)
    assert polls(session) == [
        ("First antibiotic within?", [("1 h", True), ("6 h", False)], PollStatus.PREPARED)
    ]
    page = host.get(url("live_session_edit", session)).content.decode()
    assert "<strong>First antibiotic within?</strong>" in page
    assert "<li>1 h (correct)</li>" in page
    events = RoomEvent.objects.filter(session=session)
    assert [(e.type, e.audience) for e in events] == [("live.poll.prepared", ["hosts"])]
    console = room_snapshot(access_room(user=school.instructor, session_id=session.pk))
    assert [(p.prompt, p.status) for p in console.polls] == [
        ("First antibiotic within?", "prepared")
    ]
    learner_view = room_snapshot(access_room(user=school.ada, session_id=session.pk))
    assert learner_view.polls == ()


def test_a_prepared_poll_is_changed_and_removed_until_it_is_opened(
    school: School, session: LiveSession
) -> None:
    host = client_for(school.instructor)
    host.post(url("live_poll_add", session), QUIZ)
    poll = Poll.objects.get()
    edit_url = url("live_poll_edit", session, poll_id=poll.pk)
    assert "* 1 h\n6 h</textarea>" in host.get(edit_url).content.decode()

    changed = host.post(edit_url, {"prompt": "Ready?", "options": "Yes\nNo\nNot yet"})

    assert changed.status_code == 302
    assert polls(session) == [
        ("Ready?", [("Yes", False), ("No", False), ("Not yet", False)], PollStatus.PREPARED)
    ]
    host.post(url("live_poll_add", session), {"prompt": "Questions?", "options": "Yes\nNo"})
    second = Poll.objects.get(prompt="Questions?")
    removed = host.post(url("live_poll_remove", session, poll_id=second.pk))
    assert removed.status_code == 302
    assert [p.prompt for p in session_polls(session)] == ["Ready?"]
    assert list(RoomEvent.objects.values_list("type", flat=True)) == [
        "live.poll.prepared",
        "live.poll.prepared",
        "live.poll.prepared",
        "live.poll.removed",
    ]

    open_poll(
        ctx=access_org(user=school.instructor, slug="harbour"),
        session=session,
        poll_id=poll.pk,
        client_event_id="open-1",
    )
    too_late = host.post(edit_url, {"prompt": "Changed?", "options": "A\nB"})
    assert too_late.status_code == 400
    assert "This poll has been opened: it can no longer be changed or removed." in (
        too_late.content.decode()
    )
    host.post(url("live_poll_remove", session, poll_id=poll.pk))
    assert polls(session) == [
        ("Ready?", [("Yes", False), ("No", False), ("Not yet", False)], PollStatus.OPEN)
    ]
    page = host.get(url("live_session_edit", session)).content.decode()
    assert url("live_poll_edit", session, poll_id=poll.pk) not in page


def test_a_poll_with_one_option_is_refused_with_the_reason_and_nothing_is_written(
    school: School, session: LiveSession
) -> None:
    refused = client_for(school.instructor).post(
        url("live_poll_add", session), {"prompt": "Ready?", "options": "Yes"}
    )
    assert refused.status_code == 400
    assert "Give 2 to 10 options, one a line." in refused.content.decode()
    assert Poll.objects.count() == 0
    assert RoomEvent.objects.count() == 0


def test_only_hosts_prepare_polls_and_another_organizations_session_is_404(
    school: School, session: LiveSession
) -> None:
    client_for(school.instructor).post(url("live_poll_add", session), QUIZ)
    poll = Poll.objects.get()
    before = polls(session)
    ta_page = client_for(school.ta).get(url("live_session_edit", session)).content.decode()
    assert "Polls for this session" not in ta_page

    assert client_for(school.ta).post(url("live_poll_add", session), QUIZ).status_code == 403
    assert client_for(school.ada).post(url("live_poll_add", session), QUIZ).status_code == 403
    edit = url("live_poll_edit", session, poll_id=poll.pk)
    assert client_for(school.ta).post(edit, {"prompt": "X", "options": "A\nB"}).status_code == 403
    remove = url("live_poll_remove", session, poll_id=poll.pk)
    assert client_for(school.ada).post(remove).status_code == 403
    assert client_for(school.stranger).post(remove).status_code == 404
    foreign = url("live_poll_add", session, org="elsewhere")
    assert client_for(school.stranger).post(foreign, QUIZ).status_code == 404
    assert polls(session) == before
    assert RoomEvent.objects.count() == 1


def test_the_api_changes_and_removes_a_prepared_poll_with_the_rooms_commands(
    school: School, session: LiveSession
) -> None:
    room = f"/orgs/harbour/live-sessions/{session.pk}/room/commands"
    host = api_as(school.instructor)
    made = host.post(
        room,
        {
            "type": "poll.create",
            "client_event_id": "p-1",
            "prompt": "Ready?",
            "options": ["Y", "N"],
        },
    )
    assert made.status_code == 200
    poll_id = Poll.objects.get().pk
    by_ada = api_as(school.ada).post(
        room, {"type": "poll.remove", "client_event_id": "r-0", "poll_id": poll_id}
    )
    assert by_ada.status_code == 403
    edited = host.post(
        room,
        {
            "type": "poll.edit",
            "client_event_id": "e-1",
            "poll_id": poll_id,
            "prompt": "Ready now?",
            "options": ["Yes", "No"],
            "correct": [0],
        },
    )
    assert edited.json() == {"client_event_id": "e-1", "seq": 2}
    assert polls(session) == [("Ready now?", [("Yes", True), ("No", False)], "prepared")]
    removed = host.post(room, {"type": "poll.remove", "client_event_id": "r-1", "poll_id": poll_id})
    assert removed.json() == {"client_event_id": "r-1", "seq": 3}
    assert Poll.objects.count() == 0
