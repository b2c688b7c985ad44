"""The room hub's wire: the Redis channel of a room, the one text published per event, and the
transport's own keepalive frame.

Message on the wire: ``"<seq>\\n<audience JSON>\\n<frame>"``; ``seq`` 0 is an ephemeral frame
(presence, typing) that is relayed without a sequence check. Publishing is ``publish``'s.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.conf import settings

from cadenza.realtime.audience import AudienceMember

PING = '{"type":"ping"}'
"""The frame each socket gets on the sweep's heartbeat (proxies drop idle connections)."""


def hub_prefix() -> str:
    """The key prefix of the room channels (``LIVE_HUB_PREFIX``: distinct per install or test
    run)."""
    return str(settings.LIVE_HUB_PREFIX)


def room_channel(prefix: str, session_id: int) -> str:
    return f"{prefix}:live-room:{session_id}"


def wire_message(*, seq: int, audience: Sequence[AudienceMember], frame: str) -> str:
    return f"{seq}\n{json.dumps(list(audience), separators=(',', ':'))}\n{frame}"
