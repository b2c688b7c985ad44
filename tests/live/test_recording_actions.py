"""Hosts attaching, replacing and removing a session's recording (a checked video file or an
https:// address) after the session."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.actions.replay import (
    ReplayNotAvailable,
    attach_recording,
    remove_recording,
)
from cadenza.live.models import LiveSession, SessionStatus
from tests.live.fixtures_attendance import END, START, Live, build_live

pytestmark = pytest.mark.django_db

AFTER = END + timedelta(hours=1)
WEBM_HEAD = b"\x1a\x45\xdf\xa3"
OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def webm(name: str = "briefing.webm", size: int = 64) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, WEBM_HEAD + b"v" * (size - 4), content_type="video/webm")


def recording_of(session: LiveSession) -> tuple[str, str, float | None]:
    session.refresh_from_db()
    return (
        session.recording_file.name or "",
        session.recording_url,
        session.recording_duration_seconds,
    )


def stored_files(settings: Settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def live() -> Live:
    return build_live()


def attach(live: Live, by: User | None = None, **fields: Any) -> LiveSession:
    return attach_recording(session=live.session, by=by or live.host, now=AFTER, **fields)


def test_a_host_attaches_a_video_file_after_the_session(live: Live, settings: Settings) -> None:
    session = attach(live, file=webm(), duration_seconds=1800.0)

    name, url, duration = recording_of(live.session)
    assert (name, url, duration) == (session.recording_file.name, "", 1800.0)
    assert re.fullmatch(r"recordings/\d{4}/\d{2}/[0-9a-f]{32}\.webm", name)
    with live.session.recording_file.open("rb") as stored:
        assert stored.read() == WEBM_HEAD + b"v" * 60
    assert stored_files(settings) == [name]


def test_an_address_replaces_the_file_and_the_old_file_is_deleted_after_commit(
    live: Live, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    attach(live, file=webm(), duration_seconds=1800.0)

    with django_capture_on_commit_callbacks(execute=True):
        attach(live, url="  https://media.example.org/briefing.mp4 ")

    assert recording_of(live.session) == ("", "https://media.example.org/briefing.mp4", None)
    assert stored_files(settings) == []


def test_a_new_file_replaces_the_old_one(
    live: Live, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    attach(live, url="https://media.example.org/briefing.mp4", duration_seconds=60.0)
    first = attach(live, file=webm("take-1.webm")).recording_file.name

    with django_capture_on_commit_callbacks(execute=True):
        second = attach(live, file=webm("take-2.webm", size=100)).recording_file.name

    assert first != second
    assert recording_of(live.session) == (second, "", None)
    assert stored_files(settings) == [second]


def test_a_host_removes_the_recording(
    live: Live, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    attach(live, file=webm(), duration_seconds=1800.0)

    with django_capture_on_commit_callbacks(execute=True):
        remove_recording(session=live.session, by=live.host)

    assert recording_of(live.session) == ("", "", None)
    assert stored_files(settings) == []
    with pytest.raises(DomainError, match=r"^This session has no recording to remove\.$"):
        remove_recording(session=live.session, by=live.host)


def test_the_organizations_admin_may_attach_the_recording(live: Live) -> None:
    attach(live, by=live.admin, url="https://media.example.org/briefing.mp4")

    assert recording_of(live.session) == ("", "https://media.example.org/briefing.mp4", None)


@pytest.mark.parametrize("who", ["ada", "instructor"])
def test_learners_and_instructors_who_do_not_host_are_refused_and_nothing_changes(
    live: Live, settings: Settings, who: str
) -> None:
    attach(live, url="https://media.example.org/briefing.mp4", duration_seconds=60.0)
    person: User = getattr(live, who)

    with pytest.raises(PermissionDenied):
        attach(live, by=person, file=webm())
    with pytest.raises(PermissionDenied):
        remove_recording(session=live.session, by=person)

    assert recording_of(live.session) == ("", "https://media.example.org/briefing.mp4", 60.0)
    assert stored_files(settings) == []


def test_no_recording_before_the_session_ends_nor_for_a_cancelled_session(live: Live) -> None:
    with pytest.raises(ReplayNotAvailable, match="once the session has ended"):
        attach_recording(
            session=live.session,
            by=live.host,
            url="https://media.example.org/briefing.mp4",
            now=START + timedelta(minutes=30),
        )
    live.session.status = SessionStatus.CANCELLED
    live.session.save()
    with pytest.raises(DomainError, match=r"^A cancelled session has no recording\.$"):
        attach(live, url="https://media.example.org/briefing.mp4")

    assert recording_of(live.session) == ("", "", None)


def test_a_room_closed_early_takes_its_recording_before_its_end_time(live: Live) -> None:
    live.session.closed_at = START + timedelta(minutes=40)
    live.session.save()

    attach_recording(
        session=live.session,
        by=live.host,
        url="https://media.example.org/briefing.mp4",
        now=START + timedelta(minutes=45),
    )

    assert recording_of(live.session) == ("", "https://media.example.org/briefing.mp4", None)


def _refusal(live: Live, **fields: Any) -> dict[str, list[str]] | list[str]:
    with pytest.raises(ValidationError) as refused:
        attach(live, **fields)
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ["Upload the recording's file or give its address."]),
        (
            {"file": "webm", "url": "https://media.example.org/x.mp4"},
            ["Upload a file or give an address, not both."],
        ),
        ({"url": "http://media.example.org/x.mp4"}, {"url": ["Use an https:// address."]}),
        ({"url": "javascript:alert(1)"}, {"url": ["Use an https:// address."]}),
        ({"url": "https://"}, {"url": ["Enter a valid https:// address."]}),
        (
            {"url": "https://media.example.org/" + "x" * 200},
            {"url": ["The address must be at most 200 characters."]},
        ),
        (
            {"url": "https://media.example.org/x.mp4", "duration_seconds": 0.0},
            {"duration_seconds": ["The length must be more than 0 and at most 86400 seconds."]},
        ),
        (
            {"url": "https://media.example.org/x.mp4", "duration_seconds": float("inf")},
            {"duration_seconds": ["The length must be more than 0 and at most 86400 seconds."]},
        ),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_changes(
    live: Live, fields: dict[str, Any], expected: object
) -> None:
    if fields.get("file") == "webm":
        fields["file"] = webm()

    assert _refusal(live, **fields) == expected
    assert recording_of(live.session) == ("", "", None)


def test_a_file_that_is_not_a_video_is_refused(live: Live, settings: Settings) -> None:
    page = SimpleUploadedFile("briefing.html", b"<html><script>x</script>", "text/html")
    disguised = SimpleUploadedFile("briefing.mp4", b"<!doctype html><p>hi</p>", "video/mp4")

    assert _refusal(live, file=page) == {
        "file": ["This kind of file cannot be a video. Allowed: .m4v, .mp4, .ogg, .ogv, .webm."]
    }
    assert _refusal(live, file=disguised) == {"file": ["The file's content is not a .mp4 file."]}
    assert recording_of(live.session) == ("", "", None)
    assert stored_files(settings) == []


def test_a_file_over_the_video_limit_is_refused(live: Live, settings: Settings) -> None:
    settings.CADENZA_MAX_VIDEO_BYTES = 1024 * 1024

    refusal = _refusal(live, file=webm(size=1024 * 1024 + 512 * 1024))

    assert refusal == {"file": ["The file is too large (1.5 MB); the limit is 1.0 MB."]}
    assert recording_of(live.session) == ("", "", None)
    assert stored_files(settings) == []
