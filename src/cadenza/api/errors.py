"""Every answer as JSON, and only the caller's mistakes as 4xx (DESIGN section 4, "Bad input").

| raised                                   | status | body                              |
| ---------------------------------------- | ------ | --------------------------------- |
| ``Http404``                              | 404    | ``{"detail"}``                    |
| ``PermissionDenied``                     | 403    | ``{"detail"}``                    |
| ``SessionClosed`` (a live session of the | 403    | ``{"detail", "reason",            |
| caller's organization not open to them)  |        | "may_self_enrol", "course"}``     |
| ``DomainError`` (a rule of the domain)   | 400    | ``{"detail"}``: its message       |
| a body that is not JSON, a broken        | 400    | ``{"detail"}``                    |
| multipart body (ninja ``HttpError``)     |        |                                   |
| django ``ValidationError`` (forms,       | 422    | ``{"detail", "errors": {field}}`` |
| actions)                                 |        |                                   |
| ninja ``ValidationError`` (the schema)   | 422    | ``{"detail", "errors": {field}}`` |
| anything else                            | 500    | ``{"detail"}``: a generic message |

Only ``cadenza.lib.errors.DomainError`` carries a message written for people; a
``ValueError``, a ``KeyError`` or a pydantic error raised while building an answer is a bug of
ours: its message (developer text, perhaps internals) never reaches the client, the traceback
goes to the log, and Django's ``got_request_exception`` signal fires as for any other 500.

Actions run in one transaction each, so a refusal raised inside one has written nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import signals
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaError

from cadenza.api.bodies import UNION_TAGS
from cadenza.lib.errors import DomainError
from cadenza.live.sessions.access import SessionClosed

log = logging.getLogger("cadenza.api")

_LOCATIONS = frozenset({"body", "query", "path", "form", "header", "cookie"})
_NOT_AN_OBJECT = frozenset({"model_type", "dict_type", "model_attributes_type", "missing"})
_UNION_TAG = frozenset({"union_tag_invalid", "union_tag_not_found"})

SERVER_ERROR = "Something went wrong on our side. It has been logged; please try again later."
"""The body of every 500: nothing of the exception reaches the client."""


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers above on ``api`` (ninja picks the most specific class)."""

    # Handlers take ``object``: ninja types the exception as "an instance or its class".
    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)

    def forbidden(request: HttpRequest, exc: object) -> HttpResponse:
        detail = str(exc) or "Your role does not allow this."
        return api.create_response(request, {"detail": detail}, status=403)

    def session_closed(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, SessionClosed)
        closed = exc.closed
        body = {
            "detail": closed.detail,
            "reason": closed.reason,
            "may_self_enrol": closed.may_self_enrol,
            "course": closed.session.course.slug,
        }
        return api.create_response(request, body, status=403)

    def invalid(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        errors = (
            {field: list(messages) for field, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": list(exc.messages)}
        )
        return api.create_response(request, _invalid_body(errors), status=422)

    def unparsable(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, SchemaError)
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            field = _field_of(error.get("loc", ()))
            kind = error.get("type")
            if field == "__all__" and kind in _UNION_TAG:
                field = "kind"
            message = _in_the_pages_words(error)
            if field == "__all__" and kind in _NOT_AN_OBJECT:
                message = "The body must be a JSON object with this operation's fields."
            errors.setdefault(field, []).append(message)
        return api.create_response(request, _invalid_body(errors), status=422)

    def refused(request: HttpRequest, exc: object) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=400)

    def broken_multipart(request: HttpRequest, exc: object) -> HttpResponse:
        detail = "The multipart body cannot be read (a missing or broken boundary?)."
        return api.create_response(request, {"detail": detail}, status=400)

    def server_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, BaseException)
        log.error(
            "API %s %s: unhandled %s",
            request.method,
            request.path,
            type(exc).__name__,
            exc_info=exc,
        )
        signals.got_request_exception.send(sender=None, request=request)
        return api.create_response(request, {"detail": SERVER_ERROR}, status=500)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(SessionClosed, session_closed)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(SchemaError, unparsable)
    api.add_exception_handler(DomainError, refused)
    api.add_exception_handler(MultiPartParserError, broken_multipart)
    api.add_exception_handler(Exception, server_error)


def _invalid_body(errors: dict[str, list[str]]) -> dict[str, object]:
    detail = "; ".join(
        message if field == "__all__" else f"{field}: {message}"
        for field, messages in errors.items()
        for message in messages
    )
    return {"detail": detail or "The request is not valid.", "errors": errors}


_PAGES_WORDS = {
    "missing": "This field is required.",
    "greater_than_equal": "Ensure this value is greater than or equal to {ge}.",
    "less_than_equal": "Ensure this value is less than or equal to {le}.",
    "greater_than": "Ensure this value is greater than {gt}.",
    "less_than": "Ensure this value is less than {lt}.",
    "string_too_long": "Ensure this value has at most {max_length} characters.",
    "string_too_short": "Ensure this value has at least {min_length} characters.",
}
"""Pydantic's messages that the pages' forms word differently, in the forms' words (Django's),
so that the API and the page refuse the same value with the same sentence."""


def _in_the_pages_words(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "Invalid value."))
    template = _PAGES_WORDS.get(str(error.get("type")))
    if template is None:
        return message
    context = dict(error.get("ctx") or {})
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return message


def _field_of(location: object) -> str:
    """``("body", "payload", "emails", 0)`` -> ``"emails.0"``: the field as the caller sent it."""
    parts = [str(part) for part in location] if isinstance(location, list | tuple) else []
    if parts and parts[0] in _LOCATIONS:
        source = parts.pop(0)
        if source == "body":
            parts.pop(0)  # the endpoint's parameter name, not part of the JSON
            if parts and parts[0] in UNION_TAGS:
                parts.pop(0)  # the kind of body pydantic chose, not part of the JSON
    return ".".join(parts) or "__all__"
