"""The session's page (before, during and after the call) and the host's video start."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live import session_page

session = "live/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(session, session_page.room, name="live_room"),
    path(session + "video/start/", session_page.start_video, name="live_room_video_start"),
]
