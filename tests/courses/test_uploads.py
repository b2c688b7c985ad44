"""Which files a course accepts: by extension and by content, within the size limits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from cadenza.courses.uploads import check_resource, check_video, safe_display_name

MP4 = b"\x00\x00\x00\x20ftypisom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64
OGG = b"OggS" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ZIP = b"PK\x03\x04" + b"\x00" * 64


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def error_code(caught: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return caught.value.code


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("talk.mp4", MP4, "video/mp4"),
        ("talk.webm", WEBM, "video/webm"),
        ("talk.ogv", OGG, "video/ogg"),
    ],
)
def test_videos_of_the_allowed_types_are_accepted(
    name: str, content: bytes, content_type: str
) -> None:
    checked = check_video(upload(name, content))

    assert (checked.content_type, checked.display_name, checked.size) == (
        content_type,
        name,
        len(content),
    )
    assert checked.file.name is not None
    assert checked.file.name.endswith("." + name.rsplit(".", 1)[1])
    assert checked.file.name != name


def test_a_video_whose_content_is_not_a_video_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_video(upload("talk.mp4", b"just some text pretending"))

    assert error_code(caught) == "file_content"


def test_a_webm_named_mp4_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_video(upload("talk.mp4", WEBM))

    assert error_code(caught) == "file_content"


def test_a_video_of_another_type_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_video(upload("talk.avi", MP4))

    assert error_code(caught) == "file_type"


def test_a_video_over_the_limit_is_refused(settings: Settings) -> None:
    settings.CADENZA_MAX_VIDEO_BYTES = len(MP4) - 1

    with pytest.raises(ValidationError) as caught:
        check_video(upload("talk.mp4", MP4))

    assert error_code(caught) == "file_size"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("protocol.pdf", PDF, "application/pdf"),
        ("chart.png", PNG, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("bundle.zip", ZIP, "application/zip"),
        (
            "notes.docx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("doses.csv", b"drug,dose\ncefuroxime,1.5 g\n", "text/csv"),
        ("readme.txt", "Température élevée\n".encode(), "text/plain"),
    ],
)
def test_resources_of_the_allowed_types_are_accepted(
    name: str, content: bytes, content_type: str
) -> None:
    assert check_resource(upload(name, content)).content_type == content_type


@pytest.mark.parametrize("name", ["page.html", "page.htm", "logo.svg", "app.js", "run.exe"])
def test_resources_a_browser_could_run_are_refused_by_name(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_resource(upload(name, PDF))

    assert error_code(caught) == "file_type"


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>hi</body></html>",
        b"\xef\xbb\xbf  <html><script>alert(1)</script>",
        b"\n<script>alert(1)</script>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
    ],
)
def test_html_disguised_as_a_pdf_is_refused(content: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        check_resource(upload("protocol.pdf", content))

    assert error_code(caught) == "file_content"


def test_a_text_file_carrying_a_script_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_resource(upload("notes.txt", b"hello\n<script>alert(1)</script>\n"))

    assert error_code(caught) == "file_content"


def test_a_binary_file_named_txt_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_resource(upload("notes.txt", PNG))

    assert error_code(caught) == "file_content"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_resource(upload("notes.txt", b""))

    assert error_code(caught) == "file_empty"


def test_a_resource_over_the_limit_is_refused(settings: Settings) -> None:
    settings.CADENZA_MAX_RESOURCE_BYTES = 10

    with pytest.raises(ValidationError) as caught:
        check_resource(upload("protocol.pdf", PDF))

    assert error_code(caught) == "file_size"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Dose chart.pdf", "Dose chart.pdf"),
        ('bad"name;\r\n.pdf', "bad_name_.pdf"),
        ("...", "resource.pdf"),
    ],
)
def test_display_names_are_sanitized(given: str, shown: str) -> None:
    assert safe_display_name(given, fallback="resource.pdf") == shown
