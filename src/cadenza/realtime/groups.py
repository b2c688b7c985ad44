"""The channel layer's group send for synchronous code (``publish.send_to_group``): Channels
keeps per-person messages, such as closing a removed person's sockets at once."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def send_with_channel_layer(group: str, message: dict[str, Any]) -> None:
    """Send ``message`` to ``group`` on the default channel layer (none configured: nothing)."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, message)
