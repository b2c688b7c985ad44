"""Serving a stored file with HTTP Range support (RFC 9110 section 14), for video seeking.

Browsers fetch a video in pieces and jump to any second by asking for a byte range; a server
that ignores ``Range`` makes seeking re-download from the start (and Safari refuses to play).
Only single ranges are served as 206: a multi-range request, or a header we cannot parse, is
answered with the whole file (200), which the RFC allows. A range that starts past the end
answers 416 with ``Content-Range: bytes */<size>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.base import File
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

CHUNK_SIZE = 64 * 1024

_SINGLE_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class UnsatisfiableRange(Exception):
    """The requested range lies wholly outside the file."""


@dataclass(frozen=True, slots=True)
class ByteRange:
    """An inclusive byte range ``first``..``last`` of a file of ``size`` bytes."""

    first: int
    last: int
    size: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def content_range(self) -> str:
        return f"bytes {self.first}-{self.last}/{self.size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single range asked for by a ``Range`` header, or None to send the whole file.

    None for no header, a syntax we do not serve (several ranges, other units) or a range
    covering the whole file. Raises ``UnsatisfiableRange`` for a range starting at or past
    the end (or an empty suffix), so the caller answers 416.
    """
    if not header:
        return None
    match = _SINGLE_RANGE.match(header)
    if match is None:
        return None
    start_text, end_text = match.groups()
    if not start_text and not end_text:
        return None
    if not start_text:
        suffix = int(end_text)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange(header)
        first, last = max(size - suffix, 0), size - 1
    else:
        first = int(start_text)
        last = int(end_text) if end_text else size - 1
        if end_text and last < first:
            return None
        if first >= size:
            raise UnsatisfiableRange(header)
        last = min(last, size - 1)
    if first == 0 and last == size - 1:
        return None
    return ByteRange(first=first, last=last, size=size)


def _read_range(file: File[bytes], byte_range: ByteRange) -> Iterator[bytes]:
    """Yield the range in chunks; closes the file when done or when the client goes away."""
    try:
        file.seek(byte_range.first)
        remaining = byte_range.length
        while remaining > 0:
            chunk = file.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()


def ranged_file_response(
    *,
    file: File[bytes],
    size: int,
    content_type: str,
    range_header: str | None,
    filename: str | None = None,
    as_attachment: bool = False,
) -> HttpResponseBase:
    """Answer a GET for ``file`` (open, binary, seekable; this function closes it).

    Returns 200 with the whole file, 206 with the one range asked for, or 416. Every answer
    says ``Accept-Ranges: bytes`` so the browser knows it may seek.
    """
    try:
        byte_range = parse_range(range_header, size)
    except UnsatisfiableRange:
        file.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    response: HttpResponseBase
    if byte_range is None:
        response = FileResponse(
            file, content_type=content_type, as_attachment=as_attachment, filename=filename or ""
        )
        response["Content-Length"] = str(size)
    else:
        response = StreamingHttpResponse(
            _read_range(file, byte_range), status=206, content_type=content_type
        )
        response["Content-Range"] = byte_range.content_range
        response["Content-Length"] = str(byte_range.length)
        disposition = content_disposition_header(as_attachment, filename or "")
        if disposition:
            response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    return response
