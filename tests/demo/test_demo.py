"""The demo organization: who is in it, the course, the learners' history, idempotence."""

from __future__ import annotations

import re
import struct
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Model, Q

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.courses.models import Course, Enrolment, Module, Unit, UnitKind
from cadenza.demo.builder import DemoConflict, DemoSummary, build_demo
from cadenza.demo.content import CHECKLIST_ASSET, VIDEO_ASSET, VIDEO_DURATION_SECONDS, asset_bytes
from cadenza.learning.models import Answer, Attempt, Choice, Question, UnitProgress
from cadenza.live.models import (
    Attendance,
    ChatMessage,
    LiveSeries,
    LiveSession,
    LiveSessionHost,
    Poll,
    PollVote,
    PresenceInterval,
    RoomEvent,
    RoomQuestion,
)
from cadenza.orgs.models import Membership, Organization, Role
from tests.demo.conftest import BUILT_AT
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

LEARNER_ZONES = {
    "America/Chicago",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Manila",
    "Africa/Lagos",
    "Australia/Sydney",
}


def _verb_counts() -> dict[str, int]:
    return dict(
        Counter(v.rsplit("/", 1)[-1] for v in Statement.objects.values_list("verb", flat=True))
    )


def _row_counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Organization, User, Membership, Course, Module, Unit, Enrolment, Question, Choice,
        UnitProgress, Attempt, Answer, Statement, LiveSeries, LiveSession, LiveSessionHost,
        RoomEvent, ChatMessage, RoomQuestion, Poll, PollVote, PresenceInterval, Attendance,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}  # type: ignore[attr-defined]


def test_demo_builds_riverside_with_one_admin_instructor_and_ta_and_thirty_learners(
    demo: DemoSummary,
) -> None:
    org = Organization.objects.get()
    assert (org.slug, org.name, org.time_zone, org.allow_self_join) == (
        "riverside",
        "Riverside General Hospital",
        "America/Chicago",
        True,
    )
    roles = Counter(Membership.objects.filter(org=org).values_list("role", flat=True))
    assert roles == {Role.ADMIN: 1, Role.INSTRUCTOR: 1, Role.TA: 1, Role.LEARNER: 30}
    instructor = User.objects.get(memberships__role=Role.INSTRUCTOR)
    assert (instructor.display_name, instructor.email) == (
        "Dr. Amara Okafor",
        "amara.okafor@riverside.example",
    )
    assert demo.created is True


def test_demo_learners_live_in_eight_time_zones(demo: DemoSummary) -> None:
    learners = User.objects.filter(memberships__role=Role.LEARNER)
    assert set(learners.values_list("time_zone", flat=True)) == LEARNER_ZONES


def test_every_demo_account_logs_in_with_the_printed_password(demo: DemoSummary) -> None:
    users = list(User.objects.all())
    assert len(users) == 33
    assert all(user.check_password(demo.password) for user in users)
    assert [login.email for login in demo.logins] == [
        "jordan.reyes@riverside.example",
        "amara.okafor@riverside.example",
        "daniel.kowalski@riverside.example",
        "maria.santos@riverside.example",
    ]


def test_demo_course_is_published_with_three_self_paced_modules_and_a_live_one(
    demo: DemoSummary,
) -> None:
    course = Course.objects.get()
    assert (course.slug, course.title, course.open_enrolment, course.is_published) == (
        "sepsis-protocol",
        "Sepsis Recognition and the Hour-1 Bundle",
        True,
        True,
    )
    outline = [
        (module.title, [unit.kind for unit in module.units.all()])
        for module in course.modules.prefetch_related("units")
    ]
    assert outline == [
        ("Recognising sepsis", [UnitKind.VIDEO, UnitKind.READING, UnitKind.KNOWLEDGE_CHECK]),
        ("The Hour-1 bundle", [UnitKind.READING, UnitKind.RESOURCE, UnitKind.KNOWLEDGE_CHECK]),
        ("Before the live simulation", [UnitKind.READING]),
        ("Live simulation", [UnitKind.LIVE_SESSION] * 3),
    ]
    assert Module.objects.filter(published_at__isnull=True).count() == 0
    assert Unit.objects.filter(published_at__isnull=True).count() == 0
    checks = Unit.objects.filter(kind=UnitKind.KNOWLEDGE_CHECK)
    assert [(u.pass_mark_percent, u.max_attempts, u.questions.count()) for u in checks] == [
        (80, 3, 5),
        (80, 3, 5),
    ]
    assert "The next module, **Live simulation**, lists the live sessions" in (
        Unit.objects.get(title__startswith="Preparing").body
    )


def test_first_knowledge_check_covers_every_kind_of_question(demo: DemoSummary) -> None:
    check = Unit.objects.filter(kind=UnitKind.KNOWLEDGE_CHECK).first()
    assert check is not None
    kinds = list(check.questions.values_list("kind", flat=True))
    assert kinds == ["single", "multiple", "true_false", "numeric", "short_text"]
    lactate = check.questions.get(kind="numeric")
    assert (str(lactate.numeric_answer), str(lactate.numeric_tolerance)) == (
        "2.000000",
        "0.100000",
    )


def test_demo_media_are_copied_from_the_shipped_assets(demo: DemoSummary) -> None:
    video = Unit.objects.get(kind=UnitKind.VIDEO)
    assert video.video_duration_seconds == 20.0
    with video.video_file.open("rb") as stored:
        assert stored.read() == asset_bytes(VIDEO_ASSET)
    checklist = Unit.objects.get(kind=UnitKind.RESOURCE)
    content = asset_bytes(CHECKLIST_ASSET)
    assert (checklist.resource_name, checklist.resource_content_type, checklist.resource_size) == (
        "sepsis-screening-checklist.pdf",
        "application/pdf",
        len(content),
    )
    with checklist.resource_file.open("rb") as stored:
        assert stored.read() == content


def test_all_learners_are_enrolled_and_half_have_started(demo: DemoSummary) -> None:
    assert Enrolment.objects.filter(status="active").count() == 30
    started = set(UnitProgress.objects.values_list("user__email", flat=True))
    assert len(started) == 15
    assert "maria.santos@riverside.example" not in started
    assert UnitProgress.objects.count() == 43
    assert UnitProgress.objects.filter(status="completed").count() == 35
    completed = Counter(
        UnitProgress.objects.filter(status="completed").values_list("user__email", flat=True)
    )
    # Every self-paced unit, and the briefing attended live.
    assert completed.most_common(1) == [("chinedu.eze@riverside.example", 8)]
    assert sorted(completed.values(), reverse=True)[:3] == [8, 4, 4]


def test_knowledge_check_attempts_include_failures_and_passes(demo: DemoSummary) -> None:
    assert Attempt.objects.filter(submitted_at__isnull=True).count() == 0
    assert Counter(Attempt.objects.values_list("passed", flat=True)) == {True: 6, False: 3}
    assert Attempt.objects.filter(number=2, passed=True).count() == 1
    assert Answer.objects.count() == 45


def test_learning_record_matches_the_progress(demo: DemoSummary) -> None:
    assert _verb_counts() == {
        "registered": 30,
        "experienced": 44,
        "progressed": 39,
        "completed": 35,
        "answered": 50,
        "passed": 6,
        "failed": 3,
        "attended": 5,
        "commented": 8,
    }


def _in_the_room() -> Q:
    """Statements written by the live room's actions (chat, questions, poll votes)."""
    return Q(object_type="live_session", verb__endswith="/commented") | Q(
        object_type="live_session", verb__endswith="/answered"
    )


def test_learner_history_is_dated_in_the_two_weeks_before_the_build(demo: DemoSummary) -> None:
    history = Statement.objects.exclude(verb__endswith="/registered")
    times = list(history.values_list("timestamp", flat=True))
    assert len(times) == 190
    assert all(BUILT_AT - timedelta(days=14) <= t < BUILT_AT for t in times)
    days = {t.date() for t in times}
    assert (min(days), max(days), len(days)) == (date(2025, 3, 7), date(2025, 3, 20), 11)


def test_the_briefings_room_statements_are_dated_during_the_briefing(
    demo: DemoSummary,
) -> None:
    briefing = LiveSession.objects.get(title__startswith="Simulation briefing")
    room = Statement.objects.filter(_in_the_room())
    chat_and_questions = set(ChatMessage.objects.values_list("created_at", flat=True)) | set(
        RoomQuestion.objects.values_list("created_at", flat=True)
    )
    assert room.count() == 13
    assert (
        set(room.filter(verb__endswith="/commented").values_list("timestamp", flat=True))
        == chat_and_questions
    )
    votes = sorted(room.filter(verb__endswith="/answered").values_list("timestamp", flat=True))
    assert [t - briefing.starts_at for t in votes] == [
        timedelta(minutes=46),
        timedelta(minutes=46, seconds=30),
        timedelta(minutes=47),
        timedelta(minutes=47, seconds=30),
        timedelta(minutes=48),
    ]
    assert all(
        briefing.starts_at <= t <= briefing.ends_at
        for t in room.values_list("timestamp", flat=True)
    )


def test_everyone_was_enrolled_two_weeks_before_the_build(demo: DemoSummary) -> None:
    enrolled = BUILT_AT - timedelta(days=14)
    registered = Statement.objects.filter(verb__endswith="/registered")
    assert set(registered.values_list("timestamp", flat=True)) == {enrolled}
    assert set(Enrolment.objects.values_list("enrolled_at", flat=True)) == {enrolled}


def test_running_the_demo_twice_changes_nothing(demo: DemoSummary) -> None:
    before = _row_counts()

    again = build_demo(now=BUILT_AT)

    assert again.created is False
    assert _row_counts() == before
    assert before["Organization"] == 1
    assert before["User"] == 33


def test_reset_rebuilds_the_demo_without_duplicates(demo: DemoSummary) -> None:
    before = _row_counts()
    old_org = Organization.objects.get().pk

    rebuilt = build_demo(reset=True, now=BUILT_AT)

    assert rebuilt.created is True
    assert _row_counts() == before
    assert Organization.objects.get().pk != old_org


def test_reset_keeps_other_organizations(demo: DemoSummary) -> None:
    other = make_org(slug="elsewhere")
    make_user(other, email="nurse@elsewhere.example")

    build_demo(reset=True, now=BUILT_AT)

    assert Organization.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(email="nurse@elsewhere.example").exists()


def test_demo_refuses_to_take_over_an_account_of_another_organization(db: None) -> None:
    other = make_org(slug="elsewhere")
    make_user(other, email="maria.santos@riverside.example")

    with pytest.raises(DemoConflict):
        build_demo(now=BUILT_AT)

    assert Organization.objects.count() == 1
    assert User.objects.count() == 1


def test_demo_command_prints_the_log_ins_and_the_address(db: None) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)

    text = out.getvalue()
    assert text.count("Built the demo: Riverside General Hospital.") == 1
    assert text.count("already exists; nothing changed") == 1
    assert text.count("all with the password: riverside-demo") == 2
    assert text.count("http://127.0.0.1:8000/accounts/login/") == 2
    for email in ("jordan.reyes", "amara.okafor", "daniel.kowalski", "maria.santos"):
        assert text.count(f"{email}@riverside.example") == 2
    assert Organization.objects.count() == 1


def test_shipped_video_is_a_webm_as_long_as_the_course_says() -> None:
    video = asset_bytes(VIDEO_ASSET)
    assert video[:4] == b"\x1a\x45\xdf\xa3"
    assert b"\x42\x82\x84webm" in video[:64]
    duration_at = video.index(b"\x44\x89\x88") + 3
    (milliseconds,) = struct.unpack(">d", video[duration_at : duration_at + 8])
    assert round(milliseconds / 1000) == VIDEO_DURATION_SECONDS
    assert len(video) < 400_000


def test_shipped_checklist_is_a_pdf_with_a_correct_cross_reference_table() -> None:
    pdf = asset_bytes(CHECKLIST_ASSET)
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n ", pdf)]
    assert [pdf[o : o + 8] for o in offsets] == [f"{n} 0 obj\n".encode() for n in range(1, 6)]
    assert b"(Sepsis screening checklist) Tj" in pdf


def test_demo_command_with_reset_rebuilds_the_organization(demo: DemoSummary) -> None:
    old_org = Organization.objects.get().pk
    out = StringIO()

    call_command("demo", "--reset", stdout=out)

    assert "Built the demo: Riverside General Hospital." in out.getvalue()
    assert Organization.objects.get().pk != old_org
    assert User.objects.count() == 33
