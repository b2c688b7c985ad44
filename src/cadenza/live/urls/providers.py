"""The organization's video settings (mounted under /o/<org_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.views.providers import video_settings

urlpatterns: list[URLPattern | URLResolver] = [
    path("video/", video_settings, name="live_video_settings"),
]
