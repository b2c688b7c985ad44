"""The REST API under /api/v1/: one router per domain, the same policy as the pages.

Each endpoint authorizes through the same ``access_*`` selectors as the page it mirrors and
calls the same action or selector, so the API can neither see nor do more than the pages.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from cadenza.api import (
    accounts,
    courses,
    knowledge_checks,
    live_attendance,
    live_room,
    live_sessions,
    live_video,
    modules,
    orgs,
    progress,
    questions,
    units,
)
from cadenza.api.errors import install_error_handlers

DESCRIPTION = """\
Every capability of Cadenza's pages, for integrations and scripts, with the same permissions.

**Authentication**: the session of a signed-in person (sign in on the site); requests that
change something carry the CSRF token in the `X-CSRFToken` header, as the pages do.

**Organizations** are named by their slug in the path (`/orgs/{org}/...`); courses by their
slug, everything else by its id. Another organization's object, a draft a learner may not
see and a missing one all answer 404. A role that may not do something answers 403.

**Errors** are JSON: `{"detail": "..."}` (400 a rule of the domain, 403, 404), and 422
`{"detail": "...", "errors": {"field": ["..."]}}` for input that does not parse or breaks a
field's rule. A refused request has changed nothing.

**Files** (video files, downloadable resources) are uploaded on the course builder's pages,
not through the API; videos given by an https:// address can be made here. Times are UTC
(ISO 8601); show them in the person's own `time_zone` (see `GET /me`).

**Live sessions** are named by their id under `/orgs/{org}/live-sessions/{session}`. The
room's real-time traffic is the websocket `/ws/live/{session}/`; the same room can be read
(`.../room/events?after=<seq>`: the frames missed, or a snapshot) and written
(`.../room/commands`: the socket's write frame, with its `client_event_id`) over HTTP.
"""

api = NinjaAPI(
    title="Cadenza API",
    version="1",
    description=DESCRIPTION,
    auth=django_auth,
    urls_namespace="api",
)
install_error_handlers(api)

for module in (
    accounts,
    orgs,
    courses,
    modules,
    units,
    progress,
    knowledge_checks,
    questions,
    live_sessions,
    live_room,
    live_attendance,
    live_video,
):
    api.add_router("", module.router)
