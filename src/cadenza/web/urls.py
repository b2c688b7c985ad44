"""Organization pages that compose several domains (the dashboard). Included in
config/urls.py before ``cadenza.learning.urls``."""

from django.urls import URLPattern, URLResolver, path

from cadenza.web.views import dashboard

urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<slug:org_slug>/", dashboard, name="dashboard"),
]
