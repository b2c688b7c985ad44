"""Watching the replay (attended by replay) and hosts answering questions after the session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.actions.attendance import (
    compute_attendance,
    correct_attendance,
    join_room,
    leave_room,
)
from cadenza.live.attendance.actions.replay import (
    ReplayNotAvailable,
    answer_question_later,
    record_replay_watching,
)
from cadenza.live.models import (
    Attendance,
    LiveSession,
    QuestionStatus,
    ReplayViewing,
    RoomQuestion,
)
from tests.live.fixtures_attendance import END, Live, at, build_live

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> Live:
    built = build_live()
    built.session.recording_url = "https://media.example.org/sim.mp4"
    built.session.recording_duration_seconds = 400.0
    built.session.save()
    return built


def watch(live: Live, *, reports: int, every: float = 5.0, played: float = 5.0) -> None:
    """``reports`` reports ``every`` seconds apart, each saying ``played`` seconds were played."""
    start = END + timedelta(days=1)
    for n in range(reports):
        record_replay_watching(
            session=live.session,
            user=live.ada,
            played_seconds=played,
            position_seconds=(n + 1) * played,
            now=start + timedelta(seconds=n * every),
        )


def attended_statements(live: Live) -> list[Statement]:
    return list(Statement.objects.filter(actor=live.ada, verb=Verb.ATTENDED.value))


def test_watching_75_percent_counts_as_attended_by_replay(live: Live) -> None:
    watch(live, reports=60)  # 60 x 5 s = 300 s of 400: exactly 75 %

    viewing = ReplayViewing.objects.get(user=live.ada)
    assert viewing.watched_seconds == 300.0
    row = Attendance.objects.get(session=live.session, user=live.ada)
    assert (row.attended, row.source, row.seconds_present) == (True, "replay", 0)
    statements = attended_statements(live)
    assert [s.result for s in statements] == [{"success": True, "duration": "PT0S"}]
    assert statements[0].context["extensions"] == {
        "urn:cadenza:xapi:extension:attendance-source": "replay"
    }
    progress = UnitProgress.objects.get(user=live.ada, unit=live.unit)
    assert progress.status == ProgressStatus.COMPLETED


def test_one_report_short_of_the_threshold_does_not_attend(live: Live) -> None:
    watch(live, reports=59)  # 295 s of 400

    assert ReplayViewing.objects.get(user=live.ada).watched_seconds == 295.0
    assert not Attendance.objects.filter(user=live.ada).exists()
    assert attended_statements(live) == []


def test_seeking_to_the_end_is_not_watching(live: Live) -> None:
    start = END + timedelta(days=1)
    record_replay_watching(
        session=live.session, user=live.ada, played_seconds=0, position_seconds=0, now=start
    )
    record_replay_watching(
        session=live.session,
        user=live.ada,
        played_seconds=400,
        position_seconds=400,
        now=start + timedelta(seconds=10),
    )

    viewing = ReplayViewing.objects.get(user=live.ada)
    assert (viewing.watched_seconds, viewing.position_seconds) == (15.0, 400.0)
    assert not Attendance.objects.filter(user=live.ada).exists()


def test_the_first_report_records_experienced_once(live: Live) -> None:
    watch(live, reports=3)

    experienced = Statement.objects.filter(actor=live.ada, verb=Verb.EXPERIENCED.value)
    assert [s.object_type for s in experienced] == ["live_session"]


def test_a_session_whose_replay_does_not_count_records_no_attendance(live: Live) -> None:
    live.session.replay_counts_as_attendance = False
    live.session.save()

    watch(live, reports=80)

    assert ReplayViewing.objects.get(user=live.ada).watched_seconds == 400.0
    assert not Attendance.objects.filter(user=live.ada).exists()


def test_attended_live_stays_live_and_has_one_statement(live: Live) -> None:
    join_room(session=live.session, user=live.ada, connection_id="a", at=at(0))
    leave_room(connection_id="a", at=at(60))
    compute_attendance(session=live.session, now=at(70))

    watch(live, reports=80)

    assert Attendance.objects.get(user=live.ada).source == "live"
    assert len(attended_statements(live)) == 1


def test_a_hosts_correction_is_not_overridden_by_watching(live: Live) -> None:
    correct_attendance(
        session=live.session, user=live.ada, attended=False, note="Other cohort", by=live.host
    )

    watch(live, reports=80)

    row = Attendance.objects.get(user=live.ada)
    assert (row.attended, row.source) == (False, "corrected")


def test_no_replay_before_the_session_ends(live: Live) -> None:
    with pytest.raises(ReplayNotAvailable):
        record_replay_watching(
            session=live.session,
            user=live.ada,
            played_seconds=5,
            position_seconds=5,
            now=at(30),
        )
    assert ReplayViewing.objects.count() == 0


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), 90_000.0])
def test_impossible_numbers_write_nothing(live: Live, bad: float) -> None:
    with pytest.raises(DomainError, match="between 0 and 86400"):
        record_replay_watching(
            session=live.session,
            user=live.ada,
            played_seconds=bad,
            position_seconds=0,
            now=END + timedelta(days=1),
        )
    assert ReplayViewing.objects.count() == 0


def test_the_players_duration_is_used_when_the_session_does_not_know_it(live: Live) -> None:
    live.session.recording_duration_seconds = None
    live.session.save()
    start = END + timedelta(days=1)
    for n in range(4):
        record_replay_watching(
            session=live.session,
            user=live.ada,
            played_seconds=5,
            position_seconds=5 * (n + 1),
            duration_seconds=20,
            now=start + timedelta(seconds=5 * n),
        )

    assert Attendance.objects.get(user=live.ada).source == "replay"


def question(live: Live, *, status: str = QuestionStatus.OPEN) -> RoomQuestion:
    return RoomQuestion.objects.create(
        org=live.org,
        session=live.session,
        seq=1,
        author=live.ada,
        body="Why lactate?",
        status=status,
        created_at=at(10),
    )


def closed(session: LiveSession) -> None:
    session.opened_at = at(-5)
    session.closed_at = at(60)
    session.save()


def test_a_host_answers_an_open_question_after_the_session(live: Live) -> None:
    closed(live.session)
    asked = question(live)

    answered = answer_question_later(
        question=asked, answer="  It tracks perfusion.  ", by=live.host, now=at(120)
    )

    assert (answered.status, answered.answer) == ("answered", "It tracks perfusion.")
    assert (answered.answered_by, answered.answered_at) == (live.host, at(120))


def test_answering_later_is_refused_while_the_room_is_open(live: Live) -> None:
    live.session.opened_at = at(-5)
    live.session.save()
    asked = question(live)

    with pytest.raises(DomainError, match="The room is open"):
        answer_question_later(question=asked, answer="Later", by=live.host, now=at(30))

    asked.refresh_from_db()
    assert (asked.status, asked.answer) == ("open", "")


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ("   ", QuestionStatus.OPEN, "empty"),
        ("x" * 10_001, QuestionStatus.OPEN, "at most"),
        ("Yes\x00no", QuestionStatus.OPEN, r"control character \(U\+0000 NUL\) at character 4"),
        ("Bell\x07", QuestionStatus.OPEN, r"control character \(U\+0007 BEL\) at character 5"),
        ("Yes", QuestionStatus.DISMISSED, "already answered or dismissed"),
    ],
)
def test_bad_answers_write_nothing(live: Live, answer: str, status: str, message: str) -> None:
    closed(live.session)
    asked = question(live, status=status)

    with pytest.raises(DomainError, match=message):
        answer_question_later(question=asked, answer=answer, by=live.host, now=at(120))

    asked.refresh_from_db()
    assert (asked.status, asked.answer, asked.answered_by) == (status, "", None)


def test_only_hosts_and_admins_answer_later(live: Live) -> None:
    closed(live.session)
    asked = question(live)

    with pytest.raises(PermissionDenied):
        answer_question_later(question=asked, answer="Me!", by=live.bob, now=at(120))
    answer_question_later(question=asked, answer="Admin here", by=live.admin, now=at(120))

    asked.refresh_from_db()
    assert (asked.answer, asked.answered_by) == ("Admin here", live.admin)
