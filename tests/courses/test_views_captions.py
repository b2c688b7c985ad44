"""Captions on a video unit's edit page, and the track served to the player."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadenza.courses.actions import publish_course, save_caption_track
from cadenza.courses.models import CaptionTrack, Unit
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.courses.conftest import Outline, People, client_for
from tests.factories import enrol, make_user

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:01.000 --> 00:04.000\nHello <b>there</b> &amp; welcome\n"


def unit_kwargs(unit: Unit, org: str = "harbour") -> dict[str, object]:
    return {"org_slug": org, "course_slug": "sepsis", "unit_id": unit.pk}


def upload(name: str = "lecture.en.vtt", content: bytes = VTT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/vtt")


def add_url(unit: Unit) -> str:
    return reverse("unit_caption_add", kwargs=unit_kwargs(unit))


def tracks() -> list[tuple[str, str, int]]:
    return list(CaptionTrack.objects.values_list("language", "label", "cue_count"))


def test_the_edit_page_uploads_a_file_and_lists_the_track(people: People, outline: Outline) -> None:
    video = outline.units[1]
    client = client_for(people.instructor)
    edit = reverse("unit_edit", kwargs=unit_kwargs(video))
    page = client.get(edit).content.decode()
    assert "This video has no captions yet." in page
    answer = client.post(
        add_url(video), {"language": "en-us", "label": "English", "file": upload()}, follow=True
    )
    assert answer.redirect_chain == [(edit + "#captions-heading", 302)]
    page = answer.content.decode()
    assert "The captions “English” (en-US) were saved: 1 cues." in page
    assert '<strong>English</strong> <span class="muted">(en-US) · 1 cue</span>' in page
    remove = reverse("unit_caption_remove", kwargs=unit_kwargs(video) | {"language": "en-US"})
    assert f'action="{remove}"' in page
    assert tracks() == [("en-US", "English", 1)]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {
                "language": "en",
                "label": "English",
                "file": upload(content=b"WEBVTT\n\n00:01.000 -> 00:02.000\nHi\n"),
            },
            "line 3: expected cue timings like &quot;00:00:01.000 --&gt; 00:00:04.000&quot;",
        ),
        (
            {"language": "en", "label": "English", "file": upload("captions.srt", VTT)},
            "Choose a WebVTT file (its name ends in .vtt).",
        ),
        (
            {"language": "en_US", "label": "English", "file": upload()},
            "“en_US” is not a language tag (BCP 47), such as en, fr or pt-BR.",
        ),
        ({"language": "en", "label": "", "file": upload()}, "This field is required."),
    ],
)
def test_a_refused_upload_shows_why_on_the_edit_page_and_stores_nothing(
    people: People, outline: Outline, data: dict[str, object], error: str
) -> None:
    answer = client_for(people.instructor).post(add_url(outline.units[1]), data)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert error in page
    assert 'aria-invalid="true"' in page
    assert "Edit “Lecture”" in page
    assert tracks() == []


def test_removing_a_track(org: Organization, people: People, outline: Outline) -> None:
    video = outline.units[1]
    ctx = OrgContext(org=org, user=people.instructor, role=Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=video, language="de", label="Deutsch", file=VTT)
    save_caption_track(ctx=ctx, unit=video, language="fr", label="Français", file=VTT)
    remove = reverse("unit_caption_remove", kwargs=unit_kwargs(video) | {"language": "de"})
    answer = client_for(people.admin).post(remove, follow=True)
    assert "The captions “Deutsch” (de) were removed." in answer.content.decode()
    assert tracks() == [("fr", "Français", 1)]


@pytest.mark.parametrize("who", ["learner", "ta"])
def test_learners_and_assistants_are_refused_and_nothing_changes(
    org: Organization, people: People, outline: Outline, who: str
) -> None:
    video = outline.units[1]
    ctx = OrgContext(org=org, user=people.instructor, role=Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=video, language="de", label="Deutsch", file=VTT)
    client = client_for(getattr(people, who))
    added = client.post(add_url(video), {"language": "en", "label": "E", "file": upload()})
    remove = reverse("unit_caption_remove", kwargs=unit_kwargs(video) | {"language": "de"})
    removed = client.post(remove)
    assert (added.status_code, removed.status_code) == (403, 403)
    assert tracks() == [("de", "Deutsch", 1)]


def test_the_track_is_served_as_text_vtt_to_an_enrolled_learner(
    org: Organization, other_org: Organization, people: People, outline: Outline
) -> None:
    video = outline.units[1]
    ctx = OrgContext(org=org, user=people.instructor, role=Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=video, language="pt-BR", label="Português", file=VTT)
    publish_course(course=outline.course)
    enrol(outline.course, people.learner)
    url = reverse("unit_captions", kwargs=unit_kwargs(video) | {"language": "pt-BR"})
    assert url == f"/o/harbour/courses/sepsis/units/{video.pk}/captions/pt-BR.vtt"
    answer = client_for(people.learner).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/vtt; charset=utf-8"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer.content == (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello <b>there</b> &amp; welcome\n"
    )
    lower = reverse("unit_captions", kwargs=unit_kwargs(video) | {"language": "pt-br"})
    assert client_for(people.learner).get(lower).status_code == 200
    missing = reverse("unit_captions", kwargs=unit_kwargs(video) | {"language": "en"})
    assert client_for(people.learner).get(missing).status_code == 404


def test_another_organizations_member_and_a_learner_not_enrolled_get_404(
    org: Organization, other_org: Organization, people: People, outline: Outline
) -> None:
    video = outline.units[1]
    ctx = OrgContext(org=org, user=people.instructor, role=Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=video, language="en", label="English", file=VTT)
    publish_course(course=outline.course)
    url = reverse("unit_captions", kwargs=unit_kwargs(video) | {"language": "en"})
    stranger = make_user(other_org, Role.ADMIN)
    foreign = reverse("unit_captions", kwargs=unit_kwargs(video, "elsewhere") | {"language": "en"})
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).get(foreign).status_code == 404
    assert client_for(people.learner).get(url).status_code == 404
