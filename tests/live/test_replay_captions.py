"""Captions and the transcript of a session's recording on its replay: hosts upload one
WebVTT file per language (checked as a video unit's: a bad file is refused with its line),
the player gets the tracks, the page the transcript; learners cannot change them; another
organization's session or captions are a 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.courses.models import UnitKind
from cadenza.live.attendance.actions.captions import save_replay_captions
from cadenza.live.models import ReplayCaptionTrack, SessionStatus
from cadenza.orgs.models import Role
from tests.factories import PASSWORD, make_course, make_module, make_org, make_unit, make_user
from tests.live.fixtures_attendance import Live, add_session, build_live

pytestmark = pytest.mark.django_db

VTT = (
    b"WEBVTT\n\n00:01.000 --> 00:04.000\n<v Ines>Fluids <b>first</b> &amp; fast\n\n"
    b"01:02.500 --> 01:05.000\nThen antibiotics\n"
)
BAD_VTT = b"WEBVTT\n\n00:01.000 --> 00:04.000\nFine\n\n00:05,000 --> 00:06.000\nComma\n"


@pytest.fixture
def live() -> Live:
    """A session that ended two hours ago, with a recording at an https:// address."""
    built = build_live()
    now = datetime.now(UTC)
    built.session.starts_at = now - timedelta(hours=3)
    built.session.ends_at = now - timedelta(hours=2)
    built.session.recording_url = "https://video.example.org/sepsis.mp4"
    built.session.save()
    return built


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def url(live: Live, name: str, **extra: object) -> str:
    return reverse(name, kwargs={"org_slug": live.org.slug, "session_id": live.session.pk, **extra})


def upload(content: bytes = VTT, name: str = "briefing.vtt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/vtt")


def tracks() -> list[tuple[int, str, str, int, str]]:
    return list(
        ReplayCaptionTrack.objects.order_by("language").values_list(
            "session_id", "language", "label", "cue_count", "transcript"
        )
    )


def test_a_host_uploads_captions_and_a_learner_gets_the_track_and_the_transcript(
    live: Live,
) -> None:
    answer = client_for(live.host).post(
        url(live, "live_replay_caption_add"),
        {"language": "pt-br", "label": "Português", "file": upload()},
        follow=True,
    )

    assert answer.redirect_chain == [(url(live, "live_replay") + "#captions-heading", 302)]
    assert "The captions “Português” (pt-BR) were saved: 2 cues." in answer.content.decode()
    assert tracks() == [
        (live.session.pk, "pt-BR", "Português", 2, "Ines: Fluids first & fast\nThen antibiotics")
    ]
    track_url = url(live, "live_replay_captions", language="pt-BR")
    for page_name in ("live_replay", "live_room"):
        page = client_for(live.ada).get(url(live, page_name)).content.decode()
        assert (
            f'<track kind="captions" srclang="pt-BR" label="Português" src="{track_url}">' in page
        ), page_name
        assert '<details class="transcript" open data-transcript>' in page
        assert (
            '<button type="button" class="transcript-line" data-start="62.500" data-end="65.000">'
            '<span class="transcript-time"><span class="visually-hidden">Play from </span>1:02'
            '</span> <span class="transcript-text">Then antibiotics</span></button>'
        ) in page
        assert "Ines: Fluids first &amp; fast" in page
        assert "learning/transcript.js" in page
        assert "Upload captions" not in page  # the hosts' form is not a learner's
    served = client_for(live.ada).get(track_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content.decode() == (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ines>Fluids <b>first</b> &amp; fast</v>\n\n"
        "00:01:02.500 --> 00:01:05.000\nThen antibiotics\n"
    )


def test_a_second_file_in_the_same_language_replaces_the_first(live: Live) -> None:
    host = client_for(live.host)
    host.post(
        url(live, "live_replay_caption_add"), {"language": "en", "label": "E", "file": upload()}
    )
    host.post(
        url(live, "live_replay_caption_add"),
        {
            "language": "EN",
            "label": "English",
            "file": upload(b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"),
        },
    )

    assert tracks() == [(live.session.pk, "en", "English", 1, "Hi")]


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_written(live: Live) -> None:
    answer = client_for(live.host).post(
        url(live, "live_replay_caption_add"),
        {"language": "en", "label": "English", "file": upload(BAD_VTT)},
    )

    assert answer.status_code == 400
    page = answer.content.decode()
    assert (
        '<ul class="errorlist" id="captions-file-error" role="alert"><li>line 6: '
        "&quot;00:05,000&quot; is not a timestamp; write hh:mm:ss.ttt or mm:ss.ttt (00:01.500)"
        "</li></ul>"
    ) in page
    assert (
        'id="captions-language" maxlength="35" required autocomplete="off" spellcheck="false" '
        'value="en"' in page
    )
    assert tracks() == []


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"language": "english", "label": "English"}, "language", "english"),
        ({"language": "en", "label": ""}, "label", "This field is required."),
    ],
)
def test_a_bad_language_or_name_is_refused_on_its_field(
    live: Live, data: dict[str, str], field: str, error: str
) -> None:
    answer = client_for(live.host).post(
        url(live, "live_replay_caption_add"), data | {"file": upload()}
    )

    assert answer.status_code == 400
    assert f'<ul class="errorlist" id="captions-{field}-error">' in answer.content.decode()
    assert error in answer.content.decode()
    assert tracks() == []


def test_an_admin_removes_captions_and_the_track_is_gone(live: Live) -> None:
    save_replay_captions(
        session=live.session, by=live.host, language="en", label="English", file=VTT
    )
    answer = client_for(live.admin).post(url(live, "live_replay_caption_remove", language="EN"))

    assert answer.status_code == 302
    assert tracks() == []
    assert (
        client_for(live.ada).get(url(live, "live_replay_captions", language="en")).status_code
        == 404
    )


def test_learners_and_other_instructors_cannot_add_or_remove_captions(live: Live) -> None:
    save_replay_captions(
        session=live.session, by=live.host, language="en", label="English", file=VTT
    )
    before = tracks()
    for person in (live.ada, live.instructor):
        client = client_for(person)
        added = client.post(
            url(live, "live_replay_caption_add"),
            {"language": "fr", "label": "Français", "file": upload()},
        )
        removed = client.post(url(live, "live_replay_caption_remove", language="en"))
        assert (added.status_code, removed.status_code) == (403, 403), person.email
    assert tracks() == before


def test_another_organizations_session_and_captions_are_404(live: Live) -> None:
    other_org = make_org()
    other_host = make_user(other_org, Role.INSTRUCTOR)
    other_unit = make_unit(make_module(make_course(other_org)), kind=UnitKind.LIVE_SESSION)
    other = add_session(org=other_org, course=other_unit.course, unit=other_unit, host=other_host)
    save_replay_captions(session=other, by=other_host, language="en", label="English", file=VTT)
    before = tracks()
    host = client_for(live.host)
    foreign = {"org_slug": live.org.slug, "session_id": other.pk}
    assert (
        host.get(reverse("live_replay_captions", kwargs=foreign | {"language": "en"})).status_code
        == 404
    )
    assert (
        host.post(
            reverse("live_replay_caption_add", kwargs=foreign),
            {"language": "fr", "label": "Français", "file": upload()},
        ).status_code
        == 404
    )
    assert (
        host.post(
            reverse("live_replay_caption_remove", kwargs=foreign | {"language": "en"})
        ).status_code
        == 404
    )
    assert tracks() == before


def test_a_cancelled_session_takes_no_captions(live: Live) -> None:
    live.session.status = SessionStatus.CANCELLED
    live.session.save()
    answer = client_for(live.host).post(
        url(live, "live_replay_caption_add"),
        {"language": "en", "label": "English", "file": upload()},
    )

    assert answer.status_code == 400
    assert "A cancelled session has no recording to caption." in answer.content.decode()
    assert tracks() == []
