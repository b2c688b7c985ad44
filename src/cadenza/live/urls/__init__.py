"""Live-session pages, mounted under /o/<org_slug>/ (calendar feeds are under /calendar/)."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("cadenza.live.urls.schedule")),
    path("", include("cadenza.live.urls.room")),
    path("", include("cadenza.live.urls.attendance")),
    path("", include("cadenza.live.urls.providers")),
]
