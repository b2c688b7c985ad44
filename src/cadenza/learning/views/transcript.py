"""The transcript beside a video's player, as the unit page and a live session's replay show
it (``learning/_video_transcript.html`` and ``learning/transcript.js``, for any caption track).

Why the lines are written here, with the standard library's ``html.escape``: an hour's
lecture has about 900 cues, and writing them through Django's escaping (a template loop, or
``format_html_join``) cost some 200 ms on every visit to the page, most of it in Django's
lazy-string wrappers around each escaped value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from cadenza.courses.models import CaptionTrackFields, Unit
from cadenza.courses.selectors import Transcript, transcripts

_LINE = (
    '<li><button type="button" class="transcript-line" data-start="{}" data-end="{}">'
    '<span class="transcript-time"><span class="visually-hidden">Play from </span>{}</span> '
    '<span class="transcript-text">{}</span></button></li>'
)


@dataclass(frozen=True, slots=True)
class TranscriptPanel:
    """One language's transcript: its track and its lines as HTML (empty if no cue has text)."""

    track: CaptionTrackFields
    lines_html: SafeString


def transcript_panels(unit: Unit) -> list[TranscriptPanel]:
    """The unit's transcripts, one per caption track, by label (one query)."""
    return panels_of(transcripts(unit))


def panels_of(found: Iterable[Transcript]) -> list[TranscriptPanel]:
    """The panels of transcripts already read (any video's caption tracks; no query)."""
    return [
        TranscriptPanel(track=transcript.track, lines_html=_lines_html(transcript))
        for transcript in found
    ]


def _lines_html(transcript: Transcript) -> SafeString:
    lines = (
        _LINE.format(f"{line.start:.3f}", f"{line.end:.3f}", escape(line.clock), escape(line.text))
        for line in transcript.lines
    )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped
