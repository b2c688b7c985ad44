"""Serving files with HTTP Range: parsing the header and the exact bytes sent."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import File

from cadenza.lib.ranged_file import (
    ByteRange,
    UnsatisfiableRange,
    parse_range,
    ranged_file_response,
)

DATA = bytes(range(256)) * 600  # 153,600 bytes: more than two chunks


class TrackedBytes(io.BytesIO):
    """A file that remembers it was closed, so tests can see the response released it."""

    was_closed = False

    def close(self) -> None:
        self.was_closed = True
        super().close()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99, 1000)),
        ("bytes=100-", ByteRange(100, 999, 1000)),
        ("bytes=-100", ByteRange(900, 999, 1000)),
        ("bytes=990-5000", ByteRange(990, 999, 1000)),
        ("BYTES = 5 - 9", ByteRange(5, 9, 1000)),
        ("bytes=-5000", None),
        ("bytes=0-", None),
        ("bytes=0-999", None),
        (None, None),
        ("", None),
        ("bytes=9-5", None),
        ("bytes=0-1,5-9", None),
        ("items=0-9", None),
        ("bytes=-", None),
        ("bytes=abc", None),
    ],
)
def test_parse_range(header: str | None, expected: ByteRange | None) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-1001", "bytes=-0"])
def test_ranges_outside_the_file_are_unsatisfiable(header: str) -> None:
    with pytest.raises(UnsatisfiableRange):
        parse_range(header, 1000)


def test_a_suffix_of_an_empty_file_is_unsatisfiable() -> None:
    with pytest.raises(UnsatisfiableRange):
        parse_range("bytes=-10", 0)


@pytest.mark.django_db  # response.close() sends request_finished, which checks the connection
def test_the_whole_file_without_a_range() -> None:
    handle = TrackedBytes(DATA)

    response = ranged_file_response(
        file=File(handle), size=len(DATA), content_type="video/mp4", range_header=None
    )

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(DATA))
    assert b"".join(response.streaming_content) == DATA  # type: ignore[attr-defined]
    response.close()
    assert handle.was_closed


def test_a_range_across_chunks_sends_exactly_those_bytes_and_closes_the_file() -> None:
    handle = TrackedBytes(DATA)

    response = ranged_file_response(
        file=File(handle),
        size=len(DATA),
        content_type="video/mp4",
        range_header="bytes=1000-140999",
    )

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-140999/{len(DATA)}"
    assert response["Content-Length"] == "140000"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == DATA[1000:141000]  # type: ignore[attr-defined]
    assert handle.was_closed


def test_a_suffix_range_sends_the_last_bytes() -> None:
    response = ranged_file_response(
        file=File(io.BytesIO(DATA)),
        size=len(DATA),
        content_type="video/webm",
        range_header="bytes=-10",
    )

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == DATA[-10:]  # type: ignore[attr-defined]


def test_an_unsatisfiable_range_answers_416_and_closes_the_file() -> None:
    handle = TrackedBytes(DATA)

    response = ranged_file_response(
        file=File(handle), size=len(DATA), content_type="video/mp4", range_header="bytes=999999-"
    )

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"
    assert handle.was_closed


def test_a_ranged_attachment_keeps_its_file_name() -> None:
    response = ranged_file_response(
        file=File(io.BytesIO(DATA)),
        size=len(DATA),
        content_type="application/pdf",
        range_header="bytes=0-9",
        filename="notes.pdf",
        as_attachment=True,
    )

    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'
    assert b"".join(response.streaming_content) == DATA[:10]  # type: ignore[attr-defined]
