"""Organization pages that compose several domains (the dashboard). Included in
config/urls.py before ``cadenza.learning.urls``."""

from django.urls import URLPattern, URLResolver, path

from cadenza.web.views import dashboard, my_sessions

urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<slug:org_slug>/", dashboard, name="dashboard"),
    path("o/<slug:org_slug>/sessions/", my_sessions, name="my_sessions"),
]
