"""Ending the breakout rooms' own video meetings when a host recalls everyone.

Jitsi rooms and the built-in video need nothing ended (a Jitsi room disappears when its last
person leaves; the built-in video is inside the room socket). A BigBlueButton breakout room is a
meeting of its own on the server, and people left in it would stay there after the recall, so
it is ended. This calls the provider's server: run it after the recall's transaction commits,
never inside it (the hook belongs in ``close_breakouts``, after commit, ideally in a task).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from cadenza.live.models import BreakoutRoom, LiveSession
from cadenza.live.providers.base import ProviderError
from cadenza.live.providers.bigbluebutton_api import Fetch
from cadenza.live.providers.registry import provider_for

logger = logging.getLogger(__name__)


def end_breakout_videos(
    *, session: LiveSession, breakout_ids: Iterable[int], fetch: Fetch | None = None
) -> list[str]:
    """End the video meetings of these breakout rooms of ``session``; answers the problems
    (one line per room the provider refused or did not answer for), empty when all ended.
    ``fetch``: the HTTP GET (tests pass a fake).

    A problem never stops the others: a meeting that is not ended expires on the provider's
    side once empty (BigBlueButton ends an empty meeting after a minute by default).
    """
    try:
        provider = provider_for(session, fetch=fetch)
    except ProviderError as error:
        return [error.detail]
    problems: list[str] = []
    rooms = BreakoutRoom.objects.filter(org_id=session.org_id, session=session, pk__in=breakout_ids)
    for breakout in rooms.order_by("position", "pk"):
        try:
            provider.end_breakout(session=session, breakout=breakout)
        except ProviderError as error:
            logger.warning("Breakout room %s: video not ended: %s", breakout.pk, error.detail)
            problems.append(f"{breakout.name}: {error.detail}")
    return problems
