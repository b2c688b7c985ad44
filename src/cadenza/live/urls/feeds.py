"""The public calendar feed: mounted at the site's root (``path("", include(...))`` in
config/urls.py), never under /o/<org>/ — no login, the secret token is the credential."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.schedule.views import calendar

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
