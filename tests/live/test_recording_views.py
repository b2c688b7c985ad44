"""The hosts' recording form on the replay page: attach a file or an address, replace, remove;
what learners then see and download; refusals shown as form errors, with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession
from cadenza.orgs.models import Role
from tests.factories import PASSWORD, make_org, make_user
from tests.live.fixtures_attendance import Live, build_live

pytestmark = pytest.mark.django_db

VIDEO = b"\x1a\x45\xdf\xa3" + b"0123456789" * 6
OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def live() -> Live:
    """A session that ended two hours ago."""
    built = build_live()
    now = datetime.now(UTC)
    built.session.starts_at = now - timedelta(hours=3)
    built.session.ends_at = now - timedelta(hours=2)
    built.session.save()
    return built


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def url(live: Live, name: str) -> str:
    return reverse(name, kwargs={"org_slug": live.org.slug, "session_id": live.session.pk})


def webm(size: int | None = None) -> SimpleUploadedFile:
    body = VIDEO if size is None else VIDEO[:4] + b"v" * (size - 4)
    return SimpleUploadedFile("briefing.webm", body, content_type="video/webm")


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


def test_an_attached_file_plays_for_a_learner_and_is_served_with_ranges(live: Live) -> None:
    response = client_for(live.host).post(
        url(live, "live_recording_edit"), {"file": webm(), "duration_seconds": "1800"}
    )

    assert response.status_code == 302
    assert response["Location"] == url(live, "live_replay")
    assert recording_of(live.session)[1:] == ("", 1800.0)
    learner = client_for(live.ada)
    page = learner.get(url(live, "live_replay")).content.decode()
    assert f'<source src="{url(live, "live_recording")}" type="video/webm">' in page, (
        "the learner's replay plays the attached file"
    )
    assert "Attach the recording" not in page
    assert "Remove the recording" not in page
    whole = learner.get(url(live, "live_recording"))
    part = learner.get(url(live, "live_recording"), headers={"Range": "bytes=4-13"})
    assert (whole.status_code, whole["Content-Type"], whole.getvalue()) == (
        200,
        "video/webm",
        VIDEO,
    )
    assert (part.status_code, part["Content-Range"], part.getvalue()) == (
        206,
        "bytes 4-13/64",
        b"0123456789",
    )
    whole.close()  # the file is streamed from an open handle
    part.close()


def test_an_attached_address_is_the_learners_recording(live: Live) -> None:
    response = client_for(live.host).post(
        url(live, "live_recording_edit"), {"url": "https://media.example.org/briefing.mp4"}
    )

    assert response.status_code == 302
    page = client_for(live.ada).get(url(live, "live_replay")).content.decode()
    assert '<source src="https://media.example.org/briefing.mp4">' in page
    assert client_for(live.ada).get(url(live, "live_recording")).status_code == 404


def test_the_host_sees_the_form_and_replaces_then_removes_the_recording(
    live: Live, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    host = client_for(live.host)
    before = host.get(url(live, "live_replay")).content.decode()
    host.post(url(live, "live_recording_edit"), {"file": webm()})
    after = host.get(url(live, "live_replay")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        replaced = host.post(
            url(live, "live_recording_edit"), {"url": "https://media.example.org/take-2.mp4"}
        )
    replaced_state = recording_of(live.session)
    with django_capture_on_commit_callbacks(execute=True):
        removed = host.post(url(live, "live_recording_edit"), {"remove": "1"})

    assert '<h3 id="recording-manage-heading">Attach the recording</h3>' in before
    assert '<h3 id="recording-manage-heading">Replace the recording</h3>' in after
    assert "Remove the recording" in after
    assert (replaced.status_code, removed.status_code) == (302, 302)
    assert replaced_state == ("", "https://media.example.org/take-2.mp4", None)
    assert recording_of(live.session) == ("", "", None)
    assert stored_files(settings) == []  # the replaced file was deleted after commit


def test_a_learners_attempt_is_refused_and_nothing_changes(live: Live, settings: Settings) -> None:
    client_for(live.host).post(
        url(live, "live_recording_edit"), {"url": "https://media.example.org/briefing.mp4"}
    )
    learner = client_for(live.ada)

    attach = learner.post(url(live, "live_recording_edit"), {"file": webm()})
    remove = learner.post(url(live, "live_recording_edit"), {"remove": "1"})

    assert (attach.status_code, remove.status_code) == (403, 403)
    assert recording_of(live.session) == ("", "https://media.example.org/briefing.mp4", None)
    assert stored_files(settings) == []


def test_a_learner_not_enrolled_and_another_organization_get_404(live: Live) -> None:
    stranger = make_user(live.org, Role.LEARNER)
    other_admin = make_user(make_org("other-school"), Role.ADMIN)

    responses = [
        client_for(person).post(
            url(live, "live_recording_edit"), {"url": "https://media.example.org/x.mp4"}
        )
        for person in (stranger, other_admin)
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert recording_of(live.session) == ("", "", None)


def test_the_form_is_post_only(live: Live) -> None:
    assert client_for(live.host).get(url(live, "live_recording_edit")).status_code == 405


def _refused(live: Live, data: dict[str, object]) -> str:
    response = client_for(live.host).post(url(live, "live_recording_edit"), data)
    assert response.status_code == 400
    return response.content.decode()


def test_a_too_big_file_is_refused_with_the_form_error(live: Live, settings: Settings) -> None:
    settings.CADENZA_MAX_VIDEO_BYTES = 1024 * 1024

    page = _refused(live, {"file": webm(size=1024 * 1024 + 512 * 1024)})

    assert (
        '<ul class="errorlist" id="recording-file-error">'
        "<li>The file is too large (1.5 MB); the limit is 1.0 MB.</li></ul>"
    ) in page
    assert 'id="recording-file" accept="video/mp4,video/webm,video/ogg"' in page
    assert 'aria-describedby="recording-file-help recording-file-error" aria-invalid="true"' in page
    assert recording_of(live.session) == ("", "", None)
    assert stored_files(settings) == []


def test_a_file_of_the_wrong_type_is_refused_with_the_form_error(
    live: Live, settings: Settings
) -> None:
    notes = SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    page = _refused(live, {"file": notes})

    assert (
        "<li>This kind of file cannot be a video. Allowed: .m4v, .mp4, .ogg, .ogv, .webm.</li>"
        in page
    )
    assert recording_of(live.session) == ("", "", None)
    assert stored_files(settings) == []


def test_an_address_that_is_not_https_is_refused_and_kept_in_the_form(live: Live) -> None:
    page = _refused(live, {"url": "http://media.example.org/briefing.mp4"})

    assert "<li>Use an https:// address.</li>" in page
    assert 'value="http://media.example.org/briefing.mp4"' in page
    assert recording_of(live.session) == ("", "", None)


def test_neither_file_nor_address_and_nothing_to_remove_are_form_errors(live: Live) -> None:
    empty = _refused(live, {"duration_seconds": ""})
    nothing = _refused(live, {"remove": "1"})

    assert (
        '<ul class="errorlist nonfield" role="alert">'
        "<li>Upload the recording&#x27;s file or give its address.</li></ul>"
    ) in empty
    assert "<li>This session has no recording to remove.</li>" in nothing


def test_before_the_end_the_host_is_told_to_wait(live: Live) -> None:
    now = datetime.now(UTC)
    live.session.starts_at = now + timedelta(hours=1)
    live.session.ends_at = now + timedelta(hours=2)
    live.session.save()

    page = client_for(live.host).get(url(live, "live_replay")).content.decode()
    refused = _refused(live, {"url": "https://media.example.org/briefing.mp4"})

    assert "You can attach the recording once the session has ended." in page
    assert "You can attach the recording once the session has ended." in refused
    assert recording_of(live.session) == ("", "", None)
