"""The session's page (before, during and after the call), the host's video start and the
polls hosts prepare before the session (from its edit page)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live import session_page
from cadenza.live.room import prepared_polls

session = "live/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(session, session_page.room, name="live_room"),
    path(session + "video/start/", session_page.start_video, name="live_room_video_start"),
    path(session + "polls/new/", prepared_polls.add_poll, name="live_poll_add"),
    path(session + "polls/<int:poll_id>/edit/", prepared_polls.edit_poll, name="live_poll_edit"),
    path(
        session + "polls/<int:poll_id>/remove/",
        prepared_polls.remove_poll,
        name="live_poll_remove",
    ),
]
