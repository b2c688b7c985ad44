"""The URL map. Organization pages live under /o/<org_slug>/; the API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from cadenza.api.api import api
from cadenza.web import views as web_views
from cadenza.web.site_icon import favicon

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("cadenza.accounts.urls")),
    path("notifications/", include("cadenza.notifications.urls")),
    path("", include("cadenza.live.urls.feeds")),
    path("", include("cadenza.web.urls")),
    path("o/<slug:org_slug>/", include("cadenza.learning.urls")),
    path("o/<slug:org_slug>/", include("cadenza.courses.urls")),
    path("o/<slug:org_slug>/", include("cadenza.assignments.urls")),
    path("o/<slug:org_slug>/", include("cadenza.orgs.urls")),
    path("o/<slug:org_slug>/", include("cadenza.live.urls")),
    path("o/<slug:org_slug>/", include("cadenza.forums.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
