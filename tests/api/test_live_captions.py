"""The captions of a session's recording through the API: the same shapes and rules as a video
unit's (``tests/api/test_captions.py``), written by the session's hosts and the
organization's admins, read by whoever may see the session."""

from __future__ import annotations

import pytest

from cadenza.live.attendance.actions.captions import save_replay_captions
from cadenza.live.models import ReplayCaptionTrack
from tests.api.conftest import api_as, iso
from tests.live.fixtures_attendance import Live, build_live

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:01.000 --> 00:04.500\n<v Ann>Hello <u>there</u>\n"


@pytest.fixture
def live() -> Live:
    return build_live()


def captions(live: Live, org: str | None = None) -> str:
    return f"/orgs/{org or live.org.slug}/live-sessions/{live.session.pk}/recording/captions"


def stored() -> list[tuple[str, str, str]]:
    return list(ReplayCaptionTrack.objects.order_by("id").values_list("language", "label", "vtt"))


def test_a_host_puts_a_track_and_a_learner_lists_and_reads_it(live: Live) -> None:
    put = api_as(live.host).put(captions(live) + "/en-gb", {"label": "English", "vtt": VTT})

    assert put.status_code == 200
    track = ReplayCaptionTrack.objects.get()
    summary = {
        "language": "en-GB",
        "label": "English",
        "cue_count": 1,
        "url": f"/o/{live.org.slug}/live/{live.session.pk}/captions/en-GB.vtt",
        "updated_at": iso(track.updated_at),
    }
    assert put.json() == summary
    learner = api_as(live.ada)
    assert learner.get(captions(live)).json() == [summary]
    read = learner.get(captions(live) + "/EN-GB")
    assert read.status_code == 200
    assert read.json() == summary | {
        "vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n<v Ann>Hello <u>there</u></v>\n",
        "transcript": [{"start": 1.0, "end": 4.5, "text": "Ann: Hello there"}],
    }


def test_a_malformed_file_is_a_400_naming_its_line_and_nothing_is_stored(live: Live) -> None:
    answer = api_as(live.admin).put(
        captions(live) + "/en",
        {"label": "English", "vtt": "WEBVTT\n\n00:01.000 -> 00:02.000\nShort arrow\n"},
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "detail": 'line 3: expected cue timings like "00:00:01.000 --> 00:00:04.000"'
    }
    assert stored() == []


def test_learners_and_other_instructors_may_not_put_or_delete(live: Live) -> None:
    save_replay_captions(session=live.session, by=live.host, language="en", label="E", file=VTT)
    before = stored()
    for user in (live.ada, live.instructor):
        client = api_as(user)
        put = client.put(captions(live) + "/fr", {"label": "Français", "vtt": VTT})
        deleted = client.delete(captions(live) + "/en")
        assert (put.status_code, deleted.status_code) == (403, 403), user.email
        assert put.json() == {
            "detail": "Only the session's hosts and the organization's admins change its captions."
        }
    assert stored() == before


def test_a_host_deletes_a_track(live: Live) -> None:
    save_replay_captions(session=live.session, by=live.host, language="en", label="E", file=VTT)

    assert api_as(live.host).delete(captions(live) + "/EN").status_code == 204
    assert stored() == []
    assert api_as(live.host).get(captions(live) + "/en").status_code == 404
