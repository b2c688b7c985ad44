"""Reading an organization's video settings."""

from __future__ import annotations

from cadenza.live.models import LiveVideoSettings
from cadenza.orgs.models import Organization
from cadenza.orgs.selectors import scoped


def video_settings_of(org: Organization) -> LiveVideoSettings:
    """The organization's video settings; an unsaved row with the defaults (built-in video,
    no STUN/TURN, no Jitsi or BigBlueButton credentials) when an admin never saved any.

    Reading never writes: ``update_video_settings`` creates the row on the first save.
    """
    stored = scoped(LiveVideoSettings.objects.all(), org).first()
    return stored if stored is not None else LiveVideoSettings(org=org)
