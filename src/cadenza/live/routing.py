"""The live room's websocket route (mounted by ``cadenza.config.asgi``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from cadenza.live.room.consumers import RoomConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/live/<int:session_id>/", RoomConsumer.as_asgi()),
]
