"""BigBlueButton: signed API URLs, checksums, and the XML replies of its documentation."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from pytest_django.fixtures import Settings

from cadenza.live.models import VideoProvider
from cadenza.live.providers import (
    ProviderNotConfigured,
    ProviderUnavailable,
    Recording,
    provider_for,
)
from cadenza.live.providers.bigbluebutton_api import (
    BigBlueButtonClient,
    BigBlueButtonError,
    checksum,
    urllib_fetch,
)
from tests.live.fixtures_providers import (
    CHECKSUM_ERROR,
    CREATE_REPLY,
    END_REPLY,
    NOT_FOUND,
    RECORDINGS_REPLY,
    Room,
    make_room,
)

DOC_SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"
DOC_QUERY = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
SECRET = "8cd8ef52e8e101574e400365b55e11a6"
BBB = {"bbb_url": "https://bbb.example.org/bigbluebutton/", "bbb_secret": SECRET}


class FakeServer:
    """Answers every GET with the next recorded reply and remembers the URLs asked."""

    def __init__(self, *replies: bytes) -> None:
        self.replies = list(replies)
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.replies.pop(0)


def _signed(call: str, params: list[tuple[str, str]], *, secret: str = SECRET) -> str:
    """The URL the documentation prescribes, computed here independently of the client."""
    query = urlencode(params)
    digest = hashlib.sha1(f"{call}{query}{secret}".encode(), usedforsecurity=False).hexdigest()
    return f"https://bbb.example.org/bigbluebutton/api/{call}?{query}&checksum={digest}"


def _room(**settings: str) -> Room:
    return make_room(provider=VideoProvider.BIGBLUEBUTTON, settings={**BBB, **settings})


def test_checksum_matches_the_documentations_worked_example() -> None:
    assert checksum(call="create", query=DOC_QUERY, secret=DOC_SECRET) == (
        "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    )


def test_signed_url_matches_the_documentations_worked_example() -> None:
    client = BigBlueButtonClient(
        server_url="https://bbb.example.org/bigbluebutton/", secret=DOC_SECRET
    )
    url = client.url(
        "create",
        [
            ("name", "Test Meeting"),
            ("meetingID", "abc123"),
            ("attendeePW", "111222"),
            ("moderatorPW", "333444"),
        ],
    )
    assert url == (
        "https://bbb.example.org/bigbluebutton/api/create?"
        + DOC_QUERY
        + "&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    )


def test_sha256_checksum_of_the_same_example() -> None:
    assert checksum(call="create", query=DOC_QUERY, secret=DOC_SECRET, algorithm="sha256") == (
        "da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e"
    )


@pytest.mark.parametrize(
    "server_url",
    [
        "https://bbb.example.org/bigbluebutton/",
        "https://bbb.example.org/bigbluebutton",
        "https://bbb.example.org/bigbluebutton/api/",
    ],
)
def test_server_address_with_or_without_api_gives_one_base(server_url: str) -> None:
    client = BigBlueButtonClient(server_url=server_url, secret=SECRET)
    assert client.url("getMeetings", []) == (
        "https://bbb.example.org/bigbluebutton/api/getMeetings?checksum="
        + hashlib.sha1(f"getMeetings{SECRET}".encode(), usedforsecurity=False).hexdigest()
    )


@pytest.mark.django_db
def test_host_joins_as_moderator_and_learner_as_viewer() -> None:
    room = _room()
    provider = provider_for(room.session)
    host = provider.join_details(
        session=room.session, user=room.host, is_host=True, display_name="Hana Host"
    )
    learner = provider.join_details(
        session=room.session, user=room.learner, is_host=False, display_name="Lea Learner"
    )
    meeting = room.session.provider_room
    assert host.as_json() == {
        "kind": "bigbluebutton",
        "is_moderator": True,
        "join_url": _signed(
            "join",
            [
                ("fullName", "Hana Host"),
                ("meetingID", meeting),
                ("role", "MODERATOR"),
                ("userID", str(room.host.pk)),
                ("redirect", "true"),
            ],
        ),
    }
    assert learner.join_url == _signed(
        "join",
        [
            ("fullName", "Lea Learner"),
            ("meetingID", meeting),
            ("role", "VIEWER"),
            ("userID", str(room.learner.pk)),
            ("redirect", "true"),
        ],
    )


@pytest.mark.django_db
def test_start_creates_the_recorded_meeting_with_the_session_page_to_return_to() -> None:
    room = make_room(provider=VideoProvider.BIGBLUEBUTTON, settings=BBB, capacity=40)
    server = FakeServer(CREATE_REPLY)
    page = "https://learn.example.org/o/clinic/live/7/"
    provider_for(room.session, page_url=page, fetch=server).start(session=room.session)
    assert server.urls == [
        _signed(
            "create",
            [
                ("name", "Sepsis & shock: Q&A"),
                ("meetingID", room.session.provider_room),
                ("record", "true"),
                ("autoStartRecording", "false"),
                ("allowStartStopRecording", "true"),
                ("maxParticipants", "40"),
                ("logoutURL", page),
                ("meta_bbb-origin", "Cadenza"),
                ("meta_cadenza-org", str(room.org.pk)),
                ("meta_cadenza-session", str(room.session.pk)),
            ],
        )
    ]
    assert "name=Sepsis+%26+shock%3A+Q%26A&" in server.urls[0]


@pytest.mark.django_db
def test_end_and_is_meeting_running_call_the_api_with_the_meeting_id() -> None:
    room = _room()
    running = b"<response><returncode>SUCCESS</returncode><running>true</running></response>"
    stopped = b"<response><returncode>SUCCESS</returncode><running>false</running></response>"
    server = FakeServer(running, END_REPLY, stopped)
    provider = provider_for(room.session, fetch=server)
    assert provider.is_running(session=room.session) is True
    provider.end(session=room.session)
    assert provider.is_running(session=room.session) is False
    meeting = [("meetingID", room.session.provider_room)]
    assert server.urls == [
        _signed("isMeetingRunning", meeting),
        _signed("end", meeting),
        _signed("isMeetingRunning", meeting),
    ]


@pytest.mark.django_db
def test_ending_a_meeting_that_is_gone_already_is_done() -> None:
    room = _room()
    server = FakeServer(NOT_FOUND)
    provider_for(room.session, fetch=server).end(session=room.session)
    assert len(server.urls) == 1


@pytest.mark.django_db
def test_recordings_are_read_from_the_documented_get_recordings_reply() -> None:
    room = _room()
    server = FakeServer(RECORDINGS_REPLY)
    found = provider_for(room.session, fetch=server).recordings(session=room.session)
    assert server.urls == [
        _signed(
            "getRecordings", [("meetingID", room.session.provider_room), ("state", "published")]
        )
    ]
    assert found == [
        Recording(
            title="Fred's Room",
            url="https://demo.bigbluebutton.org/playback/presentation/2.0/playback.html?meetingId=ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124",
            duration_seconds=89.332,
            started_at=datetime(2018, 7, 4, 15, 38, 41, 124000, tzinfo=UTC),
            provider_id="ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124",
        ),
        Recording(
            title="Fred's Room",
            url="https://demo.bigbluebutton.org/playback/presentation/2.0/playback.html?meetingId=ffbfc4cc24428694e8b53a4e144f414052431693-1530278898111",
            duration_seconds=2296.215,
            started_at=datetime(2018, 6, 29, 13, 28, 18, 111000, tzinfo=UTC),
            provider_id="ffbfc4cc24428694e8b53a4e144f414052431693-1530278898111",
        ),
    ]


@pytest.mark.django_db
def test_no_recordings_yet_is_an_empty_list() -> None:
    room = _room()
    empty = b"""<response><returncode>SUCCESS</returncode><recordings></recordings>
<messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message>
</response>"""
    assert (
        provider_for(room.session, fetch=FakeServer(empty)).recordings(session=room.session) == []
    )


@pytest.mark.django_db
def test_failed_reply_raises_an_error_naming_the_message_key() -> None:
    room = _room()
    provider = provider_for(room.session, fetch=FakeServer(CHECKSUM_ERROR))
    with pytest.raises(BigBlueButtonError) as raised:
        provider.start(session=room.session)
    assert (raised.value.message_key, raised.value.message) == (
        "checksumError",
        "Checksums do not match",
    )
    assert (
        raised.value.detail
        == "BigBlueButton refused create: Checksums do not match (checksumError)."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reply",
    [
        b"<html><body>502 Bad Gateway</body></html>",
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
        b"<response><returncode>SUCCESS</returncode></response>",
        b"<response><running>true</running></response>",
    ],
)
def test_a_reply_that_is_not_an_api_answer_is_unavailable(reply: bytes) -> None:
    room = _room()
    with pytest.raises(ProviderUnavailable):
        provider_for(room.session, fetch=FakeServer(reply)).is_running(session=room.session)


def test_default_fetch_refuses_anything_but_http() -> None:
    with pytest.raises(ProviderUnavailable, match="https URL"):
        urllib_fetch("file:///etc/passwd")


@pytest.mark.django_db
def test_sha256_is_used_where_the_settings_ask_for_it(settings: Settings) -> None:
    settings.CADENZA_BBB_CHECKSUM = "sha256"
    room = _room()
    server = FakeServer(END_REPLY)
    provider_for(room.session, fetch=server).end(session=room.session)
    query = urlencode([("meetingID", room.session.provider_room)])
    digest = hashlib.sha256(f"end{query}{SECRET}".encode()).hexdigest()
    assert server.urls == [
        f"https://bbb.example.org/bigbluebutton/api/end?{query}&checksum={digest}"
    ]


@pytest.mark.django_db
def test_bigbluebutton_without_a_secret_is_refused_with_a_clear_message() -> None:
    room = make_room(provider=VideoProvider.BIGBLUEBUTTON, settings={"bbb_url": BBB["bbb_url"]})
    with pytest.raises(ProviderNotConfigured, match="server URL and shared secret"):
        provider_for(room.session)
