"""A video unit's captions: adding, replacing and removing a language's track, who may, and
what the learner's transcript reads from it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cadenza.courses.actions import remove_caption_track, save_caption_track
from cadenza.courses.models import CaptionTrack, Unit
from cadenza.courses.selectors import access_caption_track, transcripts
from cadenza.lib.errors import DomainError
from cadenza.lib.language_tags import InvalidLanguageTag
from cadenza.lib.webvtt import InvalidWebVTT
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.courses.conftest import Outline, People
from tests.factories import enrol, make_course, make_module, make_unit, make_user

pytestmark = pytest.mark.django_db

VTT = b"""WEBVTT

00:01.000 --> 00:04.500
<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.

00:04.500 --> 00:07.000
<script>alert(1)</script>Measure lactate.

01:05.000 --> 01:06.000
<b></b>
"""


def as_role(org: Organization, people: People, role: Role) -> OrgContext:
    user = {
        Role.ADMIN: people.admin,
        Role.INSTRUCTOR: people.instructor,
        Role.TA: people.ta,
        Role.LEARNER: people.learner,
    }[role]
    return OrgContext(org=org, user=user, role=role)


def video(outline: Outline) -> Unit:
    return outline.units[1]


def rows() -> list[tuple[int, str, str, str, int]]:
    return list(
        CaptionTrack.objects.order_by("id").values_list(
            "unit_id", "language", "label", "transcript", "cue_count"
        )
    )


def test_an_instructor_adds_captions_stored_sanitized_with_their_transcript(
    org: Organization, people: People, outline: Outline
) -> None:
    track = save_caption_track(
        ctx=as_role(org, people, Role.INSTRUCTOR),
        unit=video(outline),
        language="EN-gb",
        label=" English (UK) ",
        file=VTT,
    )
    assert (track.language, track.label, track.cue_count, track.uploaded_by) == (
        "en-GB",
        "English (UK)",
        3,
        people.instructor,
    )
    assert track.vtt == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.500\n"
        "<v Dr. Okafor>Sepsis is a <i>time-critical</i> emergency.</v>\n\n"
        "00:00:04.500 --> 00:00:07.000\nalert(1)Measure lactate.\n\n"
        "00:01:05.000 --> 00:01:06.000\n<b></b>\n"
    )
    assert track.transcript == (
        "Dr. Okafor: Sepsis is a time-critical emergency.\nalert(1)Measure lactate."
    )
    assert track.transcript_cues == [
        [1000, 4500, "Dr. Okafor: Sepsis is a time-critical emergency."],
        [4500, 7000, "alert(1)Measure lactate."],
    ]
    assert track.org == org


def test_a_second_file_in_the_same_language_replaces_the_first(
    org: Organization, people: People, outline: Outline
) -> None:
    ctx = as_role(org, people, Role.INSTRUCTOR)
    first = save_caption_track(ctx=ctx, unit=video(outline), language="fr", label="F", file=VTT)
    again = save_caption_track(
        ctx=as_role(org, people, Role.ADMIN),
        unit=video(outline),
        language="FR",
        label="Français",
        file="WEBVTT\n\n00:02.000 --> 00:03.000\nBonjour\n",
    )
    assert again.pk == first.pk
    assert rows() == [(video(outline).pk, "fr", "Français", "Bonjour", 1)]


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TA])
def test_learners_and_teaching_assistants_may_not_change_captions_and_nothing_changes(
    org: Organization, people: People, outline: Outline, role: Role
) -> None:
    ctx = as_role(org, people, Role.INSTRUCTOR)
    track = save_caption_track(ctx=ctx, unit=video(outline), language="en", label="E", file=VTT)
    before = rows()
    with pytest.raises(PermissionDenied):
        save_caption_track(
            ctx=as_role(org, people, role), unit=video(outline), language="de", label="D", file=VTT
        )
    with pytest.raises(PermissionDenied):
        remove_caption_track(ctx=as_role(org, people, role), track=track)
    assert rows() == before


def test_another_organizations_instructor_may_not_change_captions(
    org: Organization, other_org: Organization, people: People, outline: Outline
) -> None:
    stranger = make_user(other_org, Role.INSTRUCTOR)
    ctx = OrgContext(org=other_org, user=stranger, role=Role.INSTRUCTOR)
    with pytest.raises(PermissionDenied):
        save_caption_track(ctx=ctx, unit=video(outline), language="en", label="E", file=VTT)
    assert rows() == []


@pytest.mark.parametrize(
    ("language", "label", "file", "refusal", "message"),
    [
        (
            "english",
            "E",
            VTT,
            InvalidLanguageTag,
            "“english” is not a language tag (BCP 47), such as en, fr or pt-BR.",
        ),
        ("en", "  ", VTT, DomainError, "Give the captions a name of 1 to 80 characters."),
        ("en", "E" * 81, VTT, DomainError, "Give the captions a name of 1 to 80 characters."),
        ("en", "E\x1b", VTT, DomainError, "The name of the captions is one line of visible text."),
        (
            "en",
            "E",
            b"WEBVTT\n\n00:01.000 --> 00:00.500\nx\n",
            InvalidWebVTT,
            "line 3: the cue must end after it starts (00:00:01.000 --> 00:00:00.500)",
        ),
        (
            "en",
            "E",
            b"WEBVTT\n" + b"x" * 600_000,
            DomainError,
            "The file is too large (586 KB); the limit is 512 KB.",
        ),
    ],
)
def test_refused_captions_change_nothing(
    org: Organization,
    people: People,
    outline: Outline,
    language: str,
    label: str,
    file: bytes,
    refusal: type[Exception],
    message: str,
) -> None:
    with pytest.raises(refusal) as refused:
        save_caption_track(
            ctx=as_role(org, people, Role.INSTRUCTOR),
            unit=video(outline),
            language=language,
            label=label,
            file=file,
        )
    assert str(refused.value) == message
    assert rows() == []


def test_only_a_video_has_captions(org: Organization, people: People, outline: Outline) -> None:
    with pytest.raises(DomainError) as refused:
        save_caption_track(
            ctx=as_role(org, people, Role.INSTRUCTOR),
            unit=outline.units[0],
            language="en",
            label="E",
            file=VTT,
        )
    assert str(refused.value) == "Only a video lecture has captions."
    assert rows() == []


def test_removing_a_track_leaves_the_other_languages(
    org: Organization, people: People, outline: Outline
) -> None:
    ctx = as_role(org, people, Role.INSTRUCTOR)
    english = save_caption_track(ctx=ctx, unit=video(outline), language="en", label="E", file=VTT)
    save_caption_track(ctx=ctx, unit=video(outline), language="de", label="Deutsch", file=VTT)
    remove_caption_track(ctx=ctx, track=english)
    assert [row[1] for row in rows()] == ["de"]


def test_the_transcript_lists_cues_with_text_and_their_clock(
    org: Organization, people: People, outline: Outline
) -> None:
    ctx = as_role(org, people, Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=video(outline), language="en", label="English", file=VTT)
    [transcript] = transcripts(video(outline))
    assert transcript.track.label == "English"
    assert [(line.start, line.end, line.clock, line.text) for line in transcript.lines] == [
        (1.0, 4.5, "0:01", "Dr. Okafor: Sepsis is a time-critical emergency."),
        (4.5, 7.0, "0:04", "alert(1)Measure lactate."),
    ]


def test_a_track_is_found_only_through_a_unit_the_person_may_open(
    org: Organization, other_org: Organization, people: People, outline: Outline
) -> None:
    ctx = as_role(org, people, Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=video(outline), language="pt-BR", label="P", file=VTT)
    learner = as_role(org, people, Role.LEARNER)
    course = outline.course
    with pytest.raises(Http404):  # not enrolled (and the course is a draft)
        access_caption_track(learner, course=course, unit_id=video(outline).pk, language="pt-BR")
    found = access_caption_track(ctx, course=course, unit_id=video(outline).pk, language="PT-br")
    assert found.language == "pt-BR"
    for language in ("pt", "not a tag", "pt-BR-"):
        with pytest.raises(Http404):
            access_caption_track(ctx, course=course, unit_id=video(outline).pk, language=language)
    foreign_course = make_course(other_org, slug="sepsis")
    foreign_unit = make_unit(make_module(foreign_course), video_url="https://e.org/v.mp4")
    stranger = make_user(other_org, Role.INSTRUCTOR)
    enrol(foreign_course, stranger)
    with pytest.raises(Http404):
        access_caption_track(
            OrgContext(org=other_org, user=stranger, role=Role.INSTRUCTOR),
            course=foreign_course,
            unit_id=video(outline).pk,
            language="pt-BR",
        )
    assert foreign_unit.pk != video(outline).pk
