"""The organization's video settings and a breakout room's video details (mounted under
/o/<org_slug>/).

The breakout details sit under the session's page (``live_room``): the room script builds
their address from the page's own (``page_url`` + "video/breakout/?breakout=<id>").
"""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.providers.views import breakout_video, video_settings

urlpatterns: list[URLPattern | URLResolver] = [
    path("video/", video_settings, name="live_video_settings"),
    path("live/<int:session_id>/video/breakout/", breakout_video, name="live_breakout_video"),
]
