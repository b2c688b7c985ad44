"""`/favicon.ico`: browsers ask for it at the site's root whatever the page says, so it answers
there (a 404 on every first visit fills the logs and shows a blank tab icon)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

ICON = "web/favicon.ico"


@require_GET
def favicon(request: HttpRequest) -> FileResponse:
    """The icon's bytes from the app's static folder (the same file the static files serve),
    cacheable for a day; drawn by scripts/make_favicon.py."""
    found = finders.find(ICON)
    if not isinstance(found, str):
        raise Http404("No site icon.")
    response = FileResponse(open(found, "rb"), content_type="image/vnd.microsoft.icon")  # noqa: SIM115 (FileResponse closes it)
    response["Cache-Control"] = "public, max-age=86400"
    return response
