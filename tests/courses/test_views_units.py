"""Unit forms of the builder: each kind, and uploads that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.fixtures import Settings

from cadenza.courses.models import Unit, UnitKind
from tests.courses.conftest import Outline, People, client_for

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x20ftypisom" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def new_unit_url(outline: Outline, kind: str) -> str:
    return (
        reverse(
            "unit_new",
            kwargs={"org_slug": "harbour", "course_slug": "sepsis", "module_id": outline.second.pk},
        )
        + f"?kind={kind}"
    )


def edit_unit_url(unit: Unit) -> str:
    return reverse(
        "unit_edit", kwargs={"org_slug": "harbour", "course_slug": "sepsis", "unit_id": unit.pk}
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_adding_a_reading(outline: Outline, people: People) -> None:
    response = client_for(people.instructor).post(
        new_unit_url(outline, "reading"),
        {"title": "Fluids", "body": "Give **30 ml/kg**", "estimated_minutes": "7"},
    )

    assert response.status_code == 302
    unit = outline.second.units.get(title="Fluids")
    assert (unit.kind, unit.body, unit.estimated_minutes, unit.position) == (
        UnitKind.READING,
        "Give **30 ml/kg**",
        7,
        1,
    )
    assert unit.published_at is None


def test_previewing_a_reading_saves_nothing_and_shows_the_rendered_text(
    outline: Outline, people: People
) -> None:
    response = client_for(people.instructor).post(
        new_unit_url(outline, "reading"),
        {"title": "Fluids", "body": "Give **30 ml/kg**", "estimated_minutes": "7", "preview": "1"},
    )

    assert response.status_code == 200
    assert "Give <strong>30 ml/kg</strong>" in response.content.decode()
    assert Unit.objects.count() == 4


def test_adding_a_video_by_upload_stores_the_file_and_no_duration(
    outline: Outline, people: People
) -> None:
    client_for(people.instructor).post(
        new_unit_url(outline, "video"),
        {
            "title": "Lecture 2",
            "estimated_minutes": "10",
            "video_file": SimpleUploadedFile("lecture.mp4", MP4, content_type="video/mp4"),
        },
    )

    unit = Unit.objects.get(title="Lecture 2")
    name = unit.video_file.name
    assert name is not None
    assert name.startswith("videos/")
    assert name.endswith(".mp4")
    assert (unit.video_url, unit.video_duration_seconds) == ("", None)
    assert len(stored_files()) == 1


def test_adding_a_video_by_https_address(outline: Outline, people: People) -> None:
    client_for(people.instructor).post(
        new_unit_url(outline, "video"),
        {
            "title": "Hosted",
            "estimated_minutes": "10",
            "video_url": "https://video.example.org/watch/1",
            "video_duration_seconds": "754",
        },
    )

    unit = Unit.objects.get(title="Hosted")
    assert (unit.video_url, unit.video_duration_seconds, unit.video_file.name) == (
        "https://video.example.org/watch/1",
        754.0,
        "",
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"video_url": "http://video.example.org/1"}, "Use an https:// address."),
        ({}, "Upload a video file or give its address."),
    ],
)
def test_a_video_needs_a_file_or_an_https_address(
    outline: Outline, people: People, data: dict[str, str], error: str
) -> None:
    response = client_for(people.instructor).post(
        new_unit_url(outline, "video"), {"title": "Bad", "estimated_minutes": "5", **data}
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Unit.objects.count() == 4


def test_an_oversized_video_is_a_form_error_and_nothing_is_written(
    outline: Outline, people: People, settings: Settings
) -> None:
    settings.CADENZA_MAX_VIDEO_BYTES = 10

    response = client_for(people.instructor).post(
        new_unit_url(outline, "video"),
        {
            "title": "Too big",
            "estimated_minutes": "5",
            "video_file": SimpleUploadedFile("big.mp4", MP4, content_type="video/mp4"),
        },
    )

    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert Unit.objects.count() == 4
    assert stored_files() == []


def test_a_video_of_the_wrong_type_is_a_form_error_and_nothing_is_written(
    outline: Outline, people: People
) -> None:
    response = client_for(people.instructor).post(
        new_unit_url(outline, "video"),
        {
            "title": "Flash",
            "estimated_minutes": "5",
            "video_file": SimpleUploadedFile("old.swf", b"FWS" + b"\x00" * 30),
        },
    )

    assert "This kind of file cannot be a video." in response.content.decode()
    assert Unit.objects.count() == 4
    assert stored_files() == []


def test_adding_a_resource_stores_its_sanitized_name_type_and_size(
    outline: Outline, people: People
) -> None:
    client_for(people.instructor).post(
        new_unit_url(outline, "resource"),
        {
            "title": "Protocol",
            "estimated_minutes": "2",
            "resource_file": SimpleUploadedFile(
                'Sepsis "protocol".pdf', PDF, content_type="text/html"
            ),
        },
    )

    unit = Unit.objects.get(title="Protocol")
    assert (unit.resource_name, unit.resource_content_type, unit.resource_size) == (
        "Sepsis _protocol_.pdf",
        "application/pdf",
        len(PDF),
    )
    name = unit.resource_file.name
    assert name is not None
    assert name.startswith("resources/")
    assert len(stored_files()) == 1


def test_an_html_file_disguised_as_a_pdf_is_refused_and_nothing_is_written(
    outline: Outline, people: People
) -> None:
    response = client_for(people.instructor).post(
        new_unit_url(outline, "resource"),
        {
            "title": "Trap",
            "estimated_minutes": "2",
            "resource_file": SimpleUploadedFile(
                "protocol.pdf",
                b"<!doctype html><script>steal()</script>",
                content_type="application/pdf",
            ),
        },
    )

    assert response.status_code == 200
    assert "The file&#x27;s content is not a .pdf file." in response.content.decode()
    assert Unit.objects.count() == 4
    assert stored_files() == []


@pytest.mark.parametrize("name", ["page.html", "page.htm", "image.svg", "script.js"])
def test_web_pages_and_scripts_are_refused_as_resources(
    outline: Outline, people: People, name: str
) -> None:
    response = client_for(people.instructor).post(
        new_unit_url(outline, "resource"),
        {
            "title": "Trap",
            "estimated_minutes": "2",
            "resource_file": SimpleUploadedFile(name, b"<p>hi</p>"),
        },
    )

    assert "This kind of file cannot be a resource." in response.content.decode()
    assert Unit.objects.count() == 4
    assert stored_files() == []


def test_an_oversized_resource_is_refused_and_nothing_is_written(
    outline: Outline, people: People, settings: Settings
) -> None:
    settings.CADENZA_MAX_RESOURCE_BYTES = 20

    response = client_for(people.instructor).post(
        new_unit_url(outline, "resource"),
        {
            "title": "Big",
            "estimated_minutes": "2",
            "resource_file": SimpleUploadedFile("big.pdf", PDF),
        },
    )

    assert "The file is too large" in response.content.decode()
    assert Unit.objects.count() == 4
    assert stored_files() == []


def test_adding_a_knowledge_check_with_unlimited_attempts(outline: Outline, people: People) -> None:
    client_for(people.instructor).post(
        new_unit_url(outline, "knowledge_check"),
        {"title": "Quiz", "estimated_minutes": "5", "pass_mark_percent": "80"},
    )

    unit = Unit.objects.get(title="Quiz")
    assert (unit.kind, unit.pass_mark_percent, unit.max_attempts) == (
        UnitKind.KNOWLEDGE_CHECK,
        80,
        None,
    )


def test_a_pass_mark_above_100_is_a_form_error(outline: Outline, people: People) -> None:
    response = client_for(people.instructor).post(
        edit_unit_url(outline.units[2]),
        {"title": "Check", "estimated_minutes": "5", "pass_mark_percent": "120"},
    )

    assert response.status_code == 200
    assert Unit.objects.get(pk=outline.units[2].pk).pass_mark_percent == 70


def test_editing_a_knowledge_check_sets_its_attempts(outline: Outline, people: People) -> None:
    client_for(people.instructor).post(
        edit_unit_url(outline.units[2]),
        {
            "title": "Check",
            "estimated_minutes": "5",
            "pass_mark_percent": "60",
            "max_attempts": "3",
        },
    )

    unit = Unit.objects.get(pk=outline.units[2].pk)
    assert (unit.pass_mark_percent, unit.max_attempts) == (60, 3)


def test_editing_a_video_without_a_new_file_keeps_its_address(
    outline: Outline, people: People
) -> None:
    client_for(people.instructor).post(
        edit_unit_url(outline.units[1]),
        {"title": "Lecture one", "estimated_minutes": "12", "video_duration_seconds": "90"},
    )

    unit = Unit.objects.get(pk=outline.units[1].pk)
    assert (unit.title, unit.video_url, unit.video_duration_seconds) == (
        "Lecture one",
        "https://example.org/v.mp4",
        90.0,
    )


def test_editing_a_resource_without_a_new_file_keeps_the_file(
    outline: Outline, people: People
) -> None:
    client = client_for(people.instructor)
    client.post(
        new_unit_url(outline, "resource"),
        {
            "title": "Protocol",
            "estimated_minutes": "2",
            "resource_file": SimpleUploadedFile("protocol.pdf", PDF),
        },
    )
    unit = Unit.objects.get(title="Protocol")

    client.post(edit_unit_url(unit), {"title": "Protocol v2", "estimated_minutes": "3"})

    edited = Unit.objects.get(pk=unit.pk)
    assert (edited.title, edited.resource_file.name, edited.resource_name) == (
        "Protocol v2",
        unit.resource_file.name,
        "protocol.pdf",
    )
