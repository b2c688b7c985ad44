"""Cadenza's settings with one change, for ``bench/live/run.py --layer-fix``.

redis-py 8 gives every connection a 5 s ``socket_timeout`` by default, and channels_redis's
``RedisChannelLayer`` waits on ``BZPOPMIN`` for 5 s (``brpop_timeout``): when the server's
empty answer arrives just after the client's read timeout, ``redis.exceptions.TimeoutError``
escapes the consumer's channel-layer loop and the room socket is closed. A read timeout longer
than the blocking wait removes the race. The fix belongs in ``cadenza.config.settings``.
"""

from __future__ import annotations

from typing import Any

from cadenza.config.settings import *  # noqa: F403
from cadenza.config.settings import CHANNEL_LAYERS, REDIS_URL

if REDIS_URL:
    layer: dict[str, Any] = dict(CHANNEL_LAYERS["default"])
    layer["CONFIG"] = {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]}
    CHANNEL_LAYERS = {"default": layer}
