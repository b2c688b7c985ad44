"""How the live-session endpoints refuse a session: as the session's page does.

A learner of the organization who was given a session's id but may not see it yet (not
enrolled in its course, or the course not published) gets 403 with the reason, as the join
link's page answers: ``{"detail", "reason": "not_enrolled" | "not_open_yet",
"may_self_enrol", "course"}`` (``course``: the slug, whose ``POST .../enrolment`` enrols
them when ``may_self_enrol``). Another organization's session, or one that does not exist,
stays 404. The rule is ``live.sessions.access`` (``session_closed_to``); this module only
applies it to every endpoint named by a session (``explains_closed_session``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Literal, ParamSpec, TypeVar

from django.http import Http404, HttpRequest
from ninja import Schema

from cadenza.api.common import ERRORS, member_context
from cadenza.live.sessions.access import explain_refusal

Params = ParamSpec("Params")
Answer = TypeVar("Answer")


class SessionRefusedOut(Schema):
    """403: your role does not allow it (``detail`` only), or the session is not open to you
    yet: then ``reason`` says why, ``may_self_enrol`` whether you may enrol yourself in its
    course (``course``, a slug)."""

    detail: str
    reason: Literal["not_enrolled", "not_open_yet"] | None = None
    may_self_enrol: bool | None = None
    course: str | None = None


SESSION_ERRORS: dict[int, Any] = {**ERRORS, 403: SessionRefusedOut}
"""The error answers of an endpoint named by a live session (``ERRORS`` with the 403 above)."""


def explains_closed_session(
    endpoint: Callable[Params, Answer],
) -> Callable[Params, Answer]:
    """An endpoint with ``org`` and ``session`` path parameters whose refusal of a session of
    the caller's organization says why (403, ``SessionClosed``) instead of 404."""

    @functools.wraps(endpoint)
    def explained(*args: Params.args, **kwargs: Params.kwargs) -> Answer:
        try:
            return endpoint(*args, **kwargs)
        except Http404:
            request, session = args[0], kwargs["session"]
            assert isinstance(request, HttpRequest)
            assert isinstance(session, int)
            # Asked only after a 404: a request that succeeds pays no query for it.
            explain_refusal(member_context(request, str(kwargs["org"])), session_id=session)
            raise

    # ninja reads the parameters' types from the signature, resolving names in the function's
    # module: the wrapper's module is this one, so it gets them already resolved.
    explained.__signature__ = inspect.signature(endpoint, eval_str=True)  # type: ignore[attr-defined]
    return explained
