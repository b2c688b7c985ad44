"""A small BigBlueButton API client: signed URLs, one HTTP GET per call, XML replies.

Every call is ``<server>/bigbluebutton/api/<call>?<query>&checksum=<hex>`` where the checksum
is ``sha1(call + query + shared secret)`` (the API's security model; BigBlueButton 2.5+ also
accepts sha256, sha384 and sha512 where the server allows them). The query is URL-encoded with
``+`` for spaces, in the order the parameters are given, and the checksum covers exactly that
text. Replies are XML with ``<returncode>SUCCESS|FAILED</returncode>``; FAILED carries a
``messageKey`` and a ``message`` and raises ``BigBlueButtonError``.

HTTP goes through an injectable ``fetch(url) -> bytes`` so tests replay recorded documents.
"""

from __future__ import annotations

import hashlib
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlencode, urlsplit

from cadenza.live.providers.base import ProviderError, ProviderUnavailable, Recording

Fetch = Callable[[str], bytes]
ChecksumAlgorithm = Literal["sha1", "sha256", "sha384", "sha512"]
CHECKSUM_ALGORITHMS: tuple[ChecksumAlgorithm, ...] = ("sha1", "sha256", "sha384", "sha512")

TIMEOUT_SECONDS = 10.0
MAX_REPLY_BYTES = 2 * 1024 * 1024


class BigBlueButtonError(ProviderError):
    """The server answered FAILED; ``message_key`` is the API's stable error name."""

    def __init__(self, *, call: str, message_key: str, message: str) -> None:
        super().__init__(f"BigBlueButton refused {call}: {message or message_key} ({message_key}).")
        self.call = call
        self.message_key = message_key
        self.message = message


def checksum(*, call: str, query: str, secret: str, algorithm: ChecksumAlgorithm = "sha1") -> str:
    """The API checksum of one call: hex digest of ``call + query + secret``."""
    return hashlib.new(algorithm, (call + query + secret).encode("utf-8")).hexdigest()


def api_base(server_url: str) -> str:
    """``https://host/bigbluebutton/`` (as ``bbb-conf --secret`` prints it) or a URL already
    ending in ``/api`` -> the API's base, without a trailing slash."""
    base = server_url.strip().rstrip("/")
    return base if base.endswith("/api") else f"{base}/api"


def urllib_fetch(url: str) -> bytes:
    """GET ``url`` with a timeout, reading at most ``MAX_REPLY_BYTES``."""
    if urlsplit(url).scheme not in {"https", "http"}:
        raise ProviderUnavailable("The BigBlueButton address must be an https URL.")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as reply:  # noqa: S310
            body: bytes = reply.read(MAX_REPLY_BYTES + 1)
    except (OSError, ValueError) as error:
        raise ProviderUnavailable(f"BigBlueButton did not answer ({error}).") from error
    if len(body) > MAX_REPLY_BYTES:
        raise ProviderUnavailable("BigBlueButton's answer was too large.")
    return body


class BigBlueButtonClient:
    """Signed calls to one BigBlueButton server."""

    def __init__(
        self,
        *,
        server_url: str,
        secret: str,
        algorithm: ChecksumAlgorithm = "sha1",
        fetch: Fetch = urllib_fetch,
    ) -> None:
        self.base = api_base(server_url)
        self.secret = secret
        self.algorithm = algorithm
        self.fetch = fetch

    def url(self, call: str, params: Sequence[tuple[str, str]]) -> str:
        """The signed URL of ``call`` with ``params`` in the given order."""
        query = urlencode(list(params))
        signature = checksum(call=call, query=query, secret=self.secret, algorithm=self.algorithm)
        joiner = "&" if query else ""
        return f"{self.base}/{call}?{query}{joiner}checksum={signature}"

    def call(self, call: str, params: Sequence[tuple[str, str]]) -> ElementTree.Element:
        """Make ``call`` and return the ``<response>`` element of a SUCCESS reply."""
        return parse_response(call, self.fetch(self.url(call, params)))

    def create(self, params: Sequence[tuple[str, str]]) -> ElementTree.Element:
        return self.call("create", params)

    def end(self, *, meeting_id: str) -> None:
        try:
            self.call("end", [("meetingID", meeting_id)])
        except BigBlueButtonError as error:
            if error.message_key != "notFound":
                raise

    def is_meeting_running(self, *, meeting_id: str) -> bool:
        response = self.call("isMeetingRunning", [("meetingID", meeting_id)])
        return _text(response, "running") == "true"

    def get_recordings(self, *, meeting_id: str) -> list[Recording]:
        response = self.call("getRecordings", [("meetingID", meeting_id), ("state", "published")])
        return parse_recordings(response)


def parse_response(call: str, body: bytes) -> ElementTree.Element:
    """The ``<response>`` of a SUCCESS reply; ``BigBlueButtonError`` for FAILED,
    ``ProviderUnavailable`` for something that is not an API reply."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        # API replies never carry a DTD; refusing one rules out entity-expansion attacks.
        raise ProviderUnavailable(f"BigBlueButton answered {call} with a document type.")
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 (no DTD: checked above)
    except ElementTree.ParseError as error:
        raise ProviderUnavailable(f"BigBlueButton answered {call} with unreadable XML.") from error
    if root.tag != "response":
        raise ProviderUnavailable(f"BigBlueButton answered {call} with something else than XML.")
    code = _text(root, "returncode").upper()
    if code == "SUCCESS":
        return root
    if code == "FAILED":
        raise BigBlueButtonError(
            call=call, message_key=_text(root, "messageKey"), message=_text(root, "message")
        )
    raise ProviderUnavailable(f"BigBlueButton answered {call} without a return code.")


def parse_recordings(response: ElementTree.Element) -> list[Recording]:
    """The recordings of a getRecordings reply, each with its playback URL (the
    "presentation" format when there is one, else the first), its length and start."""
    found: list[Recording] = []
    for recording in response.iterfind("recordings/recording"):
        formats = recording.findall("playback/format")
        if not formats:
            continue
        chosen = next((f for f in formats if _text(f, "type") == "presentation"), formats[0])
        start = _whole_number(_text(recording, "startTime"))
        end = _whole_number(_text(recording, "endTime"))
        duration: float | None = None
        if start is not None and end is not None and end >= start:
            duration = (end - start) / 1000
        else:
            minutes = _whole_number(_text(chosen, "length"))
            duration = minutes * 60.0 if minutes else None
        found.append(
            Recording(
                title=_text(recording, "name"),
                url=_text(chosen, "url"),
                duration_seconds=duration,
                started_at=datetime.fromtimestamp(start / 1000, tz=UTC) if start else None,
                provider_id=_text(recording, "recordID"),
            )
        )
    return found


def _text(element: ElementTree.Element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _whole_number(value: str) -> int | None:
    return int(value) if value.isdigit() else None
