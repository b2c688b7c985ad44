"""The session's page (before, during and after the call) and the host's video start."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.views import room

session = "live/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(session, room.room, name="live_room"),
    path(session + "video/start/", room.start_video, name="live_room_video_start"),
]
