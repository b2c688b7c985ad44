"""The REST API under /api/v1/: one router per domain, the same policy as the pages.

Each endpoint authorizes through the same ``access_*`` selectors as the page it mirrors and
calls the same action or selector, so the API can neither see nor do more than the pages.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from cadenza.api import (
    accounts,
    assignments,
    captions,
    courses,
    forums,
    knowledge_checks,
    live_attendance,
    live_captions,
    live_room,
    live_sessions,
    live_video,
    modules,
    notifications,
    orgs,
    progress,
    questions,
    tokens,
    units,
)
from cadenza.api.errors import install_error_handlers
from cadenza.api.tokens import TokenAuth

DESCRIPTION = """\
Every capability of Cadenza's pages, for integrations and scripts, with the same permissions.

**Authentication**: either a personal access token, `Authorization: Bearer cdz_...` (made on
your profile's "Access tokens" page, with `POST /tokens` or with `POST /tokens/password`;
a read-only token is refused on writes with 403), or the session of a signed-in person (sign
in on the site), whose requests that change something carry the CSRF token in the
`X-CSRFToken` header, as the pages do. A token acts with its person's own permissions.
Without either, or with an unknown or revoked token: 401. Too many failed log-ins for an
account or from an address: 429 for a while.

**Organizations** are named by their slug in the path (`/orgs/{org}/...`); courses by their
slug, everything else by its id. Another organization's object, a draft a learner may not
see and a missing one all answer 404. A role that may not do something answers 403. A live
session of your organization that you may not see yet answers 403 with the reason, as its
join link does: `{"detail", "reason": "not_enrolled" | "not_open_yet", "may_self_enrol",
"course"}` (enrol with `POST /orgs/{org}/courses/{course}/enrolment` when you may).

**Errors** are JSON: `{"detail": "..."}` (400 a rule of the domain, 403, 404), and 422
`{"detail": "...", "errors": {"field": ["..."]}}` for input that does not parse or breaks a
field's rule. A refused request has changed nothing.

**Files** (video files, downloadable resources) are uploaded on the course builder's pages,
not through the API; videos given by an https:// address can be made here. Caption files
(WebVTT) are the exception: they are text, sent in the JSON body of
`PUT .../captions/{language}` (a video unit's, and a live session's recording's at
`.../live-sessions/{session}/recording/captions/{language}`). Times are UTC (ISO 8601); show
them in the person's own `time_zone` (see `GET /me`).

**Live sessions** are named by their id under `/orgs/{org}/live-sessions/{session}`. The
room's real-time traffic is the websocket `/ws/live/{session}/`; the same room can be read
(`.../room/events?after=<seq>`: the frames missed, or a snapshot) and written
(`.../room/commands`: the socket's write frame, with its `client_event_id`) over HTTP.
"""


class CadenzaAPI(NinjaAPI):
    """The API, with the 401 every authenticated operation may answer in its schema."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        unauthorized = {
            "description": "Not signed in, or an unknown or revoked token",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                if isinstance(operation, dict) and operation.get("security"):
                    # ninja keys responses by int; a second key "401" would be a duplicate
                    # once written as JSON (Swagger UI then refuses the whole schema).
                    operation.setdefault("responses", {})[401] = unauthorized
        return schema


api = CadenzaAPI(
    title="Cadenza API",
    version="1",
    description=DESCRIPTION,
    # A token first: a script's request carries no session; a browser's carries no token.
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    # Served from the site's own static files (ninja's, with "ninja" in INSTALLED_APPS):
    # the docs work offline and under the Content-Security-Policy. No online validator.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)

for module in (
    accounts,
    orgs,
    courses,
    modules,
    units,
    captions,
    progress,
    knowledge_checks,
    questions,
    assignments,
    live_sessions,
    live_room,
    live_attendance,
    live_video,
    live_captions,
    forums,
    tokens,
    notifications,
):
    api.add_router("", module.router)
