"""What a participant's page (or app, through the API) needs to join a session's video: the
main room's join details, or a breakout room's own. Both raise ``ProviderError`` when the
provider is not set up or does not answer; the callers say so in their own way."""

from __future__ import annotations

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession
from cadenza.live.providers.base import JoinDetails
from cadenza.live.providers.registry import provider_for
from cadenza.live.providers.selectors import BreakoutVideoAccess


def main_room_join_details(
    session: LiveSession, *, user: User, is_host: bool, page_url: str
) -> JoinDetails:
    """The session's own video for ``user`` (``page_url``: the session page's address)."""
    provider = provider_for(session, page_url=page_url)
    return provider.join_details(
        session=session, user=user, is_host=is_host, display_name=user.name
    )


def breakout_room_join_details(
    session: LiveSession, *, access: BreakoutVideoAccess, user: User, page_url: str
) -> JoinDetails:
    """One breakout room's own video (``access`` from ``access_breakout_video``). For
    BigBlueButton the breakout meeting is created first (idempotent), since no host is inside
    every room to start it."""
    provider = provider_for(session, page_url=page_url)
    provider.start_breakout(session=session, breakout=access.breakout)
    return provider.breakout_join_details(
        session=session,
        breakout=access.breakout,
        user=user,
        is_host=access.is_host,
        display_name=user.name,
    )
