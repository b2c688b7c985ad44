"""The bare Channels room: each socket joins one group; a chat.post is one ``group_send``.

Serve with uvicorn (``bare_channels.asgi:application``, ``bench/live`` on the path). No
authentication and no database: the stock Channels broadcast path and nothing else.
"""

from __future__ import annotations

import json
import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare_channels.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bench-room"


class RoomConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message = json.loads(text_data or "{}")
        if message.get("type") != "chat.post":
            return
        frame = json.dumps(
            {"type": "live.chat.posted", "body": message["body"]}, separators=(",", ":")
        )
        await self.channel_layer.group_send(GROUP, {"type": "room.message", "text": frame})

    async def room_message(self, message: dict[str, Any]) -> None:
        await self.send(text_data=message["text"])


async def _no_http(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b""})


application = ProtocolTypeRouter(
    {
        "http": _no_http,
        "websocket": URLRouter([path("ws/live/<int:session_id>/", RoomConsumer.as_asgi())]),
    }
)
