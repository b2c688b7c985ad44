"""Video providers of live sessions: built-in peer-to-peer WebRTC, Jitsi Meet, BigBlueButton.

Use ``provider_for(session)`` and the ``Provider`` protocol; see ``base`` for ``JoinDetails``
and ``cadenza.live.sessions.video_signalling`` for the WebRTC messages the room socket
carries.
"""

from cadenza.live.providers.base import (
    IceServer,
    JoinDetails,
    MediaPolicy,
    Provider,
    ProviderError,
    ProviderNotConfigured,
    ProviderUnavailable,
    Recording,
)
from cadenza.live.providers.registry import provider_for

__all__ = [
    "IceServer",
    "JoinDetails",
    "MediaPolicy",
    "Provider",
    "ProviderError",
    "ProviderNotConfigured",
    "ProviderUnavailable",
    "Recording",
    "provider_for",
]
