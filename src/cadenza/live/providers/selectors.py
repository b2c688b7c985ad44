"""Reading an organization's video settings, and which breakout room's video a person may join."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from cadenza.live.models import BreakoutRoom, LiveSession, LiveVideoSettings, ParticipantRestriction
from cadenza.live.sessions.access import is_moderator, is_restricted
from cadenza.orgs.models import Organization
from cadenza.orgs.selectors import OrgContext, scoped


def video_settings_of(org: Organization) -> LiveVideoSettings:
    """The organization's video settings; an unsaved row with the defaults (built-in video,
    no STUN/TURN, no Jitsi or BigBlueButton credentials) when an admin never saved any.

    Reading never writes: ``update_video_settings`` creates the row on the first save.
    """
    stored = scoped(LiveVideoSettings.objects.all(), org).first()
    return stored if stored is not None else LiveVideoSettings(org=org)


@dataclass(frozen=True, slots=True)
class BreakoutVideoAccess:
    """One open breakout room whose video this person may join, and whether as a host."""

    breakout: BreakoutRoom
    is_host: bool


def access_breakout_video(
    ctx: OrgContext, *, session: LiveSession, breakout_id: int
) -> BreakoutVideoAccess:
    """The open breakout room ``breakout_id`` of ``session`` (a session ``access_session``
    already gave ``ctx``), if this person may join its video: a host (or an organization
    admin) any of the session's open breakout rooms, anyone else only the one they are in.

    Everything else is 404, the same answer for a room that does not exist, is closed, belongs
    to another session or organization, or is someone else's: a learner learns nothing about
    the other rooms. A person a host removed from the session gets 404 too.
    """
    host = is_moderator(ctx, session)
    if not host and is_restricted(session, ctx.user, ParticipantRestriction.Kind.REMOVED):
        raise Http404("No such breakout room.")
    rooms = scoped(BreakoutRoom.objects.all(), ctx.org).filter(
        session=session, pk=breakout_id, opened_at__isnull=False, closed_at__isnull=True
    )
    if not host:
        rooms = rooms.filter(members__user=ctx.user)
    breakout = rooms.select_related("session").first()
    if breakout is None:
        raise Http404("No such breakout room.")
    return BreakoutVideoAccess(breakout=breakout, is_host=host)
