"""The captions endpoints: listing, reading, adding or replacing and removing a language's
track, with the same rules as the unit's edit page."""

from __future__ import annotations

import pytest

from cadenza.courses.models import CaptionTrack
from cadenza.courses.selectors import caption_tracks
from tests.api.conftest import Outline, People, api_as, iso
from tests.factories import enrol

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:01.000 --> 00:04.500\n<v Ann>Hello <u>there</u>\n"


def captions(outline: Outline, org: str = "harbour") -> str:
    return f"/orgs/{org}/courses/{outline.course.slug}/units/{outline.units[1].pk}/captions"


def stored() -> list[tuple[str, str, str]]:
    return list(CaptionTrack.objects.order_by("id").values_list("language", "label", "vtt"))


def test_an_instructor_puts_a_track_and_a_learner_lists_and_reads_it(
    people: People, outline: Outline
) -> None:
    put = api_as(people.instructor).put(
        captions(outline) + "/en-gb", {"label": "English", "vtt": VTT}
    )
    assert put.status_code == 200
    [track] = caption_tracks(outline.units[1])
    url = f"/o/harbour/courses/sepsis/units/{outline.units[1].pk}/captions/en-GB.vtt"
    summary = {
        "language": "en-GB",
        "label": "English",
        "cue_count": 1,
        "url": url,
        "updated_at": iso(track.updated_at),
    }
    assert put.json() == summary
    enrol(outline.course, people.learner)
    learner = api_as(people.learner)
    assert learner.get(captions(outline)).json() == [summary]
    read = learner.get(captions(outline) + "/EN-GB")
    assert read.status_code == 200
    assert read.json() == summary | {
        "vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n<v Ann>Hello <u>there</u></v>\n",
        "transcript": [{"start": 1.0, "end": 4.5, "text": "Ann: Hello there"}],
    }


def test_putting_the_same_language_again_replaces_the_track(
    people: People, outline: Outline
) -> None:
    client = api_as(people.admin)
    client.put(captions(outline) + "/de", {"label": "German", "vtt": VTT})
    again = client.put(
        captions(outline) + "/DE",
        {"label": "Deutsch", "vtt": "WEBVTT\n\n00:02.000 --> 00:03.000\nHallo\n"},
    )
    assert again.json()["label"] == "Deutsch"
    assert stored() == [("de", "Deutsch", "WEBVTT\n\n00:00:02.000 --> 00:00:03.000\nHallo\n")]


@pytest.mark.parametrize(
    ("language", "body", "status", "answer"),
    [
        (
            "en",
            {"label": "E", "vtt": "WEBVTT\n\n00:01.000 --> 00:00.500\nx\n"},
            400,
            {"detail": "line 3: the cue must end after it starts (00:00:01.000 --> 00:00:00.500)"},
        ),
        (
            "en",
            {"label": "E", "vtt": "1\n00:01.000 --> 00:02.000\nx\n"},
            400,
            {"detail": 'line 1: a WebVTT file starts with the line "WEBVTT"'},
        ),
        (
            "english",
            {"label": "E", "vtt": VTT},
            400,
            {"detail": "“english” is not a language tag (BCP 47), such as en, fr or pt-BR."},
        ),
        ("en", {"label": "E", "vtt": VTT, "kind": "subtitles"}, 422, None),
        ("en", {"label": " ", "vtt": VTT}, 422, None),
        ("en", {"label": "E", "vtt": ""}, 422, None),
        ("en", {"label": "E"}, 422, None),
    ],
)
def test_refused_bodies_store_nothing(
    people: People,
    outline: Outline,
    language: str,
    body: dict[str, str],
    status: int,
    answer: dict[str, str] | None,
) -> None:
    refused = api_as(people.instructor).put(captions(outline) + "/" + language, body)
    assert refused.status_code == status
    if answer is not None:
        assert refused.json() == answer
    assert stored() == []


def test_a_reading_has_no_captions(people: People, outline: Outline) -> None:
    path = f"/orgs/harbour/courses/sepsis/units/{outline.units[0].pk}/captions/en"
    refused = api_as(people.instructor).put(path, {"label": "E", "vtt": VTT})
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": "Only a video lecture has captions."},
    )


def test_learners_and_assistants_may_not_change_captions_and_nothing_changes(
    people: People, outline: Outline
) -> None:
    api_as(people.instructor).put(captions(outline) + "/en", {"label": "English", "vtt": VTT})
    before = stored()
    enrol(outline.course, people.learner)
    for person in (people.learner, people.ta):
        client = api_as(person)
        assert client.put(captions(outline) + "/fr", {"label": "F", "vtt": VTT}).status_code == 403
        assert client.delete(captions(outline) + "/en").status_code == 403
    assert stored() == before


def test_another_organization_answers_404_and_nothing_changes(
    people: People, outline: Outline, foreign_outline: Outline
) -> None:
    api_as(people.instructor).put(captions(outline) + "/en", {"label": "English", "vtt": VTT})
    before = stored()
    client = api_as(people.admin)
    foreign = captions(foreign_outline, "elsewhere")
    foreign_unit_here = f"/orgs/harbour/courses/sepsis/units/{foreign_outline.units[1].pk}/captions"
    for path in (foreign, foreign_unit_here):
        assert client.get(path).status_code == 404
        assert client.put(path + "/en", {"label": "E", "vtt": VTT}).status_code == 404
        assert client.delete(path + "/en").status_code == 404
    assert stored() == before


def test_removing_a_track(people: People, outline: Outline) -> None:
    client = api_as(people.instructor)
    client.put(captions(outline) + "/en", {"label": "English", "vtt": VTT})
    assert client.delete(captions(outline) + "/en").status_code == 204
    assert stored() == []
    assert client.delete(captions(outline) + "/en").status_code == 404
    assert client.get(captions(outline) + "/en").status_code == 404
