"""Choosing a session's video provider."""

from __future__ import annotations

from django.conf import settings as django_settings

from cadenza.live.models import LiveSession, VideoProvider
from cadenza.live.providers.base import Provider, ProviderNotConfigured, Recording
from cadenza.live.providers.bigbluebutton import BigBlueButtonProvider
from cadenza.live.providers.bigbluebutton_api import (
    CHECKSUM_ALGORITHMS,
    ChecksumAlgorithm,
    Fetch,
    urllib_fetch,
)
from cadenza.live.providers.builtin import BuiltinProvider, NoVideoProvider
from cadenza.live.providers.jitsi import JitsiProvider
from cadenza.live.providers.selectors import video_settings_of


def provider_for(
    session: LiveSession, *, page_url: str = "", fetch: Fetch | None = None
) -> Provider:
    """The provider of ``session`` (its ``provider``), bound to its organization's settings.

    ``page_url``: the absolute URL of the session's page (BigBlueButton sends people back there
    when they leave). ``fetch``: the HTTP GET for providers with a server API (tests pass a
    fake). Raises ``ProviderNotConfigured`` when the organization lacks the provider's
    credentials. Two optional Django settings: ``CADENZA_BBB_CHECKSUM`` ("sha1", the default,
    or "sha256"/"sha384"/"sha512") and ``CADENZA_JITSI_AUDIENCE`` (the token's ``aud``; by
    default the app id).
    """
    video_settings = video_settings_of(session.org)
    kind = session.provider
    if kind == VideoProvider.BUILTIN:
        return BuiltinProvider(video_settings)
    if kind == VideoProvider.JITSI:
        audience = str(getattr(django_settings, "CADENZA_JITSI_AUDIENCE", ""))
        return JitsiProvider(video_settings, audience=audience)
    if kind == VideoProvider.BIGBLUEBUTTON:
        return BigBlueButtonProvider(
            video_settings,
            page_url=page_url,
            algorithm=_checksum_algorithm(),
            fetch=fetch or urllib_fetch,
        )
    if kind == VideoProvider.NONE:
        return NoVideoProvider()
    raise ProviderNotConfigured(f"Unknown video provider {kind!r}.")


def recordings_of(session: LiveSession) -> list[Recording]:
    """The recordings the session's video service kept (the replay lists them through
    ``cadenza.live.sessions.hooks``); raises when the service cannot say."""
    return provider_for(session).recordings(session=session)


def _checksum_algorithm() -> ChecksumAlgorithm:
    configured = str(getattr(django_settings, "CADENZA_BBB_CHECKSUM", "sha1")).lower()
    for chosen in CHECKSUM_ALGORITHMS:
        if chosen == configured:
            return chosen
    raise ProviderNotConfigured(
        f"CADENZA_BBB_CHECKSUM={configured!r} is not one of {', '.join(CHECKSUM_ALGORITHMS)}."
    )
