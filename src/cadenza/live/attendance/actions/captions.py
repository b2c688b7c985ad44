"""Writes to a session recording's captions: adding or replacing a language's track, removing
one. The upload is checked exactly as a video unit's (``courses.caption_actions.
checked_captions``: the line of a malformed file, the language tag, the name) and stored as
its sanitized copy with its transcript (decision 0013).

Who may: the session's hosts and the organization's admins, as for its recording
(``may_manage_attendance``). Captions may be added before the recording is attached (a host
may have the file first) but never to a cancelled session, which has no recording.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cadenza.accounts.models import User
from cadenza.courses.caption_actions import checked_captions
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.selectors.attendance import may_manage_attendance
from cadenza.live.models import LiveSession, ReplayCaptionTrack, SessionStatus


def _may_change_captions(session: LiveSession, by: User) -> None:
    if not may_manage_attendance(session=session, user=by):
        raise PermissionDenied(
            "Only the session's hosts and the organization's admins change its captions."
        )


@transaction.atomic
def save_replay_captions(
    *, session: LiveSession, by: User, language: str, label: str, file: bytes | str
) -> ReplayCaptionTrack:
    """Add the recording's captions in ``language`` (a BCP 47 tag), or replace the ones it
    has. Raises ``PermissionDenied`` for anyone but the hosts and admins, ``DomainError`` for
    a cancelled session and the refusals of ``checked_captions`` ("line 7: ..."); nothing is
    written when it raises."""
    _may_change_captions(session, by)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("A cancelled session has no recording to caption.")
    checked = checked_captions(language=language, label=label, file=file)
    track, _created = ReplayCaptionTrack.objects.update_or_create(
        session=session,
        language=checked.language,
        defaults={"org": session.org, **checked.stored(), "uploaded_by": by},
    )
    return track


@transaction.atomic
def remove_replay_captions(*, track: ReplayCaptionTrack, by: User) -> None:
    """Remove one language's captions (and their transcript) from the recording."""
    _may_change_captions(track.session, by)
    track.delete()
