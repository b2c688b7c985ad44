"""Writes to a video unit's captions: adding or replacing a language's track, removing one;
and ``checked_captions``, the one check of an upload that every caption track goes through
(a unit's here, a live session's recording's in ``live.attendance``).

Only people who author the organization's courses may change a unit's captions
(``orgs.policy``, ``AUTHOR_COURSES``): the actions ask the policy themselves, so the page, the
API and any later caller share the rule. A file is checked and sanitized
(``cadenza.lib.webvtt``) before anything is written; a refused file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cadenza.courses.models import MAX_CAPTION_BYTES, CaptionTrack, Unit, UnitKind
from cadenza.lib.errors import DomainError
from cadenza.lib.json_value import JsonValue
from cadenza.lib.language_tags import canonical_language_tag
from cadenza.lib.text import find_control_character
from cadenza.lib.webvtt import parse_webvtt, write_webvtt
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext

MAX_LABEL_LENGTH = 80


def _may_change_captions(ctx: OrgContext, unit: Unit) -> None:
    if unit.org_id != ctx.org.pk:
        raise PermissionDenied("This unit belongs to another organization.")
    ctx.require(Permission.AUTHOR_COURSES)


@dataclass(frozen=True, slots=True)
class CheckedCaptions:
    """An upload that passed ``checked_captions``: the values a caption track stores
    (``CaptionTrackFields``), the language in canonical case."""

    language: str
    label: str
    vtt: str
    transcript: str
    transcript_cues: list[JsonValue]
    cue_count: int

    def stored(self) -> dict[str, Any]:
        """The track's fields other than its video, its organization and its uploader."""
        return {
            "label": self.label,
            "vtt": self.vtt,
            "transcript": self.transcript,
            "transcript_cues": self.transcript_cues,
            "cue_count": self.cue_count,
        }


def checked_captions(*, language: str, label: str, file: bytes | str) -> CheckedCaptions:
    """Check a caption upload and make its sanitized copy and transcript (no query, no write).

    Refusals (``DomainError`` with a message for the instructor): a malformed language tag
    (``InvalidLanguageTag``), an empty or too long label, a label that is not one line of
    visible text, and a file that is too large (``WebVTTTooLarge``) or malformed
    (``InvalidWebVTT``: "line 7: ...")."""
    language = canonical_language_tag(language)
    label = label.strip()
    if not label or len(label) > MAX_LABEL_LENGTH:
        raise DomainError(f"Give the captions a name of 1 to {MAX_LABEL_LENGTH} characters.")
    if find_control_character(label, allow_line_breaks=False) is not None:
        raise DomainError("The name of the captions is one line of visible text.")
    cues = parse_webvtt(file, max_bytes=MAX_CAPTION_BYTES)
    spoken = [cue for cue in cues if cue.plain_text]
    return CheckedCaptions(
        language=language,
        label=label,
        vtt=write_webvtt(cues),
        transcript="\n".join(cue.plain_text for cue in spoken),
        transcript_cues=[[cue.start_ms, cue.end_ms, cue.plain_text] for cue in spoken],
        cue_count=len(cues),
    )


@transaction.atomic
def save_caption_track(
    *, ctx: OrgContext, unit: Unit, language: str, label: str, file: bytes | str
) -> CaptionTrack:
    """Add the unit's captions in ``language`` (a BCP 47 tag), or replace the ones it has.

    ``file`` is the WebVTT file as uploaded; what is stored is its sanitized copy and its
    transcript. Refusals (``DomainError`` with a message for the instructor): a unit that is
    not a video, and those of ``checked_captions``."""
    _may_change_captions(ctx, unit)
    if unit.kind != UnitKind.VIDEO:
        raise DomainError("Only a video lecture has captions.")
    checked = checked_captions(language=language, label=label, file=file)
    track, _created = CaptionTrack.objects.update_or_create(
        unit=unit,
        language=checked.language,
        defaults={"org": unit.org, **checked.stored(), "uploaded_by": ctx.user},
    )
    return track


@transaction.atomic
def remove_caption_track(*, ctx: OrgContext, track: CaptionTrack) -> None:
    """Remove one language's captions (and its transcript) from its unit."""
    _may_change_captions(ctx, track.unit)
    track.delete()
