"""The replay page per role (chat, Q&A, polls, attendance), its progress endpoint, the
recording file and answering later."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.live.attendance.selectors.replay import ReplayPage
from cadenza.live.models import (
    BreakoutAssignment,
    BreakoutRoom,
    ChatMessage,
    Poll,
    PollOption,
    PollStatus,
    PollVote,
    QuestionStatus,
    ReplayViewing,
    RoomQuestion,
)
from cadenza.live.providers import registry as video_registry
from cadenza.live.providers.base import ProviderUnavailable, Recording
from cadenza.orgs.models import Role
from tests.factories import PASSWORD, enrol, make_org, make_user
from tests.live.fixtures_attendance import Live, at, build_live

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> Live:
    built = build_live()
    now = datetime.now(UTC)
    built.session.starts_at = now - timedelta(hours=3)
    built.session.ends_at = now - timedelta(hours=2)
    built.session.recording_duration_seconds = 400.0
    built.session.save()
    return built


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def url(live: Live, name: str = "live_replay") -> str:
    return reverse(name, kwargs={"org_slug": live.org.slug, "session_id": live.session.pk})


def chat(live: Live, seq: int, author: User, body: str, **fields: object) -> None:
    ChatMessage.objects.create(
        org=live.org,
        session=live.session,
        seq=seq,
        author=author,
        body=body,
        created_at=at(seq),
        **fields,
    )


@pytest.fixture
def room(live: Live) -> Live:
    """A session with every kind of chat, questions and polls."""
    carol = make_user(live.org, display_name="Carol Learner")
    enrol(live.course, carol)
    breakout = BreakoutRoom.objects.create(
        org=live.org, session=live.session, name="Room A", provider_room="ra"
    )
    BreakoutAssignment.objects.create(org=live.org, session=live.session, room=breakout, user=carol)
    chat(live, 1, live.ada, "Hello all")
    chat(live, 2, live.ada, "Psst Bob", recipient=live.bob)
    chat(live, 3, carol, "Breakout talk", breakout=breakout)
    chat(live, 4, live.bob, "Deleted words", deleted_at=at(5))
    for seq, author, body, anonymous, status, votes in [
        (5, live.ada, "Anonymous ask", True, QuestionStatus.OPEN, 3),
        (6, live.bob, "Named ask", False, QuestionStatus.ANSWERED, 1),
        (7, live.bob, "Off topic", False, QuestionStatus.DISMISSED, 0),
    ]:
        RoomQuestion.objects.create(
            org=live.org,
            session=live.session,
            seq=seq,
            author=author,
            body=body,
            anonymous=anonymous,
            status=status,
            votes=votes,
            answer="Because." if status == QuestionStatus.ANSWERED else "",
            created_at=at(seq),
        )
    for prompt, anonymous in [("Named poll", False), ("Secret poll", True)]:
        poll = Poll.objects.create(
            org=live.org,
            session=live.session,
            prompt=prompt,
            anonymous=anonymous,
            status=PollStatus.CLOSED,
        )
        yes = PollOption.objects.create(org=live.org, poll=poll, text="Yes", is_correct=True)
        no = PollOption.objects.create(org=live.org, poll=poll, text="No", position=1)
        for voter, option in [(live.ada, yes), (live.bob, yes), (carol, no)]:
            PollVote.objects.create(
                org=live.org, poll=poll, user=voter, option_ids=[option.pk], voted_at=at(20)
            )
    Poll.objects.create(org=live.org, session=live.session, prompt="Never ran", position=9)
    return live


def page_of(live: Live, user: User) -> ReplayPage:
    response = client_for(user).get(url(live))
    assert response.status_code == 200
    page = response.context["replay"]
    assert isinstance(page, ReplayPage)
    return page


def test_learners_see_public_chat_and_their_own_private_messages(room: Live) -> None:
    carol = User.objects.get(display_name="Carol Learner")

    def bodies(user: User) -> list[str]:
        return [line.body for line in page_of(room, user).chat]

    assert bodies(room.ada) == ["Hello all", "Psst Bob"]
    assert bodies(room.bob) == ["Hello all", "Psst Bob"]
    assert bodies(carol) == ["Hello all", "Breakout talk"]
    assert bodies(room.host) == ["Hello all", "Breakout talk"]


def test_anonymous_authors_are_hidden_from_peers_only(room: Live) -> None:
    def questions(user: User) -> list[tuple[str, str]]:
        page = page_of(room, user)
        return [(q.body, q.author) for q in page.questions]

    assert questions(room.bob) == [("Anonymous ask", "Anonymous"), ("Named ask", "Bob Learner")]
    assert questions(room.ada) == [("Anonymous ask", "Ada Learner"), ("Named ask", "Bob Learner")]
    assert questions(room.host) == [
        ("Anonymous ask", "Ada Learner"),
        ("Named ask", "Bob Learner"),
        ("Off topic", "Bob Learner"),
    ]
    unanswered = page_of(room, room.host).unanswered
    assert [q.body for q in unanswered] == ["Anonymous ask"]


def test_poll_counts_for_all_and_per_person_only_for_hosts_of_named_polls(room: Live) -> None:
    learner_polls = page_of(room, room.ada).polls
    host_polls = page_of(room, room.host).polls

    assert [(p.prompt, p.voters) for p in learner_polls] == [("Named poll", 3), ("Secret poll", 3)]
    assert [(o.text, o.votes, o.percent) for o in learner_polls[0].options] == [
        ("Yes", 2, 66),
        ("No", 1, 33),
    ]
    assert [p.per_person for p in learner_polls] == [None, None]
    assert host_polls[0].per_person == [
        ("Ada Learner", ["Yes"]),
        ("Bob Learner", ["Yes"]),
        ("Carol Learner", ["No"]),
    ]
    assert host_polls[1].per_person is None


def test_attendance_is_shown_to_hosts_only(room: Live) -> None:
    assert page_of(room, room.ada).attendance is None
    rows = page_of(room, room.host).attendance
    assert rows is not None
    assert [row.user.name for row in rows] == ["Ada Learner", "Bob Learner", "Carol Learner"]
    assert b"Psst Bob" not in client_for(room.host).get(url(room)).content


def test_the_replay_page_renders_for_each_role(room: Live) -> None:
    response = client_for(room.host).get(url(room))
    assert b"Answer this question" in response.content
    assert b"Who voted what" in response.content
    learner = client_for(room.ada).get(url(room))
    assert b"Answer this question" not in learner.content
    assert b"Attendance" not in learner.content


def test_another_organization_and_a_learner_not_enrolled_get_404(live: Live) -> None:
    other = make_org()
    stranger = make_user(other, role=Role.ADMIN)
    outsider = make_user(live.org)

    assert client_for(stranger).get(url(live)).status_code == 404
    assert client_for(outsider).get(url(live)).status_code == 404


def report(live: Live, user: User, body: object) -> HttpResponse:
    response = client_for(user).post(
        url(live, "live_replay_progress"), json.dumps(body), content_type="application/json"
    )
    assert isinstance(response, HttpResponse)
    return response


def test_the_player_reports_progress_as_json(live: Live) -> None:
    response = report(live, live.ada, {"played_seconds": 5, "position_seconds": 5})

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "watched_percent": 1.2,
        "position_seconds": 5.0,
        "completed": False,
        "attended": False,
    }


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"played_seconds": "lots"}, "played_seconds must be a number."),
        ({"played_seconds": True}, "played_seconds must be a number."),
        ([1, 2], "The body must be a JSON object."),
        ({"played_seconds": -3}, "played_seconds must be between 0 and 86400 seconds."),
    ],
)
def test_bad_reports_answer_400_and_write_nothing(live: Live, body: object, detail: str) -> None:
    response = report(live, live.ada, body)

    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": detail}
    assert ReplayViewing.objects.count() == 0


def test_hosts_progress_is_not_recorded(live: Live) -> None:
    response = report(live, live.host, {"played_seconds": 5})

    assert response.status_code == 403
    assert ReplayViewing.objects.count() == 0


def test_the_recording_file_is_served_with_ranges(live: Live) -> None:
    live.session.recording_file.save("sim.mp4", ContentFile(b"0123456789"), save=True)

    client = client_for(live.ada)
    whole = client.get(url(live, "live_recording"))
    part = client.get(url(live, "live_recording"), headers={"Range": "bytes=2-5"})

    assert whole.status_code == 200
    assert whole["Content-Type"] == "video/mp4"
    assert whole.getvalue() == b"0123456789"
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 2-5/10"
    assert part.getvalue() == b"2345"


def test_a_recording_that_is_not_a_video_is_an_attachment(live: Live) -> None:
    live.session.recording_file.save("evil.html", ContentFile(b"<script>"), save=True)

    response = client_for(live.ada).get(url(live, "live_recording"))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    response.close()


def test_a_session_without_a_recording_file_answers_404(live: Live) -> None:
    assert client_for(live.ada).get(url(live, "live_recording")).status_code == 404


def answer_url(live: Live, question: RoomQuestion) -> str:
    return reverse(
        "live_question_answer",
        kwargs={
            "org_slug": live.org.slug,
            "session_id": live.session.pk,
            "question_id": question.pk,
        },
    )


def test_a_host_answers_later_from_the_replay_page(room: Live) -> None:
    asked = RoomQuestion.objects.get(body="Anonymous ask")

    response = client_for(room.host).post(answer_url(room, asked), {"answer": "See slide 4."})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.answer, asked.answered_by) == (
        "answered",
        "See slide 4.",
        room.host,
    )


def test_an_empty_answer_is_400_and_a_learner_is_403(room: Live) -> None:
    asked = RoomQuestion.objects.get(body="Anonymous ask")

    empty = client_for(room.host).post(answer_url(room, asked), {"answer": " "})
    learner = client_for(room.bob).post(answer_url(room, asked), {"answer": "Me"})

    assert (empty.status_code, learner.status_code) == (400, 403)
    assert b"The answer is empty." in empty.content
    asked.refresh_from_db()
    assert (asked.status, asked.answer) == ("open", "")


class _FakeProvider:
    def __init__(self, recordings: list[Recording] | None) -> None:
        self._recordings = recordings

    def recordings(self, *, session: object) -> list[Recording]:
        if self._recordings is None:
            raise ProviderUnavailable("BigBlueButton did not answer.")
        return self._recordings


def test_the_providers_recordings_are_listed(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = [
        Recording(
            title="Take 1",
            url="https://bbb.example.org/p/1",
            duration_seconds=3000.0,
            started_at=None,
        ),
        Recording(title="Bad", url="javascript:alert(1)", duration_seconds=None, started_at=None),
    ]
    monkeypatch.setattr(video_registry, "provider_for", lambda session: _FakeProvider(kept))

    page = page_of(live, live.ada)

    assert [(r.title, r.url) for r in page.provider_recordings] == [
        ("Take 1", "https://bbb.example.org/p/1")
    ]
    assert page.recording_note == ""


def test_a_provider_that_fails_leaves_the_rest_of_the_replay(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(video_registry, "provider_for", lambda session: _FakeProvider(None))
    chat(live, 1, live.ada, "Still here")

    response = client_for(live.ada).get(url(live))

    assert response.status_code == 200
    assert b"could not be fetched just now" in response.content
    assert b"Still here" in response.content
