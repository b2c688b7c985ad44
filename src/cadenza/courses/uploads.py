"""Which uploaded files a course may hold, decided by name *and* content.

The extension picks the type we would serve the file as; the first bytes must agree with it.
Checking both stops a page disguised as a PDF (or a script renamed ``.txt``) from ever being
stored: uploads are served as attachments with ``nosniff``, and this is the second line. The
checks read only the head of the file, so a 500 MB video costs nothing extra.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

_HEAD_BYTES = 2048

_VIDEO_TYPES: dict[str, str] = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "ogg": "video/ogg",
}

_RESOURCE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "zip": "application/zip",
}

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# The tags the WHATWG sniffing algorithm treats as "this is HTML" at the start of a body,
# plus XML (SVG, XHTML) which a browser would also render as a document.
_HTML_START = re.compile(
    rb"^(?:<!doctype\s+html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a|<style|"
    rb"<title|<b|<body|<br|<p|<!--|<svg|<\?xml)(?:[\s>/]|$)",
)
_MARKUP_ANYWHERE = re.compile(rb"<(?:script|html|body|iframe|svg|object|embed)[\s>/]")


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload that passed the checks: the type we will serve it as and its safe names."""

    file: UploadedFile[bytes]
    content_type: str
    display_name: str
    size: int


def check_video(upload: UploadedFile[bytes]) -> CheckedUpload:
    """Accept an MP4, WebM or Ogg video no larger than ``CADENZA_MAX_VIDEO_BYTES``."""
    return _check(
        upload,
        allowed=_VIDEO_TYPES,
        max_bytes=settings.CADENZA_MAX_VIDEO_BYTES,
        what="video",
    )


def check_resource(upload: UploadedFile[bytes]) -> CheckedUpload:
    """Accept a document, spreadsheet, slide deck, image, text or zip file no larger than
    ``CADENZA_MAX_RESOURCE_BYTES``; never anything a browser would render as a page."""
    return _check(
        upload,
        allowed=_RESOURCE_TYPES,
        max_bytes=settings.CADENZA_MAX_RESOURCE_BYTES,
        what="resource",
    )


DOCUMENT_TYPES: dict[str, str] = dict(_RESOURCE_TYPES)
"""The documents, images, text and archives a course takes as downloads (and an assignment as
learners' work), by extension, with the type they are served as."""


def check_upload(
    upload: UploadedFile[bytes], *, allowed: dict[str, str], max_bytes: int, what: str
) -> CheckedUpload:
    """The checks of ``check_resource`` with another list of types and size limit, for the
    apps above courses that take files (assignments): the extension must be ``allowed``,
    the first bytes must agree with it, nothing a browser would render as a page."""
    return _check(upload, allowed=allowed, max_bytes=max_bytes, what=what)


def safe_display_name(name: str, *, fallback: str) -> str:
    """The name shown to people and offered on download: no folders, control characters or
    characters that break a Content-Disposition header; at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[\\/:*?"<>|;]+', "_", base).strip(" .")
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base or fallback


def _check(
    upload: UploadedFile[bytes], *, allowed: dict[str, str], max_bytes: int, what: str
) -> CheckedUpload:
    original = upload.name or ""
    extension = PurePath(original).suffix.lower().lstrip(".")
    if extension not in allowed:
        kinds = ", ".join(sorted({f".{ext}" for ext in allowed}))
        raise ValidationError(
            f"This kind of file cannot be a {what}. Allowed: {kinds}.", code="file_type"
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The file is empty.", code="file_empty")
    if size > max_bytes:
        raise ValidationError(
            f"The file is too large ({_megabytes(size)}); the limit is {_megabytes(max_bytes)}.",
            code="file_size",
        )
    head = _read_head(upload)
    if _looks_like_markup(head) or not _content_matches(extension, head):
        raise ValidationError(
            f"The file's content is not a .{extension} file.", code="file_content"
        )
    display_name = safe_display_name(original, fallback=f"{what}.{extension}")
    upload.name = f"{uuid.uuid4().hex}.{extension}"
    return CheckedUpload(
        file=upload, content_type=allowed[extension], display_name=display_name, size=size
    )


def _read_head(upload: UploadedFile[bytes]) -> bytes:
    upload.seek(0)
    head: bytes = upload.read(_HEAD_BYTES)
    upload.seek(0)
    return head


def _looks_like_markup(head: bytes) -> bool:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\n\r\x0c").lower()
    return bool(_HTML_START.match(text))


def _content_matches(extension: str, head: bytes) -> bool:
    match extension:
        case "mp4" | "m4v":
            return head[4:8] == b"ftyp"
        case "webm":
            return head.startswith(b"\x1a\x45\xdf\xa3")
        case "ogv" | "ogg":
            return head.startswith(b"OggS")
        case "pdf":
            return head.startswith(b"%PDF-")
        case "docx" | "xlsx" | "pptx" | "zip":
            return head.startswith(_ZIP_MAGIC)
        case "png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        case "jpg" | "jpeg":
            return head.startswith(b"\xff\xd8\xff")
        case "csv" | "txt":
            return _is_plain_text(head)
    return False


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head or _MARKUP_ANYWHERE.search(head.lower()):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end in the middle of a multi-byte character; only that is forgiven.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
